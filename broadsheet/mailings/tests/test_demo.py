import pytest

from broadsheet.mailings.demo import mailings_demo_build
from broadsheet.mailings.models import Digest
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.subscriptions.factories import NewsletterListFactory
from broadsheet.subscriptions.models import ListKind

pytestmark = pytest.mark.django_db


def test_the_demo_has_todays_digest_draft_once(world):
    NewsletterListFactory(name="Daily digest", slug="daily-digest", kind=ListKind.DIGEST)
    story = ArticlePageFactory(parent=world, title="Harbour reopens")
    assert mailings_demo_build() == {"digest draft": 1}
    digest = Digest.objects.get()
    assert [s.story_id for s in digest.items.all()] == [story.pk]
    assert mailings_demo_build() == {"digest draft": 0}
    assert Digest.objects.count() == 1
