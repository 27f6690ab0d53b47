"""Every feed kind (site, section, topic, author) in every format (RSS 2.0,
Atom 1.0, JSON Feed 1.1), read back the way feed readers read it: feedparser
must find nothing malformed, the stories newest first with their dates,
bylines, categories and lead photo (enclosure and Media RSS with the credit
as the site prints it), and the JSON Feed must pass the 1.1 schema written
from the spec (jsonfeed-1.1.schema.json beside this file)."""

import calendar
import html
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
import pytest
import time_machine
from defusedxml import ElementTree
from django.conf import settings
from django.utils import timezone

from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory, AuthorPageFactory
from broadsheet.news.feeds.sources import IMAGE_SPEC

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text())
MEDIA_NS = "http://search.yahoo.com/mrss/"
ATOM_NS = "http://www.w3.org/2005/Atom"
FORMATS = {
    "xml": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
KINDS = ["site", "section", "topic", "author"]


@pytest.fixture
def newsroom(world, sport, topics, author):
    """Three stories on the topic "Climate" by Amara Okafor, newest first:
    one with two bylines, an update time, a photo whose rendition exists and
    markup-like text; one whose photo has no rendition yet; one without a
    photo. Plus an older story elsewhere that only the site feed carries."""
    second = AuthorPageFactory(parent=author.get_parent(), title="Lev Petrov", slug="lev-petrov")
    now = timezone.now().replace(microsecond=0)
    photo = PhotoFactory(agency="Reuters", photographer="Ana Lima", copyright_holder="")
    photo.get_rendition(IMAGE_SPEC)  # made ahead, as the background task does
    first = ArticlePageFactory(
        parent=world,
        title="Dam <b>holds</b> & floods recede",
        standfirst='Engineers say the "old" dam <script>held</script> overnight.',
        published_at=now - timedelta(minutes=10),
        updated_at=now - timedelta(minutes=2),
        lead_photo=photo,
        lead_caption="The dam at dawn",
        authors=[author, second],
        tag_names=["Climate", "Floods"],
    )
    middle = ArticlePageFactory(
        parent=sport,
        published_at=now - timedelta(hours=3),
        authors=[author],
        tag_names=["Climate"],
    )
    last = ArticlePageFactory(
        parent=world,
        published_at=now - timedelta(days=1),
        lead_photo=None,
        authors=[author],
        tag_names=["Climate"],
    )
    other = ArticlePageFactory(parent=sport, published_at=now - timedelta(days=2))
    return {
        "first": first,
        "middle": middle,
        "last": last,
        "other": other,
        "photo": photo,
        "second": second,
        "author": author,
    }


def _url(kind: str, fmt: str) -> str:
    return {
        "site": f"/feeds/latest.{fmt}",
        "section": f"/feeds/world.{fmt}",
        "topic": f"/feeds/topics/climate.{fmt}",
        "author": f"/feeds/authors/amara-okafor.{fmt}",
    }[kind]


def _expected(kind: str, newsroom) -> list:
    return {
        "site": ["first", "middle", "last", "other"],
        "section": ["first", "last"],
        "topic": ["first", "middle", "last"],
        "author": ["first", "middle", "last"],
    }[kind]


def _read(client, url: str, fmt: str):
    """The response and the feed as feedparser gives it. feedparser 6 reads
    no JSON Feed: a JSON Feed is checked against the schema and mapped to
    the same shape, so every format meets the same assertions."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == f"{FORMATS[fmt]}; charset=utf-8"
    if fmt == "json":
        data = json.loads(response.content)
        jsonschema.validate(data, SCHEMA)
        return response, _from_json(data)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return response, parsed


def _time(value: str | None):
    return datetime.fromisoformat(value).utctimetuple() if value else None


def _from_json(data: dict) -> feedparser.FeedParserDict:
    def entry(item):
        extra = item.get("_broadsheet", {})
        return feedparser.FeedParserDict(
            id=item["id"],
            link=item["url"],
            title=item["title"],
            summary=item["summary"],
            published_parsed=_time(item["date_published"]),
            updated_parsed=_time(item.get("date_modified") or item["date_published"]),
            authors=[feedparser.FeedParserDict(a) for a in item.get("authors", [])],
            tags=[feedparser.FeedParserDict(term=t) for t in item.get("tags", [])],
            # feedparser's `enclosures` are its links with rel="enclosure".
            links=[
                feedparser.FeedParserDict(rel="enclosure", href=a["url"], type=a["mime_type"])
                for a in item.get("attachments", [])
            ],
            media_credit=[{"content": extra["image_credit"]}] if extra else [],
        )

    feed = feedparser.FeedParserDict(
        title=data["title"],
        link=data["home_page_url"],
        language=data["language"],
        links=[feedparser.FeedParserDict(rel="self", href=data["feed_url"])],
    )
    return feedparser.FeedParserDict(
        version="json11", feed=feed, entries=[entry(item) for item in data["items"]]
    )


def _struct(when: datetime):
    return datetime.fromtimestamp(calendar.timegm(when), tz=UTC)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_and_format_reads_back_whole(client, newsroom, kind, fmt):
    url = _url(kind, fmt)
    response, parsed = _read(client, url, fmt)
    stories = [newsroom[name] for name in _expected(kind, newsroom)]
    assert parsed.version == {"xml": "rss20", "atom": "atom10", "json": "json11"}[fmt]

    feed = parsed.feed
    assert feed.title.startswith("Broadsheet: ")
    assert feed.link.startswith(settings.SITE_URL + "/")
    assert feed.get("language", "en") == "en"
    selves = [link.href for link in feed.links if link.rel == "self"]
    assert selves == [settings.SITE_URL + url]

    entries = parsed.entries
    assert [e.link for e in entries] == [settings.SITE_URL + s.url for s in stories]
    assert [e.title for e in entries] == [s.title for s in stories]
    host = urlsplit(settings.SITE_URL).hostname
    assert [e.id for e in entries] == [f"tag:{host},2026:story-{s.pk}" for s in stories]
    for entry, story in zip(entries, stories, strict=True):
        assert _struct(entry.published_parsed) == story.published_at
        # An RSS description is HTML: the standfirst arrives escaped, as text.
        summary = html.unescape(entry.summary) if fmt == "xml" else entry.summary
        assert summary == story.standfirst
        want_tags = [story.section.title, *sorted(t.name for t in story.tags.all())]
        assert [t.term for t in entry.get("tags", [])] == want_tags
        if story.updated_at and fmt != "xml":
            assert _struct(entry.updated_parsed) == story.updated_at

    first = entries[0]
    assert [a.get("name") for a in first.authors] == ["Amara Okafor", "Lev Petrov"]
    image = settings.SITE_URL + newsroom["photo"].get_rendition(IMAGE_SPEC).url
    assert [(e.href, e.type) for e in first.enclosures] == [(image, "image/jpeg")]
    assert first.media_credit[0]["content"] == "© Reuters / Ana Lima"
    assert not entries[len(stories) - 1 if kind != "site" else 2].get("enclosures")


def test_rss_carries_bylines_updates_enclosure_and_media_credit(client, newsroom):
    response, parsed = _read(client, "/feeds/latest.xml", "xml")
    first = parsed.entries[0]
    photo = newsroom["photo"]
    rendition = photo.get_rendition(IMAGE_SPEC)
    image_url = settings.SITE_URL + rendition.url
    assert [(e.href, e.type, e.length) for e in first.enclosures] == [
        (image_url, "image/jpeg", "0")
    ]
    assert first.media_content[0]["url"] == image_url
    assert first.media_content[0]["medium"] == "image"
    assert (first.media_content[0]["width"], first.media_content[0]["height"]) == ("1280", "720")
    assert first.media_credit[0]["content"] == "© Reuters / Ana Lima" == photo.credit_line
    assert first.guidislink is False

    root = ElementTree.fromstring(response.content)
    item = root.find("channel/item")
    creators = [e.text for e in item.findall("{http://purl.org/dc/elements/1.1/}creator")]
    assert creators == ["Amara Okafor", "Lev Petrov"]
    modified = item.find("{http://purl.org/dc/terms/}modified").text
    assert datetime.fromisoformat(modified) == newsroom["first"].updated_at
    assert root.find(f"channel/{{{ATOM_NS}}}link").get("rel") == "self"
    assert root.find("channel/ttl").text == "15"
    assert root.find("channel/image/url").text.startswith(settings.SITE_URL)
    # The story without a photo has neither enclosure nor media content.
    last = root.findall("channel/item")[2]
    assert last.find("enclosure") is None and last.find(f"{{{MEDIA_NS}}}content") is None


def test_a_photo_without_its_rendition_gets_the_image_view_not_a_new_file(client, newsroom):
    photo = newsroom["middle"].lead_photo
    assert not photo.renditions.exists()
    response, parsed = _read(client, "/feeds/latest.atom", "atom")
    middle = parsed.entries[1]
    enclosure = [link for link in middle.links if link.rel == "enclosure"][0]
    assert enclosure.href.startswith(f"{settings.SITE_URL}/images/")
    assert enclosure.type == "image/jpeg"
    assert not photo.renditions.exists()  # the request made none


def test_atom_entries_have_every_author_and_text_summaries(client, newsroom):
    response, parsed = _read(client, "/feeds/world.atom", "atom")
    root = ElementTree.fromstring(response.content)
    entry = root.find(f"{{{ATOM_NS}}}entry")
    names = [a.find(f"{{{ATOM_NS}}}name").text for a in entry.findall(f"{{{ATOM_NS}}}author")]
    assert names == ["Amara Okafor", "Lev Petrov"]
    uris = [a.find(f"{{{ATOM_NS}}}uri").text for a in entry.findall(f"{{{ATOM_NS}}}author")]
    assert uris == [
        settings.SITE_URL + newsroom["author"].url,
        settings.SITE_URL + "/authors/lev-petrov/",
    ]
    assert entry.find(f"{{{ATOM_NS}}}summary").get("type") == "text"
    assert entry.find(f"{{{MEDIA_NS}}}content/{{{MEDIA_NS}}}credit").text == "© Reuters / Ana Lima"
    assert root.find(f"{{{ATOM_NS}}}icon").text.endswith(".svg")
    assert parsed.entries[0].media_credit[0]["content"] == "© Reuters / Ana Lima"


@pytest.mark.parametrize("kind", KINDS)
def test_json_feed_passes_the_schema(client, newsroom, kind):
    response = client.get(_url(kind, "json"))
    data = json.loads(response.content)
    jsonschema.validate(data, SCHEMA)
    first = data["items"][0]
    assert first["content_text"] == newsroom["first"].standfirst
    assert "content_html" not in first
    assert first["image"] == first["attachments"][0]["url"]
    assert first["image"].startswith(settings.SITE_URL + "/")
    assert first["_broadsheet"]["image_credit"] == "© Reuters / Ana Lima"
    assert datetime.fromisoformat(first["date_modified"]) == newsroom["first"].updated_at
    assert data["feed_url"] == settings.SITE_URL + _url(kind, "json")


def test_the_schema_refuses_what_the_spec_refuses():
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}
    jsonschema.validate(good, SCHEMA)
    for bad in (
        {**good, "version": "1.1"},
        {k: v for k, v in good.items() if k != "items"},
        {**good, "items": [{"title": "no id", "content_text": "x"}]},
        {**good, "items": [{"id": "1"}]},  # neither content_html nor content_text
        {**good, "items": [{"id": "1", "content_text": "x", "date_published": "yesterday"}]},
        {**good, "items": [{"id": "1", "content_text": "x", "image": "/relative.jpg"}]},
        {**good, "itmes": []},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, SCHEMA)


def test_markup_in_text_stays_text(client, newsroom):
    # XML carries the characters escaped; JSON Feed has it as content_text,
    # plain text by definition (there is no content_html to render).
    for fmt in ("xml", "atom"):
        body = client.get(f"/feeds/latest.{fmt}").content.decode()
        assert "<script>" not in body and "<b>" not in body, fmt
    item = json.loads(client.get("/feeds/latest.json").content)["items"][0]
    assert "content_html" not in item and "<script>" in item["content_text"]
    # RSS descriptions are HTML by convention: escaped once more, a reader
    # shows the characters.
    _, parsed = _read(client, "/feeds/latest.xml", "xml")
    assert "&lt;script&gt;held&lt;/script&gt;" in parsed.entries[0].summary
    assert html.unescape(parsed.entries[0].summary) == newsroom["first"].standfirst


def test_xml_is_well_formed_and_namespaced(client, newsroom):
    rss = ElementTree.fromstring(client.get("/feeds/latest.xml").content)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    atom = ElementTree.fromstring(client.get("/feeds/latest.atom").content)
    assert atom.tag == f"{{{ATOM_NS}}}feed"
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    tags = {element.tag for element in rss.iter()} | {element.tag for element in atom.iter()}
    unqualified_prefixes = [tag for tag in tags if ":" in tag and not tag.startswith("{")]
    assert unqualified_prefixes == []
    assert f"{{{MEDIA_NS}}}content" in tags and f"{{{MEDIA_NS}}}credit" in tags


def test_control_characters_do_not_break_the_feed(client, world):
    ArticlePageFactory(parent=world, title="Bell\x07 rings", standfirst="Tab\tand\x0bvt")
    for fmt in FORMATS:
        response, parsed = _read(client, f"/feeds/latest.{fmt}", fmt)
        assert parsed.entries[0].title == "Bell rings"


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/nowhere.xml",
        "/feeds/nowhere.json",
        "/feeds/topics/never-heard-of-it.atom",
        "/feeds/authors/nobody.json",
        "/feeds/latest.rss",
        "/feeds/world.html",
        "/feeds/topics/..%2F..%2Fetc.xml",
        "/feeds/topics/%3Cscript%3E.json",
        "/feeds/topics/%D1%82%D0%B5%D0%BC%D0%B0.xml",
        "/feeds/authors/amara-okafor%0d%0aSet-Cookie:x=1.xml",
        "/feeds/authors/" + "a" * 3000 + ".atom",
        "/feeds/topics/climate.xml/extra",
    ],
)
def test_hostile_or_unknown_names_are_404_not_500(client, newsroom, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers or "x=1" not in response.headers["Set-Cookie"]


def test_the_old_rss_addresses_still_work(client, newsroom):
    for url, kind in (("/feeds/latest.xml", "site"), ("/feeds/world.xml", "section")):
        _, parsed = _read(client, url, "xml")
        assert len(parsed.entries) == len(_expected(kind, newsroom))


def test_russian_feeds_behave_like_the_english_ones(client, newsroom):
    for fmt in FORMATS:
        response, parsed = _read(client, f"/ru/feeds/latest.{fmt}", fmt)
        assert parsed.feed.get("language") == "ru" or fmt == "json"
        assert len(parsed.entries) == 4
        assert (
            parsed.feed.title == "Broadsheet: Лента новостей" or "Broadsheet" in parsed.feed.title
        )
    assert json.loads(client.get("/ru/feeds/world.json").content)["language"] == "ru"
    assert client.get("/ru/feeds/topics/climate.atom").status_code == 200
    assert client.get("/ru/feeds/nowhere.atom").status_code == 404


def test_feeds_are_cacheable_and_answer_304_when_unchanged(client, newsroom):
    response = client.get("/feeds/world.atom")
    # Kept at the edge until a story in it changes (edge/policy.py, purged by key).
    assert "public" in response["Cache-Control"] and "s-maxage=86400" in response["Cache-Control"]
    assert not response.cookies
    assert response["Last-Modified"]
    again = client.get("/feeds/world.atom", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get("/feeds/world.atom", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    # A new story changes the answer.
    ArticlePageFactory(parent=newsroom["first"].get_parent()).save_revision().publish()
    changed = client.get("/feeds/world.atom", HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != response["ETag"]


def test_an_expired_photo_leaves_the_feed_at_once(client, newsroom):
    photo = newsroom["photo"]
    photo.licence_expires_at = timezone.now() + timedelta(hours=1)
    photo.save()
    assert "image" in json.loads(client.get("/feeds/latest.json").content)["items"][0]
    # No save, no new content version: the rights check at serve time catches it.
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        after = json.loads(client.get("/feeds/latest.json").content)["items"][0]
        rss = client.get("/feeds/latest.xml").content.decode()
    assert "image" not in after and "attachments" not in after
    assert "Ana Lima" not in rss and "<enclosure" not in rss.split("</item>")[0]
