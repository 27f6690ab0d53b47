"""The "Expiring photos" admin report: who sees it and what it lists."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts.factories import UserFactory
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory, GalleryPageFactory, story_body

pytestmark = pytest.mark.django_db

URL = reverse("mediabank_admin:expiring_photos")


def _in(days: float):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def editor(db):
    return UserFactory(username="desk", is_staff=True, groups=["Moderators"])


@pytest.fixture
def reporter(db):
    """May use the admin, but not change images."""
    group = Group.objects.create(name="Reporters without images")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return UserFactory(username="cub", is_staff=True, groups=[group.name])


def _rows(response) -> set[int]:
    return {row["photo"].pk for row in response.context["rows"]}


def test_lists_photos_expiring_within_n_days_and_their_pages(client, world, editor):
    soon = PhotoFactory(title="Soon", licence_expires_at=_in(10))
    later = PhotoFactory(title="Later", licence_expires_at=_in(60))
    expired = PhotoFactory(title="Gone", licence_expires_at=_in(-1))
    withdrawn = PhotoFactory(title="Pulled", restricted=True)
    PhotoFactory(title="Forever")
    story = ArticlePageFactory(parent=world, lead_photo=soon, title="Story with soon photo")
    other = ArticlePageFactory(parent=world, body=story_body(seed=3, photo=soon))
    gallery = GalleryPageFactory(parent=world, photos=[later])
    client.force_login(editor)

    response = client.get(URL)
    assert response.status_code == 200
    assert _rows(response) == {soon.pk}, "30 days by default"
    row = response.context["rows"][0]
    assert {p.pk for p in row["pages"]} == {story.pk, other.pk}
    html = response.content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[story.pk]) in html
    assert reverse("mediabank_admin:photo_swap", args=[soon.pk]) in html
    assert soon.credit_line in html

    response = client.get(URL, {"days": 90})
    assert _rows(response) == {soon.pk, later.pk}
    assert reverse("wagtailadmin_pages:edit", args=[gallery.pk]) in response.content.decode()

    response = client.get(URL, {"days": 5, "include_expired": "on"})
    assert _rows(response) == {expired.pk, withdrawn.pk}


@pytest.mark.parametrize("days", ["abc", "0", "-3", "100000", "1e9"])
def test_bad_days_is_a_form_error(client, editor, days):
    client.force_login(editor)
    response = client.get(URL, {"days": days})
    assert response.status_code == 400
    assert response.context["form"].errors["days"]


def test_only_users_who_may_change_images_see_the_report(client, reporter, editor):
    client.force_login(reporter)
    swap = reverse("mediabank_admin:photo_swap", args=[PhotoFactory().pk])
    for url in (URL, swap):
        # Wagtail's admin turns PermissionDenied into a redirect home with a message.
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Expiring photos" not in menu

    client.force_login(editor)
    assert client.get(URL).status_code == 200
    assert "Expiring photos" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
