"""The discussion under a story: one thread view and the POST actions.

Every action works as a plain form (303 back to the discussion page, or that
page again with the error next to the reader's own text) and, with htmx, as a
fragment swap. htmx does not swap 4xx responses by default, so refusals answer
htmx with 200 and the form carrying the message; plain forms get the real
status (403, 422, 429).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from broadsheet.core.cache import memoized
from broadsheet.news.models import ArticlePage

from .cache import discussions_memoized
from .choices import DiscussionMode
from .models import Comment, CommentStatus, ReportReason
from .selectors import (
    Sort,
    ThreadPage,
    comment_counts,
    comment_replies,
    comments_for_display,
    discussion_mode,
    discussion_settings,
    liked_ids,
    thread_page,
)
from .services import (
    CommentRefused,
    comment_delete,
    comment_edit,
    comment_editable,
    comment_like_toggle,
    comment_post,
    comment_report,
)


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _client_ip(request) -> str | None:
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


def _participation(user, story) -> tuple[str, str]:
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
    if row["discussion_standing__banned"]:
        return "banned", _("Your account has been banned from the discussions.")
    until = row["discussion_standing__suspended_until"]
    if until is not None and until > timezone.now():
        when = date_format(timezone.localtime(until), "j F Y, H:i")
        return "suspended", _("You are suspended from commenting until %(until)s.") % {
            "until": when
        }
    if discussion_mode(page=story) == DiscussionMode.CLOSED:
        return "closed", ""
    return "open", ""


SANCTIONED = ("banned", "suspended")


NO_ERROR = {"kind": "", "id": None, "message": "", "body": "", "text": "", "reason": ""}


def thread_context(request, story, *, sort=None, after=None, error=None, load_thread=True) -> dict:
    user = request.user
    if load_thread:
        thread = thread_page(page=story, user=user, sort=sort or Sort.NEWEST, after=after)
    else:
        thread = ThreadPage([], None, sort or Sort.NEWEST, True)
    conf = discussion_settings(page=story)
    mode = discussion_mode(page=story)
    participation, sanction = _participation(user, story)
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
            (Sort.NEWEST, _sort_label(Sort.NEWEST)),
            (Sort.OLDEST, _sort_label(Sort.OLDEST)),
            (Sort.LIKES, _sort_label(Sort.LIKES)),
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


def _sort_label(sort):
    return {Sort.NEWEST: _("Newest"), Sort.OLDEST: _("Oldest"), Sort.LIKES: _("Most liked")}[sort]


def _cache_headers(request, response):
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    else:
        # The same for every anonymous reader: a CDN may keep it briefly; the
        # purge after each change makes "briefly" mostly moot.
        patch_cache_control(response, public=True, max_age=0, s_maxage=10)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _full_page(request, story, *, status=200, **kwargs):
    context = thread_context(request, story, **kwargs)
    return TemplateResponse(request, "discussions/thread_page.html", context, status=status)


# ------------------------------------------------------ forms on demand
#
# The thread carries no reply, edit or report form: each comment has a link to
# its own form, which htmx loads in place (`hx-get`) and which, without
# JavaScript, is a small page. A refused POST without htmx comes back to that
# page, with the message next to the reader's text.

FORM_KINDS = ("reply", "edit", "report")


def _form_title(kind: str) -> str:
    return {
        "reply": _("Reply to a comment"),
        "edit": _("Edit your comment"),
        "report": _("Report a comment"),
    }[kind]


def _shown_to_reader(request, comment) -> bool:
    """What the thread shows this reader: visible comments, and their own held ones."""
    if comment.status == CommentStatus.VISIBLE:
        return True
    user = request.user
    return (
        comment.status == CommentStatus.HELD
        and user.is_authenticated
        and comment.author_id == user.pk
    )


def _comment_for_form(request, pk):
    comment = get_object_or_404(comments_for_display(Comment.objects.all()), pk=pk)
    story = story_for_discussion(comment.page_id)
    if not _shown_to_reader(request, comment):
        raise Http404
    comment.page = story
    return story, comment


def _form_refusal(request, comment, kind: str, participation: str) -> str | None:
    """Why this signed-in, verified reader gets no form, if they don't (the
    services decide again on POST: sanctions, rate limits, text)."""
    own = comment.author_id == request.user.pk
    if kind == "reply":
        if participation == "closed":
            return _("This discussion is closed.")
        if comment.status != CommentStatus.VISIBLE:
            return _("This comment can no longer be replied to.")
    elif kind == "report":
        if own:
            return _("You cannot report your own comment.")
    elif kind == "edit":
        if not own:
            return _("You can only edit your own comments.")
        if participation == "closed":
            return _("This discussion is closed.")
        if not comment_editable(user=request.user, comment=comment):
            return _("The time for editing this comment has passed.")
    return None


def comment_form_response(request, story, comment, kind: str, *, error=None, status=None):
    """The form of `kind` for one comment: the fragment for htmx, a page without.

    Anonymous and unverified readers get the thread's "log in" / "confirm your
    address" box instead; a reader who may not act gets the reason. With
    `error` (a refused POST) the form shows the message and keeps the text.
    """
    context = thread_context(request, story, error=error, load_thread=False)
    participation = context["participation"]
    refusal = None
    if error and error.get("id") != comment.pk:
        error = None
    if participation in ("anonymous", "unverified") and not error:
        state = "login"
    else:
        refusal = context["sanction"] or _form_refusal(request, comment, kind, participation)
        state = "refused" if refusal or participation in ("anonymous", "unverified") else "form"
    context.update(
        {
            "c": comment,
            "form_kind": kind,
            "form_state": state,
            "refusal": refusal,
            "form_title": _form_title(kind),
        }
    )
    mark_for_reader(context, [comment])
    if status is None:
        status = 403 if state == "refused" else 200
    if _is_htmx(request):
        # htmx swaps only 2xx: the message is the fragment.
        response = TemplateResponse(request, "discussions/includes/comment_form.html", context)
    else:
        response = TemplateResponse(
            request, "discussions/comment_form_page.html", context, status=status
        )
    return _cache_headers(request, response)


class CommentFormView(View):
    """GET: one comment's reply, edit or report form (POSTs go elsewhere)."""

    http_method_names = ["get", "head"]
    kind = "reply"

    def get(self, request, pk):
        story, comment = _comment_for_form(request, pk)
        return comment_form_response(request, story, comment, self.kind)


class ThreadView(View):
    http_method_names = ["get", "head"]

    def get(self, request, page_id):
        story = story_for_discussion(page_id)
        sort = request.GET.get("sort", Sort.NEWEST)
        if sort not in Sort.ALL:
            sort = Sort.NEWEST
        after = request.GET.get("after")
        if _is_htmx(request) and not request.user.is_authenticated:
            # Every anonymous reader who scrolls to a discussion gets the same
            # fragment: render it once per process per discussions version
            # (40 ms for 20 comments, measured in docs/benchmarks.md).
            key = ("thread-fragment", story.pk, sort, after, get_language())
            html = discussions_memoized(
                key, lambda: self._fragment(request, story, sort=sort, after=after)
            )
            return _cache_headers(request, HttpResponse(html))
        context = self._context(request, story, sort=sort, after=after)
        if _is_htmx(request):
            template = self._fragment_template(after)
        else:
            template = "discussions/thread_page.html"
        response = TemplateResponse(request, template, context)
        return _cache_headers(request, response)

    @staticmethod
    def _context(request, story, *, sort, after) -> dict:
        context = thread_context(request, story, sort=sort, after=after)
        if after is not None and not context["thread"].fetched:
            raise Http404
        return context

    @staticmethod
    def _fragment_template(after) -> str:
        if after is not None:
            return "discussions/includes/comments_page.html"
        return "discussions/includes/thread.html"

    def _fragment(self, request, story, *, sort, after) -> str:
        context = self._context(request, story, sort=sort, after=after)
        return render_to_string(self._fragment_template(after), context, request=request)


class RepliesView(View):
    """All replies of one comment, beyond the ones shown in the thread."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        comment = get_object_or_404(
            Comment.objects.select_related("author"), pk=pk, parent__isnull=True
        )
        story = story_for_discussion(comment.page_id)
        if comment.status not in (CommentStatus.VISIBLE, CommentStatus.REMOVED):
            raise Http404
        comment.shown_replies = comment_replies(comment=comment, user=request.user)
        comment.more_replies = False
        context = thread_context(request, story, load_thread=False)
        context["single"] = comment
        context["thread"].liked_ids = liked_ids(user=request.user, comments=[comment])
        mark_for_reader(context, [comment])
        response = TemplateResponse(request, "discussions/replies_page.html", context)
        return _cache_headers(request, response)


class PostView(View):
    http_method_names = ["post"]

    def post(self, request, page_id):
        story = story_for_discussion(page_id)
        body = request.POST.get("body", "")
        parent = None
        raw_parent = request.POST.get("parent", "")
        if raw_parent:
            parent = Comment.objects.filter(
                pk=int(raw_parent) if raw_parent.isdigit() and len(raw_parent) < 16 else 0,
                page=story,
            ).first()
        error_target = {"kind": "reply", "id": parent.pk} if parent else {"kind": "post"}
        try:
            if raw_parent and parent is None:
                raise CommentRefused(_("This comment can no longer be replied to."))
            comment = comment_post(
                user=request.user, page=story, body=body, parent=parent, ip=_client_ip(request)
            )
        except CommentRefused as refused:
            error = {**error_target, "message": refused.message, "body": body}
            if _is_htmx(request):
                context = thread_context(request, story, error=error, load_thread=False)
                context.update({"parent_id": parent.pk if parent else None, "c": parent})
                return TemplateResponse(request, "discussions/includes/post_result.html", context)
            if parent is not None and _shown_to_reader(request, parent):
                # Back to the reply form the reader came from, their text in it.
                return comment_form_response(
                    request, story, parent, "reply", error=error, status=refused.status
                )
            return _full_page(request, story, status=refused.status, error=error)
        if _is_htmx(request):
            context = thread_context(request, story, load_thread=False)
            comment.shown_replies = []
            comment.more_replies = False
            context.update(
                {"new_comment": comment, "parent_id": parent.pk if parent else None, "c": parent}
            )
            mark_for_reader(context, [comment])
            return TemplateResponse(request, "discussions/includes/post_result.html", context)
        return HttpResponseSeeOther(
            reverse("discussions:thread", args=[story.pk]) + f"#comment-{comment.pk}"
        )


class CommentActionView(View):
    """Edit, delete, like or report one comment."""

    http_method_names = ["post"]
    action = ""

    def get(self, request, pk):
        # Edit and report also answer GET: the form on demand (see FORM_KINDS).
        story, comment = _comment_for_form(request, pk)
        return comment_form_response(request, story, comment, self.action)

    def post(self, request, pk):
        comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk)
        story = story_for_discussion(comment.page_id)
        comment.page = story
        own = request.user.is_authenticated and comment.author_id == request.user.pk
        if comment.status != CommentStatus.VISIBLE and not (
            own and comment.status == CommentStatus.HELD
        ):
            raise Http404
        try:
            result = self.perform(request, comment)
        except CommentRefused as refused:
            error = {
                "kind": self.action,
                "id": comment.pk,
                "message": refused.message,
                "body": request.POST.get("body", ""),
                "text": request.POST.get("text", ""),
                "reason": request.POST.get("reason", ""),
            }
            if _is_htmx(request):
                return self.fragment(request, story, comment, error=error)
            if self.action in FORM_KINDS:
                # Back to the form the reader came from, their text in it.
                return comment_form_response(
                    request, story, comment, self.action, error=error, status=refused.status
                )
            return _full_page(request, story, status=refused.status, error=error)
        if _is_htmx(request):
            return self.fragment(request, story, comment, result=result)
        anchor = comment.pk if comment.status != CommentStatus.REMOVED else comment.parent_id
        url = reverse("discussions:thread", args=[story.pk])
        return HttpResponseSeeOther(url + (f"#comment-{anchor}" if anchor else ""))

    def perform(self, request, comment):
        raise NotImplementedError

    def fragment(self, request, story, comment, *, error=None, result=None):
        context = thread_context(request, story, error=error, load_thread=False)
        context.update({"c": comment, "result": result, "liked": result is True})
        mark_for_reader(context, [comment])
        if self.action == "delete" and error is None:
            has_replies = comment.replies.filter(status=CommentStatus.VISIBLE).exists()
            if comment.parent_id is None and has_replies:
                response = TemplateResponse(
                    request, "discussions/includes/comment_main.html", context
                )
            else:
                response = HttpResponse("")
                response["HX-Retarget"] = f"#comment-{comment.pk}"
                response["HX-Reswap"] = "delete"
            return response
        if self.action == "like":
            if error is None:
                context["thread"].liked_ids = {comment.pk} if result else set()
            else:
                context["thread"].liked_ids = (
                    set(
                        comment.likes.filter(user=request.user).values_list("comment_id", flat=True)
                    )
                    if request.user.is_authenticated
                    else set()
                )
            mark_for_reader(context, [comment])
            return TemplateResponse(request, "discussions/includes/like.html", context)
        if self.action == "report":
            return TemplateResponse(request, "discussions/includes/report.html", context)
        return TemplateResponse(request, "discussions/includes/comment_main.html", context)


class EditView(CommentActionView):
    http_method_names = ["get", "head", "post"]
    action = "edit"

    def perform(self, request, comment):
        return comment_edit(user=request.user, comment=comment, body=request.POST.get("body", ""))


class DeleteView(CommentActionView):
    action = "delete"

    def perform(self, request, comment):
        return comment_delete(user=request.user, comment=comment)


class LikeView(CommentActionView):
    action = "like"

    def perform(self, request, comment):
        return comment_like_toggle(user=request.user, comment=comment)


class ReportView(CommentActionView):
    http_method_names = ["get", "head", "post"]
    action = "report"

    def perform(self, request, comment):
        return comment_report(
            user=request.user,
            comment=comment,
            reason=request.POST.get("reason", ""),
            text=request.POST.get("text", ""),
        )
