"""Story sitemaps by month (news/sitemaps.py): a month's file lists the
stories and galleries made public that month, oldest first and 5,000 to a
file; the pages file lists the rest; the index names every file with the
latest date in it; a name no file has is a 404."""

from datetime import UTC, datetime, timedelta

import pytest
from defusedxml import ElementTree as ET
from django.utils import timezone

from broadsheet.news import sitemaps
from broadsheet.news.factories import ArticlePageFactory, GalleryPageFactory
from broadsheet.news.testing import SITEMAP_NS, sitemap_files

pytestmark = pytest.mark.django_db


def locations(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    found = ET.fromstring(response.content).findall("sm:url/sm:loc", SITEMAP_NS)
    return [node.text for node in found]


def slugs(client, path: str) -> list[str]:
    return [url.rsplit("/", 2)[-2] for url in locations(client, path)]


def month_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


@pytest.fixture
def months(world):
    now = timezone.now()
    earlier = now - timedelta(days=40)
    return {
        "earlier": ArticlePageFactory(parent=world, slug="earlier", published_at=earlier),
        "gallery": GalleryPageFactory(parent=world, slug="pictures", published_at=earlier),
        "now": ArticlePageFactory(
            parent=world, slug="now", published_at=now - timedelta(minutes=1)
        ),
        "embargoed": ArticlePageFactory(
            parent=world, slug="embargoed", published_at=now + timedelta(hours=1)
        ),
    }


def test_each_month_lists_its_stories_and_galleries_and_the_pages_file_the_rest(
    client, world, months
):
    earlier, current = month_of(months["earlier"].published_at), month_of(timezone.now())
    assert earlier != current
    files = sitemap_files(client, "en")
    assert files == [
        "/sitemap-pages.xml",
        f"/sitemap-stories-{current}.xml",
        f"/sitemap-stories-{earlier}.xml",
    ], "the pages, then the months newest first"

    # Oldest first (the two were made public at the same moment: by id).
    assert slugs(client, f"/sitemap-stories-{earlier}.xml") == ["earlier", "pictures"]
    assert slugs(client, f"/sitemap-stories-{current}.xml") == ["now"], (
        "an embargoed story is in no month before its time"
    )
    pages = locations(client, "/sitemap-pages.xml")
    assert any(url.endswith(world.url) for url in pages)
    assert not any(slug in url for url in pages for slug in ("earlier", "pictures", "/now/"))


def index_dates(client) -> dict[str, str | None]:
    index = ET.fromstring(client.get("/sitemap.xml").content)
    dates = {}
    for node in index.findall("sm:sitemap", SITEMAP_NS):
        lastmod = node.find("sm:lastmod", SITEMAP_NS)
        name = node.find("sm:loc", SITEMAP_NS).text.rsplit("/", 1)[-1]
        dates[name] = None if lastmod is None else lastmod.text
    return dates


def test_the_index_dates_each_month_by_its_latest_change(client, months):
    story = months["earlier"]
    name = f"sitemap-stories-{month_of(story.published_at)}.xml"
    assert index_dates(client)[name].startswith(f"{story.published_at.astimezone(UTC):%Y-%m-%d}")
    # A past month's summary is kept across other publishes, and dropped
    # when a story of that month changes (its sitemap key is purged).
    ArticlePageFactory(parent=story.get_parent())
    story.updated_at = story.published_at + timedelta(days=2)
    story.save_revision().publish()
    assert index_dates(client)[name].startswith(f"{story.updated_at.astimezone(UTC):%Y-%m-%d}")


def test_a_busy_month_is_cut_into_files_that_keep_their_entries(client, world, monkeypatch):
    monkeypatch.setattr(sitemaps, "FILE_LIMIT", 2)
    monkeypatch.setattr(sitemaps.RowsSitemap, "limit", 2)
    start = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for n in range(3):
        ArticlePageFactory(
            parent=world, slug=f"story-{n}", published_at=start + timedelta(minutes=n + 1)
        )
    month = month_of(start)
    files = sitemap_files(client, "en")
    assert f"/sitemap-stories-{month}.xml" in files
    assert f"/sitemap-stories-{month}.xml?p=2" in files
    first = locations(client, f"/sitemap-stories-{month}.xml")
    second = locations(client, f"/sitemap-stories-{month}.xml?p=2")
    assert [url.rsplit("/", 2)[-2] for url in first + second] == [
        "story-0",
        "story-1",
        "story-2",
    ]
    assert client.get(f"/sitemap-stories-{month}.xml?p=3").status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "stories-2999-01",  # a month to come
        "stories-2026-13",
        "stories-1969-12",
        "stories-en-{month}",  # the default edition's files carry no language
        "stories-xx-{month}",
        "stories",
        "pages-{month}",
        "stories-{empty}",  # a month with no story
    ],
)
def test_a_name_no_file_has_is_not_found(client, months, name):
    empty = month_of(timezone.now() - timedelta(days=400))
    path = f"/sitemap-{name.format(month=month_of(timezone.now()), empty=empty)}.xml"
    assert client.get(path).status_code == 404
