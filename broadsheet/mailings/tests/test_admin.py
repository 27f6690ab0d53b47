"""Editors: digest drafts (edit, preview, send now) and the sends list."""

import pytest
from django.utils import timezone

from broadsheet.accounts.factories import UserFactory
from broadsheet.mailings.factories import DigestFactory, subscribers_add
from broadsheet.mailings.models import Delivery, Send
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.subscriptions.models import Subscription, SubscriptionStatus


@pytest.fixture
def admin_user(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.fixture
def digest(world, digest_list):
    stories = [ArticlePageFactory(parent=world, title=t) for t in ("First", "Second")]
    return DigestFactory(newsletter=digest_list, stories=stories, intro="Hello <script>")


def test_preview_shows_the_html_in_a_frame_and_the_text(client, admin_user, digest, mail_settings):
    client.force_login(admin_user)
    page = client.get(f"/admin/mailings/digest/{digest.pk}/").content.decode()
    assert f'src="/admin/mailings/digest/{digest.pk}/email.html"' in page
    assert "First" in page and "Hello &lt;script&gt;" in page and "Send now" in page
    response = client.get(f"/admin/mailings/digest/{digest.pk}/email.html")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    html = response.content.decode()
    assert "<mjml" not in html and "First" in html and "Second" in html
    assert "Hello <script>" not in html


def test_the_editor_reorders_and_removes_stories(client, admin_user, digest, mail_settings):
    client.force_login(admin_user)
    first, second = digest.items.order_by("sort_order")
    url = f"/admin/snippets/mailings/digest/edit/{digest.pk}/"
    assert client.get(url).status_code == 200
    data = {
        "subject": "Edited",
        "intro": "New intro",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": str(first.pk),
        "items-0-story": str(first.story_id),
        "items-0-ORDER": "2",
        "items-0-DELETE": "",
        "items-1-id": str(second.pk),
        "items-1-story": str(second.story_id),
        "items-1-ORDER": "1",
        "items-1-DELETE": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    digest.refresh_from_db()
    assert digest.intro == "New intro"
    assert [i.story.title for i in digest.items.order_by("sort_order")] == ["Second", "First"]


def test_send_now_sends_once_and_the_sends_list_counts(
    client,
    admin_user,
    digest,
    digest_list,
    smtp_sink,
    mail_settings,
    django_capture_on_commit_callbacks,
):
    ann, bob, cy = subscribers_add(newsletter=digest_list, count=3)
    smtp_sink.refuse = {cy.email}
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/mailings/digest/{digest.pk}/send/")
    assert response.status_code == 302
    smtp_sink.wait_for(2)
    send = Send.objects.get()
    assert send.created_by == admin_user
    # Bob leaves afterwards: counted as an unsubscribe since the send.
    Subscription.objects.filter(subscriber=bob).update(
        status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/admin/mailings/digest/{digest.pk}/send/")
    assert again.status_code == 302 and Send.objects.count() == 1
    page = client.get("/admin/mailings/sends/").content.decode()
    row = page.split(f'data-send-id="{send.pk}"', 1)[1].split("</tr>", 1)[0]
    for name, value in {
        "recipients": 3,
        "delivered": 2,
        "bounced": 1,
        "failed": 0,
        "skipped": 0,
        "unsubscribed": 1,
    }.items():
        assert f'data-count="{name}">{value}<' in row, (name, row)
    assert Delivery.objects.filter(send=send).count() == 3


def test_readers_cannot_reach_the_newsletters_admin(client, digest):
    reader = UserFactory(username="reader")
    client.force_login(reader)
    for url in (
        "/admin/mailings/sends/",
        f"/admin/mailings/digest/{digest.pk}/",
        f"/admin/mailings/digest/{digest.pk}/email.html",
    ):
        assert client.get(url).status_code in (302, 403)
    assert client.post(f"/admin/mailings/digest/{digest.pk}/send/").status_code in (302, 403)
    assert not Send.objects.exists()


def test_moderators_preview_send_and_see_the_sends(
    client, digest, digest_list, mail_settings, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(editor)
    assert client.get(f"/admin/mailings/digest/{digest.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/admin/mailings/digest/{digest.pk}/send/").status_code == 302
    assert Send.objects.get().created_by == editor
    assert client.get("/admin/mailings/sends/").status_code == 200
    menu = client.get("/admin/").content.decode()
    assert "Newsletters" in menu


def test_reporters_edit_and_preview_but_do_not_send(client, digest, digest_list, mail_settings):
    from django.contrib.auth.models import Group

    reporter = UserFactory(username="reporter")
    reporter.groups.add(Group.objects.get(name="Editors"))
    client.force_login(reporter)
    assert client.get(f"/admin/mailings/digest/{digest.pk}/").status_code == 200
    assert client.get("/admin/mailings/sends/").status_code == 200
    assert client.post(f"/admin/mailings/digest/{digest.pk}/send/").status_code in (302, 403)
    assert not Send.objects.exists()
