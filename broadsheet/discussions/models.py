"""Comments under stories, their likes and reports, banned phrases, and the
site's discussion settings.

Moderation later builds on these: `Comment.status` (visible/held/rejected/
removed) and `hold_reason` are the moderation queue; `CommentReport.resolved_at`
marks a handled report; an audit log and reader sanctions are separate models.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.snippets.models import register_snippet

from .choices import SITE_MODES, DiscussionMode


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Held for moderation")
    REJECTED = "rejected", _("Rejected")
    # Deleted by its author or a moderator. Kept (not deleted) so that its
    # visible replies keep their place under a "This comment was deleted" line.
    REMOVED = "removed", _("Deleted")


class Comment(models.Model):
    """A comment on a page. Threads are two levels deep: a reply to a reply is
    attached to the top-level comment (`parent`) and remembers whom it answers
    in `reply_to`, shown as "@name"."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="discussion_comments",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.VISIBLE
    )
    hold_reason = models.CharField(_("hold reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                fields=["page", "status", "-created_at", "-id"], name="comment_thread_time_idx"
            ),
            models.Index(
                fields=["page", "status", "-like_count", "-id"], name="comment_thread_likes_idx"
            ),
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} on page {self.page_id}"

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.VISIBLE


class CommentLike(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comment_like_once")
        ]

    def __str__(self):
        return f"{self.user_id} likes #{self.comment_id}"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSE = "abuse", _("Abusive or hateful")
    OFF_TOPIC = "off-topic", _("Off-topic")
    OTHER = "other", _("Something else")


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    # Kept when the reporter's account goes: the moderation history stays whole.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comment_reports",
    )
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason.choices)
    text = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="comment_report_once")
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: #{self.comment_id}"


@register_snippet
class BannedPhrase(models.Model):
    """A word or phrase whose use holds a comment for moderation."""

    phrase = models.CharField(_("phrase"), max_length=200, unique=True)
    whole_word = models.BooleanField(
        _("whole words only"),
        default=True,
        help_text=_("Off: also matches inside longer words (“scam” in “scammer”)."),
    )

    panels = [FieldPanel("phrase"), FieldPanel("whole_word")]

    class Meta:
        verbose_name = _("banned phrase")
        verbose_name_plural = _("banned phrases")
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase


@register_setting(icon="comment")
class DiscussionSettings(BaseSiteSetting):
    default_mode = models.CharField(
        _("discussions"), max_length=12, choices=SITE_MODES, default=DiscussionMode.OPEN
    )
    edit_window_minutes = models.PositiveIntegerField(_("edit window (minutes)"), default=15)
    max_length = models.PositiveIntegerField(_("longest comment (characters)"), default=5000)
    links_need_approved_comments = models.PositiveIntegerField(
        _("visible comments needed before links are published"), default=3
    )
    post_interval_seconds = models.PositiveIntegerField(
        _("seconds between two comments (per reader and per IP address)"), default=20
    )
    window_max_posts = models.PositiveIntegerField(
        _("comments per period (per reader and per IP address)"), default=10
    )
    window_minutes = models.PositiveIntegerField(_("period (minutes)"), default=10)
    burst_max_posts = models.PositiveIntegerField(
        _("comments in 5 minutes above which the next is held"), default=5
    )

    panels = [
        FieldPanel("default_mode"),
        FieldPanel("edit_window_minutes"),
        FieldPanel("max_length"),
        FieldPanel("links_need_approved_comments"),
        MultiFieldPanel(
            [
                FieldPanel("post_interval_seconds"),
                FieldPanel("window_max_posts"),
                FieldPanel("window_minutes"),
                FieldPanel("burst_max_posts"),
            ],
            heading=_("Rate limits"),
        ),
    ]

    class Meta:
        verbose_name = _("discussion settings")
