"""Reads for the public site: every listing of stories goes through here.

All listings are built on `ArticlePage.objects.published()` so the embargo
holds on every surface, and all paginate by keyset (see cursors.py) so their
cost does not grow with the archive or with how far a reader scrolls.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from taggit.models import Tag

from .cursors import Cursor
from .models import ArticlePage, AuthorPage, HomePage, SectionPage


@dataclass
class FeedPage:
    items: list
    next_cursor: str | None
    is_first: bool
    filters: dict = field(default_factory=dict)


def stories_published(
    *, section: SectionPage | None = None, tag: Tag | None = None, author: AuthorPage | None = None
):
    stories = ArticlePage.objects.published()
    if section is not None:
        stories = stories.filter(section=section)
    if tag is not None:
        stories = stories.filter(tagged_items__tag=tag)
    if author is not None:
        stories = stories.filter(bylines__author=author)
    return stories


def feed_page(
    *,
    before: Cursor | None = None,
    limit: int | None = None,
    section: SectionPage | None = None,
    tag: Tag | None = None,
    author: AuthorPage | None = None,
) -> FeedPage:
    limit = limit or settings.BROADSHEET_FEED_PAGE_SIZE
    stories = stories_published(section=section, tag=tag, author=author)
    if before is not None:
        # `<=` seeks on the index; the exclude drops the ties already shown.
        stories = stories.filter(published_at__lte=before.published_at).exclude(
            published_at=before.published_at, pk__gte=before.pk
        )
    rows = list(stories.newest_first().for_listing()[: limit + 1])
    items = rows[:limit]
    next_cursor = Cursor.for_story(items[-1]).encode() if len(rows) > limit else None
    return FeedPage(items=items, next_cursor=next_cursor, is_first=before is None)


def feed_page_from_request(request, **filters) -> FeedPage:
    """A feed page for `?before=<cursor>`; a malformed cursor is a 400 (BadRequest)."""
    raw = request.GET.get("before")
    before = Cursor.decode(raw) if raw is not None else None
    page = feed_page(before=before, **filters)
    page.filters = filters
    return page


def newsfeed_latest(*, limit: int = 10) -> list[ArticlePage]:
    return list(
        ArticlePage.objects.published()
        .newest_first()
        .select_related("section")
        .defer_streamfields()[:limit]
    )


def article_next(*, article: ArticlePage) -> ArticlePage | None:
    """The story a reader gets after this one: the next older one in the feed."""
    return (
        ArticlePage.objects.published()
        .filter(published_at__lte=article.published_at)
        .exclude(published_at=article.published_at, pk__gte=article.pk)
        .newest_first()
        .for_listing()
        .first()
    )


def sections_in_menu() -> list[SectionPage]:
    return list(SectionPage.objects.live().in_menu().order_by("path"))


def front_page(*, home: HomePage, per_section: int = 4, recent: int = 8) -> dict:
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
            .for_listing()[:per_section]
        )
        if stories:
            sections.append({"section": section, "stories": stories})
    return {
        "lead": lead,
        "most_recent": most_recent,
        "section_blocks": sections,
        "newsfeed": newsfeed_latest(limit=12),
    }


def tags_popular(*, limit: int = 80):
    return (
        Tag.objects.filter(
            news_articlepagetag_items__content_object__in=ArticlePage.objects.published()
        )
        .annotate(stories=Count("news_articlepagetag_items"))
        .order_by("-stories", "name")[:limit]
    )
