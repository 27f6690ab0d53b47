"""Emails from the discussions, sent by the task worker (`manage.py db_worker`)
through Django's email backend: a reply notification to readers who opted in,
a notice to a reader a moderator warned, suspended, banned or let back in,
and the moderators' daily summary of the queue.

Emails to a reader are written in the language they last took part in
(`DiscussionPreferences.language`), the site's default language otherwise."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from broadsheet.core.origin import absolute_url

from .models import (
    Comment,
    CommentReport,
    CommentStatus,
    DiscussionPreferences,
    ModerationAction,
    ModerationActionKind,
    ReaderStanding,
)
from .standing import community_rules_url, moderation_contact_address, moderation_contact_email

MODERATE_PERMISSION = ("discussions", "moderate_comment")


def comment_url(comment: Comment) -> str:
    """The comment in its discussion, in the active language (/ru/… for Russian)."""
    path = reverse("discussions:thread", args=[comment.page_id])
    return absolute_url(f"{path}#comment-{comment.pk}")


def reader_language(language: str | None) -> str:
    """The language to write to a reader in: theirs if the site still offers
    it, the site's default otherwise."""
    if language and language in dict(settings.LANGUAGES):
        return language
    return settings.LANGUAGE_CODE


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
    ):
        return False
    language = (
        DiscussionPreferences.objects.filter(user=recipient, notify_replies=True)
        .values_list("language", flat=True)
        .first()
    )
    if language is None:  # not opted in
        return False
    with translation.override(reader_language(language)):
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


# ---------------------------------------------------------------- notices
# What a moderator did to a reader, told to the reader: never who did it.

NOTICE_KINDS = {
    ModerationActionKind.WARN: "warned",
    ModerationActionKind.SUSPEND: "suspended",
    ModerationActionKind.BAN: "banned",
    ModerationActionKind.UNBAN: "reinstated",
}
NOTICE_EXCERPT = 300


def _rules_or_account_url() -> str:
    """The community rules if the site has them, else the reader's account
    page, absolute and in the active language."""
    rules = community_rules_url()
    if rules:
        return absolute_url(rules) if rules.startswith("/") else rules
    return absolute_url(reverse("accounts:account"))


def _verified_address(user) -> str:
    from allauth.account.models import EmailAddress

    return (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
        or ""
    )


def _site_name() -> str:
    from wagtail.models import Site

    from broadsheet.core.models import SiteIdentity

    site = Site.objects.filter(is_default_site=True).first()
    name = SiteIdentity.for_site(site).name if site is not None else ""
    return name or urlsplit(settings.SITE_URL).hostname or ""


@task()
def reader_notice_task(action_id: int, reason_given: bool = True) -> bool:
    """Email the reader a `ModerationAction` was about. Skipped (returns
    False) for a deleted, inactive or unconfirmed account, and when the
    sanction no longer holds by the time the worker runs (a suspension already
    lifted, say): the later action has its own email.

    `reason_given=False` comes only from notices queued before a suspension
    without a reason kept an empty one (its log said "Until …" instead)."""
    action = (
        ModerationAction.objects.select_related("reader", "comment__page")
        .filter(pk=action_id, action__in=list(NOTICE_KINDS))
        .first()
    )
    reader = action.reader if action is not None else None
    if reader is None or not reader.is_active:
        return False
    address = _verified_address(reader)
    if not address:
        return False
    standing = ReaderStanding.objects.filter(user=reader).first()
    if action.action == ModerationActionKind.SUSPEND and not (standing and standing.is_suspended):
        return False
    if action.action == ModerationActionKind.BAN and not (standing and standing.banned):
        return False
    if action.action == ModerationActionKind.UNBAN and (
        standing and (standing.banned or standing.is_suspended)
    ):
        return False
    language = (
        DiscussionPreferences.objects.filter(user=reader).values_list("language", flat=True).first()
    )
    comment = action.comment
    with translation.override(reader_language(language)):
        context = {
            "reader": reader,
            "site_name": _site_name(),
            "reason": action.reason if reason_given else "",
            "comment": comment,
            "excerpt": comment.body[:NOTICE_EXCERPT] if comment is not None else "",
            "excerpt_cut": comment is not None and len(comment.body) > NOTICE_EXCERPT,
            "story": comment.page.title if comment is not None else "",
            "suspended_until": timezone.localtime(standing.suspended_until)
            if standing is not None and standing.suspended_until
            else None,
            "warnings": standing.warnings if standing is not None else 0,
            "rules_url": _rules_or_account_url(),
            "has_rules": bool(community_rules_url()),
            "contact": moderation_contact_address(),
        }
        name = NOTICE_KINDS[action.action]
        subject = render_to_string(f"discussions/email/standing_{name}_subject.txt", context)
        body = render_to_string(f"discussions/email/standing_{name}_message.txt", context)
    subject = " ".join(subject.split())
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    EmailMessage(subject, body, None, [address], reply_to=[moderation_contact_email()]).send()
    return True


def reader_notice_request(*, action: ModerationAction) -> None:
    """Queue the reader's notice once the transaction commits."""
    if action.reader_id is None or action.action not in NOTICE_KINDS:
        return
    action_id = action.pk
    transaction.on_commit(lambda: reader_notice_task.enqueue(action_id))


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
