"""Stored rich text keeps only what Wagtail's editor can produce.

The editor already filters what editors type, but text can also arrive
through imports, the shell or a raw POST; Wagtail renders stored links as
they are (a `javascript:` href included). So every page cleans its rich text
when it is saved, with nh3 (the Ammonia sanitiser), keeping Wagtail's
database format for internal links (`<a linktype="page" id="…">`).
"""

import nh3

ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "ul", "ol", "li"}
ALLOWED_ATTRIBUTES = {"a": {"href", "linktype", "id"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def rich_text_clean(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
