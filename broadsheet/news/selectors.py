"""Reads for the public site: every listing of stories goes through here.

All listings are built on `ArticlePage.objects.published()` so the embargo
holds on every surface, and all paginate by keyset (see cursors.py) so their
cost does not grow with the archive or with how far a reader scrolls.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    prefetch_related_objects,
)
from django.http import Http404
from taggit.models import Tag

from broadsheet.core.cache import memoized
from broadsheet.mediabank.renditions import teaser_photos

from .cursors import Cursor
from .models import (
    ArticleAuthor,
    ArticlePage,
    ArticlePageTag,
    AuthorIndexPage,
    AuthorPage,
    HomePage,
    SectionPage,
    TagIndexPage,
)


@dataclass
class FeedPage:
    items: list
    next_cursor: str | None
    is_first: bool
    filters: dict = field(default_factory=dict)


def stories_published(
    *,
    section: SectionPage | None = None,
    tag: Tag | None = None,
    author: AuthorPage | None = None,
    at_or_before=None,
):
    stories = ArticlePage.objects.published(at_or_before=at_or_before)
    if section is not None:
        stories = stories.filter(section=section)
    if tag is not None:
        stories = _linked(stories, ArticlePageTag, "content_object", "tagged_items__tag", tag)
    if author is not None:
        stories = _linked(stories, ArticleAuthor, "page", "bylines__author", author)
    return stories


# A tag or author with more stories than this is listed by walking the feed
# index newest first and probing each story's links; one with fewer, by
# reading all its links and sorting them. See _linked.
DENSE_LINKS = 1000


def _linked(stories, model, story_field: str, join: str, link):
    """Stories with a link row (a tag, a byline), at a cost that stays flat
    as the archive grows.

    Joining from the links reads and sorts every story of the tag or author
    (90 ms for an author with 13,000 stories at 100,000 stories); walking the
    feed index and probing each story stops after a page, but for a rare tag
    it would walk the whole archive. Which is cheaper depends on how many
    links there are, so count them, at most DENSE_LINKS + 1 of them.
    """
    link_field = join.rsplit("__", 1)[1]
    links = model.objects.filter(**{link_field: link})
    if links.order_by()[: DENSE_LINKS + 1].count() <= DENSE_LINKS:
        return stories.filter(**{join: link})
    # `+ 0` keeps SQLite probing each story's own links by story id, rather
    # than scanning all of the tag's links again for every story.
    probe = model.objects.alias(
        _link=ExpressionWrapper(F(f"{link_field}_id") + 0, output_field=BigIntegerField())
    ).filter(_link=link.pk, **{story_field: OuterRef("pk")})
    return stories.filter(Exists(probe))


def feed_page(
    *,
    before: Cursor | None = None,
    limit: int | None = None,
    section: SectionPage | None = None,
    tag: Tag | None = None,
    author: AuthorPage | None = None,
) -> FeedPage:
    """One page of stories; memoised per content version, as every page of a
    listing is the same for every reader until something is published."""
    limit = limit or settings.BROADSHEET_FEED_PAGE_SIZE
    filters = {"section": section, "tag": tag, "author": author}
    key = (
        "feed_page",
        before.encode() if before is not None else None,
        limit,
        *(getattr(value, "pk", None) for value in filters.values()),
    )

    def build() -> FeedPage:
        stories = stories_published(
            **filters, at_or_before=before.published_at if before is not None else None
        )
        if before is not None:
            # `<=` seeks on the index; the exclude drops the ties already shown.
            stories = stories.exclude(published_at=before.published_at, pk__gte=before.pk)
        rows = list(stories.newest_first().for_listing()[: limit + 1])
        items = rows[:limit]
        next_cursor = Cursor.for_story(items[-1]).encode() if len(rows) > limit else None
        return FeedPage(
            items=items,
            next_cursor=next_cursor,
            is_first=before is None,
            filters={k: v for k, v in filters.items() if v is not None},
        )

    return memoized(key, build)


def feed_page_from_request(request, **filters) -> FeedPage:
    """A feed page for `?before=<cursor>`.

    A malformed cursor is a 400 (BadRequest); a cursor past the last story is
    a 404, so crawlers following stale links don't index empty pages.
    """
    raw = request.GET.get("before")
    before = Cursor.decode(raw) if raw is not None else None
    page = feed_page(before=before, **filters)
    if before is not None and not page.items:
        raise Http404("No stories before this point.")
    return page


def newsfeed_latest(*, limit: int = 10) -> list[ArticlePage]:
    return memoized(
        ("newsfeed_latest", limit),
        lambda: list(
            ArticlePage.objects.published()
            .newest_first()
            .select_related("section")
            .defer_streamfields()[:limit]
        ),
    )


def stories_for_news_sitemap(*, since, limit: int = 1000) -> list[ArticlePage]:
    """Stories published since `since`, newest first, for the Google News
    sitemap (which takes the last two days and at most 1,000 URLs)."""
    return memoized(
        ("news_sitemap", since.replace(second=0, microsecond=0).isoformat(), limit),
        lambda: list(
            ArticlePage.objects.published()
            .filter(published_at__gte=since)
            .newest_first()
            .select_related("locale")
            .defer_streamfields()[:limit]
        ),
    )


def article_next(*, article: ArticlePage) -> ArticlePage | None:
    """The story a reader gets after this one: the next older one in the feed."""
    return memoized(
        ("article_next", article.pk),
        lambda: (
            ArticlePage.objects.published(at_or_before=article.published_at)
            .exclude(published_at=article.published_at, pk__gte=article.pk)
            .newest_first()
            .for_listing()
            .first()
        ),
    )


def sections_in_menu() -> list[SectionPage]:
    return memoized(
        "sections_in_menu",
        lambda: list(SectionPage.objects.live().in_menu().order_by("path")),
    )


def tag_index() -> TagIndexPage | None:
    return memoized("tag_index", lambda: TagIndexPage.objects.live().first())


def front_page(*, home: HomePage, per_section: int = 4, recent: int = 8) -> dict:
    return memoized(
        ("front_page", home.pk, home.lead_story_id, per_section, recent),
        lambda: _front_page(home=home, per_section=per_section, recent=recent),
    )


def _front_page(*, home: HomePage, per_section: int, recent: int) -> dict:
    lead = None
    if home.lead_story_id:
        lead = ArticlePage.objects.published().filter(pk=home.lead_story_id).for_listing().first()
    latest = list(ArticlePage.objects.published().newest_first().for_listing()[: recent + 1])
    if lead is None and latest:
        lead = latest[0]
    most_recent = [story for story in latest if story.pk != getattr(lead, "pk", None)][:recent]
    sections = []
    for section in sections_in_menu():
        stories = list(
            stories_published(section=section)
            .exclude(pk=getattr(lead, "pk", None))
            .newest_first()
            .for_listing()
            .prefetch_related(None)[:per_section]
        )
        if stories:
            sections.append({"section": section, "stories": stories})
    # The section blocks' photos and renditions in two queries, not two per section.
    prefetch_related_objects(
        [story for block in sections for story in block["stories"]],
        Prefetch("lead_photo", queryset=teaser_photos()),
    )
    return {
        "lead": lead,
        "most_recent": most_recent,
        "section_blocks": sections,
        "live_now": live_now(),
    }


def live_now(*, limit: int = 4) -> list[ArticlePage]:
    """Stories with live coverage going on now (live.LiveStoryPage keeps
    `coverage` on the article row), for the front page's strip: a seek on
    article_coverage_idx, whatever the archive's size."""
    return list(
        ArticlePage.objects.published()
        .filter(coverage="live")
        .newest_first()
        .select_related("section")
        .defer_streamfields()[:limit]
    )


def tag_public(*, slug: str) -> Tag | None:
    """The tag, while at least one public story carries it; otherwise None,
    exactly as for a tag that never existed. A tag on an embargoed, draft,
    unpublished, deleted or private story alone would confirm that the
    newsroom holds that story. One query either way, memoised per version."""

    def build() -> Tag | None:
        carried = ArticlePageTag.objects.filter(
            tag=OuterRef("pk"), content_object__in=ArticlePage.objects.published()
        )
        return Tag.objects.filter(Exists(carried), slug=slug).first()

    # Misses are not kept (as for unknown slugs elsewhere), so a hidden tag
    # and an unknown one cost the same query on every request.
    return memoized(("tag_public", slug), build, keep_none=False)


def authors_public(*, index: AuthorIndexPage):
    """The index's live authors with a byline on at least one public story."""
    bylined = ArticleAuthor.objects.filter(
        author=OuterRef("pk"), page__in=ArticlePage.objects.published()
    )
    return AuthorPage.objects.child_of(index).live().filter(Exists(bylined))


def author_is_public(*, author: AuthorPage) -> bool:
    """Whether the author's page may be shown: the same rule as a topic's. An
    author whose only bylines are on stories not public yet would reveal them
    (a new hire's page appearing on the day of their embargoed scoop)."""
    return memoized(
        ("author_is_public", author.pk),
        lambda: ArticleAuthor.objects.filter(
            author=author, page__in=ArticlePage.objects.published()
        ).exists(),
    )


def tags_popular(*, limit: int = 80):
    return (
        Tag.objects.filter(
            news_articlepagetag_items__content_object__in=ArticlePage.objects.published()
        )
        .annotate(stories=Count("news_articlepagetag_items"))
        .order_by("-stories", "name")[:limit]
    )
