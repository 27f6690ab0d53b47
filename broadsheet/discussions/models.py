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
            # A thread page walks one story's top-level comments in the
            # reader's order and stops after a page: no sort of the whole
            # thread (0.96 → 0.01 ms at 5,000 comments on SQLite).
            models.Index(
                fields=["page", "parent", "-created_at", "-id"], name="comment_top_time_idx"
            ),
            models.Index(
                fields=["page", "parent", "-like_count", "-id"], name="comment_top_likes_idx"
            ),
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
        ]
        permissions = [("moderate_comment", _("Can moderate comments"))]

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


class ModerationActionKind(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    EDIT = "edit", _("Edited")
    REMOVE = "remove", _("Removed")
    WARN = "warn", _("Warned")
    SUSPEND = "suspend", _("Suspended")
    BAN = "ban", _("Banned")
    UNBAN = "unban", _("Unbanned")
    # Chats (broadsheet/chats) write to the same log; their rows name what
    # they concern in `target` and `target_url` rather than in a foreign key:
    # a FK to chats.ChatMessage would make the discussions' migrations depend
    # on the chats' while the chats depend on the discussions (a cycle).
    CHAT_DELETE = "chat_delete", _("Chat message deleted")
    CHAT_APPROVE = "chat_approve", _("Chat message approved")
    CHAT_REJECT = "chat_reject", _("Chat message rejected")
    CHAT_MUTE = "chat_mute", _("Muted in a chat")
    CHAT_UNMUTE = "chat_unmute", _("Unmuted in a chat")
    CHAT_SLOW = "chat_slow", _("Chat slow mode set")
    CHAT_OPEN = "chat_open", _("Chat room opened")
    CHAT_CLOSE = "chat_close", _("Chat room closed")
    CHAT_ARCHIVE = "chat_archive", _("Chat room archived")


class ModerationAction(models.Model):
    """The audit log: one row per moderator action, kept when the moderator,
    the comment or the reader goes (their columns become empty)."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderation_actions",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("action"), max_length=20, choices=ModerationActionKind.choices)
    comment = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
        verbose_name=_("comment"),
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions_received",
        verbose_name=_("reader"),
    )
    reason = models.TextField(_("reason"), blank=True)
    # When a suspension ends, as the moderator set it (the reader's standing
    # holds only the current one; the log keeps each).
    until = models.DateTimeField(_("until"), null=True, blank=True)
    # What an action outside the comments concerns (a chat message or room),
    # as text and a link: kept readable when that thing is gone.
    target = models.CharField(_("concerning"), max_length=300, blank=True)
    target_url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{self.get_action_display()} by {self.moderator_id} at {when}"


class ReaderStanding(models.Model):
    """A reader's warnings and sanctions. No row means a reader in good standing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_standing"
    )
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    banned = models.BooleanField(_("banned"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("reader standing")
        verbose_name_plural = _("reader standings")

    def __str__(self):
        return f"standing of {self.user_id}"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def label(self) -> str:
        """A short badge for the moderation queue; empty in good standing."""
        if self.banned:
            return str(_("Banned"))
        if self.is_suspended:
            return str(_("Suspended"))
        if self.warnings:
            return str(_("Warned ×%(n)d") % {"n": self.warnings})
        return ""


class DiscussionPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_preferences"
    )
    notify_replies = models.BooleanField(_("email me when someone replies"), default=False)
    # The language the reader last took part in (set when they post): every
    # email to them (replies, moderation notices) is written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("discussion preferences")
        verbose_name_plural = _("discussion preferences")

    def __str__(self):
        return f"preferences of {self.user_id}"


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
    reports_to_hold = models.PositiveIntegerField(
        _("reports that take a comment down until a moderator looks"),
        default=3,
        help_text=_(
            "A comment reported by this many different readers is held (hidden) until "
            "a moderator approves or rejects it. 0: reports never hide a comment."
        ),
    )

    panels = [
        FieldPanel("default_mode"),
        FieldPanel("edit_window_minutes"),
        FieldPanel("max_length"),
        FieldPanel("links_need_approved_comments"),
        FieldPanel("reports_to_hold"),
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
