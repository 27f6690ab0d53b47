"""One public origin: every absolute URL the site hands out is on SITE_URL,
whatever Host the request came with and whatever the Wagtail Site row says
(the test site's row is `testserver:80`)."""

import re
from datetime import UTC
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from broadsheet.accounts.factories import UserFactory
from broadsheet.core.origin import absolute_url, public_url
from broadsheet.mediabank.renditions import photo_renditions_generate
from broadsheet.news.factories import ArticlePageFactory, GalleryPageFactory

pytestmark = pytest.mark.django_db

ORIGIN = "https://news.example.com"
FORGED = "forged.example"
ABSOLUTE = re.compile(r"""https?://[^\s"'<>\\]+""")
# Vocabularies named in XML namespaces and JSON-LD, not addresses of this site.
VOCABULARIES = {
    "schema.org",
    "www.sitemaps.org",
    "www.google.com",
    "www.w3.org",
    # Feeds: Dublin Core, Media RSS and the JSON Feed version.
    "purl.org",
    "search.yahoo.com",
    "jsonfeed.org",
}


@pytest.fixture
def public_origin(settings):
    settings.SITE_URL = ORIGIN
    settings.ALLOWED_HOSTS = [FORGED, "testserver", "news.example.com"]


@pytest.fixture
def forged(client):
    """A client whose every request carries a Host that is not the site's."""
    client.defaults["HTTP_HOST"] = FORGED
    return client


@pytest.fixture
def site(world, author, topics):
    story = ArticlePageFactory(
        parent=world, title="Harbour reopens", authors=[author], tag_names=["Climate"]
    )
    photo_renditions_generate(photo=story.lead_photo)
    gallery = GalleryPageFactory(parent=world)
    reader = UserFactory(display_name="Rita Reader")
    return {"story": story, "gallery": gallery, "author": author, "reader": reader}


def _page_paths(site, world, topics):
    story, gallery, author = site["story"], site["gallery"], site["author"]
    return [
        "/",
        world.url,
        story.url,
        gallery.url,
        f"{gallery.url}2/",
        author.get_parent().url,
        author.url,
        topics.url,
        f"{topics.url}climate/",
        reverse("newsfeed"),
        f"{reverse('newsfeed')}?section=world",
        f"{reverse('search')}?q=harbour",
        reverse("mediabank:photo_list"),
        reverse("mediabank:photo_detail", args=[story.lead_photo_id]),
        reverse("accounts:profile", args=[site["reader"].pk]),
        "/ru/newsfeed/",
    ]


def _assert_on_origin(path: str, body: str) -> list[str]:
    assert FORGED not in body, f"{path} names the request's Host"
    assert "testserver" not in body, f"{path} names the Wagtail Site row's host"
    found = ABSOLUTE.findall(body)
    ours = [url for url in found if urlsplit(url).hostname not in VOCABULARIES]
    wrong = [url for url in ours if not url.startswith(ORIGIN + "/")]
    assert not wrong, f"{path}: {wrong}"
    assert ours, f"{path} has no absolute URL at all"
    return ours


def test_every_page_names_only_the_public_origin(public_origin, forged, site, world, topics):
    for path in _page_paths(site, world, topics):
        response = forged.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        urls = _assert_on_origin(path, body)
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', body).group(1)
        assert canonical == ORIGIN + path.partition("?q=")[0].replace("&", "&amp;"), path
        assert f'<meta property="og:url" content="{canonical}">' in body, path
        assert canonical in urls


def test_social_images_and_json_ld_use_the_public_origin(public_origin, forged, site):
    body = forged.get(site["story"].url).content.decode()
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', body).group(1)
    assert og_image.startswith(f"{ORIGIN}/media/images/")
    assert f'"mainEntityOfPage":"{ORIGIN}{site["story"].url}"' in body


def test_russian_pages_keep_their_prefix(public_origin, forged, home):
    body = forged.get("/ru/newsfeed/").content.decode()
    assert f'<link rel="canonical" href="{ORIGIN}/ru/newsfeed/">' in body


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "stories of this month",
        "/sitemap-news.xml",
        "/robots.txt",
        "/feeds/latest.xml",
        "/feeds/world.xml",
        "/feeds/latest.atom",
        "/feeds/world.json",
    ],
)
def test_crawler_files_and_feeds_name_only_the_public_origin(
    public_origin, forged, site, world, path
):
    if path == "stories of this month":
        path = f"/sitemap-stories-{site['story'].published_at.astimezone(UTC):%Y-%m}.xml"
    response = forged.get(path)
    assert response.status_code == 200
    urls = _assert_on_origin(path, response.content.decode())
    if path == "/sitemap.xml":
        assert f"{ORIGIN}/sitemap-pages.xml" in urls
        assert any(url.startswith(f"{ORIGIN}/sitemap-stories-") for url in urls)
    elif path == "/sitemap-pages.xml":
        assert f"{ORIGIN}{world.url}" in urls
    elif path.startswith("/sitemap-"):
        assert f"{ORIGIN}{site['story'].url}" in urls
    elif path == "/robots.txt":
        # The index, and every edition's Google News sitemap.
        assert urls == [
            f"{ORIGIN}/sitemap.xml",
            f"{ORIGIN}/sitemap-news.xml",
            *(f"{ORIGIN}/{code}/sitemap-news.xml" for code in ("ru", "es", "ar")),
        ]
    else:
        assert f"{ORIGIN}{site['story'].url}" in urls
        assert f"{ORIGIN}{path}" in urls  # the feed's own atom:link


def test_absolute_urls_keep_media_on_a_cdn(public_origin):
    assert absolute_url("/media/images/a.jpg") == f"{ORIGIN}/media/images/a.jpg"
    assert absolute_url("https://cdn.example.net/images/a.jpg") == (
        "https://cdn.example.net/images/a.jpg"
    )
    assert absolute_url("//cdn.example.net/images/a.jpg") == "https://cdn.example.net/images/a.jpg"
    assert public_url(f"http://{FORGED}/accounts/x/?k=1#f") == f"{ORIGIN}/accounts/x/?k=1#f"


def test_pages_full_url_ignores_a_stale_site_row(public_origin, site):
    # The test Site row says testserver:80; the public origin wins.
    assert site["story"].get_full_url() == f"{ORIGIN}{site['story'].url}"
    assert site["story"].full_url == f"{ORIGIN}{site['story'].url}"


def test_comment_purges_and_data_downloads_use_the_public_origin(
    public_origin, forged, site, purged, django_capture_on_commit_callbacks
):
    from wagtail.models import Page

    from broadsheet.discussions.cache import discussions_changed
    from broadsheet.discussions.factories import CommentFactory

    story, reader = site["story"], site["reader"]
    # Comments hold the generic Page, whose own get_full_url names the Site row.
    generic = Page.objects.get(pk=story.pk)
    with django_capture_on_commit_callbacks(execute=True):
        discussions_changed(page=generic, author=reader)
    assert f"{ORIGIN}{story.url}" in purged
    assert all(url.startswith(ORIGIN + "/") for url in purged), purged

    CommentFactory(page=story, author=reader)
    forged.force_login(reader)
    data = forged.get(reverse("accounts:account_data")).json()
    assert [c["story_url"] for c in data["comments"]] == [f"{ORIGIN}{story.url}"]
