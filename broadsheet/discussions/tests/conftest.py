import pytest
from django.core.cache import cache
from wagtail.models import Site

from broadsheet.accounts.factories import UserFactory
from broadsheet.discussions.factories import reader_verified
from broadsheet.discussions.models import DiscussionSettings
from broadsheet.news.factories import ArticlePageFactory

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    # Rate-limit stamps live in the default cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def story(world):
    return ArticlePageFactory(parent=world, title="Rains return to the valley")


@pytest.fixture
def reader(db):
    return reader_verified(username="reader", display_name="Rita Reader")


@pytest.fixture
def other(db):
    return reader_verified(username="other", display_name="Otto Other")


@pytest.fixture
def unverified(db):
    return UserFactory(username="unverified")


@pytest.fixture
def staff(db):
    return reader_verified(username="staff", is_staff=True)


@pytest.fixture
def moderator(db):
    return reader_verified(
        username="mod", display_name="Mona Moderator", is_staff=True, groups=["Moderators"]
    )


@pytest.fixture
def conf(home):
    """The site's discussion settings, saved (which bumps the memo) on `.save()`."""
    return DiscussionSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def no_rate_limits(conf):
    conf.post_interval_seconds = 0
    conf.window_max_posts = 1000
    conf.save()
    return conf
