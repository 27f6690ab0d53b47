"""The discussions version: one more counter beside the content version.

It lives in the same table as the content version (row
`core.cache.DISCUSSIONS_ROW`) and is read by the same one query per request
(`ContentVersionMiddleware`), so showing comment counts on the article page
and on listings costs no query at all while the memo is warm. A separate
number (rather than bumping the content version) keeps a busy discussion from
throwing away every story, listing and masthead in every process's memo.
"""

from django.db import transaction

from broadsheet.core.cache import DISCUSSIONS_ROW, memoized, version_bump, versions_read
from broadsheet.core.surrogate import comment_count_key, discussion_key
from broadsheet.edge.services import edge_keys_purge


def discussions_version() -> int:
    return versions_read().get(DISCUSSIONS_ROW, 0)


def discussions_memoized(key, compute):
    """`compute()` once per process per discussions version."""
    return memoized(("discussions", key), compute, version=("discussions", discussions_version()))


def discussions_changed(*, page, author=None) -> None:
    """A visible comment appeared, changed or went: new counts for every
    process once this transaction commits, and the story, its discussion and
    the author's public profile purged from the CDN after it."""
    from django.urls import reverse

    from broadsheet.core.origin import absolute_url, page_full_url
    from broadsheet.news.purge import urls_purge

    version_bump(DISCUSSIONS_ROW)
    page_id = page.pk
    # The thread at once; the count on the story and listings may be served
    # once more while the edge refetches (docs/architecture.md, "Edge").
    edge_keys_purge(keys=[discussion_key(page_id)])
    edge_keys_purge(keys=[comment_count_key(page_id)], soft=True)
    author_id = getattr(author, "pk", None)

    def purge():
        story_url = page_full_url(page)
        targets = [absolute_url(reverse("discussions:thread", args=[page_id]))]
        if story_url:
            targets.append(story_url)
        if author_id:
            targets.append(absolute_url(reverse("accounts:profile", args=[author_id])))
        urls_purge(targets)

    transaction.on_commit(purge)
