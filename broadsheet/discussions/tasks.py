"""Emails from the discussions, sent by the task worker (`manage.py db_worker`)
through Django's email backend: a reply notification to readers who opted in,
and the moderators' daily summary of the queue."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Comment, CommentReport, CommentStatus, DiscussionPreferences

MODERATE_PERMISSION = ("discussions", "moderate_comment")


def comment_url(comment: Comment) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{reverse('discussions:thread', args=[comment.page_id])}#comment-{comment.pk}"


@task()
def reply_notification_task(comment_id: int) -> bool:
    reply = (
        Comment.objects.select_related("author", "parent__author", "reply_to__author", "page")
        .filter(pk=comment_id, status=CommentStatus.VISIBLE)
        .first()
    )
    if reply is None:
        return False
    answered = reply.reply_to or reply.parent
    recipient = getattr(answered, "author", None)
    if (
        recipient is None
        or not recipient.email
        or not recipient.is_active
        or recipient.pk == reply.author_id
        or not DiscussionPreferences.objects.filter(user=recipient, notify_replies=True).exists()
    ):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(name)s replied to your comment") % {"name": reply.author}
        body = _(
            "%(name)s replied to your comment on “%(story)s”:\n\n%(text)s\n\n"
            "Read the discussion: %(url)s\n\n"
            "You receive this email because you asked to be told about replies. "
            "You can turn it off on your account page."
        ) % {
            "name": reply.author,
            "story": reply.page.title,
            "text": reply.body[:1000],
            "url": comment_url(reply),
        }
    send_mail(subject, body, None, [recipient.email])
    return True


def reply_notification_request(*, comment: Comment) -> None:
    """Queue the reply email once the transaction commits, if anyone wants it."""
    if comment.parent_id is None:
        return
    answered = comment.reply_to or comment.parent
    if answered.author_id is None or answered.author_id == comment.author_id:
        return
    if not DiscussionPreferences.objects.filter(
        user_id=answered.author_id, notify_replies=True
    ).exists():
        return
    comment_id = comment.pk
    transaction.on_commit(lambda: reply_notification_task.enqueue(comment_id))


def moderators():
    """Active users holding `discussions.moderate_comment` (directly, through a
    group, or as superusers)."""
    app_label, codename = MODERATE_PERMISSION
    perm = Q(
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    ) | Q(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(perm | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def queue_summary() -> dict:
    open_reports = CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)
    reported = Comment.objects.filter(Exists(open_reports)).exclude(
        status__in=[CommentStatus.REJECTED, CommentStatus.REMOVED]
    )
    held = Comment.objects.filter(status=CommentStatus.HELD)
    oldest_report = CommentReport.objects.filter(
        resolved_at__isnull=True, comment__in=reported
    ).aggregate(t=Min("created_at"))["t"]
    oldest_held = held.aggregate(t=Min("created_at"))["t"]
    waiting = [t for t in (oldest_report, oldest_held) if t is not None]
    return {
        "reported": reported.count(),
        "held": held.count(),
        "oldest": min(waiting) if waiting else None,
    }


@task()
def moderation_digest_task() -> int:
    """Email every moderator the state of the queue; returns how many were sent."""
    summary = queue_summary()
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    url = base + reverse("discussions_admin:queue")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Comments waiting: %(reported)d reported, %(held)d held") % summary
        lines = [
            _("Reported comments: %(n)d") % {"n": summary["reported"]},
            _("Held comments: %(n)d") % {"n": summary["held"]},
        ]
        if summary["oldest"] is not None:
            waited = timezone.now() - summary["oldest"]
            hours = int(waited.total_seconds() // 3600)
            lines.append(
                _("Oldest waiting since %(when)s (%(hours)d hours)")
                % {
                    "when": timezone.localtime(summary["oldest"]).strftime("%Y-%m-%d %H:%M"),
                    "hours": hours,
                }
            )
        else:
            lines.append(_("Nothing is waiting."))
        lines += ["", _("Moderation queue: %(url)s") % {"url": url}]
    body = "\n".join(lines)
    sent = 0
    for user in moderators():
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent


# The scheduler queues the digest at its first pass after this local hour.
DIGEST_HOUR = 7


def moderation_digest_schedule(*, now=None) -> bool:
    """Called on every `run_scheduler` pass: queue the digest once a day.
    The day is claimed with `cache.add` (atomic in Redis, so two schedulers
    send one digest); returns whether it was queued now."""
    from django.core.cache import cache

    now = timezone.localtime(now or timezone.now())
    if now.hour < DIGEST_HOUR:
        return False
    if not cache.add(f"discussions:digest:{now.date().isoformat()}", True, timeout=2 * 86400):
        return False
    moderation_digest_task.enqueue()
    return True
