import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "locale"
CATALOGUE = LOCALE / "ru" / "LC_MESSAGES"


def test_english_catalogue_is_shipped_compiled_with_the_same_messages():
    english = (LOCALE / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    russian = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.mo").exists()
    assert {m for m, _ in _po_entries(english)} == {m for m, _ in _po_entries(russian)}


def _po_entries(po: str) -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr, …]) for every entry, with strings that gettext wrapped
    over several lines joined again. An entry with a context is keyed as the
    compiled catalogue keys it: "<context>\x04<msgid>"."""
    entries = []
    for block in po.split("\n\n"):
        fields: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match[1]
                fields[key] = [match[2]]
            elif key and line.startswith('"'):
                fields[key].append(line[1:-1])
        msgid = "".join(fields.get("msgid", []))
        if msgid and "msgctxt" in fields:
            msgid = "".join(fields["msgctxt"]) + "\x04" + msgid
        if msgid:
            msgstrs = ["".join(v) for k, v in fields.items() if k.startswith("msgstr")]
            entries.append((msgid, msgstrs))
    return entries


def test_russian_catalogue_is_complete_and_compiled():
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    entries = _po_entries(po)
    assert entries, "no messages found"
    untranslated = [msgid for msgid, msgstrs in entries if not all(msgstrs)]
    assert untranslated == []
    assert "#, fuzzy" not in po
    # The compiled catalogue is what Django reads: it must hold every
    # translation of the .po (a stale or failed compile would not).
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [
        msgid
        for msgid, msgstrs in entries
        if len(msgstrs) == 1 and compiled.gettext(_unescape(msgid)) != _unescape(msgstrs[0])
    ]
    assert stale == []


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


@pytest.mark.django_db
def test_russian_interface_under_ru_prefix(client, world):
    english = client.get(reverse("newsfeed")).content.decode()
    assert "Newsfeed" in english and 'lang="en"' in english
    russian = client.get("/ru/newsfeed/").content.decode()
    assert "Лента новостей" in russian and 'lang="ru"' in russian
    assert "Перейти к содержанию" in russian
