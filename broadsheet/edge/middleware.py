import time

from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from broadsheet.core.cache import versions_read
from broadsheet.core.surrogate import (
    SITE_KEY,
    edition_key,
    edition_listing_key,
    surrogate_keys_begin,
    surrogate_keys_end,
)

from .policy import (
    SHORT_LIVED_STATUSES,
    path_is_private,
    private_apply,
    public_apply,
    request_is_anonymous,
    response_is_public,
)
from .store import Entry, store_get

STORED_STATUSES = frozenset({200, 301, 308, 404, 410})


class EdgeMiddleware:
    """Cache headers and surrogate keys on every answer, and the embedded
    response cache in front of everything below (policy.py, store.py).

    It sits above the session and CSRF middleware so it sees the cookies they
    set: an answer that sets one is private. A stored answer is served before
    any of them runs, so a hit costs one query (the content version) and no
    rendering; a conditional request that matches gets a 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_anonymous(request) or path_is_private(request.path):
            response = self.get_response(request)
            if not response.streaming:
                private_apply(response)
            return response

        versions = versions_read()
        # ContentVersionMiddleware reuses it: one query per request, not two.
        request._content_versions = versions
        store = store_get()
        key = None
        if store is not None:
            key = (
                versions.get(1, 0),
                versions.get(2, 0),
                request.get_host(),
                request.get_full_path(),
                request.headers.get("HX-Request", ""),
            )
            entry = store.get(key)
            if entry is not None:
                return self._from_entry(request, entry)

        token = surrogate_keys_begin()
        try:
            response = self.get_response(request)
        finally:
            keys = surrogate_keys_end(token)
        if response.streaming:
            return response
        if not response_is_public(request, response):
            private_apply(response)
            return response
        public_apply(
            response, keys=self._keys(request, keys, response), now=time.time(), versions=versions
        )
        if key is not None and request.method == "GET" and response.status_code in STORED_STATUSES:
            store.set(key, Entry.of(response))
        return self._conditional(request, response)

    @staticmethod
    def _keys(request, keys: list[str], response) -> list[str]:
        edition = getattr(request, "edition", None)
        shared = [SITE_KEY]
        if edition is not None and edition.locale_id:
            shared.append(edition_key(edition.locale_id))
            if response.status_code in SHORT_LIVED_STATUSES:
                # Every "not found" answers alike (an embargoed story's must
                # not reveal it exists) and goes with any publish in its
                # edition, which may put a page at that address.
                return [*shared, edition_listing_key(edition.locale_id)]
        return shared + [k for k in keys if k not in shared]

    def _from_entry(self, request, entry: Entry):
        from django.http import HttpResponse

        response = HttpResponse(
            b"" if request.method == "HEAD" else entry.body, status=entry.status
        )
        for name, value in entry.headers:
            response[name] = value
        response["X-Broadsheet-Cache"] = "hit"
        return self._conditional(request, response)

    @staticmethod
    def _conditional(request, response):
        if response.status_code != 200:
            return response
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
