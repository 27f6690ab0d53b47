"""Factories for browser alerts (tests)."""

import base64
import os

import factory
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from .models import PushSubscription


def _b64u(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _p256dh() -> str:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return _b64u(
        key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )


class PushSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PushSubscription

    endpoint = factory.Sequence(lambda n: f"https://fcm.googleapis.com/fcm/send/test-{n}")
    p256dh = factory.LazyFunction(_p256dh)
    auth = factory.LazyFunction(lambda: _b64u(os.urandom(16)))
    language = "en"
