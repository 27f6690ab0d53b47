"""Writes for discussions. Every refusal is a `CommentRefused` carrying the
sentence the reader sees; the views show it next to the text they typed.

Text is stored as typed: only surrounding whitespace is stripped and line
breaks are normalised to LF. NUL and the bidirectional override/isolate
controls (U+202A–U+202E, U+2066–U+2069, the "Trojan Source" characters that
make text display in an order other than the stored one) are refused with a
message rather than silently stripped, so what is stored is always what the
reader saw in their own text box. Zero-width characters are kept: joiners
are part of emoji and of several scripts.
"""

import math
import re
import time
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from broadsheet.core.reader_text import text_has_hidden_controls, text_normalised

from .cache import discussions_changed
from .choices import DiscussionMode
from .models import (
    BannedPhrase,
    Comment,
    CommentLike,
    CommentReport,
    CommentStatus,
    DiscussionPreferences,
    ModerationAction,
    ModerationActionKind,
    ReaderStanding,
    ReportReason,
)
from .selectors import discussion_mode, discussion_settings

BURST_MINUTES = 5
DUPLICATE_HOURS = 24
REPORT_TEXT_MAX = 500

_LINK = re.compile(r"(?i)\b(?:https?://|www\.)|\b[a-z0-9-]+\.(?:com|net|org|ru|io|info|biz)\b")


class CommentRefused(Exception):
    """The reader's action was refused; `message` says why, in their language.
    `status` is the HTTP status a plain (non-htmx) form submission answers with."""

    def __init__(self, message: str, *, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


class HoldReason:
    PREMODERATED = "premoderated"
    BANNED_PHRASE = "banned phrase"
    LINKS = "links from a new commenter"
    DUPLICATE = "duplicate"
    BURST = "burst"
    REPORTED = "reported by several readers"


# -------------------------------------------------------------- checks


def _can_take_part(user, *, sanctions: bool = True) -> None:
    """Signed in, active, e-mail verified and (with `sanctions`) neither banned
    nor suspended."""
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated:
        raise CommentRefused(_("To take part in the discussion, log in or register."), status=403)
    if not user.is_active:
        raise CommentRefused(_("This account cannot take part in discussions."), status=403)
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise CommentRefused(
            _("Confirm your email address before taking part: follow the link we sent you."),
            status=403,
        )
    standing = ReaderStanding.objects.filter(user=user).first() if sanctions else None
    sanction = standing_sanction(standing)
    if sanction is not None:
        raise CommentRefused(sanction[1], status=403)


def standing_sanction(standing: ReaderStanding | None) -> tuple[str, str] | None:
    """("banned" or "suspended", what the reader is told), or None while they
    may take part. The thread shows the same words the refusal gives."""
    if standing is None:
        return None
    if standing.banned:
        return "banned", _("Your account has been banned from the discussions.")
    if standing.is_suspended:
        until = date_format(timezone.localtime(standing.suspended_until), "DATETIME_FORMAT")
        return "suspended", _("You are suspended from commenting until %(until)s.") % {
            "until": until
        }
    return None


def comment_text_clean(body: str, *, max_length: int) -> str:
    text = text_normalised(body)
    if not text:
        raise CommentRefused(_("Write something before posting."))
    if text_has_hidden_controls(text):
        raise CommentRefused(
            _(
                "Your comment contains invisible control characters that can change how "
                "text is displayed (such as right-to-left overrides). Remove them and try again."
            )
        )
    if len(text) > max_length:
        raise CommentRefused(
            ngettext(
                "Comments can be at most %(max)d character long; yours has %(len)d.",
                "Comments can be at most %(max)d characters long; yours has %(len)d.",
                max_length,
            )
            % {"max": max_length, "len": len(text)}
        )
    return text


def _rate_limit_check(*, user, ip, conf) -> dict[str, list[float]]:
    """At most one comment per `post_interval_seconds` and `window_max_posts`
    per `window_minutes`, per reader and per IP address. The stamps live in
    Django's cache (Redis in production, so every process shares them); the
    recent ones are returned for `_rate_limit_record`."""
    now = time.time()
    window = conf.window_minutes * 60
    keys = [f"discussions:rate:user:{user.pk}"]
    if ip:
        keys.append(f"discussions:rate:ip:{ip}")
    wait = 0.0
    stamps = {}
    for key in keys:
        recent = [t for t in cache.get(key, []) if now - t < window]
        stamps[key] = recent
        if recent and now - recent[-1] < conf.post_interval_seconds:
            wait = max(wait, conf.post_interval_seconds - (now - recent[-1]))
        if len(recent) >= conf.window_max_posts:
            wait = max(wait, window - (now - recent[0]))
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise CommentRefused(
            ngettext(
                "You can post again in %(seconds)d second.",
                "You can post again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds},
            status=429,
        )
    return stamps


def _rate_limit_record(stamps: dict[str, list[float]], *, conf) -> None:
    now = time.time()
    keep = max(conf.window_max_posts, 1)
    for key, recent in stamps.items():
        cache.set(key, [*recent, now][-keep:], timeout=conf.window_minutes * 60)


def banned_phrase_found(text: str) -> bool:
    folded = text.casefold()
    for phrase, whole_word in BannedPhrase.objects.values_list("phrase", "whole_word"):
        needle = phrase.casefold().strip()
        if not needle:
            continue
        if whole_word:
            if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", folded):
                return True
        elif needle in folded:
            return True
    return False


def _hold_reasons(*, user, page, text: str, conf, mode: str, exclude_pk=None) -> list[str]:
    reasons = []
    if mode == DiscussionMode.PREMODERATED:
        reasons.append(HoldReason.PREMODERATED)
    if banned_phrase_found(text):
        reasons.append(HoldReason.BANNED_PHRASE)
    own = Comment.objects.filter(author=user).exclude(pk=exclude_pk)
    if _LINK.search(text):
        visible = own.filter(status=CommentStatus.VISIBLE)[: conf.links_need_approved_comments]
        if len(visible) < conf.links_need_approved_comments:
            reasons.append(HoldReason.LINKS)
    now = timezone.now()
    if own.filter(created_at__gte=now - timedelta(hours=DUPLICATE_HOURS), body=text).exists():
        reasons.append(HoldReason.DUPLICATE)
    if exclude_pk is None:
        burst = own.filter(created_at__gte=now - timedelta(minutes=BURST_MINUTES)).count()
        if burst >= conf.burst_max_posts:
            reasons.append(HoldReason.BURST)
    return reasons


# -------------------------------------------------------------- actions


def comment_post(*, user, page, body: str, parent: Comment | None = None, ip=None) -> Comment:
    _can_take_part(user)
    mode = discussion_mode(page=page)
    if mode == DiscussionMode.CLOSED:
        raise CommentRefused(_("This discussion is closed."), status=403)
    conf = discussion_settings(page=page)
    text = comment_text_clean(body, max_length=conf.max_length)
    reply_to = None
    if parent is not None:
        if parent.page_id != page.pk or parent.status != CommentStatus.VISIBLE:
            raise CommentRefused(_("This comment can no longer be replied to."))
        if parent.parent_id is not None:
            reply_to, parent = parent, parent.parent
    stamps = _rate_limit_check(user=user, ip=ip, conf=conf)
    reasons = _hold_reasons(user=user, page=page, text=text, conf=conf, mode=mode)
    comment = Comment.objects.create(
        page=page,
        author=user,
        parent=parent,
        reply_to=reply_to,
        body=text,
        status=CommentStatus.HELD if reasons else CommentStatus.VISIBLE,
        hold_reason=", ".join(reasons),
        ip_address=ip or None,
    )
    _rate_limit_record(stamps, conf=conf)
    reader_language_remember(user=user)
    if comment.is_visible:
        discussions_changed(page=page, author=user)
        _reply_notify(comment)
    return comment


def reader_language_remember(*, user, language: str | None = None) -> None:
    """Remember the language the reader takes part in (the active one by
    default), so that emails to them are written in it. One SELECT when it
    has not changed; an UPDATE (or the row's INSERT) only when it has."""
    language = (language or translation.get_language() or "")[:10]
    if not language:
        return
    current = (
        DiscussionPreferences.objects.filter(user=user).values_list("language", flat=True).first()
    )
    if current is None:
        DiscussionPreferences.objects.bulk_create(
            [DiscussionPreferences(user=user, language=language)], ignore_conflicts=True
        )
    elif current != language:
        DiscussionPreferences.objects.filter(user=user).update(language=language)


def _reply_notify(comment: Comment) -> None:
    """Queue an email to the author of the comment answered, if they asked
    for one (after commit, so a rolled-back post sends nothing)."""
    from .tasks import reply_notification_request

    reply_notification_request(comment=comment)


def _own(user, comment: Comment, message: str, *, sanctions: bool = True) -> None:
    _can_take_part(user, sanctions=sanctions)
    if comment.author_id != user.pk:
        raise CommentRefused(message, status=403)


def comment_editable(*, user, comment: Comment) -> bool:
    if user is None or not user.is_authenticated or comment.author_id != user.pk:
        return False
    if comment.status not in (CommentStatus.VISIBLE, CommentStatus.HELD):
        return False
    conf = discussion_settings(page=comment.page)
    return timezone.now() < comment.created_at + timedelta(minutes=conf.edit_window_minutes)


def comment_edit(*, user, comment: Comment, body: str) -> Comment:
    """Edit one's own comment within the edit window. The hold rules run again
    on the new text; a held comment stays held (a moderator releases it)."""
    _own(user, comment, _("You can only edit your own comments."))
    if comment.status not in (CommentStatus.VISIBLE, CommentStatus.HELD):
        raise CommentRefused(_("This comment can no longer be edited."), status=403)
    if not comment_editable(user=user, comment=comment):
        raise CommentRefused(_("The time for editing this comment has passed."), status=403)
    page = comment.page
    mode = discussion_mode(page=page)
    if mode == DiscussionMode.CLOSED:
        raise CommentRefused(_("This discussion is closed."), status=403)
    conf = discussion_settings(page=page)
    text = comment_text_clean(body, max_length=conf.max_length)
    was_visible = comment.is_visible
    reasons = _hold_reasons(
        user=user, page=page, text=text, conf=conf, mode=mode, exclude_pk=comment.pk
    )
    comment.body = text
    comment.edited_at = timezone.now()
    if reasons:
        comment.status = CommentStatus.HELD
        comment.hold_reason = ", ".join(reasons)
    comment.save(update_fields=["body", "edited_at", "status", "hold_reason"])
    if was_visible:
        discussions_changed(page=page, author=user)
    return comment


def comment_delete(*, user, comment: Comment) -> Comment:
    # A banned or suspended reader may still take their own words down.
    _own(user, comment, _("You can only delete your own comments."), sanctions=False)
    if comment.status == CommentStatus.REMOVED:
        return comment
    was_visible = comment.is_visible
    comment.status = CommentStatus.REMOVED
    comment.save(update_fields=["status"])
    if was_visible:
        discussions_changed(page=comment.page, author=user)
    return comment


def comment_like_toggle(*, user, comment: Comment) -> bool:
    """Like or unlike; returns whether the reader now likes it. The counter
    moves with F() in the same transaction as the like row, so concurrent
    likes never lose an increment."""
    _can_take_part(user)
    if comment.author_id == user.pk:
        raise CommentRefused(_("You cannot like your own comment."), status=403)
    if comment.status != CommentStatus.VISIBLE:
        raise CommentRefused(_("This comment can no longer be liked."), status=403)
    with transaction.atomic():
        deleted, _rows = CommentLike.objects.filter(comment=comment, user=user).delete()
        if deleted:
            Comment.objects.filter(pk=comment.pk, like_count__gt=0).update(
                like_count=F("like_count") - 1
            )
            liked = False
        else:
            try:
                with transaction.atomic():
                    CommentLike.objects.create(comment=comment, user=user)
            except IntegrityError:
                return True  # a double click raced us: already liked
            Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
            liked = True
    comment.refresh_from_db(fields=["like_count"])
    return liked


def comment_report(*, user, comment: Comment, reason: str, text: str = "") -> CommentReport:
    _can_take_part(user)
    if comment.author_id == user.pk:
        raise CommentRefused(_("You cannot report your own comment."), status=403)
    if comment.status != CommentStatus.VISIBLE:
        raise CommentRefused(_("This comment is not shown any more."), status=403)
    if reason not in ReportReason.values:
        raise CommentRefused(_("Choose a reason for your report."))
    text = text_normalised(text)
    if text_has_hidden_controls(text):
        raise CommentRefused(_("Your report contains invisible control characters."))
    if len(text) > REPORT_TEXT_MAX:
        raise CommentRefused(
            _("Reports can be at most %(max)d characters long.") % {"max": REPORT_TEXT_MAX}
        )
    if CommentReport.objects.filter(comment=comment, reporter=user).exists():
        raise CommentRefused(_("You have already reported this comment. Thank you."))
    report = CommentReport.objects.create(comment=comment, reporter=user, reason=reason, text=text)
    _hold_if_reported_enough(comment)
    return report


def _hold_if_reported_enough(comment: Comment) -> None:
    """Enough different readers reporting one comment take it down until a
    moderator decides: abuse comes off the page in minutes, not at the next
    shift. One reader alone cannot hide anything."""
    needed = discussion_settings(page=comment.page).reports_to_hold
    if not needed:
        return
    open_reports = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True)
    if open_reports.count() >= needed:
        _status_set(comment, CommentStatus.HELD, hold_reason=HoldReason.REPORTED)


def discussion_preferences_set(*, user, notify_replies: bool) -> DiscussionPreferences:
    prefs, _created = DiscussionPreferences.objects.update_or_create(
        user=user, defaults={"notify_replies": bool(notify_replies)}
    )
    return prefs


# -------------------------------------------------------------- moderation
# Each action needs `discussions.moderate_comment`, writes one
# `ModerationAction` and, when what readers see changes, bumps the
# discussions version (`discussions_changed`).


def user_can_moderate(user) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.has_perm("discussions.moderate_comment")
    )


def _moderator_check(moderator) -> None:
    if not user_can_moderate(moderator):
        raise PermissionDenied


def _log(
    *, moderator, action, comment=None, reader=None, reason="", until=None
) -> ModerationAction:
    return ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        comment=comment,
        reader=reader if reader is not None else getattr(comment, "author", None),
        reason=(reason or "").strip(),
        until=until,
    )


def _reports_resolve(comment: Comment) -> int:
    return CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def _status_set(comment: Comment, status: str, *, hold_reason: str | None = None) -> None:
    was_visible = comment.is_visible
    comment.status = status
    fields = ["status"]
    if hold_reason is not None:
        comment.hold_reason = hold_reason
        fields.append("hold_reason")
    comment.save(update_fields=fields)
    if was_visible != comment.is_visible:
        discussions_changed(page=comment.page, author=comment.author)


def comment_approve(*, moderator, comment: Comment) -> Comment:
    """Show a held (or rejected/removed) comment, or keep a reported one:
    its open reports are resolved either way."""
    _moderator_check(moderator)
    if (
        comment.status == CommentStatus.REMOVED
        and not ModerationAction.objects.filter(
            comment=comment, action=ModerationActionKind.REMOVE
        ).exists()
    ):
        # Deleted by its author: not ours to bring back.
        raise CommentRefused(_("Its author deleted this comment; it cannot be approved."))
    was_visible = comment.is_visible
    _status_set(comment, CommentStatus.VISIBLE, hold_reason="")
    _reports_resolve(comment)
    _log(moderator=moderator, action=ModerationActionKind.APPROVE, comment=comment)
    if not was_visible:
        _reply_notify(comment)
    return comment


def comment_reject(*, moderator, comment: Comment, reason: str = "") -> Comment:
    return _comment_hide(
        moderator, comment, CommentStatus.REJECTED, ModerationActionKind.REJECT, reason
    )


def _comment_hide(moderator, comment: Comment, status, action, reason: str) -> Comment:
    _moderator_check(moderator)
    _status_set(comment, status)
    _reports_resolve(comment)
    _log(moderator=moderator, action=action, comment=comment, reason=reason)
    return comment


def comment_moderator_edit(*, moderator, comment: Comment, body: str, reason: str = "") -> Comment:
    """Change a comment's text (say, to cut a personal detail). The hold rules
    do not run: the moderator's text is what is shown."""
    _moderator_check(moderator)
    conf = discussion_settings(page=comment.page)
    before = comment.body
    comment.body = comment_text_clean(body, max_length=conf.max_length)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    _reports_resolve(comment)
    _log(
        moderator=moderator,
        action=ModerationActionKind.EDIT,
        comment=comment,
        reason=(reason or "").strip() or _("Text before: %(text)s") % {"text": before[:500]},
    )
    if comment.is_visible:
        discussions_changed(page=comment.page, author=comment.author)
    return comment


def comment_moderator_remove(*, moderator, comment: Comment, reason: str = "") -> Comment:
    return _comment_hide(
        moderator, comment, CommentStatus.REMOVED, ModerationActionKind.REMOVE, reason
    )


def _reader_notify(action: ModerationAction) -> None:
    """Queue the email telling the reader what a moderator did (after commit)."""
    from .tasks import reader_notice_request

    reader_notice_request(action=action)


def _standing(reader) -> ReaderStanding:
    standing, _created = ReaderStanding.objects.select_for_update().get_or_create(user=reader)
    return standing


def reader_warn(*, moderator, reader, comment: Comment | None = None, reason: str = ""):
    _moderator_check(moderator)
    standing = _standing(reader)
    ReaderStanding.objects.filter(pk=standing.pk).update(warnings=F("warnings") + 1)
    standing.refresh_from_db()
    action = _log(
        moderator=moderator,
        action=ModerationActionKind.WARN,
        comment=comment,
        reader=reader,
        reason=reason,
    )
    _reader_notify(action)
    return standing


def reader_suspend(*, moderator, reader, until, comment: Comment | None = None, reason: str = ""):
    _moderator_check(moderator)
    if until <= timezone.now():
        raise ValueError("A suspension ends in the future.")
    standing = _standing(reader)
    standing.suspended_until = until
    standing.save(update_fields=["suspended_until"])
    action = _log(
        moderator=moderator,
        action=ModerationActionKind.SUSPEND,
        comment=comment,
        reader=reader,
        reason=reason,
        until=until,
    )
    _reader_notify(action)
    return standing


def reader_ban(*, moderator, reader, comment: Comment | None = None, reason: str = ""):
    """Ban a reader from the discussions. Their comments stay as they are;
    the moderator removes the ones that should go."""
    _moderator_check(moderator)
    standing = _standing(reader)
    standing.banned = True
    standing.save(update_fields=["banned"])
    action = _log(
        moderator=moderator,
        action=ModerationActionKind.BAN,
        comment=comment,
        reader=reader,
        reason=reason,
    )
    _reader_notify(action)
    return standing


def reader_unban(*, moderator, reader, reason: str = ""):
    """Lift a ban and any suspension. The reader is told only if there was
    one to lift."""
    _moderator_check(moderator)
    standing = _standing(reader)
    sanctioned = standing.banned or standing.is_suspended
    standing.banned = False
    standing.suspended_until = None
    standing.save(update_fields=["banned", "suspended_until"])
    action = _log(
        moderator=moderator, action=ModerationActionKind.UNBAN, reader=reader, reason=reason
    )
    if sanctioned:
        _reader_notify(action)
    return standing
