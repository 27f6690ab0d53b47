"""The media bank's word search: Wagtail's search index, not a LIKE scan.

Runs on SQLite (FTS5) and PostgreSQL (tsvector); see selectors._found.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.search.models import IndexEntry

from broadsheet.mediabank import selectors
from broadsheet.mediabank.demo_bank import TITLE_PREFIX, bank_archive_build
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.models import Photo
from broadsheet.mediabank.views import bank_words
from broadsheet.news.cursors import Cursor
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

BANK = "/mediabank/"


def _photo(**kwargs) -> Photo:
    fields = {
        "title": "Untitled",
        "caption": "Nothing to see",
        "place": "Nowhere",
        "photographer": "Nobody Known",
    }
    return PhotoFactory(size=(64, 48), **(fields | kwargs))


def _listed(response) -> list[int]:
    assert response.status_code == 200
    results = response.context["results"]
    return [photo.pk for photo in results.items] if results else []


def _found(client, q, **params) -> set[int]:
    return set(_listed(client.get(BANK, {"q": q, **params})))


def test_finds_by_caption_place_photographer_and_keyword(client, home):
    photo = _photo(
        caption="Lifeboat crews haul nets ashore",
        place="Norvik",
        photographer="Saoirse Lindqvist",
    )
    photo.tags.add("Fishing")  # after the save: the keyword signal re-indexes it
    _photo(caption="A quiet street", place="Belmora", photographer="Jonah Byrne")
    for q in ["lifeboat", "nets", "Norvik", "lindqvist", "Saoirse", "fishing", "FISHING"]:
        assert _found(client, q) == {photo.pk}, q


def test_all_words_must_match(client, home):
    both = _photo(caption="Flood water in the market square", place="Dunmere")
    flood = _photo(caption="Flood defences hold", place="Glenroy")
    _photo(caption="Market day", place="Dunmere")
    assert _found(client, "flood") == {both.pk, flood.pk}
    assert _found(client, "flood dunmere") == {both.pk}
    assert _found(client, "market flood DUNMERE") == {both.pk}
    assert _found(client, "flood belmora") == set()


def test_words_match_whole_words_and_beginnings(client, home):
    norvik = _photo(caption="Harbour wall repaired", place="Norvik")
    _photo(caption="Inland", place="Renorvia")
    assert _found(client, "Norv") == {norvik.pk}
    assert _found(client, "harb norv") == {norvik.pk}
    assert _found(client, "orvik") == set()  # not the middle of a word
    # One or two letters match whole words only, not every word they begin.
    assert _found(client, "wa") == set()
    short = _photo(caption="Tea at No 10 with an EU envoy")
    assert _found(client, "eu") == {short.pk}
    assert _found(client, "10") == {short.pk}


@pytest.mark.sqlite  # PostgreSQL's "simple" configuration keeps accents (needs unaccent)
def test_accents_are_ignored_on_sqlite(client, home):
    photo = _photo(caption="Café terrace in São Paulo")
    assert _found(client, "cafe sao") == {photo.pk}
    assert _found(client, "CAFÉ") == {photo.pk}


def test_an_edited_photo_is_found_by_its_new_words_only(client, home):
    photo = _photo(caption="Snow on the pass")
    assert _found(client, "snow") == {photo.pk}
    photo.caption = "Wildfire smoke over the valley"
    photo.save()
    assert _found(client, "snow") == set()
    assert _found(client, "wildfire") == {photo.pk}
    photo.tags.add("Drought")
    assert _found(client, "drought") == {photo.pk}
    photo.tags.remove(*photo.tags.all())
    assert _found(client, "drought") == set()
    photo.delete()
    assert _found(client, "wildfire") == set()


def test_withheld_photos_are_never_found(client, world):
    draft = ArticlePageFactory(parent=world, live=False)
    embargoed = ArticlePageFactory(parent=world, published_at=timezone.now() + timedelta(days=1))
    for story in (draft, embargoed):
        Photo.objects.filter(pk=story.lead_photo_id).update(caption="Secret summit talks")
        Photo.objects.get(pk=story.lead_photo_id).save()  # re-indexed with that caption
    public = _photo(caption="Summit talks open")
    assert _found(client, "summit") == {public.pk}
    assert _found(client, "secret") == set()


def test_withdrawn_and_expired_photos_show_no_picture_or_credit(client, home):
    """The bank keeps its rule for these: listed with a "No longer available"
    note (checked at render time), never with their picture or credit."""
    withdrawn = _photo(caption="Pulled harbour picture", restricted=True, agency="Pulled Agency")
    expired = _photo(
        caption="Expired harbour picture",
        licence_expires_at=timezone.now() - timedelta(days=1),
        agency="Expired Agency",
    )
    response = client.get(BANK, {"q": "harbour"})
    assert set(_listed(response)) <= {withdrawn.pk, expired.pk}
    html = response.content.decode()
    assert "<picture" not in html
    assert "Pulled Agency" not in html and "Expired Agency" not in html


def test_filters_combine_with_words(client, home):
    match = _photo(caption="Storm damage", photographer="Ama Achebe", date_taken=date(2020, 5, 1))
    match.tags.add("Storm")
    other_year = _photo(
        caption="Storm damage", photographer="Ama Achebe", date_taken=date(2010, 5, 1)
    )
    other_year.tags.add("Storm")
    _photo(caption="Storm damage", photographer="Rafael Moreau", date_taken=date(2020, 5, 2))
    untagged = _photo(
        caption="Storm damage", photographer="Ama Achebe", date_taken=date(2020, 6, 1)
    )
    assert _found(client, "storm", photographer="Ama Achebe") == {
        match.pk,
        other_year.pk,
        untagged.pk,
    }
    assert _found(client, "storm", photographer="Ama Achebe", keyword="storm") == {
        match.pk,
        other_year.pk,
    }
    assert _found(
        client, "damage", photographer="Ama Achebe", keyword="storm", **{"from": "2020-01-01"}
    ) == {match.pk}
    assert _found(client, "storm", to="2015-01-01") == {other_year.pk}


def test_cursor_pages_neither_overlap_nor_repeat(client, home, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    start = timezone.now() - timedelta(days=1)
    matching = []
    for i in range(10):
        photo = _photo(caption=f"Regatta heat {i}")
        same = start + timedelta(seconds=i // 2)  # pairs share a timestamp
        Photo.objects.filter(pk=photo.pk).update(created_at=same)
        matching.append(photo.pk)
        _photo(caption=f"Unrelated {i}")
    seen, cursor, pages = [], None, 0
    while True:
        params = {"q": "regatta"} | ({"before": cursor} if cursor else {})
        response = client.get(BANK, params)
        page = _listed(response)
        assert page, "a page with a cursor is never empty"
        seen += page
        pages += 1
        cursor = response.context["results"].next_cursor
        if not cursor:
            break
    assert pages == 4
    assert len(seen) == len(set(seen)) == 10
    assert set(seen) == set(matching)
    newest_first = sorted(Photo.objects.filter(pk__in=seen), key=lambda p: (p.created_at, p.pk))
    assert seen == [p.pk for p in reversed(newest_first)]
    last = Photo.objects.get(pk=seen[-1])
    past_end = Cursor(last.created_at, last.pk).encode()
    assert client.get(BANK, {"q": "regatta", "before": past_end}).status_code == 404


HOSTILE = [
    '"',
    '"unbalanced',
    "'",
    "*",
    "norv*",
    "NEAR(a b)",
    "a AND OR NOT b",
    "title:secret",
    "{autocomplete}: x",
    "^start",
    "-minus +plus",
    "a & b | !c",
    "x:* <-> y",
    "%",
    "_",
    "\\",
    "' OR 1=1 --",
    "'); DROP TABLE mediabank_photo; --",
    "a\x00b",
    "\x00",
    "x" * 10_000,
    "word " * 2_000,
    "😀 " * 300,
    "e\u0301te\u0301",
    "ǅ ß ﬁ İ",
    "   ",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_is_a_200(client, home, query):
    photo = _photo(caption="Zebra crossing")
    response = client.get(BANK, {"q": query, "photographer": query, "keyword": query})
    assert response.status_code == 200
    assert len(response.context["query"]) <= 200
    response = client.get(BANK, {"q": query})
    assert response.status_code == 200
    if bank_words(query):
        assert photo.pk not in _listed(response)


def test_words_are_letters_and_digits_only():
    assert bank_words('"Norvik" AND harbour*') == ("norvik", "and", "harbour")
    assert bank_words("NEAR(a_b) x:y") == ("near", "a", "b", "x", "y")
    assert bank_words("e\u0301te\u0301") == ("\u00e9t\u00e9",)
    assert bank_words("%% -- '") == ()
    assert len(bank_words(" ".join(f"w{i}" for i in range(50)))) == 8


def test_a_query_without_words_finds_nothing(client, home):
    _photo()
    response = client.get(BANK, {"q": "%% --"})
    assert response.status_code == 200
    assert _listed(response) == []
    assert "No photos match." in response.content.decode()


def test_a_search_is_one_query_whatever_the_bank(client, home):
    for i in range(5):
        _photo(caption=f"Ferry crossing {i}")

    def warm():
        # Per-process memos of the page around the results (site, identity,
        # menu, banner) and renditions, filled again after each content
        # version change (new photos move it).
        for _ in range(2):
            client.get(BANK, {"q": "ferry"})

    warm()

    def count(q):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(BANK, {"q": q}).status_code == 200
        return len(captured.captured_queries)

    small = count("ferry crossing")
    for i in range(20):
        _photo(caption=f"Ferry crossing {i}")
    warm()
    assert count("ferry crossings") <= small  # a new search, not the memo


def test_bulk_built_archive_is_searchable(client, home):
    demo = [
        PhotoFactory(seed=n, size=(64, 48), title=f"Demo photo {n + 1}: Brisa") for n in range(2)
    ]
    assert demo
    assert bank_archive_build(photos=12) == 12
    archive = Photo.objects.filter(title__startswith=TITLE_PREFIX)
    photo = archive.order_by("pk").first()
    assert _found(client, photo.place) >= {photo.pk}
    keyword = photo.tags.first().name
    assert photo.pk in _found(client, keyword)

    # An archive built before it was indexed is indexed on the next run.
    IndexEntry.objects.filter(object_id__in=[str(p.pk) for p in archive]).delete()
    assert photo.pk not in _found(client, photo.place)
    assert bank_archive_build(photos=12) == 0
    assert photo.pk in _found(client, photo.place)
