"""The Content-Security-Policy header on every public page type, the admins'
own policy, and the endpoint browsers report violations to.
(test_csp_browser.py checks in Chromium that pages load without violations.)"""

import json
import logging
import re

import pytest
from django.core.cache import cache
from django.test import Client

from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory, GalleryPageFactory

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    assert HEADER in response, f"no {HEADER} on {response.status_code} {response.get('Location')}"
    policy = {}
    for part in response[HEADER].split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def assert_public_policy(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-src"] == [
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]
    assert policy["report-uri"] == ["/csp-report/"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


# What the public policy refuses to run or apply: inline scripts (JSON data
# blocks are not scripts), event-handler attributes, javascript: URLs, inline
# styles and <style> elements.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=|<style[\s>]", re.I)


def assert_nothing_inline(html: str, name: str):
    for pattern in (INLINE_SCRIPT, HANDLER, JAVASCRIPT_URL, INLINE_STYLE):
        found = pattern.search(html)
        assert not found, f"{name}: {found[0][:120]!r} would be blocked by the policy"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_pages(home, world, topics, author):
    photos = [PhotoFactory(seed=n) for n in range(2)]
    story = ArticlePageFactory(parent=world, authors=[author], tag_names=["harbour"])
    gallery = GalleryPageFactory(parent=world, slug="pictures", photos=photos)
    reader = reader_verified(username="reader", display_name="Rita Reader")
    CommentFactory(page=story, author=reader)
    # A withdrawn photo renders as a placeholder with the picture's proportions.
    withdrawn = ArticlePageFactory(parent=world, lead_photo=PhotoFactory(restricted=True))
    return {
        "withdrawn photo": withdrawn.url,
        "front": "/",
        "section": world.url,
        "article": story.url,
        "gallery": gallery.url,
        "gallery photo 2": f"{gallery.url}2/",
        "author index": author.get_parent().url,
        "author": author.url,
        "topic index": topics.url,
        "topic": f"{topics.url}harbour/",
        "newsfeed": "/newsfeed/",
        "search": "/search/?q=harbour",
        "media bank": "/mediabank/",
        "media bank photo": f"/mediabank/{photos[0].pk}/",
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "reader profile": f"/readers/{reader.pk}/",
        "discussion": f"/discussions/{story.pk}/",
        "russian front": "/ru/",
        "robots": "/robots.txt",
        "404": "/no/such/page/",
    }


def test_every_public_page_type_sends_the_strict_policy(client, site_pages):
    for name, url in site_pages.items():
        response = client.get(url)
        expected = 404 if name == "404" else 200
        assert response.status_code == expected, (name, url)
        assert_public_policy(response)
        assert_nothing_inline(response.content.decode(), name)


def test_signed_in_pages_send_the_strict_policy(client, site_pages):
    reader = reader_verified(username="signed-in")
    client.force_login(reader)
    for url in ("/readers/account/", site_pages["discussion"], site_pages["article"]):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_public_policy(response)
        assert_nothing_inline(response.content.decode(), url)


def test_forged_host_gets_a_400_with_the_policy_not_a_500():
    client = Client(raise_request_exception=False)
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert_public_policy(response)


def test_admins_get_their_own_looser_policy(client, admin_user, home):
    client.force_login(admin_user)
    for url in ("/admin/", f"/admin/pages/{home.pk}/edit/", "/django-admin/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert "'unsafe-eval'" not in policy["script-src"]
        assert policy["frame-ancestors"] == ["'self'"]  # Wagtail frames its own preview
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        assert policy["report-uri"] == ["/csp-report/"]
    # The looser policy stops at the admin.
    assert directives(client.get("/"))["script-src"] == ["'self'"]


def test_report_only_switch_sends_the_policy_without_enforcing_it(client, settings, home):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/")
    assert HEADER not in response
    assert "script-src 'self';" in response[f"{HEADER}-Report-Only"]


def test_an_absolute_media_origin_may_serve_images(client, settings, home):
    from broadsheet.core import csp

    settings.MEDIA_URL = "https://media.example/"
    assert csp._origin("https://media.example/images/x.jpg") == "https://media.example"
    middleware = csp.PolicyMiddleware(lambda request: None)
    response = client.get("/")
    request = response.wsgi_request
    parts = middleware.get_policy_parts(request, response)
    assert parts.update["img-src"] == ["https://media.example"]
    assert parts.update["media-src"] == ["https://media.example"]
    # Added to what a view asked for, not instead of it.
    response._csp_update = {"img-src": "https://maps.example"}
    parts = middleware.get_policy_parts(request, response)
    assert parts.update["img-src"] == ["https://maps.example", "https://media.example"]


# ------------------------------------------------------------ report endpoint

REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "http://testserver/world/story/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "source-file": "http://testserver/world/story/",
        "line-number": 12,
        "script-sample": "alert(1)\nforged log line",
    }
}
REPORT_TO_BODY = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "http://testserver/",
        "user_agent": "Chromium",
        "body": {
            "documentURL": "http://testserver/",
            "effectiveDirective": "frame-src",
            "blockedURL": "https://evil.example/frame",
            "disposition": "enforce",
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


def post_report(client, body, content_type="application/csp-report", **extra):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/csp-report/", data=data, content_type=content_type, **extra)


def test_report_uri_reports_are_logged_on_one_line(caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="broadsheet.csp"):
        response = post_report(client, REPORT_URI_BODY)
    assert response.status_code == 204
    assert not response.cookies
    [record] = caplog.records
    message = record.getMessage()
    assert "blocked-uri='inline'" in message
    assert "effective-directive='script-src-elem'" in message
    assert "document-uri='http://testserver/world/story/'" in message
    assert "\n" not in message
    assert record.csp_report["line-number"] == "12"


def test_reporting_api_reports_are_logged(caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="broadsheet.csp"):
        response = post_report(client, REPORT_TO_BODY, content_type="application/reports+json")
    assert response.status_code == 204
    [record] = caplog.records  # the deprecation report is not a CSP violation
    assert record.csp_report == {
        "document-uri": "http://testserver/",
        "effective-directive": "frame-src",
        "blocked-uri": "https://evil.example/frame",
        "disposition": "enforce",
    }


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        ("not json", "application/csp-report", 400),
        (b"\xff\xfe", "application/csp-report", 400),
        ("[" * 5_000 + "]" * 5_000, "application/reports+json", 400),
        ({"csp-report": "x"}, "application/csp-report", 400),
        ([1, 2], "application/reports+json", 400),
        ([], "application/reports+json", 400),
        ([{"type": "deprecation", "body": {}}], "application/reports+json", 400),
        ({"csp-report": {}}, "text/plain", 415),
        ("a=b", "application/x-www-form-urlencoded", 415),
        ({"csp-report": {"blocked-uri": "x" * 20_000}}, "application/csp-report", 413),
    ],
)
def test_junk_is_refused_with_a_reason(caplog, body, content_type, status):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING, logger="broadsheet.csp"):
        response = post_report(client, body, content_type=content_type)
    assert response.status_code == status
    assert response.content  # says why
    assert not [r for r in caplog.records if r.name == "broadsheet.csp"]


def test_only_post(client):
    assert client.get("/csp-report/").status_code == 405


def test_reports_are_rate_limited_per_ip_address(settings, caplog):
    settings.BROADSHEET_CSP_REPORTS_PER_MINUTE = 3
    client = Client()
    with caplog.at_level(logging.WARNING, logger="broadsheet.csp"):
        statuses = [post_report(client, REPORT_URI_BODY).status_code for _ in range(5)]
        other = post_report(client, REPORT_URI_BODY, REMOTE_ADDR="10.0.0.9").status_code
    assert statuses == [204, 204, 204, 429, 429]
    assert other == 204
    assert len([r for r in caplog.records if r.name == "broadsheet.csp"]) == 4
