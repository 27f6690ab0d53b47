"""Forms on demand: one comment's reply, edit or report form, fetched when
the reader asks for it."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from ..models import Comment, CommentStatus
from ..selectors import (
    comments_for_display,
)
from ..services import (
    comment_editable,
)
from .context import (
    cache_headers,
    is_htmx,
    mark_for_reader,
    story_for_discussion,
    thread_context,
)

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


def shown_to_reader(request, comment) -> bool:
    """What the thread shows this reader: visible comments, and their own held ones."""
    if comment.status == CommentStatus.VISIBLE:
        return True
    user = request.user
    return (
        comment.status == CommentStatus.HELD
        and user.is_authenticated
        and comment.author_id == user.pk
    )


def comment_for_form(request, pk):
    comment = get_object_or_404(comments_for_display(Comment.objects.all()), pk=pk)
    story = story_for_discussion(comment.page_id)
    if not shown_to_reader(request, comment):
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
    if is_htmx(request) and request.GET.get("cancel") and error is None:
        # The form's Cancel: the link it replaced, back in its place.
        context["form_kind"] = ""
        template = "report.html" if kind == "report" else "form_link.html"
        context["kind"] = kind
        return cache_headers(
            request, TemplateResponse(request, f"discussions/includes/{template}", context)
        )
    context["standalone"] = not is_htmx(request)
    if status is None:
        status = 403 if state == "refused" else 200
    if is_htmx(request):
        # htmx swaps only 2xx: the message is the fragment.
        response = TemplateResponse(request, "discussions/includes/comment_form.html", context)
    else:
        response = TemplateResponse(
            request, "discussions/comment_form_page.html", context, status=status
        )
    return cache_headers(request, response)


class CommentFormView(View):
    """GET: one comment's reply, edit or report form (POSTs go elsewhere)."""

    http_method_names = ["get", "head"]
    kind = "reply"

    def get(self, request, pk):
        story, comment = comment_for_form(request, pk)
        return comment_form_response(request, story, comment, self.kind)
