"""The site's JavaScript shows no text of its own: every word comes from the
catalogues through core/js_strings.py and BS.t / BS.tn (static/js/i18n.js)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext

from broadsheet.core.js_strings import MESSAGES, PLURAL_SAMPLES, PLURALS, js_strings_for
from broadsheet.core.templatetags.js_i18n import script_element

PROJECT = Path(__file__).resolve().parents[2]
JS_FILES = sorted((PROJECT / "static" / "js").glob("*.js")) + sorted(
    (PROJECT / "templates").rglob("*.js")
)

# Literals that read like words but are never shown to a reader: developer
# messages for the console and for Error objects caught in the same file.
ALLOWED = {
    "use strict",
    "redirected off the site",
    "no story in the page",
    "Broadsheet: next story not loaded:",
    "no stream",
    'BS.t: no string "${key}"',
    'BS.tn: no plural "${key}"',
}

_WORD = re.compile(r"^[^\W\d_]{2,}[.,!?…:;]?$")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]")
_CODE_CHARS = re.compile(r"[\[\]#>=()<]")


def string_literals(source: str) -> list[str]:
    """Every string and template literal of a JavaScript source, comments and
    regular expression literals skipped (enough of the grammar for our files)."""
    literals = []
    i, n = 0, len(source)
    last = ""  # the last significant character: tells a regex from a division
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif c in "\"'`":
            j = i + 1
            while source[j] != c:
                j += 2 if source[j] == "\\" else 1
            literals.append(source[i + 1 : j])
            i, last = j + 1, c
        elif c == "/" and (not last or last in "(,=:[!&|?{};+-*%<>~^" or _after_keyword(source, i)):
            j, in_class = i + 1, False
            while in_class or source[j] != "/":
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            i, last = j + 1, "/"
        else:
            if not c.isspace():
                last = c
            i += 1
    return literals


def _after_keyword(source: str, i: int) -> bool:
    return bool(re.search(r"\b(return|typeof|case|of|in)\s*$", source[max(0, i - 10) : i]))


def looks_like_prose(text: str) -> bool:
    if _NON_LATIN_LETTER.search(text):
        return True  # Cyrillic, Arabic…: a translation kept in a script
    if _CODE_CHARS.search(text):
        return False  # selectors, markup, expressions
    return sum(1 for token in text.split() if _WORD.match(token)) >= 2


def test_the_scanner_finds_prose_and_passes_code():
    source = """
      // "a comment with words" is not a literal
      const LABELS = { en: "{count} of {max} characters", ru: 'Закрыть' };
      const re = /"not a string"/g, q = a / b / c;
      el.closest("input, textarea, select, [contenteditable]");
      el.style.touchAction = "pan-y pinch-zoom";
      `Loading ${what} now`;
    """
    found = [text for text in string_literals(source) if looks_like_prose(text)]
    assert found == ["{count} of {max} characters", "Закрыть", "Loading ${what} now"]


@pytest.mark.parametrize("path", JS_FILES, ids=lambda p: p.name)
def test_no_script_keeps_display_text(path):
    prose = [
        text
        for text in string_literals(path.read_text(encoding="utf-8"))
        if looks_like_prose(text) and text not in ALLOWED
    ]
    assert prose == [], f"{path.name}: put these in core/js_strings.py and use BS.t"


def test_every_key_the_scripts_ask_for_exists_and_every_string_is_used():
    source = "\n".join(p.read_text(encoding="utf-8") for p in JS_FILES)
    asked = set(re.findall(r'BS\.t\("([\w.]+)"', source))
    asked_plural = set(re.findall(r'BS\.tn\("([\w.]+)"', source))
    # Keys held in a table (push.js's MESSAGES, live_desk.js's QUESTIONS).
    tabled = set(re.findall(r'"((?:push|live_desk)\.\w+)"', source))
    assert asked | tabled <= set(MESSAGES), "BS.t of a key core/js_strings.py lacks"
    assert asked_plural <= set(PLURALS), "BS.tn of a key core/js_strings.py lacks"
    assert set(MESSAGES) <= asked | tabled, "strings no script shows"
    assert set(PLURALS) <= asked_plural, "plurals no script shows"


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_each_plural_sample_picks_the_form_gettext_gives_its_category(language):
    with translation.override(language):
        strings = js_strings_for(language)
        for key, forms in strings["plurals"].items():
            assert set(forms) == set(PLURAL_SAMPLES)
            assert forms["one"] == PLURALS[key](1)
            assert forms["other"] == PLURALS[key](PLURAL_SAMPLES["other"])
            assert "{count}" in forms["other"]


@pytest.mark.django_db
def test_the_page_carries_the_strings_of_its_language_as_inert_json(client, world):
    english = client.get("/newsfeed/").content.decode()
    russian = client.get("/ru/newsfeed/").content.decode()
    for html, language in ((english, "en"), (russian, "ru")):
        raw = re.search(r'<script id="bs-i18n" type="application/json">(.*?)</script>', html)[1]
        strings = json.loads(raw)
        with translation.override(language):
            assert strings["messages"]["story.loading"] == str(MESSAGES["story.loading"])
            assert strings["plurals"]["feed.new"]["few"] == ngettext(
                "{count} new story", "{count} new stories", 3
            )
        # i18n.js comes before every script that asks it.
        assert html.index("js/i18n.js") < html.index("js/broadsheet.js")
    assert "Загрузка" in russian, "Cyrillic as it is, not \\u escapes"


def test_no_string_can_close_the_script_element():
    html = script_element({"messages": {"x": "</script><script>alert(1)</script> & <!--"}})
    assert html.count("<") == 2 and "&" not in html.removeprefix("<script").split(">", 1)[1]
    raw = re.search(r'type="application/json">(.*)</script>$', html)[1]
    assert json.loads(raw)["messages"]["x"] == "</script><script>alert(1)</script> & <!--"
