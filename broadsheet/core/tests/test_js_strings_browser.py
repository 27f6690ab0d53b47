"""BS.t / BS.tn (static/js/i18n.js) in Chromium: for every language and every
count 0–130, the plural the browser picks (Intl.PluralRules category → the
form sent for it) is the form gettext gives for that count. This is what
holds the sample numbers of core/js_strings.PLURAL_SAMPLES to account.
Fixtures: news/tests/browser_fixtures.py (only the browser, no site)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from broadsheet.core.js_strings import PLURALS, js_strings_for
from broadsheet.core.templatetags.js_i18n import script_element

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

I18N_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "i18n.js"
COUNTS = range(131)
LANGUAGES = sorted({code for code, _ in settings.LANGUAGES} | {"en", "ru", "es", "ar"})


def _fill(text: str, n: int) -> str:
    return text.replace("{count}", str(n)).replace("{max}", str(n))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_browser_picks_gettexts_plural_form_for_every_count(browser, language):
    with translation.override(language):
        strings = js_strings_for(language)
        expected = {key: [_fill(form(n), n) for n in COUNTS] for key, form in PLURALS.items()}
    page = browser.new_page()
    try:
        page.set_content(
            f'<!doctype html><html lang="{language}"><head>{script_element(strings)}</head></html>'
        )
        page.add_script_tag(content=I18N_JS.read_text(encoding="utf-8"))
        got = page.evaluate(
            """([keys, counts]) => Object.fromEntries(keys.map((key) =>
                 [key, counts.map((n) => window.BS.tn(key, n, { count: n, max: n }))]))""",
            [list(PLURALS), list(COUNTS)],
        )
        assert got == expected
        # Plain strings: placeholders filled as text, unknown ones left, a
        # missing key shows itself rather than nothing.
        text = page.evaluate(
            """() => [window.BS.t("story.loaded", { title: "<b>A & B</b>" }),
                      window.BS.t("story.loaded"), window.BS.t("no.such.key")]"""
        )
        assert text[0] == strings["messages"]["story.loaded"].replace("{title}", "<b>A & B</b>")
        assert text[1] == strings["messages"]["story.loaded"]
        assert text[2] == "no.such.key"
    finally:
        page.close()


def test_the_page_json_is_what_the_browser_reads(browser):
    strings = {"messages": {"x": "</script><script>window.hacked = 1</script>"}, "plurals": {}}
    page = browser.new_page()
    try:
        page.set_content(f"<!doctype html><html lang=en><head>{script_element(strings)}</head>")
        page.add_script_tag(content=I18N_JS.read_text(encoding="utf-8"))
        assert page.evaluate("() => window.BS.t('x')") == strings["messages"]["x"]
        assert page.evaluate("() => window.hacked === undefined")
        assert json.loads(page.evaluate("() => document.getElementById('bs-i18n').textContent"))
    finally:
        page.close()
