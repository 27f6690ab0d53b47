"""The months of an edition's story sitemaps (news/sitemaps.py): which
months have public stories or galleries, how many and the latest date of
each, for the sitemap index."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import CharField, Count, F, Func, Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from broadsheet.core.fragments import fragment_memoized
from broadsheet.core.privacy import any_private_pages
from broadsheet.core.surrogate import (
    SITE_KEY,
    surrogate_keys_add,
    surrogate_keys_begin,
    surrogate_keys_end,
)
from broadsheet.editions.selectors import home_for, locale_id_for

from .edge_keys import sitemap_month_key
from .models import ArticlePage, GalleryPage


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month in UTC: one story file of an edition."""

    year: int
    month: int

    @classmethod
    def of(cls, moment: datetime) -> "Month":
        moment = moment.astimezone(UTC)
        return cls(moment.year, moment.month)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        if self.month == 12:
            return datetime(self.year + 1, 1, 1, tzinfo=UTC)
        return datetime(self.year, self.month + 1, 1, tzinfo=UTC)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class UTCMonth(Func):
    """A datetime's UTC month as "YYYY-MM", computed by the database.
    Django's TruncMonth calls a Python function per row on SQLite, which
    stores datetimes as UTC text: there the month is the text's first seven
    characters."""

    output_field = CharField()
    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM')"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra_context
        )


def _edition_galleries(home):
    """The live galleries under an edition's front page, by path range (as
    a list of the edition's pages, SQLite read all of them: 30 ms)."""
    if home is None:
        return GalleryPage.objects.none()
    return GalleryPage.objects.live().filter(path__gte=home.path, path__lt=home.path + "[")


def edition_months(language: str) -> dict[Month, tuple[int, datetime]]:
    """Month → (how many public stories and galleries, the latest date of
    any of them) of an edition. The past months are kept until one of them
    is purged (a story of that month changed: core/fragments.py), so after a
    publish only the current month is counted again: grouped over the whole
    archive every time, the index cost 180 ms at 100,000 stories."""
    locale_id = locale_id_for(language=language)
    home = home_for(language=language)
    if locale_id is None or home is None:
        return {}
    current = Month.of(timezone.now())
    # Kept apart from the answer's keys: the index is purged by every
    # publish anyway (`sm`), and naming each month would make its header
    # grow with the archive.
    token = surrogate_keys_begin()
    try:
        past = fragment_memoized(
            ("sitemap_months", locale_id, current.label),
            lambda: _months_counted(locale_id, home, until=current.start),
            tags=[SITE_KEY],
        )
    finally:
        surrogate_keys_end(token)
    found = dict(past)
    found.update(_months_counted(locale_id, home, since=current.start))
    return found


def dated_pages(locale_id, home, *, since=None, until=None) -> tuple:
    """(stories, galleries) of an edition public between `since` and
    `until` (either open): what its story sitemaps list."""
    now = timezone.now()
    stories = ArticlePage.objects.live().filter(edition_locale_id=locale_id, published_at__lte=now)
    galleries = _edition_galleries(home).filter(published_at__lte=now)
    if since is not None:
        stories, galleries = (q.filter(published_at__gte=since) for q in (stories, galleries))
    if until is not None:
        stories, galleries = (q.filter(published_at__lt=until) for q in (stories, galleries))
    if any_private_pages():
        stories, galleries = stories.public(), galleries.public()
    return stories, galleries


def _months_counted(locale_id, home, *, since=None, until=None) -> dict:
    """Two grouped queries; names the story sitemap key of every month from
    the first found to `until` (for fragment_memoized)."""
    stories, galleries = dated_pages(locale_id, home, since=since, until=until)
    found: dict[Month, tuple[int, datetime]] = {}
    for rows, latest in (
        (stories, Coalesce(F("updated_at"), F("published_at"))),
        (galleries, F("published_at")),
    ):
        grouped = (
            rows.order_by()
            .annotate(month=UTCMonth("published_at"))
            .values("month")
            .annotate(count=Count("pk"), latest=Max(latest))
        )
        for row in grouped:
            year, number = row["month"].split("-")
            month = Month(int(year), int(number))
            count, last = found.get(month, (0, row["latest"]))
            found[month] = (count + row["count"], max(last, row["latest"]))
    if until is not None and found:
        month = min(found)
        while month.start < until:
            surrogate_keys_add(sitemap_month_key(locale_id, month.start))
            month = Month.of(month.end)
    return found
