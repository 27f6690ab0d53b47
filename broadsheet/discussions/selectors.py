"""Reads for discussions: modes, threads (keyset-paginated), counts, exports."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import BadRequest
from django.db import connection
from django.db.models import Count, F, Q, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from broadsheet.core.origin import page_full_url

from .cache import discussions_memoized
from .choices import DiscussionMode
from .models import (
    Comment,
    CommentLike,
    CommentStatus,
    DiscussionPreferences,
    DiscussionSettings,
)

PAGE_SIZE = 20
REPLIES_SHOWN = 50

# What a comment's template reads: the comment without its moderation-only
# columns (hold reason, IP address) and of its author only what `User.__str__`
# and the profile link need, never the password hash, e-mail or bio.
_AUTHOR_FIELDS = ("id", "display_name", "first_name", "last_name", "username")
COMMENT_FIELDS = (
    "id",
    "page_id",
    "author_id",
    "parent_id",
    "reply_to_id",
    "body",
    "status",
    "created_at",
    "edited_at",
    "like_count",
    *(f"author__{name}" for name in _AUTHOR_FIELDS),
    "author__avatar",
)
REPLY_FIELDS = (
    *COMMENT_FIELDS,
    "reply_to__id",
    "reply_to__author_id",
    *(f"reply_to__author__{name}" for name in _AUTHOR_FIELDS),
)


def comments_for_display(queryset, *, replies: bool = False):
    """The queryset with the columns the thread templates show, joined in one query."""
    if replies:
        return queryset.select_related("author", "reply_to__author").only(*REPLY_FIELDS)
    return queryset.select_related("author").only(*COMMENT_FIELDS)


class Sort:
    NEWEST = "newest"
    OLDEST = "oldest"
    LIKES = "likes"
    ALL = (NEWEST, OLDEST, LIKES)


def discussion_settings(*, page) -> DiscussionSettings:
    """The settings of the page's site, memoised per discussions version (saving
    them bumps it). The site id comes from Wagtail's cached root paths, so
    this costs no query while warm (`Page.get_site()` would be one each time)."""
    parts = page.get_url_parts() if page is not None else None
    site_id = parts[0] if parts else None

    def load():
        # Read, never created here: a GET must not write (and a created row
        # would bump the version it is memoised on). Defaults until an editor
        # saves the settings in the admin.
        found = DiscussionSettings.objects.filter(site_id=site_id).first() if site_id else None
        return found or DiscussionSettings(site_id=site_id)

    return discussions_memoized(("settings", site_id), load)


def discussion_mode(*, page) -> str:
    """The story's own mode, else its section's, else the site's."""
    page = page.specific
    mode = getattr(page, "discussion_mode", DiscussionMode.INHERIT)
    if mode != DiscussionMode.INHERIT:
        return mode
    section = getattr(page, "section", None)
    if section is not None and section.discussion_mode != DiscussionMode.INHERIT:
        return section.discussion_mode
    return discussion_settings(page=page).default_mode


def _all_counts() -> dict[int, int]:
    rows = (
        Comment.objects.filter(status=CommentStatus.VISIBLE)
        .values_list("page_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def comment_counts(*, page_ids) -> dict[int, int]:
    """Visible comments (replies included) per page; pages without any are absent.

    One grouped query per process per discussions version, shared by every
    page and listing: listings are memoised as data and teasers render one by
    one, so asking per listing would cost a query each time the memo is cold.
    """
    counts = discussions_memoized("counts", _all_counts)
    return {pk: counts[pk] for pk in page_ids if pk in counts}


# ------------------------------------------------------------------ threads

_CURSOR = re.compile(r"^(?P<key>\d{1,17})\.(?P<pk>\d{1,12})$")


def _cursor_encode(comment, sort: str) -> str:
    if sort == Sort.LIKES:
        return f"{comment.like_count}.{comment.pk}"
    return f"{int(comment.created_at.timestamp() * 1_000_000)}.{comment.pk}"


def _cursor_filter(raw: str, sort: str) -> Q:
    match = _CURSOR.fullmatch(raw or "")
    if not match:
        raise BadRequest("Malformed cursor.")
    key, pk = int(match["key"]), int(match["pk"])
    if sort == Sort.LIKES:
        return Q(like_count__lt=key) | Q(like_count=key, pk__lt=pk)
    from datetime import UTC, datetime, timedelta

    try:
        when = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=key)
    except OverflowError as exc:
        raise BadRequest("Cursor out of range.") from exc
    if sort == Sort.OLDEST:
        return Q(created_at__gt=when) | Q(created_at=when, pk__gt=pk)
    return Q(created_at__lt=when) | Q(created_at=when, pk__lt=pk)


_ORDER = {
    Sort.NEWEST: ("-created_at", "-id"),
    Sort.OLDEST: ("created_at", "id"),
    Sort.LIKES: ("-like_count", "-id"),
}


@dataclass
class ThreadPage:
    comments: list
    next_cursor: str | None
    sort: str
    is_first: bool
    liked_ids: set = field(default_factory=set)
    fetched: int = 0


def _shown_to(user) -> Q:
    shown = Q(status=CommentStatus.VISIBLE)
    if user is not None and user.is_authenticated:
        shown |= Q(status=CommentStatus.HELD, author=user)
    return shown


# A deleted or rejected comment that has visible replies stays as a one-line
# placeholder, so the replies (which the count includes) keep their context.
_PLACEHOLDERS = (CommentStatus.REMOVED, CommentStatus.REJECTED)


def thread_page(*, page, user, sort: str = Sort.NEWEST, after: str | None = None) -> ThreadPage:
    """One page of a story's top-level comments with their replies.

    Four queries whatever the thread's size: top-level comments, their
    replies (the first REPLIES_SHOWN of each, by a window function), the
    reader's likes among them, and nothing per comment. Removed comments are
    fetched as candidates and kept only as placeholders above visible replies;
    the cursor follows the last row fetched, so pages never overlap.
    """
    if sort not in Sort.ALL:
        sort = Sort.NEWEST
    top = Comment.objects.filter(page=page, parent__isnull=True).filter(
        _shown_to(user) | Q(status__in=_PLACEHOLDERS)
    )
    if after is not None:
        top = top.filter(_cursor_filter(after, sort))
    rows = list(comments_for_display(top).order_by(*_ORDER[sort])[: PAGE_SIZE + 1])
    next_cursor = _cursor_encode(rows[PAGE_SIZE - 1], sort) if len(rows) > PAGE_SIZE else None
    fetched = len(rows)
    rows = rows[:PAGE_SIZE]

    replies_by_parent: dict[int, list] = {row.pk: [] for row in rows}
    if rows:
        # The first REPLIES_SHOWN + 1 replies of each comment, by a window
        # function in a subquery. Written as `id IN (SELECT ... WHERE position
        # <= n)` rather than Django's filter on the window annotation, whose
        # compilation alone took 2 ms of the signed-in thread's ~30.
        qn = connection.ops.quote_name
        ranked = (
            Comment.objects.filter(parent_id__in=replies_by_parent)
            .filter(_shown_to(user))
            .annotate(
                reply_rank=Window(
                    RowNumber(),
                    partition_by=[F("parent_id")],
                    order_by=[F("created_at").asc(), F("id").asc()],
                )
            )
            .order_by()
            .values_list("id", "reply_rank")
        )
        ranked_sql, ranked_params = ranked.query.sql_with_params()
        # Only Django's own compiled SQL and quoted constant names go into the
        # text; every value (ids, user, limit) stays a query parameter.
        first = RawSQL(  # noqa: S611
            f"SELECT ranked.{qn('id')} FROM ({ranked_sql}) ranked"  # noqa: S608
            f" WHERE ranked.{qn('reply_rank')} <= %s",
            (*ranked_params, REPLIES_SHOWN + 1),
        )
        replies = comments_for_display(Comment.objects.filter(pk__in=first), replies=True).order_by(
            "parent_id", "created_at", "id"
        )
        for reply in replies:
            replies_by_parent[reply.parent_id].append(reply)
    shown = []
    for row in rows:
        replies = replies_by_parent[row.pk]
        row.more_replies = len(replies) > REPLIES_SHOWN
        row.shown_replies = replies[:REPLIES_SHOWN]
        if row.status in _PLACEHOLDERS and not row.shown_replies:
            continue
        shown.append(row)

    liked = liked_ids(user=user, comments=shown)
    return ThreadPage(shown, next_cursor, sort, after is None, liked, fetched)


def liked_ids(*, user, comments: list) -> set[int]:
    """Which of these comments and their shown replies the reader has liked."""
    if user is None or not user.is_authenticated or not comments:
        return set()
    ids = [c.pk for c in comments] + [r.pk for c in comments for r in c.shown_replies]
    return set(
        CommentLike.objects.filter(user=user, comment_id__in=ids).values_list(
            "comment_id", flat=True
        )
    )


def comment_replies(*, comment, user) -> list:
    """All of a comment's replies shown to this reader (the "more replies" page)."""
    return list(
        comments_for_display(comment.replies.filter(_shown_to(user)), replies=True).order_by(
            "created_at", "id"
        )[:1000]
    )


# ------------------------------------------------------------ per reader


def comments_by_author(*, user, limit: int = 20) -> list:
    """A reader's visible comments on live pages, newest first, for their public profile."""
    return list(
        Comment.objects.filter(author=user, status=CommentStatus.VISIBLE, page__live=True)
        .select_related("page")
        .order_by("-created_at", "-id")[:limit]
    )


def comments_for_export(*, user) -> list[dict]:
    """Everything a reader wrote, for "download my data"."""
    rows = []
    for comment in (
        Comment.objects.filter(author=user).select_related("page").order_by("created_at", "id")
    ):
        rows.append(
            {
                "id": comment.pk,
                "story_title": comment.page.title,
                "story_url": page_full_url(comment.page) or "",
                "body": comment.body,
                "status": comment.status,
                "created_at": comment.created_at.isoformat(),
                "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
                "parent_id": comment.parent_id,
            }
        )
    return rows


def reply_notifications_wanted(*, user) -> bool:
    return DiscussionPreferences.objects.filter(user=user, notify_replies=True).exists()
