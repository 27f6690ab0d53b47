"""The interface catalogues are complete in every language the site speaks.

For each language but English (the msgids are English): the .po exists, every
entry is translated and none is fuzzy, plural entries have every form of the
language's Plural-Forms rule, placeholders survive translation, the compiled
.mo says what the .po says, and the catalogue holds every message the code
and templates have today (makemessages into a temporary copy), so a new
untranslated string anywhere fails here. The scripts' strings are gettext
messages too (core/js_strings.py), so this covers JavaScript as well.
"""

import gettext
import html
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from broadsheet.core.catalogues import (
    nplurals,
    placeholder_errors,
    plural_counts,
    po_read,
)

PROJECT = Path(__file__).resolve().parents[2]
LOCALE = PROJECT / "locale"
# Every language configured, and every catalogue shipped (a catalogue for a
# language not switched on yet must be complete too).
LANGUAGES = sorted(
    ({code for code, _ in settings.LANGUAGES} | {p.name for p in LOCALE.iterdir() if p.is_dir()})
    - {"en"}
)
# The rule gettext itself documents for each language.
NPLURALS = {"ru": 3, "es": 2, "ar": 6}


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str | None, str]]:
    """Every message the code and templates have now, found by makemessages
    (as `make messages` runs it) in a copy of the package, so the committed
    catalogues are never touched."""
    root = tmp_path_factory.mktemp("extract")
    source = root / "src" / "broadsheet"
    shutil.copytree(
        PROJECT,
        source,
        ignore=shutil.ignore_patterns("static", "locale", "__pycache__", "*.pyc", "*.mo"),
    )
    locale = root / "locale"
    locale.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(source)
        patch.setattr(settings, "LOCALE_PATHS", [str(locale)])
        call_command("makemessages", locale=["en"], ignore_patterns=["static/*"], verbosity=0)
    _, entries = po_read(locale / "en" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500, "makemessages found too little: is the copy complete?"
    return {entry.key for entry in entries}


def test_every_configured_language_has_a_catalogue():
    for code, _ in settings.LANGUAGES:
        assert (LOCALE / code / "LC_MESSAGES" / "django.po").exists(), code
    assert {"ru", "es", "ar"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_consistent(language):
    header, entries = po_read(_po(language))
    assert header.get("Language") == language
    assert nplurals(header) == NPLURALS.get(language, nplurals(header))
    counts = plural_counts(header)
    assert all(counts), f"a plural form no count reaches: {header['Plural-Forms']}"

    problems = []
    for entry in entries:
        name = entry.msgid[:60]
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {name}")
        if not entry.translated:
            problems.append(f"untranslated: {name}")
        if entry.msgid_plural and len(entry.msgstr) != len(counts):
            problems.append(f"{len(entry.msgstr)} of {len(counts)} plural forms: {name}")
        problems += [f"{error}: {name}" for error in placeholder_errors(entry, counts)]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_says_what_the_po_says(language):
    header, entries = po_read(_po(language))
    counts = plural_counts(header)
    with (_po(language).with_suffix(".mo")).open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            got = [
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            ]
        else:
            # One count of each form: the .mo's own rule must pick that form.
            got = [
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, ns[0])
                if entry.msgctxt
                else compiled.ngettext(entry.msgid, entry.msgid_plural, ns[0])
                for ns in counts
            ]
        if got != entry.msgstr:
            stale.append(entry.msgid[:60])
    assert stale == [], "run `make messages` (compilemessages)"


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_catalogue_holds_every_message_of_the_code(language, extracted):
    _, entries = po_read(_po(language))
    missing = sorted(msgid for context, msgid in extracted - {entry.key for entry in entries})
    assert missing == [], "run `make messages` and translate the new strings"


def _visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_in_the_language_shows_no_english_from_the_catalogue(
    language, client, world, settings
):
    if language not in {code for code, _ in settings.LANGUAGES}:
        settings.LANGUAGES = [*settings.LANGUAGES, (language, language)]
    _, entries = po_read(_po(language))
    translated = {entry.msgid: entry.msgstr[0] for entry in entries if not entry.msgid_plural}

    for path in (f"/{language}/", f"/{language}/newsfeed/"):
        page = client.get(path).content.decode()
        assert f'<html lang="{language}"' in page, path
        text = _visible_text(page)
        assert translated["Skip to content"] in text
        # English sentences of the interface (two words or more, no
        # placeholder, not the same in both languages) must not show.
        english = [
            msgid
            for msgid, msgstr in translated.items()
            if " " in msgid and "%" not in msgid and "{" not in msgid and msgid != msgstr
            if re.search(rf"(?<!\w){re.escape(msgid)}(?!\w)", text)
        ]
        assert english == [], path
    assert translated["Newsfeed"] in text
