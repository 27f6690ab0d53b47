"""Newsletters in the Wagtail admin: lists with counts, the chart, the
subscribers listing, and who may see them."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from broadsheet.accounts.factories import UserFactory
from broadsheet.subscriptions.factories import SubscriberFactory, SubscriptionFactory
from broadsheet.subscriptions.models import Subscriber, Subscription
from broadsheet.subscriptions.selectors import subscribers_over_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.fixture
def history(daily):
    """12 subscriptions over the last weeks: 10 confirmed, 3 of them left; 2 pending."""
    now = timezone.now()
    for n in range(10):
        confirmed = now - timedelta(days=40 - n * 3)
        unsubscribed = now - timedelta(days=5 - n) if n in (2, 3, 4) else None
        SubscriptionFactory(
            newsletter=daily,
            subscriber__email=f"s{n}@example.org",
            status="unsubscribed" if unsubscribed else "active",
            confirmed_at=confirmed,
            unsubscribed_at=unsubscribed,
        )
    for n in range(2):
        SubscriptionFactory(
            newsletter=daily,
            subscriber__email=f"p{n}@example.org",
            status="pending",
            confirmed_at=None,
        )


def test_history_counts_active_new_and_lost(daily, history):
    points = subscribers_over_time(newsletter=daily, days=90)
    assert len(points) == 90
    assert points[-1].active == 7 == Subscription.objects.active().count()
    assert sum(p.new for p in points) == 10
    assert sum(p.lost for p in points) == 3
    assert points[0].active == 0
    assert all(
        a.active + b.new - b.lost == b.active for a, b in zip(points, points[1:], strict=False)
    )
    # Subscriptions confirmed before the window count from its first day.
    short = subscribers_over_time(newsletter=daily, days=10)
    assert short[0].active == points[-10].active


def test_lists_listing_shows_counts_and_chart_link(client, admin_user, daily, history):
    client.force_login(admin_user)
    response = client.get("/admin/newsletter_lists/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Daily digest" in html and "Waiting for confirmation" in html
    at = html.index("Daily digest")
    row = html[html.rindex("<tr", 0, at) : html.index("</tr>", at)]
    cells = [re.sub(r"<[^>]+>|\s+", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert "7" in cells and "2" in cells
    assert f"/admin/newsletter_lists/chart/{daily.pk}/" in html


def test_chart_renders_svg_with_axes(client, admin_user, daily, history):
    client.force_login(admin_user)
    response = client.get(f"/admin/newsletter_lists/chart/{daily.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "data-chart-line" in html and "Active subscribers" in html
    assert html.count("data-chart-new") == 10 and html.count("data-chart-lost") == 3
    assert "Subscribed now: <strong>7</strong>" in html
    polyline = html.split('<polyline points="')[1].split('"')[0]
    assert len(polyline.split()) == 90
    assert "<script" not in html.split("<svg")[1].split("</svg>")[0]


def test_chart_of_an_empty_list(client, admin_user, daily):
    client.force_login(admin_user)
    assert client.get(f"/admin/newsletter_lists/chart/{daily.pk}/").status_code == 200
    assert client.get("/admin/newsletter_lists/chart/99999/").status_code == 404


def test_create_a_list(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/newsletter_lists/new/",
        {
            "name": "Weekly",
            "slug": "weekly",
            "description": "",
            "kind": "digest",
            "cadence": "weekly",
            "language": "en",
            "active": "on",
            "sort_order": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]


def test_subscribers_search_filter_unsubscribe_delete(client, admin_user, daily, history):
    SubscriberFactory(email="bounced@example.org", disabled_reason="bounce")
    client.force_login(admin_user)
    html = client.get("/admin/subscribers/?q=s3@").content.decode()
    assert "s3@example.org" in html and "s4@example.org" not in html
    html = client.get("/admin/subscribers/?status=pending").content.decode()
    assert "p0@example.org" in html and "s1@example.org" not in html
    html = client.get("/admin/subscribers/?disabled_reason=bounce").content.decode()
    assert "bounced@example.org" in html and "s1@example.org" not in html
    assert client.get("/admin/subscribers/?status=nonsense").status_code == 200
    subscriber = Subscriber.objects.get(email="s9@example.org")
    url = f"/admin/subscribers/unsubscribe/{subscriber.pk}/"
    assert "s9@example.org" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not subscriber.subscriptions.active().exists()
    assert client.post(f"/admin/subscribers/delete/{subscriber.pk}/").status_code == 302
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    # Nobody adds someone else's address.
    assert client.get("/admin/subscribers/new/").status_code in (302, 403)


def test_staff_without_permissions_is_refused(client, daily):
    editor = UserFactory(username="ed", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for url in (
        "/admin/newsletter_lists/",
        f"/admin/newsletter_lists/chart/{daily.pk}/",
        "/admin/subscribers/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/"), url
    editor.user_permissions.add(Permission.objects.get(codename="view_newsletterlist"))
    editor = type(editor).objects.get(pk=editor.pk)
    client.force_login(editor)
    assert client.get(f"/admin/newsletter_lists/chart/{daily.pk}/").status_code == 200
    assert client.get("/admin/subscribers/").status_code == 302


def test_readers_never_reach_the_admin(client, daily):
    from broadsheet.discussions.factories import reader_verified

    client.force_login(reader_verified())
    response = client.get("/admin/subscribers/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_chart_queries_do_not_grow_with_subscribers(
    client, admin_user, daily, django_assert_max_num_queries
):
    from broadsheet.subscriptions.models import Subscriber as S
    from broadsheet.subscriptions.models import Subscription as Sub

    now = timezone.now()
    subscribers = S.objects.bulk_create(
        S(email=f"bulk{n}@example.org", key=f"k{n}") for n in range(2000)
    )
    Sub.objects.bulk_create(
        Sub(
            subscriber=s,
            newsletter=daily,
            status="active",
            confirmed_at=now - timedelta(days=n % 120, hours=n % 24),
        )
        for n, s in enumerate(subscribers)
    )
    client.force_login(admin_user)
    client.get(f"/admin/newsletter_lists/chart/{daily.pk}/")  # warm Wagtail's own caches
    with django_assert_max_num_queries(12):
        response = client.get(f"/admin/newsletter_lists/chart/{daily.pk}/")
    assert "Subscribed now: <strong>2000</strong>" in response.content.decode()
