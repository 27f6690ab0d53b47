"""The story search: which published stories match, best first.

Wagtail's database backend answers it from its full-text index. On SQLite,
its own query (django-modelsearch) filters the stories by `pk IN (matches)`
and orders them by a score *subquery per story* that runs the full-text
MATCH again: 7.5 s for "harbour" and over 3 minutes for "a" with 20,000
stories indexed (docs/benchmarks.md). `_sqlite_ranked_ids` asks the index
once — the same MATCH and BM25 score, built by Wagtail's own compiler — for
the best `limit` entries, then keeps the published ones: milliseconds.
PostgreSQL ranks in one query and keeps Wagtail's path.

Search is per edition: the stories of one Locale (Page.locale is one of
Wagtail's filter fields, and equals the story's edition_locale). The SQLite
path ranks every edition's entries (the index holds no locale) and keeps the
edition's; a page of other editions' matches (a name written the same in
every language) asks the index again for more, up to EDITION_ROUNDS times.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F

from broadsheet.core.cache import memoized
from broadsheet.news.models import ArticlePage
from broadsheet.news.selectors import edition_locale_id

# Index entries of stories not public (drafts, embargoed, unpublished) are
# dropped after ranking; asking for this many more keeps them from eating
# into the results.
UNPUBLISHED_SLACK = 100
# How many times the SQLite path may ask the index for four times as many
# entries when other editions' stories take the first ones (at most 8,336
# ids: under SQLite's 32,766 bound variables).
EDITION_ROUNDS = 2


@dataclass
class StorySearch:
    ids: list[int]  # published stories, best first, at most `limit`
    capped: bool  # the index had more matches than `limit`


def stories_search(*, query: str, limit: int, locale_id: int | None = None) -> StorySearch:
    """Memoised per content version: readers search for the same few words
    when a story breaks, and a common word costs tens of milliseconds cold
    (BM25 over every match; docs/benchmarks.md)."""
    words = meaningful_words(query)
    if not words:
        return StorySearch(ids=[], capped=False)
    text = " ".join(words)
    edition = locale_id if locale_id is not None else edition_locale_id()
    return memoized(
        ("stories_search", edition, text.casefold(), limit),
        lambda: _search(text, limit, edition),
    )


def meaningful_words(query: str) -> list[str]:
    """The query's words without single letters ("a", "I"), which match
    nearly every story and made the worst search cost 230 ms at 100,000."""
    return [word for word in query.split() if len(word) > 1 or word.isdigit()]


def _search(query: str, limit: int, locale_id: int | None) -> StorySearch:
    # `locale`, not `in_edition`: Wagtail's backends filter only on the
    # model's FilterFields, and Page declares `locale`.
    found = (
        ArticlePage.objects.published().filter(locale_id=locale_id).search(query, operator="and")
    )
    if connection.vendor == "sqlite":
        from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchBackend

        if isinstance(found.backend, SQLiteSearchBackend):
            asked = limit + 1 + UNPUBLISHED_SLACK
            for _round in range(EDITION_ROUNDS + 1):
                ranked = _sqlite_ranked_ids(
                    found.query_compiler, backend=found.backend, limit=asked
                )
                if ranked is None:
                    break
                published = set(
                    ArticlePage.objects.published()
                    .in_edition(locale_id)
                    .filter(pk__in=ranked)
                    .values_list("pk", flat=True)
                )
                ids = [pk for pk in ranked if pk in published]
                if len(ids) > limit or len(ranked) < asked:
                    return StorySearch(ids=ids[:limit], capped=len(ids) > limit)
                asked *= 4
            if ranked is not None:
                return StorySearch(ids=ids[:limit], capped=len(ids) > limit)
    ids = list(found[: limit + 1].get_queryset().values_list("pk", flat=True))
    return StorySearch(ids=ids[:limit], capped=len(ids) > limit)


def _sqlite_ranked_ids(compiler, *, backend, limit: int) -> list[int] | None:
    """The ids of the best `limit` index entries for stories, by BM25 — or
    None for a query that is not a plain match (match-all, negation), which
    Wagtail's own path handles."""
    from wagtail.search.backends.database.sqlite.query import MatchExpression, normalize
    from wagtail.search.models import SQLiteFTSIndexEntry
    from wagtail.search.query import MatchAll, Not

    query = normalize(compiler.query)
    if isinstance(query, (MatchAll, Not)):
        return None
    config = compiler.get_config(backend)
    match = MatchExpression(
        compiler.fields or compiler.FTS_TABLE_FIELDS,
        compiler.build_search_query(query, config=config),
    )
    score = compiler._build_rank_expression(compiler.get_search_vectors(), config)
    story_type = ContentType.objects.get_for_model(ArticlePage).pk
    rows = (
        SQLiteFTSIndexEntry.objects.filter(match)
        # `+ 0`: no index may serve the type test, so SQLite starts from the
        # full-text index instead of walking every entry of the type.
        .alias(kind=F("index_entry__content_type_id") + 0)
        .filter(kind=story_type)
        .annotate(score=score)
        .order_by("score", "-index_entry__object_id")
        .values_list("index_entry__object_id", flat=True)[:limit]
    )
    return [int(pk) for pk in rows]
