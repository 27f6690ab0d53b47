"""The subscribe page and fragment, the confirmation page, the preference
centre and one-click unsubscribe, with hostile input: every refusal is a
message (4xx), never a 500, and no mail goes out for it."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from broadsheet.discussions.factories import reader_verified
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.subscriptions import services
from broadsheet.subscriptions.factories import SubscriberFactory, SubscriptionFactory
from broadsheet.subscriptions.links import preferences_url, subscriber_token, unsubscribe_url
from broadsheet.subscriptions.models import Subscriber, Subscription

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/subscribe/"
FRAGMENT = "/subscribe/form/"


def _post(client, run_on_commit, url, data, **extra):
    return run_on_commit(client.post, url, data, **extra)


def _private(response):
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# ------------------------------------------------------------ the form


def test_page_without_js_has_the_form_with_daily_digest_ticked(client, lists):
    response = client.get(SUBSCRIBE)
    assert response.status_code == 200
    _private(response)
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="email"' in html and 'name="website"' in html
    assert "The day&#x27;s stories every morning." in html
    daily_box = html.split(f'value="{lists[0].pk}"')[1].split(">")[0]
    assert "checked" in daily_box
    assert "Browser notifications" in html and "Feeds" in html


def test_fragment_is_only_the_form(client, lists):
    response = client.get(FRAGMENT)
    assert response.status_code == 200
    _private(response)
    html = response.content.decode()
    assert "<html" not in html and 'id="subscribe-title"' in html
    assert f'action="{FRAGMENT}"' in html
    assert "Browser notifications" in html


def test_russian_page_is_prefixed(client, lists):
    assert reverse("subscriptions:subscribe") == SUBSCRIBE
    response = client.get("/ru/subscribe/")
    assert response.status_code == 200
    assert 'action="/ru/subscribe/"' in response.content.decode()


@pytest.mark.parametrize("url", [SUBSCRIBE, FRAGMENT])
def test_valid_submission_answers_check_your_inbox(client, run_on_commit, lists, url):
    data = {"email": "ann@example.org", "name": "Ann", "newsletters": [lists[0].pk]}
    response = _post(client, run_on_commit, url, data)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert len(mail.outbox) == 1
    assert Subscriber.objects.get().language == "en"


def test_language_of_the_request_is_kept(client, run_on_commit, lists):
    _post(
        client,
        run_on_commit,
        "/ru/subscribe/",
        {"email": "r@example.org", "newsletters": [lists[0].pk]},
    )
    assert Subscriber.objects.get().language == "ru"
    assert "/ru/subscriptions/confirm/" in mail.outbox[0].body


def test_never_reveals_an_existing_subscription(client, run_on_commit, daily):
    SubscriptionFactory(newsletter=daily, subscriber__email="known@example.org")
    known = _post(
        client, run_on_commit, SUBSCRIBE, {"email": "known@example.org", "newsletters": [daily.pk]}
    )
    new = _post(
        client, run_on_commit, SUBSCRIBE, {"email": "new@example.org", "newsletters": [daily.pk]}
    )
    strip = lambda r: r.content.decode().split("<main")[1].split("</main>")[0]  # noqa: E731
    assert known.status_code == new.status_code == 200
    assert strip(known).replace("known@", "") == strip(new).replace("new@", "")
    assert [m.subject for m in mail.outbox] == [
        "You're already subscribed",
        "Confirm your subscription",
    ]


def test_honeypot_pretends_and_does_nothing(client, run_on_commit, daily):
    data = {"email": "bot@example.org", "newsletters": [daily.pk], "website": "http://spam"}
    response = _post(client, run_on_commit, SUBSCRIBE, data)
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    assert not Subscriber.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "", "newsletters": ["LIST"]}, "This field is required."),
        ({"email": "not-an-address", "newsletters": ["LIST"]}, "Enter a valid e-mail address."),
        ({"email": "a@example.org\r\nBcc: x@evil.test", "newsletters": ["LIST"]}, "line breaks"),
        ({"email": "a@example.org\nBcc:x@evil.test", "newsletters": ["LIST"]}, "line breaks"),
        ({"email": "a@example.org%0d%0aBcc:x@evil.test", "newsletters": ["LIST"]}, "valid e-mail"),
        ({"email": "a" * 250 + "@example.org", "newsletters": ["LIST"]}, "at most 254"),
        (
            {"email": "a@example.org", "name": "Ann\r\nBcc: x@evil.test", "newsletters": ["LIST"]},
            "line breaks",
        ),
        (
            {"email": "a@example.org", "name": "Ann\u202egnp.exe", "newsletters": ["LIST"]},
            "control",
        ),
        ({"email": "a@example.org", "name": "x" * 81, "newsletters": ["LIST"]}, "at most 80"),
        ({"email": "a@example.org", "newsletters": []}, "Choose at least one newsletter."),
        ({"email": "a@example.org", "newsletters": ["999999"]}, "Select a valid choice"),
        ({"email": "a@example.org", "newsletters": ["'; DROP TABLE"]}, "not a valid value"),
        ({"email": "a@example.org", "newsletters": ["INACTIVE"]}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_form_error(client, run_on_commit, daily, data, message):
    from broadsheet.subscriptions.factories import NewsletterListFactory

    inactive = NewsletterListFactory(name="Old list", active=False)
    lookup = {"LIST": str(daily.pk), "INACTIVE": str(inactive.pk)}
    data = {**data, "newsletters": [lookup.get(v, v) for v in data["newsletters"]]}
    for url in (SUBSCRIBE, FRAGMENT):
        response = _post(client, run_on_commit, url, data)
        assert response.status_code == 400, url
        assert message in response.content.decode()
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_markup_in_the_name_is_never_markup(client, run_on_commit, daily):
    name = '<img src=x onerror="alert(1)">'
    _post(
        client,
        run_on_commit,
        SUBSCRIBE,
        {"email": "x@example.org", "name": name, "newsletters": [daily.pk]},
    )
    html = mail.outbox[0].alternatives[0][0]
    assert "<img src=x" not in html and "&lt;img src=x" in html
    response = _post(
        client, run_on_commit, SUBSCRIBE, {"email": "bad", "name": name, "newsletters": [daily.pk]}
    )
    assert "<img src=x" not in response.content.decode()


def test_100_kb_post_is_a_clear_error(client, run_on_commit, daily):
    for url in (SUBSCRIBE, FRAGMENT):
        data = {"email": "a@example.org", "name": "x" * 100_000, "newsletters": [daily.pk]}
        response = _post(client, run_on_commit, url, data)
        assert response.status_code == 413
        assert "far too large" in response.content.decode()
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_too_many_attempts_is_429_with_the_wait(client, run_on_commit, settings, daily):
    settings.SUBSCRIPTIONS_RATE_PER_IP = 2
    for n in range(2):
        _post(
            client,
            run_on_commit,
            SUBSCRIBE,
            {"email": f"a{n}@example.org", "newsletters": [daily.pk]},
        )
    mail.outbox.clear()
    response = _post(
        client, run_on_commit, FRAGMENT, {"email": "z@example.org", "newsletters": [daily.pk]}
    )
    assert response.status_code == 429
    assert "Too many attempts, try again in 60 minutes." in response.content.decode()
    assert mail.outbox == []


# ------------------------------------------------------------ signed-in readers


def test_verified_reader_subscribes_in_one_click(client, run_on_commit, lists):
    user = reader_verified(email="member@example.org")
    client.force_login(user)
    page = client.get(SUBSCRIBE).content.decode()
    assert "member@example.org" in page and 'name="toggle"' in page and 'name="email"' not in page
    response = _post(
        client,
        run_on_commit,
        SUBSCRIBE,
        {"toggle": lists[1].pk, "on": "1", "next": "/readers/account/"},
    )
    assert response.status_code == 303 and response["Location"] == "/readers/account/"
    row = Subscription.objects.get()
    assert row.status == "active" and row.subscriber.user == user
    assert mail.outbox == []
    fragment = _post(client, run_on_commit, FRAGMENT, {"toggle": lists[1].pk, "on": "0"})
    assert fragment.status_code == 200 and "You left Breaking news." in fragment.content.decode()
    row.refresh_from_db()
    assert row.status == "unsubscribed"


def test_member_toggle_refuses_unknown_lists_and_foreign_redirects(client, run_on_commit, daily):
    client.force_login(reader_verified())
    response = _post(client, run_on_commit, SUBSCRIBE, {"toggle": "99999", "on": "1"})
    assert response.status_code == 400
    response = _post(
        client,
        run_on_commit,
        SUBSCRIBE,
        {"toggle": daily.pk, "on": "1", "next": "https://evil.test/"},
    )
    assert response.status_code == 303 and response["Location"] == SUBSCRIBE


def test_unverified_reader_gets_double_opt_in(client, run_on_commit, daily):
    from broadsheet.accounts.factories import UserFactory

    user = UserFactory(email="unverified@example.org")
    client.force_login(user)
    page = client.get(SUBSCRIBE).content.decode()
    assert 'value="unverified@example.org"' in page
    response = _post(
        client,
        run_on_commit,
        SUBSCRIBE,
        {"email": user.email, "newsletters": [daily.pk], "toggle": daily.pk},
    )
    assert "Check your inbox" in response.content.decode()
    assert Subscription.objects.get().status == "pending"


def test_account_page_shows_the_readers_lists(client, daily):
    user = reader_verified(email="acc@example.org")
    subscriber = services.member_subscriber(user=user, email=user.email)
    services.member_toggle(subscriber=subscriber, newsletter=daily, on=True)
    client.force_login(user)
    html = client.get("/readers/account/").content.decode()
    assert "Newsletters" in html and "Daily digest" in html
    assert 'name="toggle"' in html and "/subscriptions/preferences/" in html


# ------------------------------------------------------------ story pages


def test_story_page_links_and_stays_cacheable(client, world, lists):
    story = ArticlePageFactory(parent=world, title="A story")
    response = client.get(story.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('href="/subscribe/"') >= 2  # the masthead and the box after the story
    assert "data-subscribe-open" in html and 'data-subscribe-fragment="/subscribe/form/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in response.cookies


# ------------------------------------------------------------ confirmation


def _confirm_url(message):
    return (
        "/subscriptions/confirm/"
        + message.body.split("/subscriptions/confirm/")[1].split("/")[0]
        + "/"
    )


def test_confirm_get_changes_nothing_post_confirms(client, run_on_commit, daily):
    _post(client, run_on_commit, SUBSCRIBE, {"email": "c@example.org", "newsletters": [daily.pk]})
    url = _confirm_url(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200 and "Confirm my subscription" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    assert Subscription.objects.get().status == "pending"
    done = client.post(url)
    assert done.status_code == 200 and "You are subscribed" in done.content.decode()
    assert Subscription.objects.get().status == "active"


@pytest.mark.parametrize("mangle", ["forged", "altered", "expired", "empty-ish", "deleted"])
def test_bad_confirm_links_are_a_clear_400(client, run_on_commit, daily, mangle):
    _post(client, run_on_commit, SUBSCRIBE, {"email": "c@example.org", "newsletters": [daily.pk]})
    url = _confirm_url(mail.outbox[0])
    mail.outbox.clear()
    token = url.split("/")[-2]
    if mangle == "forged":
        url = "/subscriptions/confirm/WyIxIiwia2V5Il0:1abc:forgedsignature/"
    elif mangle == "altered":
        url = url.replace(token, token[:5] + ("A" if token[5] != "A" else "B") + token[6:])
    elif mangle == "empty-ish":
        url = "/subscriptions/confirm/%20/"
    elif mangle == "deleted":
        services.subscriber_delete(subscriber=Subscriber.objects.get())
    travel = timezone.now() + timedelta(days=8 if mangle == "expired" else 0)
    with time_machine.travel(travel):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400
            html = response.content.decode()
            assert "This link no longer works" in html and 'href="/subscribe/"' in html
    assert not Subscription.objects.filter(status="active").exists()
    assert mail.outbox == []


# ------------------------------------------------------------ preference centre


@pytest.fixture
def member(daily):
    subscriber = SubscriberFactory(email="pref@example.org", name="Pref")
    SubscriptionFactory(subscriber=subscriber, newsletter=daily)
    return subscriber


def test_preferences_page_headers_and_lists(client, member, breaking):
    response = client.get(preferences_url(subscriber=member))
    assert response.status_code == 200
    _private(response)
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    html = response.content.decode()
    assert "pref@example.org" in html and "Breaking news" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_preferences_change_lists_pause_resume_unsubscribe(client, member, daily, breaking):
    url = preferences_url(subscriber=member)
    response = client.post(url, {"action": "lists", "newsletters": [breaking.pk]})
    assert response.status_code == 303 and response["Location"].endswith("?saved=lists")
    assert "Your newsletters have been saved." in client.get(response["Location"]).content.decode()
    statuses = dict(Subscription.objects.values_list("newsletter__slug", "status"))
    assert statuses == {"daily-digest": "unsubscribed", "breaking-news": "active"}
    client.post(url, {"action": "pause", "days": "7"})
    member.refresh_from_db()
    assert member.paused_until > timezone.now() + timedelta(days=6)
    assert "paused until" in client.get(url).content.decode()
    client.post(url, {"action": "resume"})
    member.refresh_from_db()
    assert member.paused_until is None
    assert client.post(url, {"action": "pause", "days": "3"}).status_code == 400
    assert client.post(url, {"action": "lists", "newsletters": ["99999"]}).status_code == 400
    assert client.post(url, {"action": "nonsense"}).status_code == 400
    client.post(url, {"action": "unsubscribe"})
    assert not Subscription.objects.active().exists()


def test_data_download_and_delete(client, member, daily):
    url = preferences_url(subscriber=member)
    data = client.get(reverse("subscriptions:data", args=[url.split("/")[-2]]))
    assert data.status_code == 200 and "attachment" in data["Content-Disposition"]
    payload = json.loads(data.content)
    assert payload["email"] == "pref@example.org" and payload["name"] == "Pref"
    assert payload["language"] == "en" and payload["created"]
    assert payload["lists"][0]["list"] == "Daily digest" and payload["lists"][0]["confirmed"]
    delete_url = reverse("subscriptions:delete", args=[url.split("/")[-2]])
    assert "Delete my data" in client.get(delete_url).content.decode()
    assert Subscriber.objects.exists()
    assert client.post(delete_url).status_code == 200
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    gone = client.get(url)
    assert gone.status_code == 404 and "This link does not work" in gone.content.decode()


@pytest.mark.parametrize("kind", ["preferences", "unsubscribe", "data", "delete"])
def test_forged_altered_revoked_tokens_are_404(client, member, kind):
    token = subscriber_token(subscriber=member)
    other = SubscriberFactory()
    bad = [
        "nonsense",
        token[:-1] + ("x" if token[-1] != "x" else "y"),
        subscriber_token(subscriber=other).split(":")[0] + ":" + token.split(":")[1],
        "x" * 300,
    ]
    for value in bad:
        for method in (client.get, client.post):
            response = method(reverse(f"subscriptions:{kind}", args=[value]))
            assert response.status_code == 404, (value, method)
            assert "This link does not work" in response.content.decode()
    member.key = "changed"
    member.save()
    assert client.get(reverse(f"subscriptions:{kind}", args=[token])).status_code == 404
    assert Subscription.objects.active().count() == 1


# ------------------------------------------------------------ one-click unsubscribe


def test_one_click_post_without_csrf_or_cookie(member, daily, breaking):
    from django.test import Client

    SubscriptionFactory(subscriber=member, newsletter=breaking)
    client = Client(enforce_csrf_checks=True)
    url = unsubscribe_url(subscriber=member, newsletter=daily)
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not response.cookies
    statuses = dict(Subscription.objects.values_list("newsletter__slug", "status"))
    assert statuses == {"daily-digest": "unsubscribed", "breaking-news": "active"}
    first = Subscription.objects.get(newsletter=daily).unsubscribed_at
    assert (
        client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert Subscription.objects.get(newsletter=daily).unsubscribed_at == first  # idempotent
    everything = unsubscribe_url(subscriber=member)
    assert client.post(everything, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.active().exists()


def test_unsubscribe_get_shows_a_button_and_changes_nothing(client, member, daily):
    url = unsubscribe_url(subscriber=member, newsletter=daily)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Stop sending Daily digest to pref@example.org?" in html
    assert 'method="post"' in html and "/subscriptions/preferences/" in html
    assert "csrfmiddlewaretoken" not in html
    assert Subscription.objects.active().count() == 1
    done = client.post(url)
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert Subscription.objects.active().count() == 0


def test_account_deletion_keeps_the_subscriber_unlinked(client, daily):
    user = reader_verified(email="leaving@example.org")
    user.set_password("pass-word-1234")
    user.save()
    subscriber = services.member_subscriber(user=user, email=user.email)
    services.member_toggle(subscriber=subscriber, newsletter=daily, on=True)
    client.force_login(user)
    page = client.get("/readers/account/delete/").content.decode()
    assert "data-account-delete-newsletters" in page and "/subscriptions/preferences/" in page
    data = json.loads(client.get("/readers/account/data.json").content)
    assert data["newsletters"]["email"] == "leaving@example.org"
    client.post("/readers/account/delete/", {"password": "pass-word-1234"})
    subscriber.refresh_from_db()
    assert subscriber.user is None
    assert Subscription.objects.active().get().subscriber == subscriber


def test_signed_link_forms_work_with_the_origin_no_referrer_gives(member, breaking):
    """Browsers post a no-referrer page's forms with `Origin: null`: the
    signed token, not a CSRF cookie, authorises these forms."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_ORIGIN="null")
    url = preferences_url(subscriber=member)
    response = client.post(url, {"action": "lists", "newsletters": [breaking.pk]})
    assert response.status_code == 303
    assert Subscription.objects.active().get().newsletter == breaking
    token = url.split("/")[-2]
    assert client.post(reverse("subscriptions:delete", args=[token])).status_code == 200
    assert not Subscriber.objects.exists()


def test_live_story_page_has_the_box(client, world):
    from broadsheet.live.factories import LiveStoryPageFactory

    story = LiveStoryPageFactory(parent=world, title="Live: the vote")
    response = client.get(story.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="subscribe-cta"' in html and "csrfmiddlewaretoken" not in html


def test_confirming_lifts_a_bounce(run_on_commit, daily):
    from broadsheet.subscriptions.models import DisabledReason

    subscriber = SubscriberFactory(
        email="bounced@example.org",
        disabled_reason=DisabledReason.BOUNCE,
        disabled_at=timezone.now(),
    )
    token = services.confirm_token(subscriber=subscriber, newsletter_ids=[daily.pk])
    SubscriptionFactory(
        subscriber=subscriber, newsletter=daily, status="pending", confirmed_at=None
    )
    services.subscription_confirm(request=services.confirm_request_from_token(token=token))
    subscriber.refresh_from_db()
    assert subscriber.disabled_reason == "" and subscriber.disabled_at is None
