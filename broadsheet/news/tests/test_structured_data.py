"""Each page type's JSON-LD, field by field, against what Google's
structured-data documentation requires and recommends for it:
https://developers.google.com/search/docs/appearance/structured-data/article
https://developers.google.com/search/docs/appearance/structured-data/organization
https://developers.google.com/search/docs/appearance/structured-data/breadcrumb
and schema.org for CollectionPage/ItemList and ImageGallery."""

from datetime import datetime

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from wagtail.models import Site

from broadsheet.core.models import SiteIdentity
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.renditions import photo_renditions_generate
from broadsheet.news.factories import ArticlePageFactory, GalleryPageFactory
from broadsheet.news.structured_data import FALLBACK_LOGO

from .test_seo import head

pytestmark = pytest.mark.django_db


def _ld(client, url) -> dict[str, dict]:
    response = client.get(url)
    assert response.status_code == 200
    by_type = {}
    for item in head(response).ld:
        assert item["@context"] == "https://schema.org"
        assert item["@type"] not in by_type, "one object of each type"
        by_type[item["@type"]] = item
    return by_type


def _absolute(url) -> bool:
    return isinstance(url, str) and url.startswith(settings.SITE_URL + "/")


def _check_logo(logo):
    assert logo["@type"] == "ImageObject"
    assert _absolute(logo["url"])
    # Google: at least 112×112 for an organisation's logo.
    assert isinstance(logo["width"], int) and logo["width"] >= 112
    assert isinstance(logo["height"], int) and logo["height"] >= 112


def _check_date(value):
    assert datetime.fromisoformat(value).tzinfo is not None, "ISO 8601 with a time zone"


@pytest.fixture
def identity(home):
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.publisher_name = "Broadsheet Media"
    identity.same_as = "https://social.example.org/@broadsheet\n\nhttps://video.example.org/c/b\n"
    identity.save()
    return identity


@pytest.fixture
def stories(world, author, topics):
    made = [
        ArticlePageFactory(parent=world, authors=[author], tag_names=["Climate"]) for _ in range(3)
    ]
    photo_renditions_generate(photo=made[0].lead_photo)
    # Newest first, as listings show them.
    return sorted(made, key=lambda s: (s.published_at, s.pk), reverse=True)


def test_front_page_has_organization_and_website_with_search(client, identity):
    data = _ld(client, "/")
    org = data["NewsMediaOrganization"]  # schema.org's Organization for news publishers
    assert org["name"] == "Broadsheet Media"
    assert org["url"] == settings.SITE_URL + "/"
    _check_logo(org["logo"])
    assert org["sameAs"] == [
        "https://social.example.org/@broadsheet",
        "https://video.example.org/c/b",
    ]

    site = data["WebSite"]
    assert site["name"] == identity.name
    assert site["url"] == settings.SITE_URL + "/"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert (
        action["target"]["urlTemplate"] == f"{settings.SITE_URL}/search/?q={{search_term_string}}"
    )
    assert action["query-input"] == "required name=search_term_string"


def test_story_is_a_complete_news_article_with_breadcrumbs(client, identity, stories, world):
    story = stories[-1]
    data = _ld(client, story.url)
    article = data["NewsArticle"]
    assert article["headline"] == story.title[:110] and len(article["headline"]) <= 110
    assert article["mainEntityOfPage"] == settings.SITE_URL + story.url
    assert article["image"] and all(_absolute(url) for url in article["image"])
    _check_date(article["datePublished"])
    _check_date(article["dateModified"])
    assert article["dateModified"] >= article["datePublished"]
    for person in article["author"]:
        assert person["@type"] == "Person" and person["name"] and _absolute(person["url"])
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == "Broadsheet Media"
    assert publisher["url"] == settings.SITE_URL + "/"
    _check_logo(publisher["logo"])

    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["@type"] for c in crumbs] == ["ListItem"] * 3
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert [c["name"] for c in crumbs] == [identity.name, world.title, story.title]
    assert [c["item"] for c in crumbs] == [
        settings.SITE_URL + "/",
        settings.SITE_URL + world.url,
        settings.SITE_URL + story.url,
    ]


def test_without_a_logo_the_shipped_wordmark_is_the_publisher_logo(client, identity, stories):
    logo = _ld(client, stories[0].url)["NewsArticle"]["publisher"]["logo"]
    path, width, height = FALLBACK_LOGO
    assert logo["url"].endswith(path) and (logo["width"], logo["height"]) == (width, height)
    assert finders.find(path), "the wordmark ships with the site"


def test_a_logo_chosen_in_the_admin_is_the_publisher_logo(client, identity, stories):
    identity.logo = PhotoFactory(size=(800, 400))
    identity.save()
    logo = _ld(client, "/")["NewsMediaOrganization"]["logo"]
    assert (logo["width"], logo["height"]) == (600, 300)
    assert _absolute(logo["url"]) and not logo["url"].endswith(FALLBACK_LOGO[0])
    assert client.get(logo["url"].removeprefix(settings.SITE_URL), follow=True).status_code == 200


def test_gallery_keeps_image_gallery(client, world):
    gallery = GalleryPageFactory(parent=world)
    data = _ld(client, gallery.url)
    item = data["ImageGallery"]
    assert item["name"] == gallery.title
    assert item["url"] == settings.SITE_URL + gallery.url
    assert item["image"] and all(_absolute(url) for url in item["image"])
    _check_date(item["datePublished"])


@pytest.mark.parametrize("listing", ["section", "topic", "author"])
def test_listings_are_collection_pages_of_the_stories_shown(
    client, identity, stories, world, topics, author, listing
):
    url, name = {
        "section": (world.url, world.title),
        "topic": (f"{topics.url}climate/", "Climate"),
        "author": (author.url, author.title),
    }[listing]
    page = _ld(client, url)["CollectionPage"]
    assert page["name"] == name
    assert page["url"] == settings.SITE_URL + url
    items = page["mainEntity"]
    assert items["@type"] == "ItemList" and items["numberOfItems"] == len(stories)
    assert items["itemListElement"] == [
        {"@type": "ListItem", "position": n, "url": settings.SITE_URL + story.url}
        for n, story in enumerate(stories, start=1)
    ]


def test_a_section_advertises_its_own_feed_and_the_site_wide_one(client, world):
    html = client.get(world.url).content.decode()
    assert 'type="application/rss+xml"' in html
    assert 'href="/feeds/world.xml"' in html
    assert 'href="/feeds/latest.xml"' in html
    assert client.get("/feeds/world.xml").status_code == 200


def test_the_demo_identity_has_a_logo_profiles_and_the_public_origin(client, home, settings):
    from broadsheet.news.demo_identity import demo_identity_build

    settings.SITE_URL = "http://127.0.0.1:8765"
    demo_identity_build()
    demo_identity_build()  # a second run changes nothing
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8765)
    identity = SiteIdentity.for_site(site)
    assert identity.logo is not None and identity.same_as_urls
    org = _ld(client, "/")["NewsMediaOrganization"]
    assert org["logo"]["url"].startswith("http://127.0.0.1:8765/media/images/")
    assert (org["logo"]["width"], org["logo"]["height"]) == FALLBACK_LOGO[1:]
    assert org["sameAs"] == identity.same_as_urls


def test_profiles_must_be_web_addresses(identity):
    from django.core.exceptions import ValidationError

    identity.same_as = "https://social.example.org/@b\njavascript:alert(1)"
    with pytest.raises(ValidationError) as refused:
        identity.full_clean()
    assert "same_as" in refused.value.message_dict


def test_a_translated_section_has_a_feed_in_each_language(client, world, stories):
    from wagtail.models import Locale

    russian = Locale.objects.get_or_create(language_code="ru")[0]
    world.get_parent().copy_for_translation(russian).save_revision().publish()
    world.copy_for_translation(russian).save_revision().publish()
    english = client.get("/feeds/world.xml")
    assert english.status_code == 200
    assert f"{settings.SITE_URL}{stories[0].url}".encode() in english.content
    assert client.get("/ru/feeds/world.xml").status_code == 200
    assert client.get("/feeds/nowhere.xml").status_code == 404
