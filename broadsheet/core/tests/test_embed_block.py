"""The privacy embed's markup contract with broadsheet.js (no browser needed;
test_browser.py clicks it in Chromium)."""

import re
from types import SimpleNamespace

import pytest
from wagtail.embeds.exceptions import EmbedNotFoundException

from broadsheet.core.blocks import embeds as embeds_module

URL = "https://video.example/watch?v=1"
PROVIDER_HTML = '<iframe src="https://video.example/embed/1" title="A video"></iframe>'


def _render(monkeypatch, embed, title="A video"):
    def get_embed(url):
        if embed is None:
            raise EmbedNotFoundException
        return embed

    monkeypatch.setattr(embeds_module, "stored_embed", get_embed)
    block = embeds_module.PrivacyEmbedBlock()
    return block.render(block.to_python({"url": URL, "title": title}))


def test_provider_html_is_inert_until_asked_for(monkeypatch):
    embed = SimpleNamespace(html=PROVIDER_HTML, provider_name="Example Video", title="")
    html = _render(monkeypatch, embed)
    assert "data-embed" in html
    template = re.search(r"<template data-embed-html>(.*?)</template>", html, flags=re.S)
    assert template and PROVIDER_HTML in template[1]
    # Outside the <template> nothing loads from the provider...
    outside = html.replace(template[0], "")
    assert "<iframe" not in outside and "<script" not in outside
    # ...and the button that loads it is hidden until the script shows it.
    button = re.search(r"<button[^>]*data-embed-load[^>]*>", html)
    assert button and " hidden" in button[0]
    assert "Load content from Example Video" in html
    assert f'href="{URL}"' in html


def test_unknown_embed_is_just_a_link(monkeypatch):
    html = _render(monkeypatch, None, title="")
    assert "<template" not in html and "data-embed-load" not in html
    assert f'<a href="{URL}"' in html
    assert f">{URL}</a>" in html


def test_embed_is_fetched_when_saved_and_refused_with_a_message_when_impossible(monkeypatch):
    from django.core.exceptions import ValidationError

    calls = []

    def get_embed(url):
        calls.append(url)
        raise EmbedNotFoundException

    monkeypatch.setattr(embeds_module.embeds, "get_embed", get_embed)
    block = embeds_module.PrivacyEmbedBlock()
    with pytest.raises(ValidationError) as raised:
        block.clean(block.to_python({"url": "https://nothing.example/x", "title": ""}))
    assert calls == ["https://nothing.example/x"]
    assert "couldn't load anything" in str(raised.value.block_errors["url"])


@pytest.mark.parametrize(
    "html, refused",
    [
        ('<iframe src="https://www.youtube.com/embed/1?feature=oembed"></iframe>', None),
        ('<iframe src="https://player.vimeo.com/video/1"></iframe>', None),
        ('<iframe src="https://video.example/embed/1"></iframe>', "https://video.example"),
        (
            '<blockquote class="twitter-tweet"><p>Post</p></blockquote>'
            '<script async src="https://platform.twitter.com/widgets.js"></script>',
            "https://platform.twitter.com",
        ),
        ("<div>hi</div><script>document.write('x')</script>", "inline script"),
    ],
)
def test_embeds_the_security_policy_would_block_are_refused_when_saved(monkeypatch, html, refused):
    """Public pages allow frames from BROADSHEET_CSP_FRAME_SRC only and scripts
    from this site only: an embed that needs more is refused with a message
    instead of showing readers an empty, blocked frame."""
    from django.core.exceptions import ValidationError

    embed = SimpleNamespace(html=html, provider_name="Example", title="")
    monkeypatch.setattr(embeds_module.embeds, "get_embed", lambda url: embed)
    block = embeds_module.PrivacyEmbedBlock()
    value = block.to_python({"url": URL, "title": ""})
    if refused is None:
        assert block.clean(value)["url"] == URL
        return
    with pytest.raises(ValidationError) as raised:
        block.clean(value)
    message = str(raised.value.block_errors["url"])
    assert "security policy does not allow content from " + refused in message
    assert "https://www.youtube.com" in message
