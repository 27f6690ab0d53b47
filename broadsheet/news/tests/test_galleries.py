"""Photo galleries: one URL per photo, a plain list of every photo without JS,
a card for story bodies, JSON-LD and the Multimedia section's listing."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import (
    ArticlePageFactory,
    GalleryPageFactory,
    SectionPageFactory,
    front_page_install,
)
from broadsheet.news.models import ArticlePage, GalleryPage


@pytest.fixture
def multimedia(home):
    return SectionPageFactory(parent=home, title="Multimedia", slug="multimedia")


@pytest.fixture
def photos(db):
    return [
        PhotoFactory(seed=n, caption=f"Caption of photo {n + 1}", photographer=f"Snapper {n + 1}")
        for n in range(4)
    ]


@pytest.fixture
def gallery(multimedia, photos):
    return GalleryPageFactory(
        parent=multimedia, title="Harbour in pictures", slug="harbour", photos=photos
    )


def _ld(html: str) -> list[dict]:
    return [
        json.loads(m)
        for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


@pytest.mark.django_db
def test_first_photo_at_the_gallery_url(client, gallery, photos):
    assert gallery.url == "/multimedia/harbour/"
    response = client.get("/multimedia/harbour/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Caption of photo 1" in html
    assert "1 of 4" in html
    assert 'rel="prev"' not in html
    assert 'href="/multimedia/harbour/2/#photo" rel="next"' in html


@pytest.mark.django_db
def test_nth_photo_has_its_own_url_with_prev_and_next(client, gallery):
    response = client.get("/multimedia/harbour/3/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Caption of photo 3" in html
    assert "Snapper 3" in html  # the credit
    assert "3 of 4" in html
    assert 'href="/multimedia/harbour/2/#photo" rel="prev"' in html
    assert 'href="/multimedia/harbour/4/#photo" rel="next"' in html
    last = client.get("/multimedia/harbour/4/").content.decode()
    assert 'rel="next"' not in last.split("gallery__nav", 1)[1].split("</nav>", 1)[0]
    # Photo 2 links back to the gallery's own URL, not to /1/.
    second = client.get("/multimedia/harbour/2/").content.decode()
    assert 'href="/multimedia/harbour/#photo" rel="prev"' in second


@pytest.mark.django_db
def test_every_photo_is_listed_as_a_link_without_js(client, gallery):
    html = client.get("/multimedia/harbour/2/").content.decode()
    photo_list = html.split('class="gallery__list"', 1)[1].split("</ol>", 1)[0]
    links = re.findall(r'<a href="([^"]+)"', photo_list)
    assert links == [
        "/multimedia/harbour/#photo",
        "/multimedia/harbour/2/#photo",
        "/multimedia/harbour/3/#photo",
        "/multimedia/harbour/4/#photo",
    ]
    assert photo_list.count("<img") == 4
    assert 'aria-current="page"' in photo_list


@pytest.mark.django_db
def test_photo_numbers_outside_the_gallery_are_404(client, gallery):
    assert client.get("/multimedia/harbour/5/").status_code == 404
    assert client.get("/multimedia/harbour/0/").status_code == 404
    assert client.get("/multimedia/harbour/1/").status_code == 200
    assert client.get("/multimedia/harbour/nope/").status_code == 404


@pytest.mark.django_db
def test_section_route_reaches_gallery_photo_urls_next_to_stories(client, gallery, multimedia):
    """SectionPage.route looks for an ArticlePage first; galleries (and their
    extra path component) must still get through."""
    story = ArticlePageFactory(parent=multimedia, slug="a-story")
    assert client.get(story.url).status_code == 200
    assert client.get("/multimedia/harbour/").status_code == 200
    assert client.get("/multimedia/harbour/2/").status_code == 200
    assert client.get("/multimedia/missing/2/").status_code == 404


@pytest.mark.django_db
def test_unpublished_and_embargoed_galleries_are_404(client, multimedia, photos):
    draft = GalleryPageFactory(
        parent=multimedia, slug="draft", live=False, published_at=None, photos=photos[:2]
    )
    assert draft.published_at is None
    assert client.get("/multimedia/draft/").status_code == 404
    assert client.get("/multimedia/draft/2/").status_code == 404
    later = GalleryPageFactory(
        parent=multimedia,
        slug="later",
        published_at=timezone.now() + timedelta(hours=2),
        photos=photos[:2],
    )
    assert client.get(later.url).status_code == 404


@pytest.mark.django_db
def test_publishing_sets_published_at(multimedia, photos):
    gallery = GalleryPageFactory.build(
        live=False, published_at=None, first_published_at=None, last_published_at=None
    )
    multimedia.add_child(instance=gallery)
    assert gallery.published_at is None
    gallery.save_revision().publish()
    gallery.refresh_from_db()
    assert gallery.live and gallery.published_at is not None
    assert gallery.is_public


@pytest.mark.django_db
def test_json_ld_image_gallery_and_og_image_cover(client, gallery, photos):
    html = client.get("/multimedia/harbour/").content.decode()
    data = next(d for d in _ld(html) if d.get("@type") == "ImageGallery")
    assert data["name"] == "Harbour in pictures"
    assert data["description"] == gallery.intro
    assert len(data["image"]) == 4
    assert all(url.startswith(f"{settings.SITE_URL}/") for url in data["image"])
    assert gallery.get_social_image() == photos[0]
    og = re.search(r'<meta property="og:image" content="([^"]+)"', html)
    assert og and og[1] == data["image"][0]


@pytest.mark.django_db
def test_gallery_card_block_in_a_story(client, gallery, world):
    story = ArticlePageFactory(parent=world, body=[("gallery", {"page": gallery})])
    html = client.get(story.url).content.decode()
    assert "gallery-card" in html
    assert "In pictures" in html
    assert "Harbour in pictures" in html
    assert "4 photos" in html
    assert 'href="/multimedia/harbour/"' in html


@pytest.mark.django_db
def test_gallery_card_renders_nothing_for_an_unpublished_gallery(client, multimedia, world):
    draft = GalleryPageFactory(parent=multimedia, title="Secret pictures", live=False)
    story = ArticlePageFactory(parent=world, body=[("gallery", {"page": draft})])
    html = client.get(story.url).content.decode()
    assert "Secret pictures" not in html
    assert "gallery-card" not in html


@pytest.mark.django_db
def test_multimedia_section_lists_its_public_galleries(client, gallery, multimedia):
    GalleryPageFactory(parent=multimedia, title="Hidden pictures", live=False)
    html = client.get(multimedia.url).content.decode()
    assert "Harbour in pictures" in html
    assert 'href="/multimedia/harbour/"' in html
    assert "Hidden pictures" not in html
    assert [g.pk for g in multimedia.galleries()] == [gallery.pk]


@pytest.mark.django_db
def test_section_without_galleries_shows_no_gallery_block(client, world):
    assert "gallery-cards" not in client.get(world.url).content.decode()


class GalleryAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = front_page_install()
        cls.section = SectionPageFactory(parent=cls.home, title="Multimedia", slug="multimedia")
        cls.photos = [PhotoFactory(seed=n) for n in range(2)]

    def setUp(self):
        self.login()

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(GalleryPage, {self.section.specific_class})
        self.assertAllowedSubpageTypes(GalleryPage, set())

    def test_can_create_gallery_with_photos(self):
        data = nested_form_data(
            {
                "title": "Floods in pictures",
                "slug": "floods",
                "intro": "The water rose overnight.",
                "cover_photo": self.photos[1].pk,
                "gallery_photos": inline_formset(
                    [
                        {"photo": self.photos[0].pk, "caption": "Own caption"},
                        {"photo": self.photos[1].pk, "caption": ""},
                    ]
                ),
            }
        )
        self.assertCanCreate(self.section, GalleryPage, data)
        gallery = GalleryPage.objects.get(slug="floods")
        assert gallery.published_at is not None
        assert [item.photo for item in gallery.photos] == self.photos
        assert gallery.photos[0].display_caption == "Own caption"
        assert gallery.photos[1].display_caption == self.photos[1].caption
        assert self.client.get("/multimedia/floods/2/").status_code == 200

    def test_can_add_gallery_card_to_a_story(self):
        gallery = GalleryPageFactory(parent=self.section, photos=self.photos)
        data = nested_form_data(
            {
                "title": "Flood story",
                "slug": "flood-story",
                "kind": "news",
                "standfirst": "The water rose.",
                "bylines": inline_formset([]),
                "body": streamfield([("gallery", {"page": gallery.pk})]),
                "tags": "",
            }
        )
        self.assertCanCreate(self.section, ArticlePage, data)
        story = ArticlePage.objects.get(slug="flood-story")
        assert [b.block_type for b in story.body] == ["gallery"]
