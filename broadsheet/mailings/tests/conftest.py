import pytest
from django.urls import NoReverseMatch, clear_url_caches, reverse

from broadsheet.subscriptions.factories import NewsletterListFactory
from broadsheet.subscriptions.models import ListKind


@pytest.fixture(autouse=True)
def subscription_urls(settings):
    try:
        reverse("subscriptions:unsubscribe", args=["x"])
    except NoReverseMatch:
        settings.ROOT_URLCONF = "broadsheet.mailings.tests.stub_urls"
        clear_url_caches()
    yield
    clear_url_caches()


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
