"""Who may use the moderation desk and set a story's discussion mode, as a
matrix: anonymous, unverified reader, reader, suspended reader, editor,
moderator × every admin view and action. (The reader-side matrix — post,
reply, edit, delete, like, report — is in test_views.py.)"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts.factories import UserFactory
from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.discussions.models import (
    Comment,
    CommentStatus,
    ModerationAction,
    ReaderStanding,
)
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticlePage

from .test_moderation_story_mode import _article_data

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "unverified", "reader", "suspended", "editor", "moderator"]
NO_ADMIN = {"anonymous", "unverified", "reader", "suspended"}


@pytest.fixture
def people(db):
    suspended = reader_verified(username="sus", display_name="Sam Suspended")
    ReaderStanding.objects.create(
        user=suspended, suspended_until=timezone.now() + timedelta(days=7)
    )
    return {
        "unverified": UserFactory(username="unv"),
        "reader": reader_verified(username="rea", display_name="Rhea Reader"),
        "suspended": suspended,
        "editor": reader_verified(username="edi", is_staff=True, groups=["Editors"]),
        "moderator": reader_verified(username="mod", is_staff=True, groups=["Moderators"]),
    }


@pytest.fixture
def author(db):
    return reader_verified(username="author", display_name="Ann Author")


def _as(client, role, people):
    client.logout()
    if role != "anonymous":
        client.force_login(people[role])


def _outcome(response) -> str:
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        return "login"
    if response.status_code == 302 and response["Location"] == "/admin/":
        return "refused"  # Wagtail turns PermissionDenied into this plus a message
    return "allowed"


def _expected(role) -> str:
    return "login" if role in NO_ADMIN else "refused" if role == "editor" else "allowed"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["queue", "audit", "edit"])
def test_admin_pages(client, story, people, author, role, name):
    comment = CommentFactory(page=story, author=author)
    args = [comment.pk] if name == "edit" else []
    _as(client, role, people)
    response = client.get(reverse(f"discussions_admin:{name}", args=args))
    outcome = _outcome(response)
    assert outcome == _expected(role)
    if outcome == "allowed":
        assert response.status_code == 200


ACTIONS = {
    "approve": ({}, CommentStatus.HELD, CommentStatus.VISIBLE),
    "reject": ({"reason": "Off topic"}, CommentStatus.HELD, CommentStatus.REJECTED),
    "remove": ({"reason": "Abuse"}, CommentStatus.VISIBLE, CommentStatus.REMOVED),
    "warn": ({"reason": "Be civil"}, CommentStatus.VISIBLE, CommentStatus.VISIBLE),
    "suspend": ({"days": "7"}, CommentStatus.VISIBLE, CommentStatus.VISIBLE),
    "ban": ({}, CommentStatus.VISIBLE, CommentStatus.VISIBLE),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_admin_actions(client, story, people, author, role, action):
    data, before, after = ACTIONS[action]
    comment = CommentFactory(page=story, author=author, status=before)
    _as(client, role, people)
    response = client.post(reverse("discussions_admin:action", args=[comment.pk, action]), data)
    comment.refresh_from_db()
    outcome = _outcome(response)
    if role == "moderator":
        assert response.status_code == 302 and response["Location"] == "/admin/discussions/queue/"
        assert comment.status == after
        assert ModerationAction.objects.filter(moderator=people["moderator"]).count() == 1
        standing = ReaderStanding.objects.filter(user=author).first()
        if action == "warn":
            assert standing.warnings == 1
        elif action == "suspend":
            assert standing.suspended_until > timezone.now() + timedelta(days=6)
        elif action == "ban":
            assert standing.banned
    else:
        assert outcome == _expected(role)
        assert comment.status == before
        assert not ModerationAction.objects.exists()
        assert not ReaderStanding.objects.filter(user=author).exists()


@pytest.mark.parametrize("role", ROLES)
def test_admin_edit_and_unban(client, story, people, author, role):
    comment = CommentFactory(page=story, author=author, body="As typed")
    ReaderStanding.objects.create(user=author, banned=True)
    _as(client, role, people)
    edit = client.post(reverse("discussions_admin:edit", args=[comment.pk]), {"body": "Changed"})
    unban = client.post(reverse("discussions_admin:unban", args=[author.pk]))
    comment.refresh_from_db()
    banned = ReaderStanding.objects.get(user=author).banned
    if role == "moderator":
        assert comment.body == "Changed" and not banned
        assert ModerationAction.objects.count() == 2
    else:
        assert _outcome(edit) == _outcome(unban) == _expected(role)
        assert comment.body == "As typed" and banned
        assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_story_discussion_mode_from_the_page_editor(client, world, people, role):
    """Editors and moderators close a story's discussion from its admin page
    (an editor's save is a draft: Wagtail's Editors may not publish);
    readers never reach the page editor."""
    photo = PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=photo)
    _as(client, role, people)
    action = {"action-publish": "1"} if role == "moderator" else {}
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]),
        _article_data(story, photo, discussion_mode="closed", **action),
    )
    live = ArticlePage.objects.get(pk=story.pk)
    draft = live.get_latest_revision_as_object()
    if role in NO_ADMIN:
        assert _outcome(response) == "login"
        assert live.discussion_mode == draft.discussion_mode == ""
    elif role == "editor":
        assert response.status_code == 302
        assert draft.discussion_mode == "closed" and live.discussion_mode == ""
    else:
        assert response.status_code == 302
        assert live.discussion_mode == "closed"
    assert Comment.objects.count() == 0
