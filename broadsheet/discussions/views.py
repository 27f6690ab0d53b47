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
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from broadsheet.news.models import ArticlePage

from .cache import discussions_memoized
from .choices import DiscussionMode
from .models import Comment, CommentStatus, ReportReason
from .selectors import (
    Sort,
    ThreadPage,
    comment_counts,
    comment_replies,
    discussion_mode,
    discussion_settings,
    thread_page,
)
from .services import (
    CommentRefused,
    comment_delete,
    comment_edit,
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
    story's discussion does not exist for anyone."""
    story = ArticlePage.objects.published().filter(pk=page_id).select_related("section").first()
    if story is None or story.get_view_restrictions().exists():
        raise Http404
    return story


def _participation(user, story) -> str:
    """anonymous / unverified / closed / open: which box the thread shows."""
    from allauth.account.models import EmailAddress

    if not user.is_authenticated:
        return "anonymous"
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return "unverified"
    if discussion_mode(page=story) == DiscussionMode.CLOSED:
        return "closed"
    return "open"


def thread_context(request, story, *, sort=None, after=None, error=None, load_thread=True) -> dict:
    user = request.user
    if load_thread:
        thread = thread_page(page=story, user=user, sort=sort or Sort.NEWEST, after=after)
    else:
        thread = ThreadPage([], None, sort or Sort.NEWEST, True)
    conf = discussion_settings(page=story)
    mode = discussion_mode(page=story)
    context = {
        "story": story,
        "thread": thread,
        "participation": _participation(user, story),
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
        "error": error or {},
        "report_reasons": ReportReason.choices,
    }
    context["can_act"] = context["participation"] in ("open", "closed")
    return context


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
            return _full_page(request, story, status=refused.status, error=error)
        if _is_htmx(request):
            context = thread_context(request, story, load_thread=False)
            comment.shown_replies = []
            comment.more_replies = False
            context.update(
                {"new_comment": comment, "parent_id": parent.pk if parent else None, "c": parent}
            )
            return TemplateResponse(request, "discussions/includes/post_result.html", context)
        return HttpResponseSeeOther(
            reverse("discussions:thread", args=[story.pk]) + f"#comment-{comment.pk}"
        )


class CommentActionView(View):
    """Edit, delete, like or report one comment."""

    http_method_names = ["post"]
    action = ""

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
            }
            if _is_htmx(request):
                return self.fragment(request, story, comment, error=error)
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
            return TemplateResponse(request, "discussions/includes/like.html", context)
        if self.action == "report":
            return TemplateResponse(request, "discussions/includes/report.html", context)
        return TemplateResponse(request, "discussions/includes/comment_main.html", context)


class EditView(CommentActionView):
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
    action = "report"

    def perform(self, request, comment):
        return comment_report(
            user=request.user,
            comment=comment,
            reason=request.POST.get("reason", ""),
            text=request.POST.get("text", ""),
        )
