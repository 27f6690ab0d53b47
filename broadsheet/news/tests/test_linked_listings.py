"""Topic and author listings (selectors._linked) list the same stories,
newest first, whichever plan the links' density picks, and the density is
counted per edition."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from broadsheet.news import selectors
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticleAuthor

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(world, author):
    now = timezone.now()
    stories = []
    for n in range(5):
        story = ArticlePageFactory(
            parent=world, published_at=now - timedelta(hours=n), tag_names=["climate"]
        )
        ArticleAuthor.objects.create(page=story, author=author, sort_order=0)
        stories.append(story)
    ArticlePageFactory(parent=world, published_at=now - timedelta(minutes=30))  # neither
    return stories


def _listed(**filters) -> list[int]:
    return [story.pk for story in selectors.feed_page(**filters).items]


@pytest.mark.parametrize("dense_above", [1000, 2])
def test_both_plans_list_the_same_stories_newest_first(tagged, author, monkeypatch, dense_above):
    from taggit.models import Tag

    monkeypatch.setattr(selectors, "DENSE_LINKS", dense_above)
    cache.clear()
    expected = [story.pk for story in tagged]
    assert _listed(tag=Tag.objects.get(name="climate")) == expected
    assert _listed(author=author) == expected


def test_density_is_counted_in_the_edition_and_kept(tagged, monkeypatch):
    from taggit.models import Tag

    monkeypatch.setattr(selectors, "DENSE_LINKS", 2)
    cache.clear()
    tag = Tag.objects.get(name="climate")
    edition = tagged[0].edition_locale_id
    dense = selectors._links_dense(
        selectors.ArticlePageTag, "content_object", "tag", [tag.pk], edition
    )
    assert dense is True
    assert (
        selectors._links_dense(
            selectors.ArticlePageTag, "content_object", "tag", [tag.pk], edition + 1000
        )
        is False
    )
    # Kept: more links do not change the answer until it expires.
    monkeypatch.setattr(selectors, "DENSE_LINKS", 1000)
    assert selectors._links_dense(
        selectors.ArticlePageTag, "content_object", "tag", [tag.pk], edition
    )
