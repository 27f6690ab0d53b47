"""Posting, and the actions on one comment: edit, delete, like, report."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ..models import Comment, CommentStatus
from ..services import (
    CommentRefused,
    comment_delete,
    comment_edit,
    comment_like_toggle,
    comment_post,
    comment_report,
)
from .context import (
    HttpResponseSeeOther,
    client_ip,
    full_page,
    is_htmx,
    mark_for_reader,
    story_for_discussion,
    thread_context,
)
from .forms import (
    FORM_KINDS,
    comment_for_form,
    comment_form_response,
    shown_to_reader,
)


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
                user=request.user, page=story, body=body, parent=parent, ip=client_ip(request)
            )
        except CommentRefused as refused:
            error = {**error_target, "message": refused.message, "body": body}
            if is_htmx(request):
                context = thread_context(request, story, error=error, load_thread=False)
                context.update({"parent_id": parent.pk if parent else None, "c": parent})
                return TemplateResponse(request, "discussions/includes/post_result.html", context)
            if parent is not None and shown_to_reader(request, parent):
                # Back to the reply form the reader came from, their text in it.
                return comment_form_response(
                    request, story, parent, "reply", error=error, status=refused.status
                )
            return full_page(request, story, status=refused.status, error=error)
        if is_htmx(request):
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
        story, comment = comment_for_form(request, pk)
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
            if is_htmx(request):
                return self.fragment(request, story, comment, error=error)
            if self.action in FORM_KINDS:
                # Back to the form the reader came from, their text in it.
                return comment_form_response(
                    request, story, comment, self.action, error=error, status=refused.status
                )
            return full_page(request, story, status=refused.status, error=error)
        if is_htmx(request):
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
                return TemplateResponse(
                    request, "discussions/includes/comment_changed.html", context
                )
            # Nothing to swap in but the new count above the thread (out of band).
            context["oob"] = True
            response = TemplateResponse(request, "discussions/includes/thread_title.html", context)
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
        if self.action == "edit" and error is None:
            # An edit can hold a visible comment (banned phrase, links): new count.
            return TemplateResponse(request, "discussions/includes/comment_changed.html", context)
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
