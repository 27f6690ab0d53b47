"""What a browser may register: PushSubscription.toJSON(), checked.

The endpoint is an address this server will POST to, written by whoever
calls the API: https only, to a known push service (ALERTS_PUSH_SERVICE_HOSTS),
never to a loopback, private or link-local address (outside tests and
development, ALERTS_PUSH_ALLOW_LOCAL_ENDPOINTS), so the sender cannot be
turned against the site's own network.
"""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from .models import ENDPOINT_MAX_LENGTH
from .vapid import b64url_decode

LOCAL_NAMES = ("localhost",)
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


class Invalid(ValueError):
    """The reason, for the 400 answer."""


@dataclass(frozen=True)
class SubscriptionInfo:
    endpoint: str
    p256dh: str
    auth: str


def _is_local_host(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES)
    return not address.is_global


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def endpoint_check(endpoint: object) -> str:
    if not isinstance(endpoint, str) or not endpoint:
        raise Invalid("endpoint: missing")
    if len(endpoint) > ENDPOINT_MAX_LENGTH:
        raise Invalid(f"endpoint: longer than {ENDPOINT_MAX_LENGTH} characters")
    if not endpoint.isascii() or not endpoint.isprintable() or " " in endpoint:
        raise Invalid("endpoint: not a URL")
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").rstrip(".")
        parts.port  # noqa: B018 — raises ValueError on a bad port
    except ValueError:
        raise Invalid("endpoint: not a URL") from None
    if not host or parts.username is not None or parts.password is not None:
        raise Invalid("endpoint: not a URL")
    if parts.fragment:
        raise Invalid("endpoint: a URL with a fragment")
    allow_local = settings.ALERTS_PUSH_ALLOW_LOCAL_ENDPOINTS
    if allow_local and _is_loopback(host):
        if parts.scheme not in ("http", "https"):
            raise Invalid("endpoint: not an http(s) URL")
        return endpoint
    if parts.scheme != "https":
        raise Invalid("endpoint: must be https")
    if _is_local_host(host):
        raise Invalid("endpoint: a local or private address")
    allowed = settings.ALERTS_PUSH_SERVICE_HOSTS
    if allowed and not any(host == name or host.endswith("." + name) for name in allowed):
        raise Invalid("endpoint: not a known push service")
    return endpoint


def _key(keys: dict, name: str, length: int) -> str:
    value = keys.get(name)
    if not isinstance(value, str) or not value or len(value) > 200:
        raise Invalid(f"keys.{name}: missing")
    try:
        raw = b64url_decode(value)
    except ValueError:
        raise Invalid(f"keys.{name}: not base64url") from None
    if len(raw) != length:
        raise Invalid(f"keys.{name}: must be {length} bytes, not {len(raw)}")
    return value.rstrip("=")


def subscription_parse(data: object) -> SubscriptionInfo:
    """The subscription in `data` (decoded JSON), or Invalid with the reason."""
    if not isinstance(data, dict):
        raise Invalid("expected a JSON object")
    endpoint = endpoint_check(data.get("endpoint"))
    keys = data.get("keys")
    if not isinstance(keys, dict):
        raise Invalid("keys: missing")
    p256dh = _key(keys, "p256dh", 65)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(p256dh))
    except ValueError:
        raise Invalid("keys.p256dh: not a P-256 public key") from None
    auth = _key(keys, "auth", 16)
    expiration = data.get("expirationTime")
    if expiration is not None and (
        isinstance(expiration, bool) or not isinstance(expiration, (int, float))
    ):
        raise Invalid("expirationTime: must be a number or null")
    return SubscriptionInfo(endpoint=endpoint, p256dh=p256dh, auth=auth)


def language_pick(value: object) -> str:
    """The reader's interface language if the site offers it, else the default."""
    if isinstance(value, str) and value in dict(settings.LANGUAGES):
        return value
    return settings.LANGUAGE_CODE
