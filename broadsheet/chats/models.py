"""Chat rooms the newsroom opens, their messages and the readers muted in them.

A room is read by anyone and written to by signed-in, verified readers in
good standing (the discussions' `ReaderStanding`). Messages are plain text,
stored as typed; what reaches open pages goes through the realtime layer on
the stream `chat-<room id>` (events.py)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from broadsheet.editions.models import language_choices

MESSAGE_MAX_LENGTH = 1000


class RoomStatus(models.TextChoices):
    OPEN = "open", _("Open")
    # Read-only: listed with the open rooms, history shown, no new messages.
    CLOSED = "closed", _("Closed")
    # Read-only and listed apart, under "Archive".
    ARCHIVED = "archived", _("Archived")


def default_language() -> str:
    return settings.LANGUAGE_CODE


class ChatRoom(models.Model):
    title = models.CharField(_("title"), max_length=120)
    # A room belongs to one edition: listed there, its page in that language.
    language = models.CharField(
        _("edition"),
        max_length=8,
        choices=language_choices,
        default=default_language,
        db_index=True,
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    section = models.ForeignKey(
        "news.SectionPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_rooms",
        verbose_name=_("section"),
    )
    # A story's room (a live story is an article too): the FK points at the
    # article model so the chats do not depend on the live app.
    story = models.ForeignKey(
        "news.ArticlePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_rooms",
        verbose_name=_("story"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoomStatus.choices, default=RoomStatus.OPEN
    )
    slow_mode_seconds = models.PositiveIntegerField(
        _("slow mode (seconds between two messages per reader)"),
        default=0,
        help_text=_("0: off."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_activity_at = models.DateTimeField(
        _("last activity"), null=True, blank=True, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")
        ordering = ["-last_activity_at", "-pk"]
        permissions = [("moderate_chat", _("Can moderate chats"))]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        # A room's section or story is a page of its own edition's tree.
        for name in ("section", "story"):
            page = getattr(self, name)
            if page is not None and page.locale.language_code != self.language:
                raise ValidationError(
                    {
                        name: _("Choose a page of the room's edition (%(language)s).")
                        % {"language": self.language}
                    }
                )

    @property
    def stream(self) -> str:
        return f"chat-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == RoomStatus.OPEN

    def get_absolute_url(self) -> str:
        from django.urls import reverse
        from django.utils import translation

        # Under its edition's prefix, whichever edition asks.
        with translation.override(self.language):
            return reverse("chats:room", args=[self.slug])


class MessageStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    # A banned phrase: shown to its author only until a moderator decides.
    HELD = "held", _("Held for moderation")
    # By its author, or a moderator (`deleted_by`), or rejected from the queue.
    DELETED = "deleted", _("Deleted")


class ChatMessage(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="chat_messages",
    )
    text = models.TextField(_("message"))
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.VISIBLE
    )
    hold_reason = models.CharField(_("hold reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # As discussions store it (REMOTE_ADDR), for the moderators' eyes only.
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        indexes = [
            # History: one room's visible messages newest first, by keyset on id.
            models.Index(fields=["room", "status", "-id"], name="chat_message_history_idx"),
            # Slow mode and a reader's own held messages.
            models.Index(fields=["author", "room", "-id"], name="chat_message_author_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} in {self.room_id}"

    @property
    def is_visible(self) -> bool:
        return self.status == MessageStatus.VISIBLE


class ChatMute(models.Model):
    """A reader who may read a room but not post in it until `until`."""

    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_mutes"
    )
    until = models.DateTimeField(_("until"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chat mute")
        verbose_name_plural = _("chat mutes")
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="chat_mute_once")]

    def __str__(self):
        return f"{self.user_id} muted in {self.room_id}"

    @property
    def active(self) -> bool:
        return self.until > timezone.now()
