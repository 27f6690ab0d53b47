"""Reads for the public site: every listing of stories goes through here.

All listings are built on `ArticlePage.objects.published()` so the embargo
holds on every surface, and all paginate by keyset (see cursors.py) so their
cost does not grow with the archive or with how far a reader scrolls.

Every listing is of one edition (a Locale pk: `locale_id`, by default the
active language's, editions.selectors.locale_id_active, which costs no
query). Stories are filtered on the denormalised `edition_locale`, whose
index (edition, -published_at, -id) keeps a listing's cost the same in
every edition and whatever the number of editions. Every memo key holding
a listing names its edition.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import translation
from taggit.models import Tag

from broadsheet.core.cache import memoized
from broadsheet.editions.selectors import locale_id_active, locale_id_for
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


def edition_locale_id() -> int | None:
    """The active edition's Locale pk. A language with no edition of its own
    yet (no Locale: an interface translation only) reads the default
    edition, as /ru/ did before editions existed. No query (memoised ids)."""
    found = locale_id_active()
    return found if found is not None else locale_id_for(language=settings.LANGUAGE_CODE)


def edition_language() -> str:
    """The active edition's language: the active one when it has an edition
    (a Locale), else the default (see edition_locale_id)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if locale_id_for(language=language) is not None else settings.LANGUAGE_CODE


def edition_of(
    *,
    locale_id: int | None = None,
    section: SectionPage | None = None,
    author: AuthorPage | None = None,
) -> int | None:
    """The edition a listing is of: a section's or author's own (pages live
    in one edition's tree), else the one asked for, else the active one."""
    for page in (section, author):
        if page is not None:
            return page.locale_id
    return locale_id if locale_id is not None else edition_locale_id()


def stories_published(
    *,
    locale_id: int | None = None,
    section: SectionPage | None = None,
    tag: Tag | None = None,
    author: AuthorPage | None = None,
    at_or_before=None,
):
    stories = ArticlePage.objects.published(at_or_before=at_or_before)
    edition = edition_of(locale_id=locale_id, section=section, author=author)
    if section is not None:
        # A section is in one edition's tree: its own index already seeks
        # only that edition's stories.
        stories = stories.filter(section=section)
    else:
        stories = stories.in_edition(edition)
    if tag is not None:
        stories = _linked(
            stories, ArticlePageTag, "content_object", "tagged_items__tag", [tag.pk], edition
        )
    if author is not None:
        stories = _linked(
            stories,
            ArticleAuthor,
            "page",
            "bylines__author",
            author_versions(author=author),
            edition,
        )
    return stories


def author_versions(*, author: AuthorPage) -> list[int]:
    """The author's page in every edition (pages sharing its translation
    key). A story translated before its author's page was keeps the byline
    of the source edition's page; the author's page in an edition lists that
    edition's stories under any of them."""
    return memoized(
        ("author_versions", str(author.translation_key)),
        lambda: list(
            AuthorPage.objects.filter(translation_key=author.translation_key)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    )


# A tag or author with more stories than this is listed by walking the feed
# index newest first and probing each story's links; one with fewer, by
# reading all its links and sorting them. See _linked.
DENSE_LINKS = 1000
LINKS_DENSITY_SECONDS = 3600


def _linked(
    stories, model, story_field: str, join: str, link_ids: list[int], locale_id: int | None
):
    """Stories with a link row (a tag, a byline), at a cost that stays flat
    as the archive grows.

    Joining from the links reads and sorts every story of the tag or author
    (90 ms for an author with 13,000 stories at 100,000 stories); walking the
    feed index and probing each story stops after a page, but for a rare tag
    it would walk the whole archive. Which is cheaper depends on how many
    links there are, so count them, at most DENSE_LINKS + 1 of them.
    """
    link_field = join.rsplit("__", 1)[1]
    if not _links_dense(model, story_field, link_field, link_ids, locale_id):
        return stories.filter(**{f"{join}__in": link_ids})
    # `+ 0` keeps SQLite probing each story's own links by story id, rather
    # than scanning all of the tag's links again for every story.
    probe = model.objects.alias(
        _link=ExpressionWrapper(F(f"{link_field}_id") + 0, output_field=BigIntegerField())
    ).filter(_link__in=link_ids, **{story_field: OuterRef("pk")})
    return stories.filter(Exists(probe))


def _links_dense(model, story_field, link_field, link_ids, locale_id) -> bool:
    """Whether more than DENSE_LINKS stories of the edition have these links.
    Counted in the edition (a tag common in twelve editions may be rare in
    one) and kept an hour in the shared cache, not per content version: it
    only chooses a plan, changes slowly, and the count costs PostgreSQL a
    hash of the edition's stories (14 ms at 100,000 stories)."""
    key = f"links_dense:{model._meta.label_lower}:{locale_id}:{','.join(map(str, link_ids))}"
    dense = cache.get(key)
    if dense is None:
        links = model.objects.filter(
            **{f"{link_field}_id__in": link_ids, f"{story_field}__edition_locale_id": locale_id}
        )
        dense = links.order_by()[: DENSE_LINKS + 1].count() > DENSE_LINKS
        cache.set(key, dense, LINKS_DENSITY_SECONDS)
    return dense


def feed_page(
    *,
    before: Cursor | None = None,
    limit: int | None = None,
    section: SectionPage | None = None,
    tag: Tag | None = None,
    author: AuthorPage | None = None,
    locale_id: int | None = None,
) -> FeedPage:
    """One page of stories of an edition; memoised per content version, as
    every page of a listing is the same for every reader until something is
    published."""
    limit = limit or settings.BROADSHEET_FEED_PAGE_SIZE
    filters = {"section": section, "tag": tag, "author": author}
    edition = edition_of(locale_id=locale_id, section=section, author=author)
    key = (
        "feed_page",
        edition,
        before.encode() if before is not None else None,
        limit,
        *(getattr(value, "pk", None) for value in filters.values()),
    )

    def build() -> FeedPage:
        stories = stories_published(
            **filters,
            locale_id=edition,
            at_or_before=before.published_at if before is not None else None,
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


def feed_newer(
    *,
    after: Cursor,
    limit: int | None = None,
    section: SectionPage | None = None,
    locale_id: int | None = None,
) -> FeedPage:
    """The stories published after `after` (a reader's newest story), newest
    first, at most `limit`: what a live newsfeed inserts at its top.
    `next_cursor` is set when there are more than that (the reader's list is
    too far behind to patch; it should be reloaded). Memoised like feed_page:
    every reader with the same newest story asks the same question."""
    limit = limit or settings.BROADSHEET_FEED_PAGE_SIZE
    edition = edition_of(locale_id=locale_id, section=section)

    def build() -> FeedPage:
        stories = stories_published(section=section, locale_id=edition).filter(
            Q(published_at__gt=after.published_at)
            | Q(published_at=after.published_at, pk__gt=after.pk)
        )
        rows = list(stories.newest_first().for_listing()[: limit + 1])
        items = rows[:limit]
        return FeedPage(
            items=items,
            next_cursor=Cursor.for_story(items[-1]).encode() if len(rows) > limit else None,
            is_first=False,
            filters={"section": section} if section is not None else {},
        )

    key = ("feed_newer", edition, after.encode(), limit, getattr(section, "pk", None))
    return memoized(key, build)


def newsfeed_latest(*, limit: int = 10, locale_id: int | None = None) -> list[ArticlePage]:
    edition = edition_of(locale_id=locale_id)
    return memoized(
        ("newsfeed_latest", edition, limit),
        lambda: list(
            ArticlePage.objects.published()
            .in_edition(edition)
            .newest_first()
            .select_related("section")
            .defer_streamfields()[:limit]
        ),
    )


def stories_for_news_sitemap(
    *, since, limit: int = 1000, locale_id: int | None = None
) -> list[ArticlePage]:
    """An edition's stories published since `since`, newest first, for the
    Google News sitemap (which takes the last two days and at most 1,000 URLs)."""
    edition = edition_of(locale_id=locale_id)
    return memoized(
        ("news_sitemap", edition, since.replace(second=0, microsecond=0).isoformat(), limit),
        lambda: list(
            ArticlePage.objects.published()
            .in_edition(edition)
            .filter(published_at__gte=since)
            .newest_first()
            .select_related("locale")
            .defer_streamfields()[:limit]
        ),
    )


def article_next(*, article: ArticlePage) -> ArticlePage | None:
    """The story a reader gets after this one: the next older one in its
    edition's feed (the key needs no edition: a story is in one)."""
    return memoized(
        ("article_next", article.pk),
        lambda: (
            ArticlePage.objects.published(at_or_before=article.published_at)
            .in_edition(article.edition_locale_id)
            .exclude(published_at=article.published_at, pk__gte=article.pk)
            .newest_first()
            .for_listing()
            .first()
        ),
    )


def sections_in_menu(*, locale_id: int | None = None) -> list[SectionPage]:
    """The edition's sections in its menu (each edition's tree has its own)."""
    edition = edition_of(locale_id=locale_id)
    return memoized(
        ("sections_in_menu", edition),
        # Sorted here: ordered by path in SQL, SQLite walks the whole page
        # tree's path index instead of the few section rows (8 ms at 100,000 stories).
        lambda: sorted(
            SectionPage.objects.live().in_menu().filter(locale_id=edition).order_by(),
            key=lambda section: section.path,
        ),
    )


def tag_index(*, locale_id: int | None = None) -> TagIndexPage | None:
    """The edition's topics page (one per edition's tree)."""
    edition = edition_of(locale_id=locale_id)
    return memoized(
        ("tag_index", edition),
        lambda: min(
            TagIndexPage.objects.live().filter(locale_id=edition).order_by(),
            key=lambda page: page.path,
            default=None,
        ),
    )


def front_page(*, home: HomePage, per_section: int = 4, recent: int = 8) -> dict:
    """An edition's front page: its HomePage is the root of its tree."""
    return memoized(
        ("front_page", home.pk, home.lead_story_id, per_section, recent),
        lambda: _front_page(home=home, per_section=per_section, recent=recent),
    )


def _front_page(*, home: HomePage, per_section: int, recent: int) -> dict:
    edition = home.locale_id
    mine = ArticlePage.objects.published().in_edition(edition)
    lead = None
    if home.lead_story_id:
        lead = mine.filter(pk=home.lead_story_id).for_listing().first()
    latest = list(mine.newest_first().for_listing()[: recent + 1])
    if lead is None and latest:
        lead = latest[0]
    most_recent = [story for story in latest if story.pk != getattr(lead, "pk", None)][:recent]
    sections = []
    for section in sections_in_menu(locale_id=edition):
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
        "live_now": live_now(locale_id=edition),
    }


def live_now(*, limit: int = 4, locale_id: int | None = None) -> list[ArticlePage]:
    """An edition's stories with live coverage going on now (live.LiveStoryPage
    keeps `coverage` on the article row), for the front page's strip: a seek on
    article_coverage_idx, whatever the archive's size (few stories are live)."""
    return list(
        ArticlePage.objects.published()
        .in_edition(edition_of(locale_id=locale_id))
        .filter(coverage="live")
        .newest_first()
        .select_related("section")
        .defer_streamfields()[:limit]
    )


def tag_public(*, slug: str, locale_id: int | None = None) -> Tag | None:
    """The tag, while at least one public story of the edition carries it
    (tags are shared by every edition; a topic is per edition); otherwise None,
    exactly as for a tag that never existed. A tag on an embargoed, draft,
    unpublished, deleted or private story alone would confirm that the
    newsroom holds that story. One query either way, memoised per version."""

    edition = edition_of(locale_id=locale_id)

    def build() -> Tag | None:
        carried = ArticlePageTag.objects.filter(tag=OuterRef("pk")).filter(
            Exists(_public_story(edition, "content_object_id"))
        )
        return Tag.objects.filter(Exists(carried), slug=slug).first()

    # Misses are not kept (as for unknown slugs elsewhere), so a hidden tag
    # and an unknown one cost the same query on every request.
    return memoized(("tag_public", edition, slug), build, keep_none=False)


def _public_story(edition: int | None, story_field: str):
    """The public story of `edition` a link row names, probed by primary key
    for each link: `story__in=<published stories>` makes SQLite list every
    public story of the edition first (10 ms at 100,000 stories), however
    few links there are to check."""
    return ArticlePage.objects.published().in_edition(edition).filter(pk=OuterRef(story_field))


def authors_public(*, index: AuthorIndexPage):
    """The index's live authors with a byline on at least one public story
    of the index's edition. An author page lists its edition's stories: an
    author writing for two editions has a page in each (a translation)."""
    versions = AuthorPage.objects.filter(translation_key=OuterRef(OuterRef("translation_key")))
    bylined = ArticleAuthor.objects.filter(author__in=versions.values("pk")).filter(
        Exists(_public_story(index.locale_id, "page_id"))
    )
    return AuthorPage.objects.child_of(index).live().filter(Exists(bylined))


def author_is_public(*, author: AuthorPage) -> bool:
    """Whether the author's page may be shown: the same rule as a topic's,
    in the author page's edition. An author whose only bylines are on
    stories not public yet would reveal them (a new hire's page appearing on
    the day of their embargoed scoop)."""
    return memoized(
        ("author_is_public", author.pk),
        lambda: (
            ArticleAuthor.objects.filter(author_id__in=author_versions(author=author))
            .filter(Exists(_public_story(author.locale_id, "page_id")))
            .exists()
        ),
    )


def tags_popular(*, limit: int = 80, locale_id: int | None = None):
    """The edition's topics, by how many of its public stories carry them."""
    return (
        Tag.objects.filter(
            news_articlepagetag_items__content_object__in=ArticlePage.objects.published().in_edition(
                edition_of(locale_id=locale_id)
            )
        )
        .annotate(stories=Count("news_articlepagetag_items"))
        .order_by("-stories", "name")[:limit]
    )
