"""A story cannot be published from the admin while one of its photos has no
alt text; saving a draft is still allowed."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from broadsheet.accounts.factories import UserFactory
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticlePage

pytestmark = pytest.mark.django_db

MESSAGE = "Add alt text to the photo “{}” in the media bank before publishing."


@pytest.fixture
def editor(client):
    user = UserFactory(username="desk-editor", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _draft(world):
    story = ArticlePageFactory(parent=world, lead_photo=None)
    story.unpublish()
    story.refresh_from_db()
    return story


def _post(client, story, *, lead_photo, body_photo=None, action="action-publish", extra=None):
    body = [("paragraph", rich_text("<p>Body.</p>"))]
    if body_photo is not None:
        body.append(("image", {"image": body_photo.pk, "caption": ""}))
    data = nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "kind": "news",
            "standfirst": story.standfirst,
            "lead_photo": lead_photo.pk if lead_photo else "",
            "bylines": inline_formset([]),
            "body": streamfield(body),
            "tags": "",
        }
    )
    data[action] = "1"
    data.update(extra or {})
    return client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data, follow=True)


def test_publish_is_refused_while_the_lead_photo_has_no_alt_text(client, world, editor):
    story = _draft(world)
    photo = PhotoFactory(size=(64, 36), title="Harbour at dawn", alt_text="")
    response = _post(client, story, lead_photo=photo)
    assert response.status_code == 200
    assert MESSAGE.format("Harbour at dawn") in response.content.decode()
    story.refresh_from_db()
    assert not story.live

    photo.alt_text = "Fishing boats moored in a calm harbour at sunrise"
    photo.save()
    response = _post(client, story, lead_photo=photo)
    story.refresh_from_db()
    assert story.live
    assert story.lead_photo_id == photo.pk


def test_publish_is_refused_for_a_photo_in_the_body(client, world, editor):
    story = _draft(world)
    lead = PhotoFactory(size=(64, 36))
    inline = PhotoFactory(size=(64, 36), title="Crowd outside the court", alt_text="  ")
    response = _post(client, story, lead_photo=lead, body_photo=inline)
    html = response.content.decode()
    assert MESSAGE.format("Crowd outside the court") in html
    assert MESSAGE.format(lead.title) not in html
    story.refresh_from_db()
    assert not story.live


def test_a_draft_may_be_saved_without_alt_text(client, world, editor):
    story = _draft(world)
    photo = PhotoFactory(size=(64, 36), title="Harbour at dawn", alt_text="")
    response = _post(client, story, lead_photo=photo, action="action-save")
    assert MESSAGE.format("Harbour at dawn") not in response.content.decode()
    story = ArticlePage.objects.get(pk=story.pk)
    assert not story.live
    assert story.get_latest_revision_as_object().lead_photo_id == photo.pk


def test_factory_photos_have_alt_text():
    assert PhotoFactory.build().alt_text


def test_approving_a_workflow_from_the_edit_view_is_refused_too(client, world, editor):
    story = _draft(world)
    photo = PhotoFactory(size=(64, 36), title="Quay in fog", alt_text="")
    story.lead_photo = photo
    story.save_revision(user=editor)
    workflow = story.get_workflow()
    assert workflow is not None, "Wagtail's default moderation workflow covers every page"
    workflow.start(story, editor)

    response = _post(
        client,
        story,
        lead_photo=photo,
        action="action-workflow-action",
        extra={"workflow-action-name": "approve"},
    )
    assert MESSAGE.format("Quay in fog") in response.content.decode()
    story.refresh_from_db()
    assert not story.live
    assert story.current_workflow_state is not None, "still waiting for approval"
