"""Page-tree fixtures shared by every app's tests (registered in the root conftest)."""

import pytest
from wagtail.models import Page, Site

from broadsheet.news.factories import (
    AuthorIndexPageFactory,
    AuthorPageFactory,
    HomePageFactory,
    SectionPageFactory,
    TagIndexPageFactory,
)


@pytest.fixture
def home(db):
    root = Page.get_first_root_node()
    for placeholder in root.get_children():
        placeholder.delete()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home},
    )
    return home


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
