"""Signed links in e-mails: the preference centre and one-click unsubscribe.

They work without a login and do not expire (a newsletter stays in an inbox
for years, and RFC 8058 expects its unsubscribe link to keep working), but a
link only holds while the subscriber's `key` is the one it was signed with:
deleting the data or asking for new links changes the key and every link
already sent stops working. Tokens are HMAC-signed with SECRET_KEY
(django.core.signing), so they cannot be forged or altered.
"""

from django.core import signing
from django.urls import reverse

from broadsheet.core.origin import absolute_url

from .models import NewsletterList, Subscriber

_SALT = "broadsheet.subscriptions.link"


def subscriber_token(*, subscriber: Subscriber, newsletter: NewsletterList | None = None) -> str:
    payload = [subscriber.pk, subscriber.key]
    if newsletter is not None:
        payload.append(newsletter.pk)
    return signing.dumps(payload, salt=_SALT, compress=False)


def subscriber_from_token(*, token: str) -> tuple[Subscriber, NewsletterList | None] | None:
    """The subscriber (and list, for a list's unsubscribe link) a token names,
    or None for a forged, altered or revoked one."""
    if not token or len(token) > 200:
        return None
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, list) or len(payload) not in (2, 3):
        return None
    subscriber = Subscriber.objects.filter(pk=payload[0], key=payload[1]).first()
    if subscriber is None:
        return None
    newsletter = None
    if len(payload) == 3:
        newsletter = NewsletterList.objects.filter(pk=payload[2]).first()
        if newsletter is None:
            return None
    return subscriber, newsletter


def preferences_url(*, subscriber: Subscriber) -> str:
    token = subscriber_token(subscriber=subscriber)
    return absolute_url(reverse("subscriptions:preferences", args=[token]))


def unsubscribe_url(*, subscriber: Subscriber, newsletter: NewsletterList | None = None) -> str:
    """The one-click address (RFC 8058): a POST unsubscribes at once; a GET
    shows a page with one button (mail scanners follow GETs)."""
    token = subscriber_token(subscriber=subscriber, newsletter=newsletter)
    return absolute_url(reverse("subscriptions:unsubscribe", args=[token]))
