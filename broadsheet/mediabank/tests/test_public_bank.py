"""The public media bank: browsing, search, filters, photo pages and originals."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from broadsheet.core.cache import memo_clear
from broadsheet.mediabank import selectors
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.renditions import photo_renditions_generate
from broadsheet.news.cursors import Cursor
from broadsheet.news.factories import ArticlePageFactory, GalleryPageFactory, story_body

pytestmark = pytest.mark.django_db

BANK = "/mediabank/"


def _detail(photo) -> str:
    return reverse("mediabank:photo_detail", args=[photo.pk])


def _original(photo) -> str:
    return reverse("mediabank:photo_original", args=[photo.pk])


def _photos(n, **kwargs):
    """n photos, created a second apart, the last one newest."""
    start = timezone.now() - timedelta(days=1)
    photos = []
    for i in range(n):
        photo = PhotoFactory(size=(64, 48), **kwargs)
        type(photo).objects.filter(pk=photo.pk).update(created_at=start + timedelta(seconds=i))
        photo.refresh_from_db()
        photos.append(photo)
    return photos


def _listed(response) -> list[int]:
    return [photo.pk for photo in response.context["results"].items]


# Browsing and keyset pagination


def test_bank_lists_photos_newest_first(client, home):
    photos = _photos(3)
    response = client.get(BANK)
    assert response.status_code == 200
    assert _listed(response) == [p.pk for p in reversed(photos)]
    html = response.content.decode()
    assert _detail(photos[0]) in html
    assert "<title>Media bank" in html
    assert 'class="photo-grid"' in html


def test_bank_pages_by_keyset_to_the_end(client, home, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    photos = _photos(5)
    seen, url = [], BANK
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200
        seen += _listed(response)
        cursor = response.context["results"].next_cursor
        if cursor is None:
            break
        assert f"before={cursor}" in response.content.decode()
        url = f"{BANK}?before={cursor}"
    assert seen == [p.pk for p in reversed(photos)]


def test_photos_sharing_a_timestamp_are_neither_skipped_nor_repeated(client, home, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    photos = _photos(5)
    same = timezone.now() - timedelta(hours=1)
    type(photos[0]).objects.filter(pk__in=[p.pk for p in photos]).update(created_at=same)
    first = client.get(BANK)
    second = client.get(f"{BANK}?before={first.context['results'].next_cursor}")
    third = client.get(f"{BANK}?before={second.context['results'].next_cursor}")
    seen = _listed(first) + _listed(second) + _listed(third)
    assert seen == sorted((p.pk for p in photos), reverse=True)


@pytest.mark.parametrize(
    "cursor", ["nonsense", "1.2.3", "-5.1", "9" * 18 + ".1", "1" * 40 + ".1", "1.%00"]
)
def test_malformed_cursor_is_a_400(client, home, cursor):
    _photos(1)
    assert client.get(BANK, {"before": cursor}).status_code == 400


def test_cursor_past_the_end_is_a_404(client, home):
    oldest = _photos(2)[0]
    cursor = Cursor(oldest.created_at, oldest.pk).encode()
    assert client.get(BANK, {"before": cursor}).status_code == 404


# Search and filters


def test_search_by_caption_place_photographer_title_and_keyword(client, home):
    harbour = PhotoFactory(
        size=(64, 48),
        title="Cranes at dawn",
        caption="Dock workers return to the harbour",
        place="Rotterdam",
        photographer="Ines Duarte",
    )
    harbour.tags.add("Shipping")
    other = PhotoFactory(
        size=(64, 48), title="Goal", caption="A late winner", place="Lyon", photographer="Bo Li"
    )
    for words in ["harbour", "ROTTERDAM", "duarte", "cranes", "shipping", "dock rotterdam"]:
        assert _listed(client.get(BANK, {"q": words})) == [harbour.pk], words
    assert _listed(client.get(BANK, {"q": "winner"})) == [other.pk]
    response = client.get(BANK, {"q": "harbour lyon"})
    assert _listed(response) == []
    assert "No photos match." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["%", "_", "' OR 1=1 --", '"unbalanced', "a\x00b", "x" * 5000, "* NEAR( ", "\\", "😀 " * 300],
)
def test_hostile_search_never_fails(client, home, query):
    _photos(2)
    response = client.get(BANK, {"q": query, "photographer": query, "keyword": query})
    assert response.status_code == 200
    assert len(response.context["query"]) <= 200


def test_filter_by_photographer_and_keyword(client, home):
    a = PhotoFactory(size=(64, 48), photographer="Ines Duarte")
    a.tags.add("Flood")
    b = PhotoFactory(size=(64, 48), photographer="Bo Li")
    b.tags.add("Flood", "Rescue")
    assert _listed(client.get(BANK, {"photographer": "ines duarte"})) == [a.pk]
    assert sorted(_listed(client.get(BANK, {"keyword": "flood"}))) == sorted([a.pk, b.pk])
    assert _listed(client.get(BANK, {"keyword": "Flood", "photographer": "Bo Li"})) == [b.pk]


def test_filter_by_date_taken(client, home):
    early = PhotoFactory(size=(64, 48), date_taken=date(2025, 1, 10))
    late = PhotoFactory(size=(64, 48), date_taken=date(2025, 6, 1))
    PhotoFactory(size=(64, 48), date_taken=None)
    assert _listed(client.get(BANK, {"from": "2025-03-01"})) == [late.pk]
    assert _listed(client.get(BANK, {"to": "2025-03-01"})) == [early.pk]
    both = client.get(BANK, {"from": "2025-01-10", "to": "2025-06-01"})
    assert sorted(_listed(both)) == sorted([early.pk, late.pk])


@pytest.mark.parametrize(
    "params",
    [
        {"from": "yesterday"},
        {"to": "2025-02-30"},
        {"from": "2025-13-01"},
        {"from": "99999-01-01"},
        {"to": "2025-01-01T00:00"},
        {"from": "2025-06-01", "to": "2025-01-01"},
    ],
)
def test_bad_dates_are_a_400_with_a_clear_message(client, home, params):
    _photos(1)
    response = client.get(BANK, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "YYYY-MM-DD" in html or "must not be after" in html


def test_filtered_pages_are_not_indexed_and_keep_filters_when_paging(client, home, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    _photos(3, photographer="Ines Duarte")
    response = client.get(BANK, {"photographer": "Ines Duarte"})
    html = response.content.decode()
    assert "noindex" in html
    assert "photographer=Ines+Duarte&amp;before=" in html
    assert "noindex" not in client.get(BANK).content.decode()


# Photo pages


def test_photo_page_shows_everything_about_the_photo(client, home):
    photo = PhotoFactory(
        title="Flooded square",
        caption="Water fills the main square after the storm",
        agency="Meridian Photo",
        photographer="Ines Duarte",
        place="Porto",
        date_taken=date(2025, 3, 4),
        usage_terms="Editorial use only",
    )
    photo.tags.add("Flood", "Storm")
    response = client.get(_detail(photo))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Flooded square", photo.caption, "Ines Duarte", "Porto", "4 March 2025"]:
        assert text in html
    assert escape(photo.credit_line) in html
    assert "Editorial use only" in html
    assert f"{BANK}?keyword=Flood" in html
    assert f"{BANK}?photographer=Ines%20Duarte" in html
    assert " download>" in html
    assert _original(photo) in html
    assert f'<meta name="description" content="{photo.caption}">' in html
    assert '<meta property="og:title" content="Flooded square">' in html
    assert f'property="og:image" content="{settings.SITE_URL}/' in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}{_detail(photo)}">' in html


def test_web_copy_download_is_a_rendition(client, home):
    photo = PhotoFactory()
    photo_renditions_generate(photo=photo)
    html = client.get(_detail(photo)).content.decode()
    rendition = photo.renditions.get(filter_spec="max-1600x1600|format-jpeg")
    assert f'href="{rendition.url}" download' in html


def test_unknown_or_huge_photo_id_is_a_404(client, home):
    assert client.get(f"{BANK}424242/").status_code == 404
    assert client.get(f"{BANK}{'9' * 30}/").status_code == 404


def test_published_in_lists_public_stories_only(client, world):
    photo = PhotoFactory()
    public = ArticlePageFactory(parent=world, title="Harbour reopens", lead_photo=photo)
    ArticlePageFactory(
        parent=world,
        title="Secret embargoed story",
        lead_photo=photo,
        published_at=timezone.now() + timedelta(days=1),
    )
    ArticlePageFactory(parent=world, title="Unpublished draft", lead_photo=photo, live=False)
    response = client.get(_detail(photo))
    assert [s.pk for s in response.context["published_in"]] == [public.pk]
    html = response.content.decode()
    assert "Harbour reopens" in html
    assert "Secret embargoed story" not in html
    assert "Unpublished draft" not in html


def test_photo_of_an_embargoed_story_only_is_not_in_the_bank(client, world):
    story = ArticlePageFactory(
        parent=world, title="Secret", published_at=timezone.now() + timedelta(days=1)
    )
    secret = story.lead_photo
    visible = PhotoFactory(size=(64, 48))
    assert _listed(client.get(BANK)) == [visible.pk]
    assert client.get(_detail(secret)).status_code == 404
    assert _listed(client.get(BANK, {"q": secret.caption.split()[0]})).count(secret.pk) == 0


def _use_in_body(photo, *, world, **fields):
    return ArticlePageFactory(parent=world, body=story_body(seed=3, photo=photo), **fields)


def _use_in_gallery(photo, *, world, **fields):
    return GalleryPageFactory(parent=world, photos=[PhotoFactory(size=(64, 48)), photo], **fields)


def _use_as_cover(photo, *, world, **fields):
    return GalleryPageFactory(
        parent=world, photos=[PhotoFactory(size=(64, 48))], cover_photo=photo, **fields
    )


@pytest.mark.parametrize("use", [_use_in_body, _use_in_gallery, _use_as_cover])
@pytest.mark.parametrize("hidden", ["embargoed", "draft"])
def test_photo_used_anywhere_only_by_pages_not_public_is_withheld(client, world, use, hidden):
    """Not only lead photos: a body block, a gallery photo or a gallery's
    cover in a page not public yet holds the photo back, until a public page
    uses it too."""
    secret = PhotoFactory(size=(64, 48), caption="Qorvath envoys land at dawn")
    if hidden == "embargoed":
        use(secret, world=world, published_at=timezone.now() + timedelta(days=1))
    else:
        use(secret, world=world, live=False, published_at=None, first_published_at=None)
    assert secret.pk not in _listed(client.get(BANK))
    assert client.get(_detail(secret)).status_code == 404
    assert secret.pk not in _listed(client.get(BANK, {"q": "Qorvath"}))

    use(secret, world=world)
    memo_clear()  # factories save rows without publishing, which bumps the version
    assert secret.pk in _listed(client.get(BANK))
    assert "Qorvath envoys land at dawn" in client.get(_detail(secret)).content.decode()


def test_related_photos_share_a_keyword_or_the_place(client, home):
    photo = PhotoFactory(place="Porto")
    photo.tags.add("Flood")
    by_tag = PhotoFactory(size=(64, 48), place="Lyon")
    by_tag.tags.add("Flood")
    by_place = PhotoFactory(size=(64, 48), place="porto")
    PhotoFactory(size=(64, 48), place="Oslo")
    response = client.get(_detail(photo))
    assert sorted(p.pk for p in response.context["related"]) == sorted([by_tag.pk, by_place.pk])


# Originals


def _user(username, *, staff=False, group=None):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password="pw", is_staff=staff
    )
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def test_originals_permission_matrix(client, home):
    photo = PhotoFactory(size=(64, 48))
    assert client.get(_original(photo)).status_code == 403
    cases = [
        (_user("reader"), 403),
        (_user("other-group", group="subscribers"), 403),
        (_user("editor", staff=True), 200),
        (_user("client", group="media clients"), 200),
    ]
    for user, expected in cases:
        client.force_login(user)
        response = client.get(_original(photo))
        assert response.status_code == expected, user.username
        if expected == 200:
            assert b"".join(response.streaming_content) == photo.file.open("rb").read()
            assert "attachment" in response["Content-Disposition"]
            assert "private" in response["Cache-Control"]
        client.logout()


def test_originals_of_withheld_photos_are_for_staff_only(client, world):
    story = ArticlePageFactory(parent=world, published_at=timezone.now() + timedelta(days=1))
    client.force_login(_user("client", group="media clients"))
    assert client.get(_original(story.lead_photo)).status_code == 404
    client.force_login(_user("editor", staff=True))
    assert client.get(_original(story.lead_photo)).status_code == 200


# Credit lines across the site


def test_credit_lines_on_an_article_link_to_the_bank(client, world):
    inline = PhotoFactory(size=(64, 48))
    story = ArticlePageFactory(parent=world, body=story_body(seed=3, photo=inline))
    html = client.get(story.url).content.decode()
    for photo in (story.lead_photo, inline):
        assert (
            f'<a class="credit" href="{_detail(photo)}">{escape(photo.credit_line)}'
            '<span class="visually-hidden"> — Go to the media bank</span></a>'
        ) in html
    assert f'href="{BANK}"' in html  # the footer link


# Cost


def _queries(client, url) -> int:
    client.get(url)  # renditions are made on the first view
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_bank(client, world):
    photo = PhotoFactory(size=(64, 48), place="Porto")
    photo.tags.add("Flood")
    ArticlePageFactory(parent=world, lead_photo=photo)
    _photos(4, place="Porto")
    urls = [BANK, f"{BANK}?q=porto", f"{BANK}?keyword=flood&from=2000-01-01", _detail(photo)]
    for url in urls:  # fill the per-process memo (site, identity) once
        client.get(url)
    small = [_queries(client, url) for url in urls]
    _photos(45, place="Porto")
    assert [_queries(client, url) for url in urls] == small


def test_the_publishers_logo_is_not_an_archive_photo(client, home):
    from wagtail.models import Site

    from broadsheet.core.models import SiteIdentity

    logo, photo = _photos(2)
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.logo = logo
    identity.save()
    memo_clear()
    assert _listed(client.get(BANK)) == [photo.pk]
    assert client.get(_detail(logo)).status_code == 404
    assert client.get(_detail(photo)).status_code == 200
