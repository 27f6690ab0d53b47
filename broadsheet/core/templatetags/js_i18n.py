"""`{% js_i18n %}`: the page's JavaScript strings as inert JSON
(<script type="application/json" id="bs-i18n">), read by static/js/i18n.js."""

import json
from functools import cache

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from broadsheet.core.js_strings import js_strings

register = template.Library()

# As django.utils.html.json_script escapes: no text can close the element.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def js_i18n() -> SafeString:
    return _rendered(get_language() or "en")


@cache
def _rendered(language: str) -> SafeString:
    # Letters as they are (not \\uXXXX): an Arabic page's strings stay small.
    return script_element(js_strings())


def script_element(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script id="bs-i18n" type="application/json">{text}</script>')  # noqa: S308
