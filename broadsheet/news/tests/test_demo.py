import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils.text import slugify

from broadsheet.accounts.models import User
from broadsheet.mediabank.models import Photo
from broadsheet.news.demo import DEMO_PASSWORDS, demo_build
from broadsheet.news.demo_text import StoryWriter
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticleKind, ArticlePage, AuthorPage, GalleryPage, SectionPage

pytestmark = pytest.mark.django_db


def _stories():
    """The demo's ordinary stories (load_demo adds live ones too: live/demo.py)."""
    return ArticlePage.objects.filter(coverage="")


def test_load_demo_builds_a_newsroom_and_is_idempotent(client):
    call_command("load_demo", "--articles", "14", "--photos", "4", "--no-progress", "--no-editions")
    counts = (
        _stories().count(),
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

    call_command("load_demo", "--articles", "14", "--photos", "4", "--no-progress", "--no-editions")
    assert counts == (
        _stories().count(),
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
    call_command("load_demo", "--articles", "1", "--photos", "1", "--no-progress", "--no-editions")
    for username in ("editor", "reporter", "admin"):
        assert authenticate(username=username, password=DEMO_PASSWORDS[username])


def test_demo_stories_are_addressed_by_their_headlines_and_keep_their_addresses():
    call_command("load_demo", "--articles", "14", "--photos", "2", "--no-progress", "--no-editions")
    stories = _stories()
    assert len(stories) == 14
    for story in stories:
        assert story.slug == slugify(story.title), story.url
        assert story.url == f"{story.get_parent().url}{story.slug}/"
    urls = {story.pk: story.url for story in stories}

    call_command("load_demo", "--articles", "20", "--photos", "2", "--no-progress", "--no-editions")
    after = {story.pk: story.url for story in _stories()}
    assert len(after) == 20
    assert {pk: after[pk] for pk in urls} == urls, "a second run keeps every address"


def test_demo_headlines_taken_in_a_section_get_the_admins_suffixes(monkeypatch):
    call_command("load_demo", "--articles", "0", "--photos", "1", "--no-progress", "--no-editions")
    world = SectionPage.objects.get(slug="world")
    # An editor's own story already holds the address the headline would take.
    ArticlePageFactory(parent=world, title="Something else", slug="the-same-headline")
    monkeypatch.setattr(StoryWriter, "headline", lambda self, kind: "The same headline")

    demo_build(articles=14, photos=1)
    demo_build(articles=14, photos=1)

    slugs = sorted(_stories().child_of(world).values_list("slug", flat=True))
    assert slugs == ["the-same-headline", "the-same-headline-2", "the-same-headline-3"]
    politics = SectionPage.objects.get(slug="politics")
    assert sorted(ArticlePage.objects.child_of(politics).values_list("slug", flat=True)) == [
        "the-same-headline",
        "the-same-headline-2",
    ]


def test_a_demo_from_before_headline_addresses_is_not_loaded_twice():
    call_command("load_demo", "--articles", "0", "--photos", "1", "--no-progress", "--no-editions")
    world = SectionPage.objects.get(slug="world")
    ArticlePageFactory(parent=world, title="Old demo story", slug="demo-0")

    demo_build(articles=2, photos=1)

    assert list(_stories().child_of(world).values_list("slug", flat=True)) == ["demo-0"]
    assert _stories().count() == 2  # story 1, in Politics, was missing


def test_the_demo_queues_no_index_tasks_and_is_indexed_when_ready(client, monkeypatch):
    """Saving the demo's pages used to queue ~13,000 index tasks that the
    worker ran for minutes after `make run` (broadsheet/demo/indexes.py)."""
    from unittest.mock import Mock

    from django.utils.html import escape
    from wagtail.models import ReferenceIndex

    reference, search = Mock(), Mock()
    monkeypatch.setattr("wagtail.signal_handlers.update_reference_index_task", reference)
    monkeypatch.setattr("modelsearch.signal_handlers.insert_or_update_object_task", search)
    call_command("load_demo", "--articles", "6", "--photos", "2", "--no-progress", "--no-editions")
    assert reference.enqueue.call_count == 0 and search.enqueue.call_count == 0

    story = _stories().live().first()
    assert ReferenceIndex.get_references_for_object(story).exists()
    word = story.title.split()[-1]
    assert escape(story.title) in client.get("/search/", {"q": word}).content.decode()

    # Saves after the build are indexed as before.
    story.save_revision().publish()
    assert reference.enqueue.call_count >= 1 and search.enqueue.call_count >= 1
