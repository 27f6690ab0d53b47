"""The thread of a story, and all replies of one comment."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.views import View

from ..cache import discussions_memoized
from ..models import Comment, CommentStatus
from ..selectors import (
    Sort,
    comment_replies,
    liked_ids,
)
from .context import (
    cache_headers,
    is_htmx,
    mark_for_reader,
    story_for_discussion,
    thread_context,
)


class ThreadView(View):
    http_method_names = ["get", "head"]

    def get(self, request, page_id):
        story = story_for_discussion(page_id)
        sort = request.GET.get("sort", Sort.NEWEST)
        if sort not in Sort.ALL:
            sort = Sort.NEWEST
        after = request.GET.get("after")
        if is_htmx(request) and not request.user.is_authenticated:
            # Every anonymous reader who scrolls to a discussion gets the same
            # fragment: render it once per process per discussions version
            # (40 ms for 20 comments, measured in docs/benchmarks.md).
            # The comments' times print in the edition's zone.
            key = (
                "thread-fragment",
                story.pk,
                sort,
                after,
                get_language(),
                timezone.get_current_timezone_name(),
            )
            html = discussions_memoized(
                key, lambda: self._fragment(request, story, sort=sort, after=after)
            )
            return cache_headers(request, HttpResponse(html))
        context = self._context(request, story, sort=sort, after=after)
        if is_htmx(request):
            template = self._fragment_template(after)
        else:
            template = "discussions/thread_page.html"
        response = TemplateResponse(request, template, context)
        return cache_headers(request, response)

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
        return cache_headers(request, response)
