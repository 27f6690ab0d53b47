"""What every discussion view shares: the story, who the reader is to it,
the thread's template context and the cache headers."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.template.backends.utils import csrf_input
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from broadsheet.core.cache import memoized
from broadsheet.core.surrogate import comment_count_key, discussion_key, surrogate_keys_add
from broadsheet.news.models import ArticlePage

from ..choices import DiscussionMode
from ..models import CommentStatus, ReaderStanding, ReportReason
from ..selectors import (
    Sort,
    ThreadPage,
    comment_counts,
    discussion_mode,
    discussion_settings,
    thread_page,
)
from ..services import standing_sanction


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def client_ip(request) -> str | None:
    # REMOTE_ADDR as the server sees it; behind a proxy, the proxy must set it
    # from X-Forwarded-For (granian/nginx), never trust the header here.
    address = request.META.get("REMOTE_ADDR", "")
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def story_for_discussion(page_id: int) -> ArticlePage:
    """A public, unrestricted story, or 404: a draft, embargoed or private
    story's discussion does not exist for anyone.

    Memoised per content version (publishing, unpublishing and view
    restrictions bump it; an embargo only ever ends), so a warm thread costs no
    query for its story; a 404 is not kept. Callers must not modify it."""

    def load():
        story = ArticlePage.objects.published().filter(pk=page_id).select_related("section").first()
        if story is None or story.get_view_restrictions().exists():
            return None
        return story

    story = memoized(("discussion-story", page_id), load, keep_none=False)
    if story is None:
        raise Http404
    return story


def participation_for(user, story) -> tuple[str, str]:
    """Which box the thread shows — anonymous / unverified / banned /
    suspended / closed / open — and, for a sanctioned reader, why (one query:
    the verified address and the standing together)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    if not user.is_authenticated:
        return "anonymous", ""
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)))
        .values("verified", "discussion_standing__banned", "discussion_standing__suspended_until")
        .first()
    )
    if not row or not row["verified"]:
        return "unverified", ""
    sanction = standing_sanction(
        ReaderStanding(
            banned=bool(row["discussion_standing__banned"]),
            suspended_until=row["discussion_standing__suspended_until"],
        )
    )
    if sanction is not None:
        return sanction
    if discussion_mode(page=story) == DiscussionMode.CLOSED:
        return "closed", ""
    return "open", ""


SANCTIONED = ("banned", "suspended")


NO_ERROR = {"kind": "", "id": None, "message": "", "body": "", "text": "", "reason": ""}


def thread_context(request, story, *, sort=None, after=None, error=None, load_thread=True) -> dict:
    surrogate_keys_add(discussion_key(story.pk), comment_count_key(story.pk))
    user = request.user
    if load_thread:
        thread = thread_page(page=story, user=user, sort=sort or Sort.NEWEST, after=after)
    else:
        thread = ThreadPage([], None, sort or Sort.NEWEST, True)
    conf = discussion_settings(page=story)
    mode = discussion_mode(page=story)
    participation, sanction = participation_for(user, story)
    context = {
        "user": user,
        "story": story,
        "thread": thread,
        "participation": participation,
        "sanction": sanction,
        "premoderated": mode == DiscussionMode.PREMODERATED,
        "closed": mode == DiscussionMode.CLOSED,
        "count": comment_counts(page_ids=[story.pk]).get(story.pk, 0),
        "max_length": conf.max_length,
        "edit_since": timezone.now() - timedelta(minutes=conf.edit_window_minutes),
        "story_url": story.get_url(request),
        "thread_url": reverse("discussions:thread", args=[story.pk]),
        "sorts": [
            (Sort.NEWEST, sort_label(Sort.NEWEST)),
            (Sort.OLDEST, sort_label(Sort.OLDEST)),
            (Sort.LIKES, sort_label(Sort.LIKES)),
        ],
        # Every key present: a missing one costs the template a raised and
        # caught exception at each lookup (several per comment, ~1 ms a page).
        "error": {**NO_ERROR, **(error or {})},
        "result": None,
        "form_kind": "",
        # The like and delete buttons' hidden CSRF field, rendered once rather
        # than by {% csrf_token %} in each. Only a signed-in reader gets those
        # buttons; an anonymous fragment must not set the CSRF cookie.
        "csrf_input": csrf_input(request) if user.is_authenticated else "",
        "report_reasons": ReportReason.choices,
        # Per-comment links are these prefixes + the id (+ the action): one
        # reverse() per request instead of about seven per comment (~150 for
        # a page of 20). test_on_demand_forms checks they match the patterns.
        "comment_url": reverse("discussions:reply", args=[0]).removesuffix("0/reply/"),
        "profile_url": reverse("accounts:profile", args=[0]).removesuffix("0/"),
    }
    context["can_act"] = context["participation"] in ("open", "closed")
    mark_for_reader(context, thread.comments)
    return context


def mark_for_reader(context, comments) -> None:
    """What this reader may do with each comment (and its shown replies),
    decided once here rather than by a dozen template conditions per comment;
    every view that renders `comment_main.html` passes its comments through.
    Also each comment's URL prefix (`c.url` + "like/", "reply/", ...)."""
    user = context["user"] if "user" in context else None
    user_pk = user.pk if user is not None and user.is_authenticated else None
    participation = context["participation"]
    can_act = context["can_act"]
    is_open = participation == "open"
    edit_since = context["edit_since"]
    base = context["comment_url"]
    liked_ids = context["thread"].liked_ids
    for top in comments:
        for c in (top, *getattr(top, "shown_replies", ())):
            visible = c.status == CommentStatus.VISIBLE
            own = user_pk is not None and c.author_id == user_pk
            c.url = f"{base}{c.pk}/"
            c.liked = c.pk in liked_ids
            c.can_like = can_act and visible and not own
            c.can_report = c.can_like
            c.can_reply = is_open and visible
            # A suspended or banned reader may still take their own words down.
            c.can_delete = (can_act or participation in SANCTIONED) and own
            c.can_edit = c.can_delete and is_open and c.created_at > edit_since


def sort_label(sort):
    return {Sort.NEWEST: _("Newest"), Sort.OLDEST: _("Oldest"), Sort.LIKES: _("Most liked")}[sort]


def cache_headers(request, response):
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    else:
        # The same for every anonymous reader: a CDN may keep it briefly; the
        # purge after each change makes "briefly" mostly moot.
        patch_cache_control(response, public=True, max_age=0, s_maxage=10)
    patch_vary_headers(response, ["HX-Request"])
    return response


def full_page(request, story, *, status=200, **kwargs):
    context = thread_context(request, story, **kwargs)
    return TemplateResponse(request, "discussions/thread_page.html", context, status=status)
