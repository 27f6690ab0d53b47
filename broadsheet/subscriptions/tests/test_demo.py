import pytest

from broadsheet.discussions.factories import reader_verified
from broadsheet.subscriptions.demo import DEMO_SUBSCRIBERS, subscriptions_demo_build
from broadsheet.subscriptions.models import NewsletterList, Subscriber, Subscription

pytestmark = pytest.mark.django_db


def test_demo_lists_and_subscribers_once(world, sport):
    reader = reader_verified(username="reader", email="reader@broadsheet.localhost")
    made = subscriptions_demo_build()
    slugs = set(NewsletterList.objects.values_list("slug", flat=True))
    assert {"daily-digest", "breaking-news", "world-daily", "sport-daily"} <= slugs
    assert made["newsletter list"] == 4
    assert made["subscriber"] == DEMO_SUBSCRIBERS + 2
    linked = Subscriber.objects.get(user=reader)
    assert linked.subscriptions.active().get().newsletter.slug == "daily-digest"
    assert Subscription.objects.filter(status="pending").count() == 1
    assert Subscription.objects.filter(status="unsubscribed").exists()
    assert subscriptions_demo_build() == {"newsletter list": 0, "subscriber": 0}
