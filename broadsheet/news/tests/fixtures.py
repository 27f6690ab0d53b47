"""Page-tree and CDN fixtures shared by every app's tests (registered in the root conftest)."""

import pytest

from broadsheet.core import testing
from broadsheet.news.factories import (
    AuthorIndexPageFactory,
    AuthorPageFactory,
    SectionPageFactory,
    TagIndexPageFactory,
    front_page_install,
)


@pytest.fixture
def home(db):
    return front_page_install()


@pytest.fixture
def world(home):
    return SectionPageFactory(parent=home, title="World", slug="world")


@pytest.fixture
def sport(home):
    return SectionPageFactory(parent=home, title="Sport", slug="sport")


@pytest.fixture
def topics(home):
    return TagIndexPageFactory(parent=home)


@pytest.fixture
def author(home):
    index = AuthorIndexPageFactory(parent=home)
    return AuthorPageFactory(parent=index, title="Amara Okafor", slug="amara-okafor")


@pytest.fixture
def purged(settings):
    """The URLs the CDN is asked to purge (a recording frontend-cache backend)."""
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "broadsheet.core.testing.RecordingPurgeBackend"}
    }
    testing.PURGED.clear()
    yield testing.PURGED
    testing.PURGED.clear()


@pytest.fixture
def wagtail_root(transactional_db):
    """Transactional tests empty every table when they end, Wagtail's root
    page and collection (made by migrations) included: put them back if an
    earlier test took them."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
