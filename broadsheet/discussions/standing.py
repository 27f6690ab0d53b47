"""What a reader is told about their own standing in the discussions (the
"Your standing" panel of their account page): warnings, a suspension or a
ban with the moderators' reasons, and their comments waiting for or refused
by moderation. Never who the moderator was.

Two queries: the `ReaderStanding` row with the latest warning, suspension
and ban read from the audit log in subqueries, and one grouped count of the
reader's held and rejected comments."""

from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery

from .models import Comment, CommentStatus, ModerationAction, ModerationActionKind, ReaderStanding


def moderation_contact_email() -> str:
    """Where readers write to appeal a moderator's decision:
    `BROADSHEET_MODERATION_CONTACT_EMAIL`, else `DEFAULT_FROM_EMAIL`."""
    return (
        getattr(settings, "BROADSHEET_MODERATION_CONTACT_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    )


def moderation_contact_address() -> str:
    """The same, bare ("Desk <desk@example.org>" → "desk@example.org"), for text."""
    contact = moderation_contact_email()
    return parseaddr(contact)[1] or contact


def community_rules_url() -> str:
    """`BROADSHEET_COMMUNITY_RULES_URL` (absolute, or a path on this site), or ""."""
    return getattr(settings, "BROADSHEET_COMMUNITY_RULES_URL", "") or ""


@dataclass(frozen=True)
class StandingSummary:
    warnings: int = 0
    last_warning_at: datetime | None = None
    last_warning_reason: str = ""
    suspended_until: datetime | None = None  # only while the suspension lasts
    suspension_reason: str = ""
    banned: bool = False
    ban_reason: str = ""
    held: int = 0
    rejected: int = 0

    @property
    def sanctioned(self) -> bool:
        return bool(self.warnings or self.suspended_until or self.banned)

    @property
    def shown(self) -> bool:
        """Anything to tell the reader; False for a reader in good standing
        with nothing waiting or refused."""
        return self.sanctioned or bool(self.held or self.rejected)


def _latest(kind: str, field: str) -> Subquery:
    return Subquery(
        ModerationAction.objects.filter(reader=OuterRef("user"), action=kind)
        .order_by("-created_at", "-pk")
        .values(field)[:1]
    )


def reader_standing_summary(*, user) -> StandingSummary:
    if user is None or not user.is_authenticated:
        return StandingSummary()
    standing = (
        ReaderStanding.objects.filter(user=user)
        .annotate(
            last_warning_at=_latest(ModerationActionKind.WARN, "created_at"),
            last_warning_reason=_latest(ModerationActionKind.WARN, "reason"),
            suspension_reason=_latest(ModerationActionKind.SUSPEND, "reason"),
            ban_reason=_latest(ModerationActionKind.BAN, "reason"),
        )
        .first()
    )
    counts = Comment.objects.filter(author=user).aggregate(
        held=Count("pk", filter=Q(status=CommentStatus.HELD)),
        rejected=Count("pk", filter=Q(status=CommentStatus.REJECTED)),
    )
    if standing is None:
        return StandingSummary(held=counts["held"], rejected=counts["rejected"])
    suspended = standing.is_suspended
    return StandingSummary(
        warnings=standing.warnings,
        last_warning_at=standing.last_warning_at if standing.warnings else None,
        last_warning_reason=(standing.last_warning_reason or "") if standing.warnings else "",
        suspended_until=standing.suspended_until if suspended else None,
        suspension_reason=(standing.suspension_reason or "") if suspended else "",
        banned=standing.banned,
        ban_reason=(standing.ban_reason or "") if standing.banned else "",
        held=counts["held"],
        rejected=counts["rejected"],
    )
