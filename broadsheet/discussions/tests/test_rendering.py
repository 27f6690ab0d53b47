"""Hostile input: stored as typed (or refused with a message), always rendered inert."""

import re

import pytest
from django.urls import reverse

from broadsheet.discussions.models import Comment
from broadsheet.discussions.templatetags.discussions import comment_html

pytestmark = pytest.mark.django_db


def test_paragraphs_breaks_and_links():
    html = comment_html("One\nline two\n\nPara two: see https://example.org/a?b=1&c=2.")
    assert html == (
        "<p>One<br>line two</p>"
        '<p>Para two: see <a href="https://example.org/a?b=1&amp;c=2" '
        'rel="nofollow ugc noopener">https://example.org/a?b=1&amp;c=2</a>.</p>'
    )


@pytest.mark.parametrize(
    "text",
    [
        '<a href="javascript:alert(1)">x</a>',
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)//https://x.org",
        "data:text/html;base64,PHNjcmlwdD4=",
    ],
)
def test_javascript_never_becomes_a_link(text):
    html = comment_html(text)
    assert 'href="javascript' not in html.lower() and 'href="data' not in html.lower()


def test_url_with_quotes_cannot_break_out_of_the_attribute():
    html = comment_html('https://x.org/"onmouseover="alert(1)')
    assert 'onmouseover="' not in html
    assert html.count('"') == 4  # href and rel: two attributes, nothing else


def test_parenthesised_link():
    assert '">https://en.wikipedia.org/wiki/X_(y)</a>)' in comment_html(
        "(https://en.wikipedia.org/wiki/X_(y))"
    )


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>"
    "</mglyph></table></mtext></math>",
    '"><script>alert(1)</script>',
    "'; DROP TABLE discussions_comment; --",
    "1' OR '1'='1",
    "zero\u200bwidth\u200cjoin\u200dand\ufeffbom",
    "header\r\nSet-Cookie: x=1\r\n\r\nbody",
    "{{ 7*7 }} {% now 'Y' %}",
    "&lt;already escaped&gt; &amp;",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_as_typed_and_rendered_escaped(client, story, reader, text):
    client.force_login(reader)
    response = client.post(reverse("discussions:post", args=[story.pk]), {"body": text})
    assert response.status_code == 303
    stored = Comment.objects.get().body
    assert stored == text.replace("\r\n", "\n").strip()
    html = client.get(reverse("discussions:thread", args=[story.pk])).content.decode()
    body = html.split('class="comment__body">', 1)[1].split("</div>", 1)[0]
    assert set(re.findall(r"<(\w+)", body)) <= {"p", "br"}


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("evil\u202etxt.exe", 422, "invisible control characters"),
        ("nul\x00byte", 422, "invisible control characters"),
        ("x" * 100_000, 422, "at most 5000 characters"),
    ],
)
def test_hostile_text_refused_with_a_message(client, story, reader, text, status, message):
    client.force_login(reader)
    response = client.post(reverse("discussions:post", args=[story.pk]), {"body": text})
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_hostile_form_fields_do_not_500(client, story, reader):
    client.force_login(reader)
    url = reverse("discussions:post", args=[story.pk])
    for parent in ["1 OR 1=1", "-1", "99999999999999999999", "\r\n", "<script>"]:
        response = client.post(url, {"body": "Hi", "parent": parent})
        assert response.status_code in (303, 422), parent
    thread = reverse("discussions:thread", args=[story.pk])
    for query in ["?sort=<x>", "?after=1.1%0d%0a", "?after=' OR 1=1", "?after=9" * 30]:
        assert client.get(thread + query).status_code in (200, 400, 404), query
