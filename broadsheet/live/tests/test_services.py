"""Who may post what, and what readers are told about it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.core.cache import content_version
from broadsheet.live.factories import LivePostFactory, LiveStoryPageFactory
from broadsheet.live.models import LivePost, PostStatus
from broadsheet.live.services import (
    LivePostRefused,
    live_post_create,
    live_post_delete,
    live_post_pin,
    live_post_publish,
    live_post_update,
)

pytestmark = pytest.mark.django_db


def test_reporter_drafts_but_cannot_publish(story, reporter, events):
    post = live_post_create(user=reporter, story=story, body="<p>Crowds at the gate.</p>")
    assert post.status == PostStatus.DRAFT and post.published_at is None
    assert events() == []
    with pytest.raises(LivePostRefused) as refused:
        live_post_publish(user=reporter, post=post)
    assert refused.value.status == 403
    with pytest.raises(LivePostRefused):
        live_post_create(user=reporter, story=story, body="<p>Now!</p>", publish=True)
    # Their own draft they may still edit and delete.
    live_post_update(user=reporter, post=post, body="<p>Crowds at the north gate.</p>")
    live_post_delete(user=reporter, post=post)
    assert LivePost.objects.get(pk=post.pk).deleted
    assert events() == []


def test_reader_or_stranger_cannot_post(story, events):
    from broadsheet.accounts.factories import UserFactory

    reader = UserFactory(username="somereader")
    with pytest.raises(LivePostRefused) as refused:
        live_post_create(user=reader, story=story, body="<p>Hi</p>")
    assert refused.value.status == 403
    assert not LivePost.objects.exists()


def test_editor_publishes_a_draft_and_readers_are_told(story, reporter, editor, events):
    post = live_post_create(user=reporter, story=story, title="Gate", body="<p>Crowds.</p>")
    before = content_version()
    live_post_publish(user=editor, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at is not None
    assert content_version() > before
    [event] = events()
    assert event["stream"] == f"live-{story.pk}"
    assert event["kind"] == "post.published"
    assert event["data"]["id"] == post.pk
    assert f'id="post-{post.pk}"' in event["data"]["html"]
    assert "Crowds." in event["data"]["html"]


def test_reporter_cannot_touch_published_posts(story, reporter, editor, events):
    post = live_post_create(user=editor, story=story, body="<p>Official.</p>", publish=True)
    for action in (
        lambda: live_post_update(user=reporter, post=post, body="<p>Changed</p>"),
        lambda: live_post_pin(user=reporter, post=post),
        lambda: live_post_delete(user=reporter, post=post),
    ):
        with pytest.raises(LivePostRefused):
            action()
    assert [e["kind"] for e in events()] == ["post.published"]


def test_edit_pin_delete_emit_their_events(story, editor, events):
    post = live_post_create(user=editor, story=story, body="<p>First.</p>", publish=True)
    live_post_update(user=editor, post=post, body="<p>First, corrected.</p>")
    post.refresh_from_db()
    assert post.updated_at is not None
    live_post_pin(user=editor, post=post)
    live_post_pin(user=editor, post=post)  # already pinned: nothing new to say
    live_post_delete(user=editor, post=post)
    assert [e["kind"] for e in events()] == [
        "post.published",
        "post.updated",
        "post.pinned",
        "post.deleted",
    ]
    assert "Updated" in events()[1]["data"]["html"]
    assert "First, corrected." in events()[1]["data"]["html"]
    assert events()[2]["data"]["pinned"] is True
    assert events()[3]["data"] == {"id": post.pk}
    assert {e["data"]["id"] for e in events()} == {post.pk}


def test_two_editors_posting_at_once_both_kept(story, editor, events):
    from broadsheet.accounts.factories import UserFactory

    other = UserFactory(username="editor2", is_staff=True, groups=["Moderators"])
    # Both loaded the same story before either posted, as two desks do.
    story_a = type(story).objects.get(pk=story.pk)
    story_b = type(story).objects.get(pk=story.pk)
    a = live_post_create(user=editor, story=story_a, body="<p>North gate.</p>", publish=True)
    b = live_post_create(user=other, story=story_b, body="<p>South gate.</p>", publish=True)
    assert set(LivePost.objects.filter(story=story).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert [e["data"]["id"] for e in events()] == [a.pk, b.pk]


def test_embargoed_story_stores_posts_but_pushes_nothing(world, editor, events):
    story = LiveStoryPageFactory(
        parent=world, live=False, published_at=timezone.now() + timedelta(hours=2)
    )
    post = live_post_create(user=editor, story=story, body="<p>Secret.</p>", publish=True)
    live_post_update(user=editor, post=post, body="<p>Still secret.</p>")
    live_post_pin(user=editor, post=post)
    live_post_delete(user=editor, post=post)
    assert events() == []
    assert LivePost.objects.filter(story=story).count() == 1


def test_scheduled_story_pushes_nothing_before_its_time(world, editor, events):
    from broadsheet.live.models import LiveStoryPage

    story = LiveStoryPageFactory(parent=world, published_at=timezone.now() + timedelta(hours=1))
    assert isinstance(story, LiveStoryPage) and not story.is_public
    live_post_create(user=editor, story=story, body="<p>Early.</p>", publish=True)
    assert events() == []


@pytest.mark.parametrize(
    "fields",
    [
        {"body": "<p>Hello\u202eevil</p>"},
        {"title": "Null\x00byte", "body": "<p>x</p>"},
        {"body": ""},
        {"quote_attribution": "Someone", "body": "<p>x</p>"},
        {"title": "x" * 201},
    ],
)
def test_bad_input_is_refused_with_a_reason(story, editor, events, fields):
    with pytest.raises(LivePostRefused) as refused:
        live_post_create(user=editor, story=story, publish=True, **fields)
    assert refused.value.status == 422 and refused.value.message
    assert not LivePost.objects.exists() and events() == []


def test_stored_text_is_cleaned(story, editor, events):
    post = live_post_create(
        user=editor,
        story=story,
        body='<p onclick="x()">Hi <a href="javascript:alert(1)">link</a><script>x()</script></p>',
        publish=True,
    )
    assert "onclick" not in post.body and "javascript:" not in post.body
    assert "<script" not in post.body and "<script" not in events()[0]["data"]["html"]


def test_a_deleted_post_cannot_be_edited_or_published(story, editor, events):
    post = LivePostFactory(story=story, status=PostStatus.DRAFT, published_at=None)
    live_post_delete(user=editor, post=post)
    with pytest.raises(LivePostRefused):
        live_post_publish(user=editor, post=post)
    with pytest.raises(LivePostRefused):
        live_post_update(user=editor, post=post, title="Back")
    assert events() == []  # a draft going away concerns no reader
