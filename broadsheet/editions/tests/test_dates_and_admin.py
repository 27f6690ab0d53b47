"""Times in the edition's zone (pages, memoised fragments, live posts) and
the Editions admin (Settings → Editions)."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from wagtail.models import Locale

from broadsheet.editions.models import Edition
from broadsheet.editions.tests.fixtures import translate
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

LATE_EVENING_UTC = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # Tokyo: 11 March
EARLY_MORNING_UTC = datetime(2026, 3, 11, 3, 30, tzinfo=UTC)  # Mexico City: 10 March


def zone_set(language: str, zone: str) -> None:
    edition = Edition.objects.get(locale__language_code=language)
    edition.time_zone = zone
    edition.save()  # bumps the content version: memoised pages print anew


@pytest.fixture
def dated(edition_tree):
    zone_set("ru", "Asia/Tokyo")
    zone_set("es", "America/Mexico_City")
    world = edition_tree.world
    stories = {}
    for language, when in (("ru", LATE_EVENING_UTC), ("es", EARLY_MORNING_UTC)):
        english = ArticlePageFactory(
            parent=world["en"], title=f"Dated {language}", published_at=when
        )
        stories[language] = translate(
            english, Locale.objects.get(language_code=language), published_at=when
        )
        stories[f"en-{language}"] = english
    return stories


def dateline(html: str) -> tuple[str, str]:
    found = re.search(r'<p class="dateline">.*?<time datetime="([^"]+)">([^<]+)</time>', html, re.S)
    return found.group(1), found.group(2)


def test_a_late_story_shows_the_next_day_in_tokyo_and_the_day_before_in_mexico(client, dated):
    iso, text = dateline(client.get(dated["ru"].url).content.decode())
    assert iso == "2026-03-11T08:30:00+09:00"
    with translation.override("ru"):
        # The month in the genitive, as Russian writes a date (formats/ru).
        assert text == formats.date_format(datetime(2026, 3, 11, 8, 30), "j E Y, H:i")
    assert text == "11 марта 2026, 08:30"
    assert text.startswith("11 ")

    iso, text = dateline(client.get(dated["es"].url).content.decode())
    assert iso == "2026-03-10T21:30:00-06:00"
    assert text.startswith("10 ")

    # The English edition keeps the site's zone (UTC).
    iso, _text = dateline(client.get(dated["en-ru"].url).content.decode())
    assert iso == "2026-03-10T23:30:00+00:00"


def test_json_ld_keeps_iso_times_with_their_offset(client, dated):
    html = client.get(dated["ru"].url).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    article = next(b for b in map(json.loads, blocks) if "datePublished" in b)
    assert datetime.fromisoformat(article["datePublished"]) == LATE_EVENING_UTC


def test_the_memoised_newsfeed_box_prints_each_edition_in_its_zone(client, dated):
    # Rendered once per language and zone: the English box must not be reused.
    english = client.get("/").content.decode()
    russian = client.get("/ru/").content.decode()
    assert '<time datetime="2026-03-10T23:30:00+00:00">23:30</time>' in english
    assert '<time datetime="2026-03-11T08:30:00+09:00">08:30</time>' in russian


def test_a_live_post_pushed_to_readers_prints_the_edition_zone(edition_tree, dated):
    from broadsheet.live.factories import LivePostFactory, LiveStoryPageFactory
    from broadsheet.live.services import post_html

    story = LiveStoryPageFactory(parent=edition_tree.world["ru"], title="Прямая трансляция")
    post = LivePostFactory(story=story, title="Update", published_at=LATE_EVENING_UTC)
    assert "08:30" in post_html(post)
    assert timezone.get_current_timezone_name() == "UTC"


def test_arabic_pages_use_arabic_date_names(client, edition_tree):
    zone_set("ar", "Asia/Riyadh")
    story = edition_tree.story["ar"]
    _iso, text = dateline(client.get(story.url).content.decode())
    with translation.override("ar"):
        month = formats.date_format(timezone.localtime(story.published_at), "F")
    assert month in text and not re.search(r"[A-Za-z]", month)


# ---- the Editions admin


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        username="ed", email="ed@example.com", password="x"
    )
    client.force_login(user)
    return client


def test_editions_are_listed_under_settings(admin_client, edition_tree):
    response = admin_client.get(reverse("editions:index"))
    assert response.status_code == 200
    for name in ("English", "Русский", "Español", "العربية"):
        assert name in response.content.decode()
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("editions:index") in home


def test_an_editor_sets_zone_and_tagline_but_not_the_language(admin_client, edition_tree):
    russian = Edition.objects.get(locale__language_code="ru")
    spanish_locale = Locale.objects.get(language_code="es")
    url = reverse("editions:edit", args=[russian.pk])
    assert "Asia/Tokyo" in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {"locale": spanish_locale.pk, "time_zone": "Asia/Tokyo", "tagline": "Новости без границ"},
    )
    assert response.status_code == 302
    russian.refresh_from_db()
    assert (russian.locale.language_code, russian.time_zone) == ("ru", "Asia/Tokyo")
    assert russian.tagline == "Новости без границ"


def test_an_unknown_time_zone_is_a_form_error(admin_client, edition_tree):
    russian = Edition.objects.get(locale__language_code="ru")
    response = admin_client.post(
        reverse("editions:edit", args=[russian.pk]), {"time_zone": "Mars/Olympus", "tagline": ""}
    )
    assert response.status_code == 200
    assert Edition.objects.get(pk=russian.pk).time_zone != "Mars/Olympus"


def test_a_new_edition_is_offered_only_locales_without_one(admin_client, edition_tree):
    Edition.objects.filter(locale__language_code="es").delete()
    form = admin_client.get(reverse("editions:add")).context["form"]
    assert [locale.language_code for locale in form.fields["locale"].queryset] == ["es"]


def test_the_masthead_shows_the_edition_tagline(client, edition_tree, settings):
    Edition.objects.get(locale__language_code="ru").save()
    edition = Edition.objects.get(locale__language_code="ru")
    edition.tagline = "Новости без границ"
    edition.save()
    russian = client.get("/ru/").content.decode()
    assert '<p class="masthead__tagline">Новости без границ</p>' in russian
    assert "Новости без границ" not in client.get("/").content.decode()
