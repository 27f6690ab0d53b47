from django.http import Http404
from django.utils import timezone

from broadsheet.core.fragments import fragment_changes_at


class PublicTimeMixin:
    """The embargo's second lock, shared by every page type readers find in feeds.

    The page keeps its public time in `published_at` (its embargo time, or
    when it first went live). Until then it is not public: it 404s and is left
    out of the sitemap, whatever its `live` flag says. Listings filter on the
    same field (`ArticlePageQuerySet.published`).
    """

    @property
    def is_public(self) -> bool:
        if not (self.live and self.published_at):
            return False
        if self.published_at <= timezone.now():
            return True
        # Embargoed until then: a kept fragment that hides it is kept only
        # until the embargo lifts (core/fragments.py).
        fragment_changes_at(self.published_at)
        return False

    def save(self, *args, **kwargs):
        if self.live and self.published_at is None:
            self.published_at = self.go_live_at or self.first_published_at or timezone.now()
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        # Revisions are serialised before publishing; keep the row's own public
        # time rather than a draft's stale copy.
        obj = super().with_content_json(content)
        obj.published_at = self.published_at
        return obj

    def serve(self, request, *args, **kwargs):
        if not self.is_public:
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        if not self.is_public:
            return []
        lastmod = getattr(self, "updated_at", None) or self.published_at
        return [{"location": self.get_full_url(request), "lastmod": lastmod}]
