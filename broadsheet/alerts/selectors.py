"""Reads: the breaking banner every public page shows."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from broadsheet.core.cache import memoized
from broadsheet.news.models import ArticlePage

from .models import PushAlert

# How far back to look for the latest alert (the banner is far shorter).
LOOKBACK = timedelta(days=2)


@dataclass(frozen=True)
class Banner:
    id: int
    title: str
    url: str  # a path, without a language prefix
    since: datetime

    @property
    def until(self) -> datetime:
        return self.since + timedelta(minutes=settings.ALERTS_BANNER_MINUTES)


def _latest_banner() -> Banner | None:
    recent = PushAlert.objects.filter(created_at__gte=timezone.now() - LOOKBACK)
    for alert in recent.order_by("-created_at", "-pk")[:5]:
        # Still public: an unpublished or re-embargoed story leaves the banner.
        story = ArticlePage.objects.published().public().filter(pk=alert.story_id).first()
        if story is None:
            continue
        parts = story.get_url_parts()
        if parts is None or parts[2] is None:
            continue
        return Banner(id=story.pk, title=story.title, url=parts[2], since=alert.created_at)
    return None


def breaking_banner(*, now: datetime | None = None) -> Banner | None:
    """The latest breaking story while its banner time lasts. Computed once
    per process per content version (every publish moves it); the time is
    checked here, at each render, so an expired banner goes even while the
    memo holds."""
    banner = memoized(("alerts_breaking_banner",), _latest_banner)
    if banner is None or (now or timezone.now()) >= banner.until:
        return None
    return banner
