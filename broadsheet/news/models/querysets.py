from django.db import models
from django.utils import timezone
from wagtail.models import PageManager
from wagtail.query import PageQuerySet


class ArticlePageQuerySet(PageQuerySet):
    def published(self):
        """Stories a reader may see now.

        `live` alone is not enough: a story also carries its public time, and
        nothing before that time is shown anywhere. This is the embargo's
        second lock, after Wagtail's scheduled publishing keeps the page
        unpublished until `go_live_at`.
        """
        return self.live().filter(published_at__lte=timezone.now())

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
