"""Live coverage: a story page with a stream of timestamped posts.

`LiveStoryPage` is an `ArticlePage` (Wagtail multi-table inheritance), so a
live story is in every listing, feed, sitemap, search and embargo rule like
any other story. Its posts are rows of their own (`LivePost`), not a
StreamField in the page: several editors post to the same story at once, and
each post is saved (and pushed to readers) without touching the page or the
other posts.
"""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.url_routing import RouteResult

from broadsheet.news.models import ArticlePage

POST_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class CoverageStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    LIVE = "live", pgettext_lazy("coverage", "Live")
    ENDED = "ended", _("Ended")


class LiveStoryPage(ArticlePage):
    coverage_status = models.CharField(
        _("coverage"),
        max_length=8,
        choices=CoverageStatus.choices,
        default=CoverageStatus.LIVE,
        help_text=_("Readers see 'Live' with a badge on every teaser while coverage is live."),
    )
    coverage_start = models.DateTimeField(_("coverage starts"), null=True, blank=True)
    coverage_end = models.DateTimeField(_("coverage ends"), null=True, blank=True)
    key_points = StreamField(
        [("point", blocks.CharBlock(label=_("Key point"), max_length=280))],
        verbose_name=_("key points"),
        blank=True,
        help_text=_("The pinned summary at the top: what a reader arriving now must know."),
    )

    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    page_description = _("Live coverage: a story with a stream of timestamped posts.")

    # The article's panels with the coverage fields after title, kind and standfirst.
    content_panels = [
        *ArticlePage.content_panels[:3],
        MultiFieldPanel(
            [
                FieldPanel("coverage_status"),
                FieldPanel("coverage_start"),
                FieldPanel("coverage_end"),
            ],
            heading=_("Coverage"),
        ),
        FieldPanel("key_points"),
        *ArticlePage.content_panels[3:],
    ]

    class Meta:
        verbose_name = _("live story")
        verbose_name_plural = _("live stories")

    def save(self, *args, **kwargs):
        # Listings load ArticlePage rows: the badge reads this copy, no join.
        self.coverage = self.coverage_status
        return super().save(*args, **kwargs)

    def route(self, request, path_components):
        """`posts/<id>/` is the permalink of one post: the story page starting
        at that post. Served through `serve()`, so the embargo check of
        PublicTimeMixin applies to it as to the story itself (a
        RoutablePageMixin view would bypass it and replace the article's
        preview modes)."""
        if (
            self.live
            and len(path_components) == 2
            and path_components[0] == "posts"
            and path_components[1].isdigit()
            and len(path_components[1]) <= 12
        ):
            return RouteResult(self, kwargs={"post_id": int(path_components[1])})
        return super().route(request, path_components)

    def post_url(self, post_id: int, request=None) -> str:
        return f"{self.get_url(request)}posts/{post_id}/"

    def get_context(self, request, *args, **kwargs):
        from .selectors import live_page_context

        context = super().get_context(request, *args, **kwargs)
        post_id = kwargs.get("post_id")
        context.update(live_page_context(story=self, request=request, post_id=post_id))
        return context


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class LivePost(models.Model):
    story = models.ForeignKey(
        LiveStoryPage, on_delete=models.CASCADE, related_name="posts", verbose_name=_("story")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = RichTextField(_("text"), features=POST_FEATURES, blank=True)
    photo = models.ForeignKey(
        "mediabank.Photo",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quote = models.TextField(_("quote"), max_length=600, blank=True)
    quote_attribution = models.CharField(_("quote attribution"), max_length=160, blank=True)
    embed_url = models.URLField(_("embed address"), blank=True)
    related_story = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("related story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    authors = models.ManyToManyField(
        "news.AuthorPage", blank=True, related_name="live_posts", verbose_name=_("authors")
    )
    status = models.CharField(
        _("status"), max_length=9, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Set when a published post is edited: readers see "Updated HH:MM".
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)
    # Kept (not deleted) so the desk and the event log can name what went.
    deleted = models.BooleanField(_("deleted"), default=False)

    class Meta:
        verbose_name = _("live post")
        verbose_name_plural = _("live posts")
        indexes = [
            models.Index(
                fields=["story", "status", "-published_at", "-id"], name="livepost_feed_idx"
            ),
        ]

    def __str__(self):
        return self.title or f"#{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.PUBLISHED and not self.deleted

    # The post's parts are rendered with the story blocks' own templates
    # (blocks/*.html), which read a block `value`: these are those values.
    @property
    def photo_value(self) -> dict:
        return {"image": self.photo, "caption": ""}

    @property
    def quote_value(self) -> dict:
        return {"quote": self.quote, "attribution": self.quote_attribution, "role": ""}

    @property
    def embed_value(self) -> dict:
        return {"url": self.embed_url, "title": ""}

    @cached_property
    def embed(self):
        from broadsheet.core.blocks.embeds import stored_embed

        return stored_embed(self.embed_url) if self.embed_url else None

    @property
    def related_public(self):
        """The related story, while it is public (never reveal an embargoed one)."""
        story = self.related_story
        return story if story is not None and story.is_public else None

    def permalink(self, request=None) -> str:
        return self.story.post_url(self.pk, request)
