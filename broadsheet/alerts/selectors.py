"""Reads: the breaking banner every public page shows."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from broadsheet.core.cache import memoized
from broadsheet.news.models import ArticlePage
from broadsheet.news.selectors import edition_locale_id

from .models import PushAlert

# How far back to look for the latest alert (the banner is far shorter).
LOOKBACK = timedelta(days=2)


@dataclass(frozen=True)
class Banner:
    id: int
    title: str
    url: str  # the story's path, with its edition's language prefix
    since: datetime

    @property
    def until(self) -> datetime:
        return self.since + timedelta(minutes=settings.ALERTS_BANNER_MINUTES)


def _latest_banner(locale_id: int | None) -> Banner | None:
    # Newest first by the time index, the edition checked per alert: led by
    # the edition, SQLite reads every story of it first (1.4 ms at 100,000
    # stories). Alerts are a few a day: 200 cover two days of every edition.
    recent = (
        PushAlert.objects.filter(created_at__gte=timezone.now() - LOOKBACK)
        .order_by("-created_at", "-pk")
        .select_related("story")
        .only("story_id", "created_at", "story__edition_locale_id")[:200]
    )
    mine = [alert for alert in recent if alert.story.edition_locale_id == locale_id]
    for alert in mine[:5]:
        # Still public: an unpublished or re-embargoed story leaves the banner.
        story = ArticlePage.objects.published().public().filter(pk=alert.story_id).first()
        if story is None:
            continue
        parts = story.get_url_parts()
        if parts is None or parts[2] is None:
            continue
        return Banner(id=story.pk, title=story.title, url=parts[2], since=alert.created_at)
    return None


def breaking_banner(*, now: datetime | None = None, locale_id: int | None = None) -> Banner | None:
    """The edition's latest breaking story while its banner time lasts.
    Computed once per process per content version and edition (every
    publish moves it); the time is checked here, at each render, so an
    expired banner goes even while the memo holds."""
    edition = locale_id if locale_id is not None else edition_locale_id()
    banner = memoized(("alerts_breaking_banner", edition), lambda: _latest_banner(edition))
    if banner is None or (now or timezone.now()) >= banner.until:
        return None
    return banner
