from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from broadsheet.core.privacy import ViewRestrictionShortcutMixin
from broadsheet.core.seo import SeoMixin
from broadsheet.discussions.choices import discussion_mode_field

from .querysets import FewPagesManager


class SectionPage(ViewRestrictionShortcutMixin, SeoMixin, Page):
    intro = models.CharField(
        _("introduction"),
        max_length=300,
        blank=True,
        help_text=_("One line under the section name, also used as its description."),
    )

    discussion_mode = discussion_mode_field()

    objects = FewPagesManager()

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage", "news.GalleryPage", "live.LiveStoryPage"]
    page_description = _("A section of the site, such as World or Sport, holding its stories.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = [*SeoMixin.promote_panels, FieldPanel("discussion_mode")]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def get_context(self, request, *args, **kwargs):
        from broadsheet.news.selectors import feed_page_from_request

        context = super().get_context(request, *args, **kwargs)
        context["feed"] = feed_page_from_request(request, section=self)
        context["galleries"] = self.galleries()
        return context

    def galleries(self, limit: int = 12) -> list:
        """The section's public galleries, newest first, kept per process and
        content version like every listing. GalleryPage's manager names its
        content type, so SQLite starts from the few gallery rows instead of
        walking the section's stories (58 ms at 100,000 stories before)."""
        from django.db.models import Count, Prefetch
        from django.utils import timezone

        from broadsheet.core.cache import memoized
        from broadsheet.mediabank.renditions import teaser_photos

        from .gallery_page import GalleryPage

        def compute():
            return list(
                GalleryPage.objects.child_of(self)
                .live()
                .filter(published_at__lte=timezone.now())
                .prefetch_related(Prefetch("cover_photo", queryset=teaser_photos()))
                .annotate(photo_total=Count("gallery_photos"))
                .order_by("-published_at", "-pk")[:limit]
            )

        return memoized(("section-galleries", self.pk, limit), compute)

    def route(self, request, path_components):
        """Find a story of this section in one query.

        Wagtail's default looks a child up as a plain Page and then loads
        `.specific` (two queries), then the template loads the lead photo and
        the section (two more) and its tags (twice). Nearly all of a
        section's children are stories, so the story is fetched as an ArticlePage
        directly, with its lead photo and tags, and given this page as its
        parent and section. Anything else
        (another page type, a missing slug) goes through Wagtail's own route,
        which also keeps the same checks: 404 unless the page is live.

        The loaded story (with its bylines and body once rendered) is kept per
        process and content version: it changes only when something is
        published, which bumps the version. Misses are not kept, so requests
        for made-up slugs cannot crowd out real stories.
        """
        if path_components:
            from django.db.models import Prefetch

            from broadsheet.core.cache import memoized
            from broadsheet.mediabank.renditions import story_photos

            from .article_page import ArticlePage

            def load(model):
                return (
                    model.objects.child_of(self)
                    .filter(slug=path_components[0])
                    .prefetch_related("tags", Prefetch("lead_photo", queryset=story_photos()))
                    .first()
                )

            def find():
                story = load(ArticlePage)
                # A subclass (a live story) is served as itself, with its own
                # fields, template and routes: one more query, for those only.
                if story is not None and story.specific_class not in (None, ArticlePage):
                    story = load(story.specific_class)
                return story

            story = memoized(("story_route", self.pk, path_components[0]), find, keep_none=False)
            if story is not None:
                story._cached_parent_obj = self
                if story.section_id == self.pk:
                    ArticlePage.section.field.set_cached_value(story, self)
                return story.route(request, path_components[1:])
        return super().route(request, path_components)
