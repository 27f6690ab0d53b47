"""The posting desk in the admin: one screen, permission refusals as messages."""

import pytest
from django.urls import reverse

from broadsheet.live.factories import LivePostFactory
from broadsheet.live.forms import html_to_text, text_to_html
from broadsheet.live.models import LivePost, PostStatus

pytestmark = pytest.mark.django_db


def _desk(story):
    return reverse("live_admin:desk", args=[story.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_editor_publishes_from_the_desk(client, story, editor, events):
    client.force_login(editor)
    response = client.get(_desk(story))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action" value="publish"' in html
    assert f'data-live-desk="{story.pk}"' in html and "js/live_desk.js" in html
    response = client.post(
        _desk(story),
        {
            "title": "Gates open",
            "body": "First line\nsecond line\n\nhttps://example.org/x",
            "action": "publish",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?posted=1")
    post = LivePost.objects.get()
    assert post.status == PostStatus.PUBLISHED and post.created_by == editor
    assert post.body == (
        '<p>First line<br>second line</p><p><a href="https://example.org/x">https://example.org/x</a></p>'
    )
    assert [e["kind"] for e in events()] == ["post.published"]
    # The stream on the desk shows it as readers see it.
    assert f'id="post-{post.pk}"' in client.get(_desk(story)).content.decode()
    stream = client.get(reverse("live_admin:stream", args=[story.pk]))
    assert f'id="post-{post.pk}"' in stream.content.decode()


def test_reporter_drafts_and_a_publish_attempt_is_a_message(client, story, reporter, events):
    client.force_login(reporter)
    html = client.get(_desk(story)).content.decode()
    assert 'value="publish"' not in html
    response = client.post(_desk(story), {"body": "From the field", "action": "draft"})
    assert response.status_code == 302
    post = LivePost.objects.get()
    assert post.status == PostStatus.DRAFT
    # A hand-made publish: refused with a message, not an error page.
    response = client.post(_desk(story), {"body": "Sneaky", "action": "publish"})
    assert response.status_code == 403
    assert any("Only editors" in m for m in _messages(response))
    assert LivePost.objects.count() == 1
    action = reverse("live_admin:action", args=[story.pk, post.pk, "publish"])
    response = client.post(action, follow=True)
    assert any("Only editors" in m for m in _messages(response))
    assert LivePost.objects.get().status == PostStatus.DRAFT
    assert events() == []


def test_actions_publish_pin_delete(client, story, editor, events):
    client.force_login(editor)
    post = LivePostFactory(story=story, status=PostStatus.DRAFT, published_at=None)
    for action in ("publish", "pin", "unpin", "delete"):
        url = reverse("live_admin:action", args=[story.pk, post.pk, action])
        assert client.post(url).status_code == 302
    post.refresh_from_db()
    assert post.deleted and not post.pinned
    kinds = [e["kind"] for e in events()]
    assert kinds == ["post.published", "post.pinned", "post.pinned", "post.deleted"]
    bad = reverse("live_admin:action", args=[story.pk, post.pk, "explode"])
    assert any("Unknown" in m for m in _messages(client.post(bad, follow=True)))
    assert (
        client.get(reverse("live_admin:action", args=[story.pk, post.pk, "pin"])).status_code == 405
    )


def test_edit_a_published_post(client, story, editor, events):
    client.force_login(editor)
    post = LivePostFactory(story=story, body="<p>Old text</p>")
    url = reverse("live_admin:edit", args=[story.pk, post.pk])
    assert "Old text" in client.get(url).content.decode()
    response = client.post(url, {"title": "", "body": "New text"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "<p>New text</p>" and post.updated_at is not None
    assert [e["kind"] for e in events()] == ["post.updated"]


def test_form_errors_are_shown(client, story, editor):
    client.force_login(editor)
    response = client.post(_desk(story), {"body": "", "action": "publish"})
    assert response.status_code == 422
    assert any("Write something" in m for m in _messages(response))
    response = client.post(
        _desk(story), {"body": "x", "embed_url": "not a url", "action": "publish"}
    )
    assert response.status_code == 400
    assert "Enter a valid URL" in response.content.decode()
    response = client.post(_desk(story), {"body": "bidi \u202e", "action": "publish"})
    assert response.status_code == 422
    assert not LivePost.objects.exists()


def test_people_without_rights_are_turned_away(client, story, world):
    from broadsheet.accounts.factories import UserFactory

    client.force_login(UserFactory(username="intern", is_staff=True))
    response = client.get(_desk(story))
    assert response.status_code == 302
    assert client.post(_desk(story), {"body": "x"}).status_code == 302
    assert not LivePost.objects.exists()
    client.logout()
    assert client.get(_desk(story)).status_code == 302  # to the admin login


def test_menu_index_and_page_buttons(client, story, editor):
    client.force_login(editor)
    index = client.get(reverse("live_admin:index")).content.decode()
    assert _desk(story) in index
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    assert _desk(story) in edit
    listing = client.get(reverse("wagtailadmin_explore", args=[story.get_parent().pk]))
    assert listing.status_code == 200 and _desk(story) in listing.content.decode()


def test_text_round_trip_is_safe():
    html = text_to_html('<b>bold</b> & "quotes"\n\nnext <script>')
    assert (
        html == "<p>&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;</p><p>next &lt;script&gt;</p>"
    )
    assert html_to_text(html) == '<b>bold</b> & "quotes"\n\nnext <script>'


def test_editors_can_add_a_live_story_under_a_section(client, world, editor):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    from broadsheet.live.models import CoverageStatus, LiveStoryPage

    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["live", "livestorypage", world.pk])
    assert client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Live: the storm",
            "slug": "live-the-storm",
            "kind": "news",
            "standfirst": "The storm reaches the coast tonight.",
            "coverage_status": CoverageStatus.LIVE,
            "key_points": streamfield([("point", "Schools are closed.")]),
            "bylines": {
                "TOTAL_FORMS": 0,
                "INITIAL_FORMS": 0,
                "MIN_NUM_FORMS": 0,
                "MAX_NUM_FORMS": 1000,
            },
            "body": streamfield([]),
            "tags": "",
            "discussion_mode": "",
        }
    )
    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story = LiveStoryPage.objects.get(slug="live-the-storm")
    assert story.live and story.coverage == "live"
    assert client.get(story.url).status_code == 200
