"""Every story body block has a template, an icon, a description and a preview
in the admin's block picker (Wagtail block previews)."""

from datetime import timedelta

import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from wagtail.blocks import Block

from broadsheet.core.blocks import STORY_BODY_BLOCKS
from broadsheet.news.factories import GalleryPageFactory, SectionPageFactory

BLOCKS = dict(STORY_BODY_BLOCKS)
# Known gaps (blocks without a preview value or template) would be listed here.
WITHOUT_PREVIEW_VALUE: set[str] = set()
WITHOUT_PREVIEW_TEMPLATE: set[str] = set()


def known_gap(names: set[str], reason: str):
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason))
        if name in names
        else name
        for name in BLOCKS
    ]


@pytest.mark.parametrize("name", list(BLOCKS))
def test_every_block_has_a_template_icon_and_description(name):
    block = BLOCKS[name]
    assert block.meta.template.startswith("blocks/")
    get_template(block.meta.template)
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert str(block.get_description())


@pytest.mark.parametrize("name", known_gap(WITHOUT_PREVIEW_VALUE, "no preview_value yet"))
def test_every_block_has_a_preview_value(name):
    block = BLOCKS[name]
    dynamic = type(block).get_preview_value is not Block.get_preview_value
    assert hasattr(block.meta, "preview_value") or dynamic


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", known_gap(WITHOUT_PREVIEW_TEMPLATE, "no preview template (global or own) yet")
)
def test_every_block_is_previewable_in_the_block_picker(name):
    block = BLOCKS[name]
    assert block.is_previewable
    get_template(block.get_preview_template(block.get_preview_value()))


def preview(client, name: str):
    response = client.get(
        reverse("wagtailadmin_block_preview"), {"id": BLOCKS[name].definition_prefix}
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_gallery_card_preview_shows_the_newest_public_gallery(admin_client, home):
    multimedia = SectionPageFactory(parent=home, title="Multimedia", slug="multimedia")
    GalleryPageFactory(
        parent=multimedia,
        title="Older gallery",
        slug="older",
        published_at=timezone.now() - timedelta(days=2),
    )
    GalleryPageFactory(parent=multimedia, title="Newest gallery", slug="newest")
    GalleryPageFactory(
        parent=multimedia,
        title="Embargoed gallery",
        slug="embargoed",
        published_at=timezone.now() + timedelta(hours=1),
    )
    GalleryPageFactory(parent=multimedia, title="Draft gallery", slug="draft", live=False)

    html = preview(admin_client, "gallery")
    assert "Newest gallery" in html
    assert 'href="/multimedia/newest/"' in html
    assert "3 photos" in html
    assert "css/broadsheet" in html
    for hidden in ("Older gallery", "Embargoed gallery", "Draft gallery"):
        assert hidden not in html


@pytest.mark.django_db
def test_gallery_card_preview_without_a_gallery_says_so(admin_client):
    html = preview(admin_client, "gallery")
    assert "No published gallery yet" in html
    assert "gallery-card" not in html
