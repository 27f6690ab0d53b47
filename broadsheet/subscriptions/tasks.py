"""The subscription e-mails, sent by the task worker after the request's
transaction commits (a rolled-back request sends nothing, and no request
waits on a mail server): the confirmation link of the double opt-in, and
"you're already subscribed" with the preference centre's link.

Both go to the address as typed on the form, pending or not: they are the
only mail a pending address ever gets."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from broadsheet.core.email import email_message
from broadsheet.core.origin import absolute_url

from .links import preferences_url
from .models import Subscriber


def _language(language: str | None) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def confirmation_request(*, subscriber: Subscriber, token: str, language: str) -> None:
    pk = subscriber.pk
    transaction.on_commit(lambda: confirmation_send_task.enqueue(pk, token, _language(language)))


def already_subscribed_request(*, subscriber: Subscriber, language: str) -> None:
    pk = subscriber.pk
    transaction.on_commit(lambda: already_subscribed_send_task.enqueue(pk, _language(language)))


@task()
def confirmation_send_task(subscriber_id: int, token: str, language: str) -> bool:
    from .services import confirm_request_from_token

    request = confirm_request_from_token(token=token)
    if request is None or request.subscriber.pk != subscriber_id:
        return False  # deleted (or its key changed) before the worker ran
    subscriber = request.subscriber
    with translation.override(language):
        url = absolute_url(reverse("subscriptions:confirm", args=[token]))
        message = email_message(
            template="subscriptions_confirm",
            context={
                "confirm_url": url,
                "newsletters": request.newsletters,
                "name": request.name or subscriber.name,
                "max_age_days": settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS,
            },
            to=subscriber.email,
            subject=_("Confirm your subscription"),
            language=language,
        )
    message.send()
    return True


@task()
def already_subscribed_send_task(subscriber_id: int, language: str) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    with translation.override(language):
        message = email_message(
            template="subscriptions_already",
            context={
                "preferences_url": preferences_url(subscriber=subscriber),
                "newsletters": [
                    s.newsletter
                    for s in subscriber.subscriptions.active().select_related("newsletter")
                ],
                "name": subscriber.name,
            },
            to=subscriber.email,
            subject=_("You're already subscribed"),
            language=language,
        )
    message.send()
    return True
