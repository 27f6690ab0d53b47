import pytest
from allauth.account.models import EmailAddress
from django.core.cache import caches

from broadsheet.accounts.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _site_and_fresh_throttles(home, settings):
    """Every account page is drawn in the site design (the front page fixture
    gives the Wagtail site), django-axes is on (test settings turn it off for
    the client's login()), and allauth's rate limits, counted in the default
    cache, start from zero in each test."""
    settings.AXES_ENABLED = True
    caches["default"].clear()
    yield
    caches["default"].clear()


def make_reader(*, email: str, display_name: str = "", verified: bool = True, **extra):
    user = UserFactory(
        username=email.split("@")[0], email=email, display_name=display_name, **extra
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


@pytest.fixture
def reader(db):
    return make_reader(email="ann@example.org", display_name="Ann Reader")


@pytest.fixture
def unverified_reader(db):
    return make_reader(email="uma@example.org", display_name="Uma", verified=False)


@pytest.fixture
def staff(db):
    return make_reader(
        email="editor@example.org", display_name="Eddie Editor", is_staff=True, is_superuser=True
    )
