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
    ids = re.compile(r'\nmsgid "(.+)"')
    assert set(ids.findall(english)) == set(ids.findall(russian))


def test_russian_catalogue_is_complete_and_compiled():
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    entries = re.findall(r'\nmsgid "(.+)"\n(?:msgid_plural .*\n)?msgstr(?:\[\d\])? "(.*)"', po)
    assert entries, "no messages found"
    untranslated = [msgid for msgid, msgstr in entries if not msgstr]
    assert untranslated == []
    assert "#, fuzzy" not in po
    mo = CATALOGUE / "django.mo"
    assert mo.exists() and mo.stat().st_mtime >= (CATALOGUE / "django.po").stat().st_mtime - 5


@pytest.mark.django_db
def test_russian_interface_under_ru_prefix(client, world):
    english = client.get(reverse("newsfeed")).content.decode()
    assert "Newsfeed" in english and 'lang="en"' in english
    russian = client.get("/ru/newsfeed/").content.decode()
    assert "Лента новостей" in russian and 'lang="ru"' in russian
    assert "Перейти к содержанию" in russian
