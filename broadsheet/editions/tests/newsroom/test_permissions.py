"""Per-edition permissions: each edition's editor publishes in it and in no
other; reporters write but do not publish; both may start translations."""

import pytest
from django.test import TestCase
from django.urls import reverse

from broadsheet.accounts.factories import UserFactory
from broadsheet.editions.models import Edition
from broadsheet.editions.permissions import edition_groups_ensure, edition_groups_ensure_all
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticlePage

from .conftest import translation_submit

pytestmark = pytest.mark.django_db

CODES = ["en", "ru", "es"]


@pytest.fixture
def editions(world, russian, spanish):
    """Each edition with its front page and a story in its World section."""
    story = ArticlePageFactory(parent=world, title="Harbour reopens")
    stories = {"en": story}
    for locale in (russian, spanish):
        with TestCase.captureOnCommitCallbacks(execute=True):
            copy = story.copy_for_translation(locale, copy_parents=True)
        stories[locale.language_code] = copy.specific
    groups = edition_groups_ensure_all()
    assert set(groups) == set(CODES)
    return stories, groups


def _user(groups, code, role):
    return UserFactory(username=f"{role}-{code}", is_staff=True, groups=[groups[code][role].name])


def test_the_groups_are_made_once(editions):
    _stories, groups = editions
    again = edition_groups_ensure(edition=Edition.objects.get(locale__language_code="ru"))
    assert again["editors"].pk == groups["ru"]["editors"].pk
    assert again["editors"].name == "Editors · Русский"
    assert again["editors"].page_permissions.count() == 5


@pytest.mark.parametrize("editor_code", CODES)
@pytest.mark.parametrize("story_code", CODES)
def test_matrix_editors_publish_only_in_their_edition(editions, editor_code, story_code):
    stories, groups = editions
    editor = _user(groups, editor_code, "editors")
    reporter = _user(groups, editor_code, "reporters")
    own = editor_code == story_code
    perms = stories[story_code].permissions_for_user(editor)
    assert (perms.can_edit(), perms.can_publish()) == (own, own)
    perms = stories[story_code].permissions_for_user(reporter)
    assert (perms.can_edit(), perms.can_publish()) == (own, False)
    assert editor.has_perm("wagtail_localize.submit_translation")
    assert reporter.has_perm("wagtail_localize.submit_translation")


@pytest.mark.parametrize("approver_code", CODES)
def test_submitted_stories_go_to_their_editions_editors(editions, approver_code):
    stories, groups = editions
    reporter = _user(groups, "ru", "reporters")
    approver = _user(groups, approver_code, "editors")
    story = stories["ru"]
    workflow = story.get_workflow()
    assert workflow.name == "Moderation · Русский"
    state = workflow.start(story, reporter)
    task = state.current_task_state.task.specific
    can_approve = bool(task.get_actions(story, approver))
    assert can_approve == (approver_code == "ru")


def test_publishing_another_editions_story_is_refused(client, editions):
    stories, groups = editions
    client.force_login(_user(groups, "ru", "editors"))
    es = stories["es"]
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[es.pk]),
        {"title": "Hackeado", "slug": es.slug, "action-publish": "1"},
    )
    assert response.status_code in (302, 403)
    es.refresh_from_db()
    assert not es.live and es.title != "Hackeado"


def test_an_editor_translates_into_their_edition_and_publishes_it(client, world, russian, spanish):
    story = ArticlePageFactory(parent=world, title="Harbour reopens")
    with TestCase.captureOnCommitCallbacks(execute=True):
        story.get_parent().get_parent().copy_for_translation(russian)  # the ru front page
        story.get_parent().get_parent().copy_for_translation(spanish)
    groups = edition_groups_ensure_all()
    client.force_login(_user(groups, "ru", "editors"))
    translation = translation_submit(client, story, russian)
    ru = ArticlePage.objects.get(translation_key=story.translation_key, locale=russian)
    assert ru.permissions_for_user(_user(groups, "ru", "reporters")).can_edit()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("wagtailadmin_pages:edit", args=[ru.pk]), {"action": "publish"})
    ru.refresh_from_db()
    assert ru.live
    # Sync-and-publish from the source would publish the Spanish translation
    # too: refused as a whole for an editor who cannot publish there.
    translation_submit(client, story, spanish)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[translation.source_id]),
            {"publish_translations": "on"},
        )
    assert "You cannot publish in the Español edition." in response.content.decode()
    es = ArticlePage.objects.get(translation_key=story.translation_key, locale=spanish)
    assert not es.live


def test_the_demo_has_an_editor_per_edition(editions):
    from broadsheet.accounts.models import User
    from broadsheet.editions.newsroom.demo import newsroom_demo_build

    newsroom_demo_build()
    newsroom_demo_build()
    editor_ru = User.objects.get(username="editor-ru")
    assert editor_ru.check_password("broadsheet-editor-ru")
    stories, _groups = editions
    assert stories["ru"].permissions_for_user(editor_ru).can_publish()
    assert not stories["en"].permissions_for_user(editor_ru).can_publish()
