"""One view for every feed: kind (site, section, topic, author) × format.

Feed readers poll; each poll is cheap. The written document is kept per
process and content version (with which photos may be shown now in the key,
as rights are decided at serve time), and answers carry an ETag and
Last-Modified, so a reader that already has the newest answer gets a 304.
"""

import hashlib

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views import View
from django.views.generic import TemplateView

from broadsheet.core.cache import memoized
from broadsheet.core.origin import absolute_url
from broadsheet.core.surrogate import photo_key, surrogate_keys_add
from broadsheet.news.edge_keys import author_key, newsfeed_key, section_key, topic_key

from .json_feed import JSON_FEED_TYPE, json_feed_write
from .rss_atom import ATOM_TYPE, RSS_TYPE, atom_write, rss_write
from .sources import feed_entries, feed_source, feed_updated

WRITERS = {
    "xml": (rss_write, RSS_TYPE),
    "atom": (atom_write, ATOM_TYPE),
    "json": (json_feed_write, JSON_FEED_TYPE),
}


class FeedView(View):
    kind = "site"
    http_method_names = ["get", "head"]

    def get(self, request, fmt: str = "xml", slug: str | None = None):
        source = feed_source(kind=self.kind, slug=slug, request=request)
        entries = feed_entries(source=source, request=request)
        write, content_type = WRITERS[fmt]
        self_url = absolute_url(request.path)
        hidden = tuple(e.image.photo.pk for e in entries if e.image and e.image_now is None)

        def render() -> tuple[bytes, str]:
            body = write(source=source, entries=entries, self_url=self_url).encode()
            return body, f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'

        body, etag = memoized(("feed_body", fmt, *source.memo_key, self_url, hidden), render)
        updated = feed_updated(entries)
        last_modified = updated.timestamp() if updated is not None else None
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified
        ) or HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        # Lifetimes are the edge policy's (edge/policy.py): kept long at the
        # edge, purged by these keys when a story in it changes.
        surrogate_keys_add(
            _listing_key(source),
            *(photo_key(e.image.photo.pk) for e in entries if e.image),
        )
        return response


def _listing_key(source) -> str:
    if source.kind == "section":
        return section_key(source.subject.pk)
    if source.kind == "topic":
        return topic_key(source.subject.pk)
    if source.kind == "author":
        return author_key(source.subject.pk)
    return newsfeed_key(source.locale_id)


class FeedIndexView(TemplateView):
    """/feeds/: the list of feeds on a page of its own (the Subscribe page
    shows the same list)."""

    template_name = "news/feed_index.html"
