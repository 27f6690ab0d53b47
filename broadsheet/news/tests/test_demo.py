import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from broadsheet.accounts.models import User
from broadsheet.mediabank.models import Photo
from broadsheet.news.demo import DEMO_PASSWORDS
from broadsheet.news.models import ArticleKind, ArticlePage, AuthorPage, GalleryPage, SectionPage

pytestmark = pytest.mark.django_db


def test_load_demo_builds_a_newsroom_and_is_idempotent(client):
    call_command("load_demo", "--articles", "14", "--photos", "4", "--no-progress")
    counts = (
        ArticlePage.objects.count(),
        Photo.objects.count(),
        AuthorPage.objects.count(),
        SectionPage.objects.count(),
        User.objects.count(),
        GalleryPage.objects.count(),
    )
    assert counts[0] == 14
    assert counts[5] == 2
    assert all(g.is_public and g.photo_count == 4 for g in GalleryPage.objects.all())
    assert any(b.block_type == "gallery" for s in ArticlePage.objects.all() for b in s.body)
    assert SectionPage.objects.count() >= 6
    assert AuthorPage.objects.count() >= 8
    assert set(ArticlePage.objects.values_list("kind", flat=True)) >= {
        ArticleKind.OPINION,
        ArticleKind.OFFBEAT,
    }
    story = ArticlePage.objects.published().first()
    assert story.live_revision_id is not None, "stories are published through revisions"
    assert {b.block_type for s in ArticlePage.objects.all() for b in s.body} >= {
        "paragraph",
        "quote",
        "subheading",
    }
    assert all(p.credit_line.startswith("©") and p.caption for p in Photo.objects.all())

    call_command("load_demo", "--articles", "14", "--photos", "4", "--no-progress")
    assert counts == (
        ArticlePage.objects.count(),
        Photo.objects.count(),
        AuthorPage.objects.count(),
        SectionPage.objects.count(),
        User.objects.count(),
        GalleryPage.objects.count(),
    )
    assert client.get("/").status_code == 200
    assert client.get("/multimedia/").status_code == 200
    assert client.get(GalleryPage.objects.first().url + "2/").status_code == 200
    assert client.get(story.url).status_code == 200


def test_demo_staff_can_log_in_with_the_printed_passwords():
    call_command("load_demo", "--articles", "1", "--photos", "1", "--no-progress")
    for username in ("editor", "reporter", "admin"):
        assert authenticate(username=username, password=DEMO_PASSWORDS[username])
