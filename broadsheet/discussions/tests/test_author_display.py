"""How a comment's author appears: avatar or initial beside the name, and a
new name or avatar shown at once, even in the memoised anonymous thread."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from broadsheet.accounts.services import account_profile_update
from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.news.factories import ArticlePageFactory

from .conftest import HX

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(world):
    story = ArticlePageFactory(parent=world)
    return story, reverse("discussions:thread", args=[story.pk])


def test_avatar_or_initial_beside_the_name(client, thread, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    story, url = thread
    pictured = reader_verified(username="pic", display_name="Pia Pictured")
    pictured.avatar.save("pia.webp", ContentFile(b"RIFF....WEBP"), save=True)
    CommentFactory(page=story, author=pictured)
    CommentFactory(page=story, author=reader_verified(username="nop", display_name="élodie"))
    html = client.get(url, **HX).content.decode()
    assert f'<img class="comment__avatar" src="{pictured.avatar.url}" alt=""' in html
    initial = '<span class="comment__avatar comment__avatar--initial" aria-hidden="true">É</span>'
    assert initial in html


def test_a_new_display_name_shows_in_the_shared_thread_at_once(client, thread):
    story, url = thread
    author = reader_verified(username="ren", display_name="Old Name")
    CommentFactory(page=story, author=author)
    assert "Old Name" in client.get(url, **HX).content.decode()  # now memoised
    account_profile_update(user=author, display_name="New Name", bio="")
    html = client.get(url, **HX).content.decode()
    assert "New Name" in html and "Old Name" not in html


def test_signing_in_does_not_throw_the_thread_away(client, thread):
    from broadsheet.discussions.cache import discussions_version

    story, _url = thread
    author = reader_verified(username="sig", display_name="Signer")
    CommentFactory(page=story, author=author)
    before = discussions_version()
    client.force_login(author)  # saves last_login only
    assert discussions_version() == before
