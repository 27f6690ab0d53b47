from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from broadsheet.core.privacy import any_private_pages


class ArticlePageQuerySet(PageQuerySet):
    def published(self, *, at_or_before=None):
        """Stories a reader may see now (and anyone may: not private).

        `live` alone is not enough: a story also carries its public time, and
        nothing before that time is shown anywhere. This is the embargo's
        second lock, after Wagtail's scheduled publishing keeps the page
        unpublished until `go_live_at`.

        `at_or_before` narrows it to stories published at or before that time
        (a feed cursor). It is folded into the one bound, min(now, time): with
        two `published_at <=` bounds SQLite seeks the index on the first (now)
        and walks every newer story down to the cursor, so deep pages cost
        grew with the archive (30 ms 90% down 100,000 stories, docs/benchmarks.md).
        """
        bound = timezone.now()
        if at_or_before is not None:
            bound = min(bound, at_or_before)
        stories = self.live().filter(published_at__lte=bound)
        # A story under a view restriction (login, password, groups) is not
        # listed either: its headline would be read outside the restriction.
        # Wagtail's `public()` costs a query, so only while a page is private.
        if any_private_pages():
            stories = stories.public()
        return stories

    def in_edition(self, locale_id: int | None):
        """Stories of one edition (a Locale pk, e.g. editions.selectors.
        locale_id_active()), on the edition's own feed index."""
        return self.filter(edition_locale_id=locale_id)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_listing(self):
        from broadsheet.mediabank.renditions import teaser_photos

        return (
            self.select_related("section")
            .prefetch_related(models.Prefetch("lead_photo", queryset=teaser_photos()))
            .defer_streamfields()
        )


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


@cache
def _content_types_of(page_model) -> Q:
    kinds = Q()
    for model in apps.get_models():
        if issubclass(model, page_model):
            kinds |= Q(app_label=model._meta.app_label, model=model._meta.model_name)
    return ContentType.objects.filter(kinds).values("pk")


class FewPagesManager(PageManager):
    """The manager of a page type with a handful of pages (sections, authors…).

    Every query also names the page type's content types. That is the same set
    of rows (a page's content type is its class), but it gives SQLite an index
    to start from: without it, a query such as the section menu's
    `live() … ORDER BY path` walks wagtailcore_page's path index through every
    story in the archive (330 ms at 100,000 stories, docs/benchmarks.md).
    """

    def get_queryset(self):
        # A subquery rather than Wagtail's `.type()`, which looks the content
        # types up at once: managers are also used before the database exists
        # (system checks build the admin's forms).
        return super().get_queryset().filter(content_type__in=_content_types_of(self.model))
