"""The embargo swept across every public URL of the site.

An embargoed story arrives with everything of its own: a new tag, a new
author, a photo with a caption nobody else uses (in the story's body and in
an embargoed gallery) and a lead photo. Every public URL — English and
Russian, anonymous and signed in — is fetched and searched for its
headline, slug, tag, author, gallery title, captions and the photo's media
bank link. Then the embargo lifts (the clock moves and the scheduler runs)
and the same things must appear where they belong, so the sweep can fail.

The second half checks the topic and author pages for every way a story can
be non-public: embargoed (a live row with a future public time), scheduled
(Wagtail's go-live), a draft never published, unpublished, deleted and
private. Each answers exactly like a topic or author that never existed.
"""

import json
from datetime import UTC, timedelta
from urllib.parse import unquote_plus

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images.views.serve import generate_image_url
from wagtail.models import PageViewRestriction

from broadsheet.core.services import scheduled_publishing_run
from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import (
    ArticlePageFactory,
    AuthorIndexPageFactory,
    AuthorPageFactory,
    GalleryPageFactory,
    SectionPageFactory,
    story_body,
    story_schedule,
)
from broadsheet.news.live_events import stories_announce_run
from broadsheet.news.models import ArticleAuthor, GalleryPhoto
from broadsheet.realtime.models import Event

pytestmark = pytest.mark.django_db

HEADLINE = "Zyxwv treaty signed in secret"
SLUG = "zyxwv-treaty"
TAG = "Qorvath ceasefire talks"
TAG_SLUG = "qorvath-ceasefire-talks"
AUTHOR = "Ysolde Marrowgate"
AUTHOR_SLUG = "ysolde-marrowgate"
GALLERY = "Glimmerfen in pictures"
GALLERY_SLUG = "glimmerfen-in-pictures"
CAPTION = "Delegates from Glimmerfen arrive at the lakeside villa before dawn"
LEAD_CAPTION = "Vantreece motorcade leaves the airport under heavy guard"
PHOTOGRAPHER = "Oswin Quillfeather"
KEYWORD = "glimmerfen-summit"


@pytest.fixture
def newsroom(world, topics, home):
    """A public site around the secret: an older story in the same section
    linking the secret in a related card, a public gallery and an author."""
    authors = AuthorIndexPageFactory(parent=home)
    known = AuthorPageFactory(parent=authors, title="Amara Okafor", slug="amara-okafor")
    neighbour = ArticlePageFactory(
        parent=world,
        published_at=timezone.now() - timedelta(hours=1),
        authors=[known],
        tag_names=["Climate"],
    )
    GalleryPageFactory(parent=world, published_at=timezone.now() - timedelta(hours=2))
    return {"world": world, "topics": topics, "authors": authors, "neighbour": neighbour}


def _secret_photo():
    photo = PhotoFactory(
        seed=987_654, title="Lakeside villa", caption=CAPTION, photographer=PHOTOGRAPHER
    )
    photo.tags.add(KEYWORD)
    return photo


def _embargo(newsroom):
    """The secret story and gallery, scheduled in Wagtail and with their public
    time in the future (both locks), as an editor does it."""
    world, authors = newsroom["world"], newsroom["authors"]
    go_live = timezone.now() + timedelta(hours=2)
    author = AuthorPageFactory(parent=authors, title=AUTHOR, slug=AUTHOR_SLUG)
    photo = _secret_photo()
    lead = PhotoFactory(seed=987_655, caption=LEAD_CAPTION)
    story = story_schedule(
        parent=world,
        go_live_at=go_live,
        title=HEADLINE,
        slug=SLUG,
        lead_photo=lead,
        body=story_body(seed=7, photo=photo),
    )
    ArticleAuthor.objects.create(page=story, author=author)
    story.tags.add(TAG)
    story.save_revision().publish()
    gallery = GalleryPageFactory.build(
        title=GALLERY,
        slug=GALLERY_SLUG,
        live=False,
        published_at=None,
        first_published_at=None,
        last_published_at=None,
        go_live_at=go_live,
    )
    world.add_child(instance=gallery)
    GalleryPhoto.objects.create(page=gallery, photo=photo, sort_order=0)
    gallery.save_revision().publish()
    story.refresh_from_db()
    gallery.refresh_from_db()
    neighbour = newsroom["neighbour"]
    neighbour.body = story_body(seed=8, related=story)
    neighbour.save_revision().publish()
    photo.get_rendition("fill-400x300|format-jpeg")
    return {"story": story, "gallery": gallery, "photo": photo, "author": author, "at": go_live}


def _site_urls(newsroom, secret) -> list[str]:
    world, topics, authors = newsroom["world"], newsroom["topics"], newsroom["authors"]
    story, gallery, photo = secret["story"], secret["gallery"], secret["photo"]
    local = [
        "/",
        world.url,
        f"{world.url}{SLUG}/",
        f"{world.url}{GALLERY_SLUG}/",
        f"{world.url}{GALLERY_SLUG}/2/",
        newsroom["neighbour"].url,
        authors.url,
        f"{authors.url}{AUTHOR_SLUG}/",
        topics.url,
        f"{topics.url}{TAG_SLUG}/",
        f"{topics.url}{TAG_SLUG}/?before=9999999999999999.1",
        "/newsfeed/",
        "/newsfeed/?section=world",
        "/newsfeed/?before=9999999999999999.1",
        "/newsfeed/?newer_than=0.0",
        "/newsfeed/?newer_than=0.0&compact=1&section=world",
        "/feeds/latest.xml",
        "/feeds/world.xml",
        "/feeds/latest.atom",
        "/feeds/latest.json",
        "/feeds/world.atom",
        "/feeds/world.json",
        f"/feeds/topics/{TAG_SLUG}.xml",
        f"/feeds/topics/{TAG_SLUG}.json",
        f"/feeds/authors/{AUTHOR_SLUG}.atom",
        f"/feeds/authors/{AUTHOR_SLUG}.json",
        "/feeds/",
        "/search/?q=Zyxwv+treaty",
        "/search/?q=Glimmerfen",
        "/mediabank/",
        "/mediabank/?q=Glimmerfen",
        f"/mediabank/?keyword={KEYWORD}",
        f"/mediabank/?photographer={PHOTOGRAPHER}",
        f"/mediabank/{photo.pk}/",
        f"/mediabank/{photo.pk}/original/",
        f"/discussions/{story.pk}/",
        f"/discussions/{gallery.pk}/",
    ]
    shared = [
        "/sitemap.xml",
        "/sitemap-pages.xml",
        # The story's month (where it will be), and this one's.
        *{f"/sitemap-stories-{month_of(when)}.xml" for when in (secret["at"], timezone.now())},
        "/sitemap-news.xml",
        "/robots.txt",
        # Rendition files and Wagtail's signed image view carry pixels, never text.
        generate_image_url(photo, "fill-400x300|format-jpeg"),
        *(rendition.url for rendition in photo.renditions.all()[:2]),
    ]
    return shared + local + [f"/ru{url}" for url in local]


def month_of(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


def _secrets(secret) -> list[str]:
    return [
        HEADLINE,
        SLUG,
        TAG,
        TAG_SLUG,
        AUTHOR,
        AUTHOR_SLUG,
        GALLERY,
        GALLERY_SLUG,
        CAPTION,
        LEAD_CAPTION,
        f"/mediabank/{secret['photo'].pk}/",
    ]


def _events_naming(secret, secrets) -> list:
    """Realtime events (any stream) that name the secret story or gallery."""
    ids = {secret["story"].pk, secret["gallery"].pk}
    return [
        event
        for event in Event.objects.order_by("pk")
        if (isinstance(event.data, dict) and event.data.get("id") in ids)
        or any(s in json.dumps(event.data, ensure_ascii=False) for s in secrets)
    ]


def _sweep(client, urls, secrets) -> dict[str, list[str]]:
    """URL → the secrets its response shows (a search echoing its own words
    does not count: only what the site found)."""
    found = {}
    for url in urls:
        response = client.get(url, follow=url.startswith("/images/"))
        streamed = getattr(response, "streaming", False)
        body = b"".join(response.streaming_content) if streamed else response.content
        text = body.decode("utf-8", "replace")
        asked = unquote_plus(url).lower()
        shown = [s for s in secrets if s in text and s.lower() not in asked]
        if shown:
            found[url] = shown
    return found


@pytest.fixture
def signed_in(client, newsroom):
    reader = reader_verified(username="sweeper", display_name="Sam Sweeper")
    CommentFactory(author=reader, page=newsroom["neighbour"], body="First!")
    client.force_login(reader)
    return reader


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_embargoed_story_surfaces_nowhere_until_it_lifts(client, newsroom, who, request):
    if who == "reader":
        reader = request.getfixturevalue("signed_in")
    secret = _embargo(newsroom)
    urls = _site_urls(newsroom, secret)
    if who == "reader":
        urls += [f"/readers/{reader.pk}/", "/readers/account/", "/readers/account/data.json"]
    secrets = _secrets(secret)

    leaks = _sweep(client, urls, secrets)
    assert leaks == {}, "\n".join(f"{u}: {s}" for u, s in leaks.items())
    for url in (f"{newsroom['topics'].url}{TAG_SLUG}/", f"/discussions/{secret['story'].pk}/"):
        assert client.get(url).status_code == 404
    # The realtime event log is public too (any reader of a stream replays it).
    stories_announce_run()
    assert _events_naming(secret, secrets) == []

    with time_machine.travel(secret["at"] + timedelta(seconds=5)):
        run = scheduled_publishing_run()
        assert sorted(run.published) == sorted([HEADLINE, GALLERY])
        stories_announce_run()
        shown = _sweep(client, urls, secrets)
    assert [(e.stream, e.kind) for e in _events_naming(secret, secrets)] == [
        ("newsfeed", "story.published")
    ]

    topics, world = newsroom["topics"].url, newsroom["world"].url
    expected = {
        "/": {HEADLINE, SLUG},
        world: {HEADLINE, SLUG},
        f"{world}{SLUG}/": {HEADLINE, TAG, TAG_SLUG, AUTHOR, AUTHOR_SLUG, LEAD_CAPTION},
        f"{world}{GALLERY_SLUG}/": {GALLERY, CAPTION},
        newsroom["neighbour"].url: {HEADLINE, SLUG},
        newsroom["authors"].url: {AUTHOR, AUTHOR_SLUG},
        f"{newsroom['authors'].url}{AUTHOR_SLUG}/": {AUTHOR, HEADLINE, SLUG},
        topics: {TAG, TAG_SLUG},
        f"{topics}{TAG_SLUG}/": {TAG, HEADLINE, SLUG},
        "/newsfeed/": {HEADLINE, SLUG},
        "/newsfeed/?newer_than=0.0": {HEADLINE, SLUG},
        "/feeds/latest.xml": {HEADLINE, SLUG, TAG, AUTHOR, LEAD_CAPTION},
        "/feeds/latest.atom": {HEADLINE, SLUG, TAG, AUTHOR, AUTHOR_SLUG, LEAD_CAPTION},
        "/feeds/latest.json": {HEADLINE, SLUG, TAG, AUTHOR, AUTHOR_SLUG, LEAD_CAPTION},
        "/feeds/world.atom": {HEADLINE, SLUG},
        f"/feeds/topics/{TAG_SLUG}.xml": {HEADLINE, SLUG, TAG, AUTHOR},
        f"/feeds/authors/{AUTHOR_SLUG}.atom": {HEADLINE, SLUG, TAG, AUTHOR},
        "/sitemap-pages.xml": {AUTHOR_SLUG},
        f"/sitemap-stories-{month_of(secret['at'])}.xml": {SLUG, GALLERY_SLUG},
        "/sitemap-news.xml": {HEADLINE, SLUG},
        "/search/?q=Zyxwv+treaty": {SLUG},
        "/mediabank/": {f"/mediabank/{secret['photo'].pk}/"},
        f"/mediabank/?keyword={KEYWORD}": {f"/mediabank/{secret['photo'].pk}/"},
        f"/mediabank/{secret['photo'].pk}/": {CAPTION, HEADLINE, GALLERY},
    }
    missing = {
        url: sorted(want - set(shown.get(url, [])))
        for url, want in expected.items()
        if want - set(shown.get(url, []))
    }
    assert missing == {}
    assert set(shown.get(f"/ru{topics}{TAG_SLUG}/", [])) >= {TAG, HEADLINE}


# -- every kind of non-public story, on the topic and author pages ----------


def _story_hidden(state: str, *, world, home, author):
    """A story carrying the tag TAG and the byline of `author`, non-public in
    the way `state` names."""
    fields = {"title": HEADLINE, "slug": SLUG, "authors": [author], "tag_names": [TAG]}
    if state == "embargoed":
        return ArticlePageFactory(
            parent=world, published_at=timezone.now() + timedelta(days=1), **fields
        )
    if state == "draft":
        return ArticlePageFactory(
            parent=world, live=False, published_at=None, first_published_at=None, **fields
        )
    if state == "scheduled":
        story = story_schedule(
            parent=world, go_live_at=timezone.now() + timedelta(hours=3), title=HEADLINE, slug=SLUG
        )
        ArticleAuthor.objects.create(page=story, author=author)
        story.tags.add(TAG)
        story.save()
        return story
    if state == "private":
        members = SectionPageFactory(parent=home, title="Members", slug="members")
        PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
        return ArticlePageFactory(parent=members, **fields)
    story = ArticlePageFactory(parent=world, **fields)
    if state == "unpublished":
        story.unpublish()
    elif state == "deleted":
        story.delete()
    return story


STATES = ["embargoed", "scheduled", "draft", "unpublished", "deleted", "private"]


def _answer(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    headers = {k: v for k, v in response.items() if k.lower() != "date"}
    return response.status_code, headers, response.content, len(queries)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_topic_of_non_public_stories_answers_like_an_unknown_topic(
    client, world, home, topics, state, prefix
):
    index = AuthorIndexPageFactory(parent=home)
    author = AuthorPageFactory(parent=index, title=AUTHOR, slug=AUTHOR_SLUG)
    ArticlePageFactory(parent=world, tag_names=["Climate"], authors=[author])
    _story_hidden(state, world=world, home=home, author=author)
    never = f"{prefix}{topics.url}never-heard-of-it/"
    hidden = f"{prefix}{topics.url}{TAG_SLUG}/"

    for suffix in ("", "?before=9999999999999999.1"):
        # Warm the per-process memo the same way for both, then compare.
        _answer(client, never + suffix), _answer(client, hidden + suffix)
        status, headers, body, queries = _answer(client, hidden + suffix)
        assert (status, headers, body, queries) == _answer(client, never + suffix)
        assert status == 404
    assert TAG not in client.get(f"{prefix}{topics.url}").content.decode()


@pytest.mark.parametrize("state", STATES)
def test_author_of_only_non_public_stories_answers_like_an_unknown_author(
    client, world, home, state
):
    index = AuthorIndexPageFactory(parent=home)
    author = AuthorPageFactory(parent=index, title=AUTHOR, slug=AUTHOR_SLUG)
    ArticlePageFactory(parent=world)
    _story_hidden(state, world=world, home=home, author=author)

    status, headers, body, _ = _answer(client, author.url)
    never_status, never_headers, never_body, _ = _answer(client, f"{index.url}nobody-here/")
    assert (status, headers, body) == (never_status, never_headers, never_body)
    assert status == 404
    assert AUTHOR not in client.get(index.url).content.decode()
    assert AUTHOR_SLUG not in client.get("/sitemap-pages.xml").content.decode()


FEED_FORMATS = ["xml", "atom", "json"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_feeds_of_a_non_public_topic_or_author_answer_like_unknown_ones(
    client, world, home, topics, state, prefix
):
    """The topic and author feeds follow their pages: 404, byte for byte and
    query for query the answer for a name that never existed."""
    index = AuthorIndexPageFactory(parent=home)
    author = AuthorPageFactory(parent=index, title=AUTHOR, slug=AUTHOR_SLUG)
    ArticlePageFactory(parent=world, tag_names=["Climate"])
    _story_hidden(state, world=world, home=home, author=author)
    for fmt in FEED_FORMATS:
        for hidden, never in (
            (f"{prefix}/feeds/topics/{TAG_SLUG}.{fmt}", f"{prefix}/feeds/topics/never.{fmt}"),
            (f"{prefix}/feeds/authors/{AUTHOR_SLUG}.{fmt}", f"{prefix}/feeds/authors/nobody.{fmt}"),
        ):
            _answer(client, never), _answer(client, hidden)
            status, headers, body, queries = _answer(client, hidden)
            assert (status, headers, body, queries) == _answer(client, never), hidden
            assert status == 404
    assert client.get(f"{prefix}/feeds/topics/climate.json").status_code == 200
