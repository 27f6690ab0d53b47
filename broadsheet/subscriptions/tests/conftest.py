import pytest
from django.core.cache import cache

from broadsheet.subscriptions.factories import NewsletterListFactory
from broadsheet.subscriptions.models import Cadence, ListKind


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def daily(db):
    return NewsletterListFactory(
        name="Daily digest",
        slug="daily-digest",
        description="The day's stories every morning.",
        kind=ListKind.DIGEST,
        cadence=Cadence.DAILY,
        sort_order=0,
    )


@pytest.fixture
def breaking(db):
    return NewsletterListFactory(
        name="Breaking news",
        slug="breaking-news",
        description="The big stories as they happen.",
        kind=ListKind.BREAKING,
        cadence=Cadence.AS_IT_HAPPENS,
        sort_order=1,
    )


@pytest.fixture
def lists(daily, breaking):
    return [daily, breaking]


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs what the code queues after commit (the mail tasks), as a real
    commit would; the test's own transaction never commits."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run
