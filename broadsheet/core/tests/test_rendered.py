"""Parts rendered from plain values (core/rendered.py, `{% include_by_value %}`):
the same values are rendered once per process, other values or another
language are a new render at once, and the values are escaped like any
template variable."""

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from broadsheet.core import rendered
from broadsheet.core.cache import memo_clear

TAG = Template(
    '{% load by_value %}{% include_by_value "subscriptions/includes/story_cta.html" story_pk=pk %}'
)


@pytest.fixture
def renders(monkeypatch):
    """The template names rendered (their memo entry missed)."""
    counted = []

    def counting(name):
        counted.append(name)
        return get_template(name)

    monkeypatch.setattr(rendered, "get_template", counting)
    memo_clear()
    return counted


def test_the_same_values_are_rendered_once(renders):
    first = TAG.render(Context({"pk": 7}))
    assert 'id="subscribe-cta-7"' in first
    assert TAG.render(Context({"pk": 7})) == first
    assert renders == ["subscriptions/includes/story_cta.html"]


def test_other_values_or_language_render_again(renders):
    TAG.render(Context({"pk": 7}))
    assert 'id="subscribe-cta-8"' in TAG.render(Context({"pk": 8}))
    with translation.override("ru"):
        russian = TAG.render(Context({"pk": 7}))
    assert 'href="/ru/' in russian
    assert len(renders) == 3


def test_values_are_escaped(renders):
    html = rendered.template_by_value(
        "news/includes/story_discussion.html",
        {"story_pk": 1, "shown": True, "count": 2, "url": '/x/"><script>alert(1)</script>'},
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
