"""Breaking news: a story published with "breaking news" ticked is e-mailed to
the breaking lists once, through a real SMTP server."""

from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.core.smtp_sink import message_html, message_text
from broadsheet.mailings.factories import subscribers_add
from broadsheet.mailings.models import BreakingAlert, Delivery, DeliveryState, Send, SendStatus
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.subscriptions.factories import SubscriptionFactory
from broadsheet.subscriptions.models import Subscription, SubscriptionStatus


def publish_breaking(world, **fields):
    story = ArticlePageFactory.build(
        live=False,
        published_at=None,
        first_published_at=None,
        last_published_at=None,
        breaking=True,
        lead_photo=PhotoFactory(agency="Meridian Photo", photographer="Lena Park"),
        **fields,
    )
    world.add_child(instance=story)
    story.save_revision().publish()
    return story


@pytest.fixture
def readers(breaking_list):
    en = subscribers_add(newsletter=breaking_list, email="ann@example.org")[0]
    ru = subscribers_add(newsletter=breaking_list, email="boris@example.org", language="ru")[0]
    # Nothing to these: unconfirmed, paused, disabled.
    SubscriptionFactory(
        newsletter=breaking_list,
        status=SubscriptionStatus.PENDING,
        subscriber__email="p@example.org",
    )
    subscribers_add(
        newsletter=breaking_list,
        email="paused@example.org",
        paused_until=timezone.now() + timedelta(days=3),
    )
    subscribers_add(newsletter=breaking_list, email="gone@example.org", disabled_reason="bounce")
    return en, ru


def test_breaking_story_is_mailed_once_with_headers_links_photo_and_language(
    world, readers, smtp_sink, mail_settings, django_capture_on_commit_callbacks, client
):
    en, ru = readers
    with django_capture_on_commit_callbacks(execute=True):
        story = publish_breaking(world, title="Dam bursts upstream")
    received = smtp_sink.wait_for(2)
    assert sorted(r for _, rcpts in smtp_sink.envelopes for r in rcpts) == [
        "ann@example.org",
        "boris@example.org",
    ]
    send = Send.objects.get()
    assert send.status == SendStatus.DONE and send.recipients == 2
    message = smtp_sink.to("ann@example.org")[0]
    assert message["Subject"] == "Breaking: Dam bursts upstream"
    assert message["Precedence"] == "bulk"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"] == '"Breaking news" <breaking.news.example>'
    delivery = Delivery.objects.get(subscriber=en)
    assert message["Message-ID"] == f"<send-{send.pk}.{delivery.pk}@news.example>"
    unsubscribe = "".join(str(message["List-Unsubscribe"]).split()).strip("<>")
    assert unsubscribe.startswith("https://news.example/")
    text, html = message_text(message), message_html(message)
    assert unsubscribe in text and unsubscribe in html
    assert "https://news.example/" in text and "/preferences/" in text and "/preferences/" in html
    assert f"https://news.example{story.url}" in text or story.full_url in text
    assert "© Meridian Photo / Lena Park" in html and "© Meridian Photo / Lena Park" in text
    photo_src = html.split("<img", 1)[1].split('src="', 1)[1].split('"', 1)[0]
    assert photo_src.startswith("https://news.example/")
    assert "Dam bursts upstream" in html and 'lang="en"' in html
    # The Russian reader gets the interface in Russian, the story as written.
    russian = smtp_sink.to("boris@example.org")[0]
    assert "Фото: © Meridian Photo / Lena Park" in message_text(russian)
    assert 'lang="ru"' in message_html(russian)
    assert "Dam bursts upstream" in message_text(russian)
    assert len(received) == 2

    # One click (RFC 8058): a POST to the List-Unsubscribe address unsubscribes.
    response = client.post(
        unsubscribe.removeprefix("https://news.example"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code in (200, 204, 302, 303)
    assert Subscription.objects.get(subscriber=en).status == SubscriptionStatus.UNSUBSCRIBED


def test_republishing_never_sends_twice(
    world, readers, smtp_sink, mail_settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = publish_breaking(world)
    smtp_sink.wait_for(2)
    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Updated"
        story.save_revision().publish()
        story.unpublish()
        story.save_revision().publish()
    assert BreakingAlert.objects.count() == 1 and Send.objects.count() == 1
    assert len(smtp_sink.messages) == 2


def test_a_story_not_marked_breaking_sends_nothing(
    world, readers, smtp_sink, mail_settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticlePageFactory(parent=world)
        story.save_revision().publish()
    assert not Send.objects.exists() and not smtp_sink.messages


def test_a_bounce_disables_the_address(
    world, readers, smtp_sink, mail_settings, django_capture_on_commit_callbacks
):
    en, ru = readers
    smtp_sink.refuse = {"boris@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        publish_breaking(world)
    smtp_sink.wait_for(1)
    assert Delivery.objects.get(subscriber=ru).state == DeliveryState.BOUNCED
    ru.refresh_from_db()
    assert ru.disabled_reason == "bounce" and ru.disabled_at is not None
    assert Delivery.objects.get(subscriber=en).state == DeliveryState.SENT


def test_a_permanent_refusal_after_the_message_is_a_bounce(
    world, readers, smtp_sink, mail_settings, django_capture_on_commit_callbacks
):
    en, ru = readers
    smtp_sink.refuse_data = {"boris@example.org": "550 5.7.1 Message rejected"}
    with django_capture_on_commit_callbacks(execute=True):
        publish_breaking(world)
    smtp_sink.wait_for(1)
    assert smtp_sink.data_refusals == [("boris@example.org", "550 5.7.1 Message rejected")]
    assert Delivery.objects.get(subscriber=ru).state == DeliveryState.BOUNCED
    ru.refresh_from_db()
    assert ru.disabled_reason == "bounce"
    assert [m["To"] for m in smtp_sink.messages] == [en.email]


def test_a_temporary_refusal_after_the_message_is_sent_again_later_once(
    world, readers, smtp_sink, mail_settings, django_capture_on_commit_callbacks
):
    from broadsheet.mailings.engine import send_deliver

    en, ru = readers
    smtp_sink.refuse_data = {"boris@example.org": "451 4.3.0 Try again later"}
    with django_capture_on_commit_callbacks(execute=True):
        publish_breaking(world)
    smtp_sink.wait_for(1)
    row = Delivery.objects.get(subscriber=ru)
    assert row.state == DeliveryState.PENDING and row.attempts == 1
    ru.refresh_from_db()
    assert not ru.disabled_reason
    assert row.next_attempt_at > timezone.now()  # backoff (MAILINGS_RETRY_SECONDS)
    smtp_sink.refuse_data = {}
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    send_deliver(send_id=row.send_id)
    row.refresh_from_db()
    assert row.state == DeliveryState.SENT
    assert len(smtp_sink.to(ru.email)) == 1 and len(smtp_sink.to(en.email)) == 1
