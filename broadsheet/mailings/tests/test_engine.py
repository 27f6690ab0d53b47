"""The send loop in one process: who is skipped, retries, other backends."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from broadsheet.mailings.engine import send_deliver
from broadsheet.mailings.factories import DigestFactory, subscribers_add
from broadsheet.mailings.messages import Composer
from broadsheet.mailings.models import Delivery, DeliveryState, Send, SendStatus
from broadsheet.mailings.services import digest_send, send_cancel
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.subscriptions.models import Subscription, SubscriptionStatus


@pytest.fixture
def digest(world, digest_list):
    return DigestFactory(newsletter=digest_list, stories=[ArticlePageFactory(parent=world)])


def start(digest, capture):
    with capture(execute=True):
        return digest_send(digest=digest)


def test_an_unsubscribe_mid_send_takes_effect_at_the_next_message(
    digest, digest_list, smtp_sink, mail_settings, monkeypatch, django_capture_on_commit_callbacks
):
    ann, bob, cy = subscribers_add(newsletter=digest_list, count=3)
    real = Composer.message_bytes

    def message_bytes(self, *, subscriber, delivery_id):
        # Bob leaves while Ann's message is being written: his row is claimed
        # already, but nothing goes to him.
        if subscriber == ann:
            Subscription.objects.filter(subscriber=bob).update(
                status=SubscriptionStatus.UNSUBSCRIBED
            )
        return real(self, subscriber=subscriber, delivery_id=delivery_id)

    monkeypatch.setattr(Composer, "message_bytes", message_bytes)
    send = start(digest, django_capture_on_commit_callbacks)
    smtp_sink.wait_for(2)
    states = dict(Delivery.objects.filter(send=send).values_list("subscriber__email", "state"))
    assert states == {ann.email: "sent", bob.email: "skipped", cy.email: "sent"}
    assert not smtp_sink.to(bob.email)
    send.refresh_from_db()
    assert send.status == SendStatus.DONE


def test_a_deleted_subscriber_is_skipped_and_keeps_no_address(
    digest, digest_list, smtp_sink, mail_settings, django_capture_on_commit_callbacks
):
    ann, bob = subscribers_add(newsletter=digest_list, count=2)
    send = Send.objects.create(
        newsletter=digest_list, kind="digest", subject="S", language="en", digest=digest
    )
    from broadsheet.mailings.services import send_start

    send_start(send=send)
    bob.delete()
    send_deliver(send_id=send.pk)
    assert len(smtp_sink.wait_for(1)) == 1
    row = Delivery.objects.get(send=send, subscriber=None)
    assert row.state == DeliveryState.SKIPPED and bob.email not in str(row.__dict__)


def test_temporary_refusals_are_retried_later_then_given_up(
    digest, digest_list, smtp_sink, mail_settings, django_capture_on_commit_callbacks
):
    mail_settings.MAILINGS_MAX_ATTEMPTS = 2
    (ann,) = subscribers_add(newsletter=digest_list, email="busy@example.org")
    handler = smtp_sink._controller.handler

    async def greylist(server, session, envelope, address, rcpt_options):
        return "451 4.7.1 Try again later"

    original, handler.handle_RCPT = handler.handle_RCPT, greylist
    send = start(digest, django_capture_on_commit_callbacks)
    row = Delivery.objects.get(send=send)
    assert row.state == DeliveryState.PENDING and row.attempts == 1
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=30)
    assert "451" in row.error
    send_deliver(send_id=send.pk)  # not due yet: nothing happens
    assert Delivery.objects.get(send=send).attempts == 1

    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    send_deliver(send_id=send.pk)
    row.refresh_from_db()
    assert row.state == DeliveryState.FAILED and row.attempts == 2
    send.refresh_from_db()
    assert send.status == SendStatus.DONE

    handler.handle_RCPT = original


def test_greylisted_then_accepted(
    digest, digest_list, smtp_sink, mail_settings, django_capture_on_commit_callbacks
):
    (ann,) = subscribers_add(newsletter=digest_list)
    handler = smtp_sink._controller.handler
    original = handler.handle_RCPT

    async def greylist(server, session, envelope, address, rcpt_options):
        return "451 4.7.1 Try again later"

    handler.handle_RCPT = greylist
    send = start(digest, django_capture_on_commit_callbacks)
    handler.handle_RCPT = original
    Delivery.objects.filter(send=send).update(next_attempt_at=timezone.now())
    send_deliver(send_id=send.pk)
    assert len(smtp_sink.wait_for(1)) == 1
    row = Delivery.objects.get(send=send)
    assert row.state == DeliveryState.SENT and row.attempts == 2


def test_other_backends_send_plainly(
    digest, digest_list, mail_settings, django_capture_on_commit_callbacks
):
    """The console/file backend of `make run` (here locmem): no dot hook."""
    subscribers_add(newsletter=digest_list, count=2)
    send = start(digest, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert mail.outbox[0].extra_headers["Precedence"] == "bulk"
    assert set(Delivery.objects.filter(send=send).values_list("state", flat=True)) == {"sent"}


def test_a_digest_is_sent_once_and_a_cancelled_send_sends_nothing_more(
    digest, digest_list, mail_settings, django_capture_on_commit_callbacks
):
    subscribers_add(newsletter=digest_list, count=2)
    send = Send.objects.create(
        newsletter=digest_list, kind="digest", subject="S", language="en", digest=digest
    )
    assert digest_send(digest=digest) is None  # the digest has its send
    from broadsheet.mailings.services import send_start

    send_start(send=send)
    send_cancel(send=send)
    send_deliver(send_id=send.pk)
    assert not mail.outbox
    assert set(Delivery.objects.filter(send=send).values_list("state", flat=True)) == {"skipped"}


def test_the_rate_cap_spaces_messages(
    digest, digest_list, mail_settings, django_capture_on_commit_callbacks
):
    import time

    mail_settings.MAILINGS_RATE_PER_SECOND = 20
    subscribers_add(newsletter=digest_list, count=5)
    started = time.monotonic()
    start(digest, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5
    assert time.monotonic() - started >= 4 / 20
