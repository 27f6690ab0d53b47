#!/usr/bin/env python
"""Translate a UI catalogue in bulk, through a TSV a translator can edit.

    bin/translate_catalogue.py export es > es.tsv     # untranslated and fuzzy entries
    (fill in the last column)
    bin/translate_catalogue.py import es es.tsv       # into broadsheet/locale/es/…/django.po
    make messages                                     # re-wraps and compiles

Columns: context, msgid, msgid_plural, translation. Plural forms are separated
by " ¦ " in gettext's order (es: one ¦ other; ru: one ¦ few ¦ many; ar: zero ¦
one ¦ two ¦ few ¦ many ¦ other). Line breaks inside a message are written "\\n".
Import checks what core/tests/test_catalogues.py checks (placeholders, the
number of plural forms) and refuses the whole file on any error.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from broadsheet.core.catalogues import (  # noqa: E402
    Entry,
    nplurals,
    placeholder_errors,
    plural_counts,
    po_entries,
    po_fill,
)

LOCALE = Path(__file__).resolve().parents[1] / "broadsheet" / "locale"
SEPARATOR = " ¦ "


def _cell(text: str | None) -> str:
    return (text or "").replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def _uncell(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def catalogue(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def export(language: str) -> None:
    _, entries = po_entries(catalogue(language).read_text(encoding="utf-8"))
    for entry in entries:
        if entry.translated and "fuzzy" not in entry.flags:
            continue
        row = [entry.msgctxt, entry.msgid, entry.msgid_plural, ""]
        sys.stdout.write("\t".join(_cell(cell) for cell in row) + "\n")


def load(language: str, tsv: Path) -> dict:
    path = catalogue(language)
    header, entries = po_entries(path.read_text(encoding="utf-8"))
    by_key = {entry.key: entry for entry in entries}
    forms_needed = nplurals(header)
    counts = plural_counts(header)
    translations, errors = {}, []
    for number, line in enumerate(tsv.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        context, msgid, _plural, text = (_uncell(cell) for cell in line.split("\t"))
        key = (context or None, msgid)
        entry = by_key.get(key)
        if entry is None:
            errors.append(f"{number}: not in the catalogue: {msgid!r}")
            continue
        forms = text.split(SEPARATOR) if entry.msgid_plural else [text]
        if entry.msgid_plural and len(forms) != forms_needed:
            errors.append(f"{number}: {len(forms)} plural forms, {forms_needed} needed")
        if not all(forms):
            errors.append(f"{number}: empty translation of {msgid!r}")
        checked = Entry(msgid, entry.msgctxt, entry.msgid_plural, forms, entry.flags)
        errors += [f"{number}: {error}" for error in placeholder_errors(checked, counts)]
        translations[key] = forms
    if errors:
        sys.exit("\n".join(errors))
    return translations


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "export":
        export(argv[1])
    elif len(argv) == 3 and argv[0] == "import":
        translations = load(argv[1], Path(argv[2]))
        path = catalogue(argv[1])
        path.write_text(po_fill(path.read_text(encoding="utf-8"), translations), encoding="utf-8")
        sys.stderr.write(f"{len(translations)} entries written to {path}\n")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
