"""Brute force is stopped (django-axes per account and IP, allauth throttles) and
every account form refuses a POST without its CSRF token."""

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from broadsheet.accounts.models import User

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, email, password, ip="203.0.113.7"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_axes_locks_the_account_from_that_ip_after_the_limit(client, reader, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = attempt(client, reader.email, "wrong")
        assert response.status_code == 200
        assert response.context["form"].errors
    locked = attempt(client, reader.email.upper(), "wrong")  # case does not dodge the counter

    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert reverse("account_reset_password") in html
    assert "csrfmiddlewaretoken" not in html

    # The right password from the same IP is refused while the lock lasts…
    still = attempt(client, reader.email, PASSWORD)
    assert still.status_code == 429
    assert "_auth_user_id" not in client.session
    # …but the owner elsewhere is not locked out by an attacker's failures.
    elsewhere = Client()
    assert attempt(elsewhere, reader.email, PASSWORD, ip="198.51.100.9").status_code == 302
    assert attempt(client, reader.email, PASSWORD).status_code == 429  # still locked here
    # Counted against the account, whatever the form or letter case.
    assert AccessAttempt.objects.filter(username=reader.username).count() == 1


def test_admin_and_reader_sign_in_share_one_counter(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, reader.email, "wrong")
    admin = client.post(
        reverse("wagtailadmin_login"),
        {"username": reader.username, "password": "wrong"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert admin.status_code == 429
    assert attempt(client, reader.email, PASSWORD).status_code == 429


def test_a_success_before_the_limit_resets_the_count(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, reader.email, "wrong")
    assert attempt(client, reader.email, PASSWORD).status_code == 302
    client.post(reverse("account_logout"))
    assert attempt(client, reader.email, "wrong").status_code == 200


def test_lockout_expires_after_the_cool_off(client, reader, settings):
    with time_machine.travel("2026-01-01 12:00", tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, reader.email, "wrong")
        assert attempt(client, reader.email, PASSWORD).status_code == 429
        clock.shift(60 * 60 * settings.AXES_COOLOFF_TIME + 60)
        assert attempt(client, reader.email, PASSWORD).status_code == 302


def test_many_failures_from_one_ip_across_accounts_are_throttled(client, reader):
    # allauth's login_failed limit is 10 a minute per IP; nothing 500s.
    statuses = [
        attempt(client, f"user{n}@example.org", "wrong", ip="192.0.2.1").status_code
        for n in range(12)
    ]
    assert set(statuses) <= {200, 429}
    last = attempt(client, "user99@example.org", "wrong", ip="192.0.2.1")
    assert "Too many failed login attempts" in last.content.decode()


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


def test_login_without_csrf_token_is_refused(strict, reader):
    response = strict.post(reverse("account_login"), {"login": reader.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in strict.session


def test_signup_without_csrf_token_is_refused(strict):
    response = strict.post(
        reverse("account_signup"),
        {
            "email": "x@example.org",
            "password1": "plum tart 1987 velvet",
            "password2": "plum tart 1987 velvet",
            "display_name": "Ex",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.org").exists()


def test_password_reset_without_csrf_token_is_refused(strict, reader):
    response = strict.post(reverse("account_reset_password"), {"email": reader.email})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "name,data",
    [
        ("accounts:account", {"display_name": "Changed", "bio": ""}),
        ("accounts:account_delete", {"password": PASSWORD}),
        ("account_logout", {}),
        (
            "account_change_password",
            {"oldpassword": PASSWORD, "password1": "a b c d e f", "password2": "a b c d e f"},
        ),
        ("account_email", {"email": "new@example.org", "action_add": ""}),
    ],
)
def test_account_forms_without_csrf_token_are_refused(strict, reader, name, data):
    strict.force_login(reader)
    response = strict.post(reverse(name), data)
    assert response.status_code == 403
    reader.refresh_from_db()
    assert reader.display_name == "Ann Reader"
    assert User.objects.filter(pk=reader.pk).exists()
    assert strict.session.get("_auth_user_id") == str(reader.pk)
