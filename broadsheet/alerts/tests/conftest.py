import pytest

from broadsheet.alerts.vapid import keys_generate

from .push_service import PushService


@pytest.fixture
def vapid(settings):
    """A fresh VAPID pair in the settings (as production gives it)."""
    public, private = keys_generate()
    settings.WEBPUSH_VAPID_PUBLIC_KEY = public
    settings.WEBPUSH_VAPID_PRIVATE_KEY = private
    settings.WEBPUSH_VAPID_SUBJECT = "mailto:desk@news.example"
    settings.ALERTS_PUSH_ENABLED = True
    settings.ALERTS_PUSH_ALLOW_LOCAL_ENDPOINTS = True
    return public


@pytest.fixture
def push_service(vapid):
    with PushService() as service:
        yield service
