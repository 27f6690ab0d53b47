"""Fast pictures: <picture> with AVIF, WebP and a JPEG fallback, sizes set,
and renditions made in the background — a page never waits on image
processing."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from PIL import Image

from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.models import PhotoRendition
from broadsheet.mediabank.renditions import ALL_SPECS, photo_renditions_generate
from broadsheet.mediabank.rights import photo_expiries_run
from broadsheet.mediabank.tasks import _requested, photo_renditions_task
from broadsheet.news.factories import ArticlePageFactory, story_body

pytestmark = pytest.mark.django_db

SERVE_URL = re.compile(r'<img src="(/images/[^"]+)"')


@pytest.fixture(autouse=True)
def _fresh_requests():
    _requested.clear()
    yield
    _requested.clear()


def test_a_page_with_new_photos_makes_no_rendition_and_asks_the_worker(
    client, world, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=photo)
    PhotoRendition.objects.all().delete()
    _requested.clear()

    with django_capture_on_commit_callbacks(execute=False) as queued:
        html = client.get(story.url).content.decode()

    assert not PhotoRendition.objects.exists(), "the page generated renditions itself"
    assert len(queued) == 1, "one background job per photo, however often it is shown"
    lead = html.split('class="story__lead', 1)[1]
    src = SERVE_URL.search(lead)[1]
    assert 'width="800" height="450"' in lead.split("</picture>")[0]
    assert "<source" not in lead.split("</picture>")[0]

    # The browser's request for that address makes the one file and redirects to it.
    response = client.get(src)
    assert response.status_code == 302
    assert response["Location"].startswith("/media/images/")
    assert list(PhotoRendition.objects.values_list("filter_spec", flat=True)) == [
        "fill-800x450-c80|format-jpeg"
    ]


def test_after_the_worker_ran_the_page_offers_avif_webp_and_jpeg(client, world):
    photo = PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=photo)
    assert photo_renditions_task.call(photo.pk) == len(ALL_SPECS)

    html = client.get(story.url).content.decode()
    picture = html.split('class="story__lead', 1)[1].split("</picture>")[0]
    avif = picture.index('<source type="image/avif"')
    webp = picture.index('<source type="image/webp"')
    img = picture.index("<img ")
    assert avif < webp < img, "browsers take the first source they support"
    assert picture.count(".avif 480w") == 1 and ".avif 1280w" in picture
    assert ".jpg 480w" in picture and 'width="800" height="450"' in picture
    assert 'fetchpriority="high"' in picture and 'loading="eager"' in picture
    assert "/images/" not in picture.replace("/media/images/", "")


@pytest.mark.parametrize(("fmt", "magic"), [("avif", b"ftypavif"), ("webp", b"WEBP")])
def test_modern_formats_are_really_encoded(fmt, magic):
    photo = PhotoFactory()
    photo_renditions_generate(photo=photo)
    rendition = photo.renditions.get(filter_spec=f"fill-480x270-c80|format-{fmt}")
    with rendition.file.open("rb") as f:
        head = f.read(32)
    assert magic in head
    with rendition.file.open("rb") as f, Image.open(f) as image:
        assert image.size == (480, 270)


def test_teasers_below_the_fold_load_lazily(client, world):
    for n in range(3):
        photo = PhotoFactory(seed=n)
        photo_renditions_generate(photo=photo)
        ArticlePageFactory(parent=world, lead_photo=photo)
    html = client.get(world.url).content.decode()
    assert html.count('loading="lazy"') >= 2
    assert 'srcset="' in html and 'sizes="' in html


def test_saving_a_story_asks_for_the_renditions_of_every_photo_it_uses(
    world, django_capture_on_commit_callbacks
):
    lead, inline = PhotoFactory(seed=1), PhotoFactory(seed=2)
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticlePageFactory(
            parent=world, lead_photo=lead, body=story_body(seed=1, photo=inline), live=False
        )
        _requested.clear()
        story.save_revision()
    for photo in (lead, inline):
        made = set(photo.renditions.values_list("filter_spec", flat=True))
        assert made == set(ALL_SPECS), photo


def test_the_image_view_refuses_withdrawn_photos_and_forged_addresses(client, world):
    photo = PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=photo)
    PhotoRendition.objects.all().delete()
    src = SERVE_URL.search(client.get(story.url).content.decode())[1]

    forged = src.replace("fill-800x450-c80", "fill-4000x4000-c80")
    assert client.get(forged).status_code == 403

    photo.licence_expires_at = timezone.now() - timedelta(minutes=1)
    photo.save()
    assert client.get(src).status_code == 404
    assert not PhotoRendition.objects.exists()


def test_the_task_skips_photos_that_may_not_be_shown():
    photo = PhotoFactory(restricted=True)
    assert photo_renditions_task.call(photo.pk) == 0
    assert photo_renditions_task.call(987654) == 0
    assert not PhotoRendition.objects.exists()


def test_a_new_photo_gets_its_renditions_from_the_worker(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        photo = PhotoFactory()
    assert set(photo.renditions.values_list("filter_spec", flat=True)) == set(ALL_SPECS)


def test_withdrawing_a_photo_deletes_its_files_and_purges_their_addresses(
    purged, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    photo_renditions_generate(photo=photo)
    urls = [r.url for r in photo.renditions.all()]
    with django_capture_on_commit_callbacks(execute=True):
        photo.restricted = True
        photo.save()
    assert not photo.renditions.exists()
    assert all(any(p.endswith(url) for p in purged) for url in urls)

    with django_capture_on_commit_callbacks(execute=True):
        photo.restricted = False
        photo.save()
    assert photo.renditions.count() == len(ALL_SPECS), "restored photos are made again"


def test_the_scheduler_withdraws_files_when_a_licence_expires_unattended():
    photo = PhotoFactory(licence_expires_at=timezone.now() + timedelta(hours=1))
    other = PhotoFactory(seed=9)
    photo_renditions_generate(photo=photo)
    photo_renditions_generate(photo=other)
    assert photo_expiries_run() == []
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert photo_expiries_run() == [photo.title]
    assert not photo.renditions.exists()
    assert other.renditions.count() == len(ALL_SPECS)


def test_the_scheduler_withdraws_files_made_again_for_a_withdrawn_photo(
    django_capture_on_commit_callbacks,
):
    """The admin makes thumbnails and a full-size rendition when an editor
    opens a withdrawn photo: public files that the next pass deletes."""
    photo = PhotoFactory()
    with django_capture_on_commit_callbacks(execute=True):
        photo.restricted = True
        photo.save()
    assert not photo.renditions.exists()
    photo.get_rendition("original")
    photo.get_rendition("max-165x165")
    assert photo.renditions.count() == 2
    assert photo_expiries_run() == [photo.title]
    assert not photo.renditions.exists()
    assert photo_expiries_run() == []
