from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.rich_text import RichText
from wagtail.search import index

from broadsheet.core.blocks import STORY_BODY_BLOCKS
from broadsheet.core.origin import absolute_url
from broadsheet.core.privacy import ViewRestrictionShortcutMixin
from broadsheet.core.rich_text import rich_text_clean
from broadsheet.core.seo import SeoMixin
from broadsheet.discussions.choices import discussion_mode_field
from broadsheet.mediabank.captions import photo_alt_texts, photo_caption

from .public_time import PublicTimeMixin
from .querysets import ArticlePageManager
from .translation_fields import not_copied


class ArticleKind(models.TextChoices):
    NEWS = "news", _("News")
    FEATURE = "feature", _("Feature")
    ANALYSIS = "analysis", _("Analysis")
    OPINION = "opinion", _("Opinion")
    OFFBEAT = "offbeat", _("Off-beat")


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticleAuthor(Orderable):
    page = ParentalKey("news.ArticlePage", related_name="bylines", on_delete=models.CASCADE)
    author = models.ForeignKey(
        "news.AuthorPage",
        related_name="bylines",
        on_delete=models.CASCADE,
        verbose_name=_("author"),
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        unique_together = [("page", "author")]


def story_photos(*, lead_photo, body) -> list:
    """The story's photos, lead then body, each once."""
    photos = [lead_photo] if lead_photo is not None else []
    for child in body or []:
        if child.block_type == "image" and child.value.get("image") is not None:
            photos.append(child.value["image"])
    return list({photo.pk: photo for photo in photos}.values())


def photos_missing_alt_text(*, lead_photo, body) -> list:
    """The story's photos (lead, then body, each once) that have no alt text."""
    return [p for p in story_photos(lead_photo=lead_photo, body=body) if not p.alt_text.strip()]


def photos_refused(*, lead_photo, body, language: str) -> list[str]:
    """Why a story with these photos may not be published in the edition of
    `language` (empty: it may): a photo without alt text in that language or
    the original, a photo withdrawn or out of licence. The same rules for a
    story written in the edition and for a translation (editions/translation.py)."""
    photos = story_photos(lead_photo=lead_photo, body=body)
    alt_texts = photo_alt_texts(photos=photos, language=language)
    problems = [
        _("Add alt text to the photo “%(title)s” in the media bank before publishing.")
        % {"title": photo.title}
        for photo in photos
        if not alt_texts.get(photo.pk, "").strip()
    ]
    problems += [
        _("The photo “%(title)s” is withdrawn or its licence has expired: choose another.")
        % {"title": photo.title}
        for photo in photos
        if not photo.is_usable
    ]
    return [str(problem) for problem in problems]


class ArticlePageForm(WagtailAdminPageForm):
    """Publishing needs alt text on every photo and photos we may show — by
    the "Publish" action, or by a moderator approving the last step of a
    workflow from the edit view; saving a draft does not, so reporters can
    file before the desk writes it. A story scheduled for later is checked
    when it is scheduled."""

    def _publishes(self) -> bool:
        return "action-publish" in self.data or (
            "action-workflow-action" in self.data
            and self.data.get("workflow-action-name") == "approve"
        )

    def clean(self):
        cleaned_data = super().clean()
        if self._publishes():
            locale = getattr(self.instance, "locale", None)
            language = locale.language_code if locale is not None else settings.LANGUAGE_CODE
            for problem in photos_refused(
                lead_photo=cleaned_data.get("lead_photo"),
                body=cleaned_data.get("body"),
                language=language,
            ):
                self.add_error(None, problem)
        return cleaned_data


class ArticlePage(ViewRestrictionShortcutMixin, PublicTimeMixin, SeoMixin, Page):
    kind = models.CharField(
        _("kind"), max_length=12, choices=ArticleKind.choices, default=ArticleKind.NEWS
    )
    standfirst = models.TextField(
        _("standfirst"),
        max_length=400,
        help_text=_("One or two sentences under the headline that tell the story."),
    )
    dateline = models.CharField(
        _("dateline"), max_length=80, blank=True, help_text=_("Where it was filed, e.g. 'NAIROBI'.")
    )
    lead_photo = models.ForeignKey(
        "mediabank.Photo",
        verbose_name=_("lead photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_caption = models.CharField(
        _("lead photo caption"),
        max_length=400,
        blank=True,
        help_text=_("Leave empty to use the photo's caption from the media bank."),
    )
    body = StreamField(STORY_BODY_BLOCKS, verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    updated_at = models.DateTimeField(
        _("updated"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the story changes materially (new facts, a correction); "
            "readers see 'Updated' with this time. Typo fixes don't count."
        ),
    )
    # The story's public time: when it first went live, or its embargo time.
    # Kept on the row (not derived from revisions) so that feeds can order and
    # paginate on an index.
    published_at = models.DateTimeField(_("published"), null=True, editable=False)
    # Denormalised from the tree so listings need no per-row parent lookup.
    section = models.ForeignKey(
        "news.SectionPage",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Denormalised from the page's locale (Page.locale lives on Wagtail's
    # table, out of reach of this table's indexes): an edition's listings
    # seek `article_edition_feed_idx` and cost the same in every edition,
    # however many editions there are.
    edition_locale = models.ForeignKey(
        "wagtailcore.Locale",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Denormalised from live coverage (live.LiveStoryPage sets it on save):
    # "", "upcoming", "live" or "ended". Teasers show the LIVE badge from the
    # row the listing already loaded, with no join to the live story's table.
    coverage = models.CharField(max_length=8, blank=True, default="", editable=False)

    discussion_mode = discussion_mode_field()

    # Read by the subscriptions when the story becomes public (live_events.
    # story_public): one e-mail to the Breaking news list and one browser
    # notification per story, however often it is republished.
    breaking = models.BooleanField(
        _("breaking news"),
        default=False,
        help_text=_(
            "Alert the Breaking news list and browser notifications when this story "
            "is published. Each story alerts once, even if it is republished."
        ),
    )

    objects = ArticlePageManager()
    base_form_class = ArticlePageForm

    # Translations (wagtail-localize): title, standfirst, dateline, caption
    # and body blocks are translated; kind, lead photo, tags, bylines and the
    # discussion mode are copied from the source. An edition publishes, dates,
    # updates and alerts its own story: the public time, "Updated" and the
    # breaking flag are its own (section, edition and coverage are set on save).
    exclude_fields_in_copy = ["published_at", "updated_at", "breaking"]
    override_translatable_fields = not_copied("published_at", "updated_at", "breaking")

    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    page_description = _("A story: news, feature, analysis, opinion or off-beat.")

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("standfirst"),
        InlinePanel("bylines", label=_("Byline"), heading=_("Bylines")),
        MultiFieldPanel(
            [FieldPanel("dateline"), FieldPanel("updated_at")],
            heading=_("Dateline and updates"),
        ),
        MultiFieldPanel(
            [FieldPanel("lead_photo"), FieldPanel("lead_caption")], heading=_("Lead photo")
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    promote_panels = [
        *SeoMixin.promote_panels,
        FieldPanel("breaking"),
        FieldPanel("discussion_mode"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("published_at"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["-published_at", "-page_ptr"], name="article_feed_idx"),
            models.Index(
                fields=["section", "-published_at", "-page_ptr"], name="article_section_feed_idx"
            ),
            models.Index(
                fields=["edition_locale", "-published_at", "-page_ptr"],
                name="article_edition_feed_idx",
            ),
            # The front page's "Live now" strip: a seek, not a walk of the feed.
            models.Index(
                fields=["coverage", "-published_at", "-page_ptr"], name="article_coverage_idx"
            ),
        ]

    def save(self, *args, **kwargs):
        self._clean_rich_text()
        parent = self.get_parent() if self.pk or self.path else None
        if parent is not None:
            self.section_id = parent.pk
        if self.locale_id is None:
            # A new page (add_child) has no locale until Wagtail's own save()
            # gives it its parent's: take it now, or the edition is empty.
            self.locale = self.get_default_locale()
        self.edition_locale_id = self.locale_id
        self._bylines_localize()
        return super().save(*args, **kwargs)

    def _bylines_localize(self):
        """A byline names the author's page in this story's edition when it
        has one (a translation's bylines are copied from the source's). Two
        queries at most, only on save."""
        bylines = [b for b in self.bylines.all() if b.author_id]
        if not bylines or self.locale_id is None:
            return
        foreign = dict(
            Page.objects.filter(pk__in=[b.author_id for b in bylines])
            .exclude(locale_id=self.locale_id)
            .values_list("pk", "translation_key")
        )
        if not foreign:
            return
        translated = dict(
            Page.objects.filter(
                translation_key__in=foreign.values(), locale_id=self.locale_id
            ).values_list("translation_key", "pk")
        )
        for byline in bylines:
            key = foreign.get(byline.author_id)
            if key in translated:
                byline.author_id = translated[key]

    def _clean_rich_text(self):
        for position, child in enumerate(self.body):
            if child.block_type == "paragraph":
                value = RichText(rich_text_clean(child.value.source))
                self.body[position] = ("paragraph", value, child.id)
            elif child.block_type == "fact_box":
                child.value["body"] = RichText(rich_text_clean(child.value["body"].source))

    def with_content_json(self, content):
        # Keep the row's own section rather than a draft's stale copy.
        obj = super().with_content_json(content)
        obj.section_id = self.section_id
        obj.edition_locale_id = self.edition_locale_id
        return obj

    @property
    def caption(self) -> str:
        if self.lead_caption:
            return self.lead_caption
        return photo_caption(photo=self.lead_photo)

    @property
    def display_time(self):
        return self.published_at or self.go_live_at or self.first_published_at

    @cached_property
    def authors(self):
        return [b.author for b in self.bylines.select_related("author", "author__photo")]

    def get_social_image(self):
        return self.lead_photo

    def get_context(self, request, *args, **kwargs):
        from broadsheet.editions.alternates import address_is_bare
        from broadsheet.news.selectors import article_next

        context = super().get_context(request, *args, **kwargs)
        context["next_story"] = article_next(article=self) if self.is_public else None
        context["og_type"] = "article"
        # A story's own address, whatever the query: `?before=` selects a
        # listing's page, and each made-up value would also be a new key of
        # the story's kept head (news/includes/story_page_head.html).
        context["canonical_url"] = absolute_url(request.path)
        # Whether the head lists the other editions' versions: a part of the
        # key of the kept head (news/includes/story_page_head.html) that a
        # made-up query cannot multiply.
        context["bare_address"] = address_is_bare(request)
        return context

    # Editors check how a story will look beyond its own page before publishing.
    # https://docs.wagtail.org/en/stable/reference/models.html#wagtail.models.Page.preview_modes
    preview_modes = [
        ("", _("Story page")),
        ("feed", _("In the feed and on the front page")),
        ("social", _("Social and search card")),
    ]

    def serve_preview(self, request, mode_name):
        if mode_name not in ("feed", "social"):
            return super().serve_preview(request, mode_name)
        from django.template.response import TemplateResponse

        if self.published_at is None:
            self.published_at = self.go_live_at or timezone.now()
        context = self.get_context(request)
        context["story_url"] = self.get_full_url(request) or ""
        return TemplateResponse(request, f"news/previews/article_{mode_name}.html", context)
