"""The posting desk in the Wagtail admin: one screen with a short form and the
story's stream as readers see it (drafts included), each post with its
actions. Who may do what is decided by services.py from the story's page
permissions; a refusal is shown as a message, never an error page."""

from django.contrib import messages
from django.db.models import F
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import LivePostForm
from .models import CoverageStatus, LivePost, LiveStoryPage
from .selectors import posts_for_display, posts_of
from .services import (
    LivePostRefused,
    live_post_create,
    live_post_delete,
    live_post_pin,
    live_post_publish,
    live_post_update,
    user_can_draft,
    user_can_publish,
)

DESK_POSTS = 100


def desk_posts(story: LiveStoryPage) -> list:
    """Drafts first (newest first), then published posts newest first."""
    posts = LivePost.objects.filter(story=story, deleted=False).select_related("created_by")
    return posts_of(
        story,
        posts_for_display(posts).order_by(
            F("published_at").desc(nulls_first=True), "-created_at", "-pk"
        )[:DESK_POSTS],
    )


class StoryMixin:
    """Loads the story from the URL; anyone who may not edit it is turned away."""

    def dispatch(self, request, *args, **kwargs):
        self.story = get_object_or_404(LiveStoryPage, pk=kwargs["page_id"])
        if not user_can_draft(user=request.user, story=self.story):
            return permission_denied(request)
        self.can_publish = user_can_publish(user=request.user, story=self.story)
        return super().dispatch(request, *args, **kwargs)

    def desk_context(self) -> dict:
        return {
            "story": self.story,
            "posts": desk_posts(self.story),
            "can_publish": self.can_publish,
            "live_stream": f"live-{self.story.pk}",
            "stream_url": reverse("live_admin:stream", args=[self.story.pk]),
        }


class DeskView(StoryMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "live/admin/desk.html"
    header_icon = "radio-full"

    def get_page_title(self):
        return _("Live desk: %(title)s") % {"title": self.story.title}

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("live_admin:index"), "label": _("Live desk")},
            {"url": "", "label": self.story.title},
        ]

    def render_desk(self, form, status=200):
        context = self.get_context_data(form=form, **self.desk_context())
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_desk(LivePostForm())

    def post(self, request, *args, **kwargs):
        form = LivePostForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The post could not be saved: see the form."))
            return self.render_desk(form, status=400)
        publish = request.POST.get("action") == "publish"
        try:
            live_post_create(
                user=request.user, story=self.story, publish=publish, **form.cleaned_data
            )
        except LivePostRefused as refused:
            messages.error(request, refused.message)
            return self.render_desk(form, status=refused.status)
        messages.success(request, _("Published.") if publish else _("Saved as a draft."))
        # `posted` tells live_desk.js to drop the saved draft of the text.
        return redirect(reverse("live_admin:desk", args=[self.story.pk]) + "?posted=1")


class DeskStreamView(StoryMixin, TemplateView):
    """The desk's stream alone: live_desk.js fetches it when colleagues post."""

    template_name = "live/admin/desk_stream.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.desk_context()}


class PostEditView(StoryMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "live/admin/post_edit.html"
    header_icon = "edit"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.post_obj = get_object_or_404(
            LivePost, pk=kwargs["pk"], story_id=kwargs["page_id"], deleted=False
        )

    def get_page_title(self):
        return _("Edit post")

    def _render(self, form, status=200):
        context = self.get_context_data(
            form=form,
            story=self.story,
            post=self.post_obj,
            desk_url=reverse("live_admin:desk", args=[self.story.pk]),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        return self._render(LivePostForm(initial=LivePostForm.initial_for(self.post_obj)))

    def post(self, request, *args, **kwargs):
        form = LivePostForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        fields = dict(form.cleaned_data)
        authors = fields.pop("authors")
        try:
            live_post_update(user=request.user, post=self.post_obj, authors=authors, **fields)
        except LivePostRefused as refused:
            messages.error(request, refused.message)
            return self._render(form, status=refused.status)
        messages.success(request, _("Post saved."))
        return redirect("live_admin:desk", self.story.pk)


class PostActionView(StoryMixin, View):
    """POST only: publish, pin, unpin or delete one post."""

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, page_id, pk, action):
        post = get_object_or_404(LivePost, pk=pk, story_id=page_id)
        post.story = self.story
        actions = {
            "publish": (lambda: live_post_publish(user=request.user, post=post), _("Published.")),
            "pin": (lambda: live_post_pin(user=request.user, post=post), _("Pinned.")),
            "unpin": (
                lambda: live_post_pin(user=request.user, post=post, pinned=False),
                _("Unpinned."),
            ),
            "delete": (lambda: live_post_delete(user=request.user, post=post), _("Deleted.")),
        }
        if action not in actions:
            messages.error(request, _("Unknown action."))
            return redirect("live_admin:desk", self.story.pk)
        run, done = actions[action]
        try:
            run()
        except LivePostRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, done)
        return redirect("live_admin:desk", self.story.pk)


class DeskIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Live stories the user may post to, live ones first."""

    template_name = "live/admin/index.html"
    page_title = gettext_lazy("Live desk")
    header_icon = "radio-full"

    def get_context_data(self, **kwargs):
        order = {CoverageStatus.LIVE: 0, CoverageStatus.UPCOMING: 1, CoverageStatus.ENDED: 2}
        stories = [
            story
            for story in LiveStoryPage.objects.select_related("section").order_by(
                "-latest_revision_created_at"
            )[:200]
            if user_can_draft(user=self.request.user, story=story)
        ]
        stories.sort(key=lambda story: order.get(story.coverage_status, 3))
        return super().get_context_data(stories=stories, **kwargs)
