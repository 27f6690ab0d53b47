"""A form opened in place can be closed again: Cancel puts back the link it
replaced (htmx), and on the form's own page leads back to the thread."""

import re

import pytest
from django.urls import reverse

from broadsheet.discussions.factories import CommentFactory

from .conftest import HX

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client, story, reader, other):
    theirs = CommentFactory(page=story, author=other)
    mine = CommentFactory(page=story, author=reader)
    client.force_login(reader)
    return theirs, mine


def _cancel(html):
    return re.search(r'<a class="comment-form__cancel"[^>]*>', html).group(0)


@pytest.mark.parametrize(
    "kind, target, swap",
    [("reply", ".comment__reply", "innerHTML"), ("report", ".comment__report", "outerHTML")],
)
def test_cancel_puts_the_link_back_in_the_thread(client, story, setup, kind, target, swap):
    theirs, _mine = setup
    url = reverse(f"discussions:{kind}", args=[theirs.pk])
    cancel = _cancel(client.get(url, **HX).content.decode())
    assert f'hx-get="{url}?cancel=1"' in cancel
    assert f'hx-target="closest {target}"' in cancel and f'hx-swap="{swap}"' in cancel

    back = client.get(url + "?cancel=1", **HX).content.decode()
    assert "<form" not in back and "<textarea" not in back
    assert f'href="{url}" hx-get="{url}"' in back


def test_cancel_on_the_edit_form(client, story, setup):
    _theirs, mine = setup
    url = reverse("discussions:edit", args=[mine.pk])
    assert 'hx-target="closest .comment__edit"' in _cancel(client.get(url, **HX).content.decode())
    back = client.get(url + "?cancel=1", **HX).content.decode()
    assert "<form" not in back and f'href="{url}" hx-get="{url}"' in back


def test_on_the_forms_own_page_cancel_is_a_way_back(client, story, setup):
    theirs, _mine = setup
    html = client.get(reverse("discussions:reply", args=[theirs.pk])).content.decode()
    cancel = _cancel(html)
    thread = reverse("discussions:thread", args=[story.pk])
    assert f'href="{thread}#comment-{theirs.pk}"' in cancel and "hx-get" not in cancel
