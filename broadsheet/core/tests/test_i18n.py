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


# Completeness of every catalogue (ru, es, ar): test_catalogues.py.


@pytest.mark.django_db
def test_russian_interface_under_ru_prefix(client, world):
    english = client.get(reverse("newsfeed")).content.decode()
    assert "Newsfeed" in english and 'lang="en"' in english
    russian = client.get("/ru/newsfeed/").content.decode()
    assert "Лента новостей" in russian and 'lang="ru"' in russian
    assert "Перейти к содержанию" in russian
