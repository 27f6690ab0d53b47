"""E-mails name the public origin (SITE_URL), never the Host of the request
that caused them nor the admin's address."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from broadsheet.discussions.factories import CommentFactory
from broadsheet.discussions.services import reader_warn
from broadsheet.news.factories import ArticlePageFactory

from .conftest import make_reader

pytestmark = pytest.mark.django_db

ORIGIN = "https://news.example.com"
FORGED = "forged.example"
ABSOLUTE = re.compile(r"""https?://[^\s"'<>]+""")


@pytest.fixture
def public_origin(settings):
    settings.SITE_URL = ORIGIN
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example.net"
    settings.ALLOWED_HOSTS = [FORGED, "testserver", "news.example.com"]


def _links(message) -> list[str]:
    text = message.body + "".join(body for body, _type in getattr(message, "alternatives", []))
    assert FORGED not in text and "testserver" not in text
    links = ABSOLUTE.findall(text)
    assert links, "the e-mail has a link"
    assert all(urlsplit(link).hostname == "news.example.com" for link in links), links
    return links


@pytest.mark.parametrize("known", [True, False])
def test_allauth_mails_link_to_the_public_origin(client, public_origin, reader, known):
    client.post(
        reverse("account_reset_password"),
        {"email": reader.email if known else "nobody@example.org"},
        HTTP_HOST=FORGED,
    )
    links = _links(mail.outbox[0])
    wanted = "/accounts/password/reset/key/" if known else reverse("account_signup")
    assert any(link.startswith(ORIGIN + wanted) for link in links)


def test_signup_verification_links_to_the_public_origin(client, public_origin):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "plum tart 1987 velvet",
            "password2": "plum tart 1987 velvet",
            "display_name": "Plum Tart",
        },
        HTTP_HOST=FORGED,
    )
    links = _links(mail.outbox[0])
    assert any(link.startswith(f"{ORIGIN}/accounts/confirm-email/") for link in links)
    # allauth's signature names the site's domain: the public one.
    assert "news.example.com" in mail.outbox[0].body


def test_moderation_notices_link_to_the_public_origin(
    public_origin, world, staff, django_capture_on_commit_callbacks
):
    reader = make_reader(email="rita@example.org", display_name="Rita")
    story = ArticlePageFactory(parent=world)
    comment = CommentFactory(page=story, author=reader)
    with django_capture_on_commit_callbacks(execute=True):
        reader_warn(moderator=staff, reader=reader, comment=comment, reason="Be civil")
    [notice] = [m for m in mail.outbox if m.to == [reader.email]]
    assert f"{ORIGIN}/readers/account/" in _links(notice)
