"""Sign-up, e-mail verification, sign-in, sign-out, remember-me, password reset:
the session behaves and nothing reveals whether an address is registered."""

import re
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.core.testing import without_render_times

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(re.escape(settings.SITE_URL) + r"(/accounts/confirm-email/[^\s/]+/)")


NEW_PASSWORD = "plum tart 1987 velvet"


def signup(client, *, email, display_name="New Reader", password=NEW_PASSWORD):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": password,
            "password2": password,
            "display_name": display_name,
        },
    )


def login(client, *, email, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def test_signup_asks_for_a_display_name_and_sends_a_verification_link(client):
    page = client.get(reverse("account_signup"))
    assert b'name="display_name"' in page.content

    response = signup(client, email="new@example.org", display_name="Plum Tart")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.org")
    assert user.display_name == "Plum Tart"
    address = EmailAddress.objects.get(user=user)
    assert not address.verified
    assert "_auth_user_id" not in client.session  # mandatory: no sign-in before verifying
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.org"]

    link = CONFIRM_LINK.search(mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200  # a page with a button: GET changes nothing
    address.refresh_from_db()
    assert not address.verified
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    address.refresh_from_db()
    assert address.verified
    # Same browser as the sign-up: signed in straight away.
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_with_a_registered_address_looks_the_same_and_mails_the_owner(client, reader):
    fresh = signup(client, email="fresh@example.org", display_name="Fresh One")
    mail.outbox.clear()
    client.logout()

    taken = signup(client, email="ANN@example.org", display_name="Someone Else")

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert not User.objects.filter(display_name="Someone Else").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ann@example.org"]
    assert CONFIRM_LINK.search(mail.outbox[0].body) is None  # "you already have an account"


@pytest.mark.parametrize(
    "display_name", ["ann@example.org", "a", "x" * 41, "Ann\u202eredaeR", "deleted user"]
)
def test_signup_refuses_bad_display_names(client, display_name):
    response = signup(client, email="new@example.org", display_name=display_name)
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]
    assert not User.objects.filter(email="new@example.org").exists()


def test_signup_refuses_a_display_name_taken_in_another_case(client, reader):
    response = signup(client, email="new@example.org", display_name="ann READER")
    assert "display_name" in response.context["form"].errors


def test_login_rotates_the_session_key_and_logout_kills_it(client, reader):
    session = client.session  # an anonymous session exists before signing in
    session["before"] = 1
    session.save()
    anonymous_key = session.session_key

    response = login(client, email=reader.email)

    assert response.status_code == 302
    signed_in_key = client.cookies["sessionid"].value
    assert signed_in_key != anonymous_key
    assert not SessionStore().exists(anonymous_key)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    out = client.post(reverse("account_logout"))
    assert out.status_code == 302
    assert not SessionStore().exists(signed_in_key)
    assert client.get(reverse("accounts:account")).status_code == 302


def test_logout_needs_a_post(client, reader):
    client.force_login(reader)
    client.get(reverse("account_logout"))
    assert client.session.get("_auth_user_id") == str(reader.pk)


def test_remember_me_decides_between_a_persistent_and_a_browser_session(client, reader, settings):
    remembered = login(client, email=reader.email, remember="on")
    assert remembered.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    client.post(reverse("account_logout"))

    forgotten = login(client, email=reader.email)
    assert forgotten.cookies["sessionid"]["max-age"] == ""
    assert forgotten.cookies["sessionid"]["expires"] == ""


@pytest.mark.parametrize(
    "target",
    [
        "//elsewhere.example",
        "https://elsewhere.example",
        "/\\elsewhere.example",
        "\\\\elsewhere.example",
        "javascript:alert(1)",
        "http:/elsewhere.example",
        " //elsewhere.example",
        "https://testserver@elsewhere.example/",
    ],
)
def test_login_never_redirects_off_site(client, reader, target):
    page = client.get(reverse("account_login"), {"next": target})
    assert page.status_code == 200
    response = login(client, email=reader.email, next=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account")


def test_login_follows_an_on_site_next(client, reader):
    response = login(client, email=reader.email, next="/world/?x=1")
    assert response["Location"] == "/world/?x=1"


def test_wrong_password_and_unknown_address_get_the_same_answer(client, reader):
    with mock.patch.object(MD5PasswordHasher, "encode", wraps=MD5PasswordHasher().encode) as hashed:
        known = login(client, email=reader.email, password="not it")
        known_hashes = hashed.call_count
        hashed.reset_mock()
        unknown = login(client, email="nobody@example.org", password="not it")
        unknown_hashes = hashed.call_count

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    # Same work for both: an unknown address still pays for one password hash
    # (allauth's timing mitigation), so response times match too.
    assert known_hashes == unknown_hashes == 1


def test_unverified_reader_signing_in_is_sent_a_new_link_not_let_in(client, unverified_reader):
    response = login(client, email=unverified_reader.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, reader):
    url = reverse("account_reset_password")
    known = client.post(url, {"email": reader.email})
    known_mail = list(mail.outbox)
    mail.outbox.clear()
    unknown = client.post(url, {"email": "nobody@example.org"})
    unknown_mail = list(mail.outbox)

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == reverse("account_reset_password_done")
    # One message to the address typed, either way (a reset link, or "no
    # account here"): the page and the outbox look alike to whoever typed it.
    assert [m.to for m in known_mail] == [[reader.email]]
    assert [m.to for m in unknown_mail] == [["nobody@example.org"]]
    assert "/accounts/password/reset/key/" in known_mail[0].body
    assert "/accounts/password/reset/key/" not in unknown_mail[0].body
    done_known = without_render_times(client.get(known["Location"]).content)
    assert done_known == without_render_times(client.get(unknown["Location"]).content)


def test_password_reset_link_sets_a_new_password(client, reader):
    client.post(reverse("account_reset_password"), {"email": reader.email})
    link = re.search(
        re.escape(settings.SITE_URL) + r"(/accounts/password/reset/key/\S+/)", mail.outbox[0].body
    )
    form_page = client.get(link.group(1), follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    done = client.post(action, {"password1": "new plum tart 42", "password2": "new plum tart 42"})
    assert done.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password("new plum tart 42")


def test_signup_does_the_same_work_for_a_registered_and_a_new_address(client, reader):
    """Timing must not tell whether an address has an account: both paths hash
    the password once with the configured hasher and send one e-mail through
    the adapter (no timed assertion; `make bench --only signup` measures)."""
    from broadsheet.accounts.adapter import AccountAdapter

    work = []
    encode, send_mail = MD5PasswordHasher.encode, AccountAdapter.send_mail

    def counted_encode(self, *args, **kwargs):
        work.append("hash")
        return encode(self, *args, **kwargs)

    def counted_send_mail(self, *args, **kwargs):
        work.append("mail")
        return send_mail(self, *args, **kwargs)

    with (
        mock.patch.object(MD5PasswordHasher, "encode", counted_encode),
        mock.patch.object(AccountAdapter, "send_mail", counted_send_mail),
    ):
        signup(client, email="fresh@example.org", display_name="Fresh One")
        new_address = sorted(work)
        work.clear()
        client.logout()
        signup(client, email="ann@example.org", display_name="Someone Else")
        registered = sorted(work)

    assert new_address == ["hash", "mail"]
    assert registered == new_address
    assert len(mail.outbox) == 2
