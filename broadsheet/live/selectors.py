"""Reads of live coverage: a story's posts, newest first, by keyset."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from broadsheet.core.cache import memoized
from broadsheet.core.origin import absolute_url
from broadsheet.mediabank.models import Photo
from broadsheet.mediabank.renditions import specs_for, teaser_photos
from broadsheet.news.cursors import Cursor
from broadsheet.news.models import ArticlePage

from .models import LivePost, LiveStoryPage, PostStatus

POSTS_PAGE_SIZE = 20
JSONLD_POSTS = 20


@dataclass
class PostsPage:
    posts: list
    next_cursor: str | None
    is_first: bool


def posts_visible(*, story: LiveStoryPage):
    return LivePost.objects.filter(story=story, status=PostStatus.PUBLISHED, deleted=False)


def posts_for_display(queryset):
    """What the post template shows, in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch("photo", queryset=Photo.objects.prefetch_renditions(*specs_for("inline"))),
        Prefetch(
            "related_story",
            queryset=ArticlePage.objects.prefetch_related(
                Prefetch("lead_photo", queryset=teaser_photos())
            ).defer_streamfields(),
        ),
        "authors",
    )


def posts_of(story: LiveStoryPage, posts) -> list:
    """The posts with their story set (no query per post for its permalink)."""
    posts = list(posts)
    for post in posts:
        post.story = story
    return posts


def cursor_for(post: LivePost) -> Cursor:
    return Cursor(post.published_at, post.pk)


def posts_page(
    *, story: LiveStoryPage, before: Cursor | None = None, limit: int = POSTS_PAGE_SIZE
) -> PostsPage:
    """One page of a story's published posts, newest first. A post edit,
    publish or delete bumps the content version, so the page is kept per
    process until then."""

    def build() -> PostsPage:
        # Pinned posts head the first page (posts_pinned), not the stream.
        posts = posts_visible(story=story).filter(pinned=False)
        if before is not None:
            posts = posts.filter(published_at__lte=before.published_at).exclude(
                published_at=before.published_at, pk__gte=before.pk
            )
        rows = posts_of(
            story, posts_for_display(posts.order_by("-published_at", "-pk"))[: limit + 1]
        )
        items = rows[:limit]
        next_cursor = cursor_for(items[-1]).encode() if len(rows) > limit else None
        return PostsPage(posts=items, next_cursor=next_cursor, is_first=before is None)

    key = ("live-posts", story.pk, before.encode() if before is not None else None, limit)
    return memoized(key, build)


def posts_pinned(*, story: LiveStoryPage) -> list:
    return memoized(
        ("live-pinned", story.pk),
        lambda: posts_of(
            story,
            posts_for_display(posts_visible(story=story).filter(pinned=True)).order_by(
                "-published_at", "-pk"
            ),
        ),
    )


def post_visible(*, story: LiveStoryPage, post_id: int) -> LivePost:
    post = posts_visible(story=story).filter(pk=post_id).first()
    if post is None:
        raise Http404("No such post.")
    return post


def live_page_context(*, story: LiveStoryPage, request, post_id: int | None = None) -> dict:
    """The reader page: pinned posts first (on the first page only), then
    posts newest first; `?before=<cursor>` pages on without JavaScript (400
    if malformed, 404 past the end); a permalink starts at its post."""
    raw = request.GET.get("before") if request is not None else None
    before = Cursor.decode(raw) if raw is not None else None
    permalink = None
    if post_id is not None:
        permalink = post_visible(story=story, post_id=post_id)
        # The cursor just past the post, so the page begins with it.
        before = Cursor(permalink.published_at, permalink.pk + 1)
    page = posts_page(story=story, before=before)
    if raw is not None and not page.posts:
        raise Http404("No posts before this point.")
    pinned = posts_pinned(story=story) if raw is None else []
    extra = {}
    if permalink is not None:
        # A permalink is the story page begun further down: a near copy of
        # the story, whose address is the one to rank. The post stays
        # reachable for crawlers through its link and liveBlogUpdate's url.
        extra["canonical_url"] = absolute_url(story.get_url(request))
    return {
        **extra,
        "posts": page.posts,
        "pinned_posts": pinned,
        "posts_next_cursor": page.next_cursor,
        "posts_is_first": page.is_first,
        "permalink_post": permalink,
        "live_stream": f"live-{story.pk}",
    }


def posts_latest(*, story: LiveStoryPage, limit: int = JSONLD_POSTS) -> list:
    """The newest posts, pinned or not, for the JSON-LD's liveBlogUpdate."""
    posts = [*posts_pinned(story=story), *posts_page(story=story).posts]
    posts.sort(key=lambda post: (post.published_at, post.pk), reverse=True)
    return posts[:limit]
