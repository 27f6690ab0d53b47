"""The discussion under a story: one thread view and the POST actions.

Every action works as a plain form (303 back to the discussion page, or that
page again with the error next to the reader's own text) and, with htmx, as a
fragment swap. htmx does not swap 4xx responses by default, so refusals answer
htmx with 200 and the form carrying the message; plain forms get the real
status (403, 422, 429).
"""

from .actions import DeleteView, EditView, LikeView, PostView, ReportView
from .forms import CommentFormView
from .thread import RepliesView, ThreadView

__all__ = [
    "CommentFormView",
    "DeleteView",
    "EditView",
    "LikeView",
    "PostView",
    "RepliesView",
    "ReportView",
    "ThreadView",
]
