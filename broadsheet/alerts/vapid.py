"""The VAPID key pair (RFC 8292) the push services know this site by.

Production gives both keys in the environment (check alerts.E001). Without
them, development makes a pair once and keeps it in WEBPUSH_VAPID_DEV_KEY_FILE
(var/), so `make run` works and browsers subscribed yesterday still get
alerts today: a new key would orphan every subscription.
"""

import base64
import functools
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid

logger = logging.getLogger(__name__)


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url (padding optional); ValueError otherwise."""
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64url")
    stripped = text.rstrip("=")
    if any(c not in _B64URL for c in stripped) or len(stripped) % 4 == 1:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class VapidKeys:
    private_key: ec.EllipticCurvePrivateKey
    public_key: str  # base64url uncompressed point: the applicationServerKey

    def vapid(self) -> Vapid:
        signer = Vapid()
        signer.private_key = self.private_key
        return signer


def public_key_text(private_key: ec.EllipticCurvePrivateKey) -> str:
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url_encode(point)


def private_key_text(private_key: ec.EllipticCurvePrivateKey) -> str:
    return b64url_encode(private_key.private_numbers().private_value.to_bytes(32, "big"))


def private_key_parse(text: str) -> ec.EllipticCurvePrivateKey:
    """The raw 32-byte form `webpush_keys` prints (a PEM is accepted too)."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("not an EC key")
        return key
    raw = b64url_decode(text)
    if len(raw) != 32:
        raise ValueError("the private key must be 32 bytes (base64url)")
    return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())


def keys_generate() -> tuple[str, str]:
    """A new pair as (public, private) text for the environment."""
    key = ec.generate_private_key(ec.SECP256R1())
    return public_key_text(key), private_key_text(key)


def _dev_key(path: Path) -> ec.EllipticCurvePrivateKey:
    if path.exists():
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Two processes starting together: the first file written wins.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    logger.warning("Web Push: generated development VAPID keys in %s", path)
    return key


@functools.cache
def _keys(private: str, public: str, dev_file: str | None) -> VapidKeys | None:
    if private:
        key = private_key_parse(private)
        derived = public_key_text(key)
        if public and public.rstrip("=") != derived:
            raise ValueError("WEBPUSH_VAPID_PUBLIC_KEY is not the private key's public key")
        return VapidKeys(key, derived)
    if dev_file:
        key = _dev_key(Path(dev_file))
        return VapidKeys(key, public_key_text(key))
    return None


def vapid_keys() -> VapidKeys | None:
    """The keys, or None when push is off or unconfigured (the button then
    stays hidden and nothing is sent)."""
    if not settings.ALERTS_PUSH_ENABLED:
        return None
    dev_file = settings.WEBPUSH_VAPID_DEV_KEY_FILE
    try:
        return _keys(
            settings.WEBPUSH_VAPID_PRIVATE_KEY,
            settings.WEBPUSH_VAPID_PUBLIC_KEY,
            str(dev_file) if dev_file else None,
        )
    except (ValueError, TypeError, OSError):
        logger.exception("Web Push: the VAPID keys are unusable; push is off")
        return None
