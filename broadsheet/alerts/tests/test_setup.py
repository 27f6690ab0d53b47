"""VAPID keys (settings, development file, checks, `webpush_keys`), the
service worker at /sw.js and the button's markup."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from broadsheet.alerts import checks
from broadsheet.alerts.vapid import (
    private_key_parse,
    public_key_text,
    vapid_keys,
)

from .push_service import verify_vapid


def _ids(problems):
    return [problem.id for problem in problems]


def test_webpush_keys_prints_a_pair_that_signs(settings):
    out = StringIO()
    call_command("webpush_keys", stdout=out)
    pairs = dict(line.split("=", 1) for line in out.getvalue().split())
    public, private = pairs["WEBPUSH_VAPID_PUBLIC_KEY"], pairs["WEBPUSH_VAPID_PRIVATE_KEY"]
    assert public_key_text(private_key_parse(private)) == public
    settings.WEBPUSH_VAPID_PUBLIC_KEY, settings.WEBPUSH_VAPID_PRIVATE_KEY = public, private
    settings.WEBPUSH_VAPID_SUBJECT = "mailto:desk@news.example"
    keys = vapid_keys()
    assert keys.public_key == public
    origin = "https://fcm.googleapis.com"
    headers = keys.vapid().sign({"aud": origin, "sub": "mailto:a@news.example"})
    claims, key = verify_vapid(headers["Authorization"], origin)
    assert key == public and claims["sub"] == "mailto:a@news.example"
    assert checks.vapid_settings_check() == [] and checks.vapid_keys_deploy_check() == []


def test_production_needs_keys_when_push_is_on(settings):
    settings.WEBPUSH_VAPID_PUBLIC_KEY = settings.WEBPUSH_VAPID_PRIVATE_KEY = ""
    settings.WEBPUSH_VAPID_SUBJECT = "mailto:desk@news.example"
    assert _ids(checks.vapid_keys_deploy_check()) == ["alerts.E001"]
    settings.WEBPUSH_VAPID_SUBJECT = "mailto:newsroom@broadsheet.localhost"
    assert _ids(checks.vapid_keys_deploy_check()) == ["alerts.W001", "alerts.E001"]
    settings.ALERTS_PUSH_ENABLED = False
    assert checks.vapid_keys_deploy_check() == []


def test_keys_that_do_not_belong_together_are_an_error(settings):
    out = StringIO()
    call_command("webpush_keys", stdout=out)
    call_command("webpush_keys", stdout=out)
    lines = out.getvalue().split()
    settings.WEBPUSH_VAPID_PUBLIC_KEY = lines[0].split("=", 1)[1]
    settings.WEBPUSH_VAPID_PRIVATE_KEY = lines[3].split("=", 1)[1]
    assert _ids(checks.vapid_settings_check()) == ["alerts.E002"]
    assert vapid_keys() is None, "unusable keys switch push off instead of failing pages"
    settings.WEBPUSH_VAPID_PRIVATE_KEY = "not a key"
    assert _ids(checks.vapid_settings_check()) == ["alerts.E002"]


@pytest.mark.parametrize("subject", ["", "desk@news.example", "http://news.example", "mailto:x"])
def test_the_subject_must_be_a_contact(settings, subject):
    settings.WEBPUSH_VAPID_SUBJECT = subject
    assert _ids(checks.vapid_settings_check()) == ["alerts.E003"]


def test_development_generates_keys_once(settings, tmp_path):
    settings.WEBPUSH_VAPID_PUBLIC_KEY = settings.WEBPUSH_VAPID_PRIVATE_KEY = ""
    settings.WEBPUSH_VAPID_DEV_KEY_FILE = tmp_path / "var" / "vapid.pem"
    first = vapid_keys()
    assert first is not None and settings.WEBPUSH_VAPID_DEV_KEY_FILE.exists()
    assert (settings.WEBPUSH_VAPID_DEV_KEY_FILE.stat().st_mode & 0o777) == 0o600
    from broadsheet.alerts import vapid

    vapid._keys.cache_clear()  # a new process
    assert vapid_keys().public_key == first.public_key
    settings.WEBPUSH_VAPID_DEV_KEY_FILE = None  # production: no file, no keys
    assert vapid_keys() is None


@pytest.mark.django_db
def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'addEventListener("push"' in body and 'addEventListener("notificationclick"' in body
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert client.get("/ru/sw.js").status_code == 404, "one worker, one scope: /"


@pytest.mark.django_db
def test_the_button_is_in_the_footer_hidden_until_javascript(client, home, vapid):
    html = client.get("/").content.decode()
    box = re.search(r"<div class=\"push-alerts\".*?</div>", html, flags=re.S).group(0)
    assert " hidden\n" in box.split(">", 1)[0] or " hidden " in box.split(">", 1)[0]
    assert f'data-push-key="{vapid}"' in box
    assert 'data-push-subscribe="/alerts/push/subscribe/"' in box
    assert "Get breaking news alerts" in box and 'aria-live="polite"' in box
    assert "js/push.js" in html and "<script>" not in html


@pytest.mark.django_db
def test_no_button_when_push_is_off(client, home, settings):
    settings.ALERTS_PUSH_ENABLED = False
    assert "push-alerts" not in client.get("/").content.decode()
