import pytest

from broadsheet.subscriptions.factories import NewsletterListFactory
from broadsheet.subscriptions.models import ListKind


@pytest.fixture
def mail_settings(settings):
    settings.SITE_URL = "https://news.example"
    settings.DEFAULT_FROM_EMAIL = "Broadsheet <newsroom@news.example>"
    settings.MAILINGS_RATE_PER_SECOND = 0
    settings.MAILINGS_RETRY_SECONDS = 60
    return settings


@pytest.fixture
def digest_list(db):
    return NewsletterListFactory(name="Morning briefing", slug="morning", kind=ListKind.DIGEST)


@pytest.fixture
def breaking_list(db):
    return NewsletterListFactory(
        name="Breaking news", slug="breaking", kind=ListKind.BREAKING, cadence="immediate"
    )
