import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.mediabank.demo_bank import TITLE_PREFIX, bank_archive_build
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.models import Photo, PhotoRendition
from broadsheet.mediabank.renditions import ALL_SPECS, specs_for

pytestmark = pytest.mark.django_db

BANK = reverse("mediabank:photo_list")
SERVE_VIEW_URL = re.compile(rb"(?<!/media)/images/")


@pytest.fixture
def demo_photos(home):
    return [
        PhotoFactory(seed=n, size=(64, 48), title=f"Demo photo {n + 1}: Brisa") for n in range(2)
    ]


def _archive():
    return Photo.objects.filter(title__startswith=TITLE_PREFIX)


def test_build_makes_photos_with_keywords_and_the_demo_photos_renditions(demo_photos):
    assert bank_archive_build(photos=30) == 30

    photos = list(_archive().order_by("-created_at").prefetch_related("tags", "renditions"))
    assert len(photos) == 30
    assert len({p.file_hash for p in photos}) == 30
    assert len({p.date_taken for p in photos}) > 20
    assert {p.file.name for p in photos} == {p.file.name for p in demo_photos}
    for photo in photos:
        assert 1 <= len(photo.tags.all()) <= 3
        renditions = {r.filter_spec: r for r in photo.renditions.all()}
        assert set(specs_for("grid")) <= set(renditions) == set(ALL_SPECS)
        source = next(p for p in demo_photos if p.file.name == photo.file.name)
        original = PhotoRendition.objects.get(image=source, filter_spec=specs_for("grid")[0])
        copy = renditions[original.filter_spec]
        assert (copy.file.name, copy.width, copy.focal_point_key) == (
            original.file.name,
            original.width,
            original.focal_point_key,
        )


def test_build_is_idempotent(demo_photos):
    bank_archive_build(photos=30)
    first = list(_archive().order_by("pk").values_list("title", "created_at"))
    assert bank_archive_build(photos=30) == 0
    assert bank_archive_build(photos=40) == 10
    assert list(_archive().order_by("pk").values_list("title", "created_at")[:30]) == first


def test_build_needs_the_demo_photos(home):
    with pytest.raises(RuntimeError):
        bank_archive_build(photos=5)


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    assert not SERVE_VIEW_URL.search(response.content), f"{url} fell back to generating renditions"
    return len(captured.captured_queries)


def test_bank_pages_cost_the_same_with_30_and_300_photos(client, demo_photos):
    bank_archive_build(photos=30)
    newest = _archive().order_by("-created_at", "-pk").first()
    urls = [
        BANK,
        f"{BANK}?q={newest.place}",
        f"{BANK}?photographer={newest.photographer}&from=2000-01-01&to=2030-12-31",
        reverse("mediabank:photo_detail", args=[newest.pk]),
    ]
    for url in urls:  # fill the per-process memo (site, identity) once
        client.get(url)
    small = [_queries(client, url) for url in urls]
    bank_archive_build(photos=300)
    assert [_queries(client, url) for url in urls] == small
