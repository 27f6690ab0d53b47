"""Reading and filling gettext catalogues (.po) without extra packages.

Enough of the PO format for the catalogues makemessages writes: entries with
an optional context, plural forms, flags (`#, fuzzy, python-format`) and
obsolete entries (`#~`, skipped). Used by core/tests/test_catalogues.py and by
bin/translate_catalogue.py, which fills translations in bulk.
"""

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

_FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?) "(.*)"$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    # One string, or one per plural form (index = gettext's form number).
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    # Where the entry's lines are in the file: [start, end) line numbers.
    lines: tuple[int, int] = (0, 0)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), text)


def quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def po_entries(text: str) -> tuple[dict[str, str], list[Entry]]:
    """The header (as a dict) and every live entry of a .po file's text."""
    entries: list[Entry] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].startswith("#~"):
            i += 1
            continue
        start = i
        fields: dict[str, list[str]] = {}
        plural_forms: dict[int, list[str]] = {}
        flags: set[str] = set()
        current: list[str] | None = None
        while i < len(lines) and lines[i].strip() and not lines[i].startswith("#~"):
            line = lines[i]
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith('"') and current is not None:
                current.append(line[1:-1])
            elif match := _FIELD.match(line):
                current = [match[3]]
                if match[2] is not None:
                    plural_forms[int(match[2])] = current
                else:
                    fields[match[1]] = current
            i += 1
        if "msgid" not in fields:
            continue
        joined = {name: _unquote("".join(parts)) for name, parts in fields.items()}
        msgstr = (
            [_unquote("".join(plural_forms[n])) for n in sorted(plural_forms)]
            if plural_forms
            else [joined.get("msgstr", "")]
        )
        entries.append(
            Entry(
                msgid=joined["msgid"],
                msgctxt=joined.get("msgctxt"),
                msgid_plural=joined.get("msgid_plural"),
                msgstr=msgstr,
                flags=flags,
                lines=(start, i),
            )
        )
    header: dict[str, str] = {}
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None:
        for line in entries.pop(0).msgstr[0].splitlines():
            name, _, value = line.partition(":")
            header[name.strip()] = value.strip()
    return header, entries


def po_read(path: Path) -> tuple[dict[str, str], list[Entry]]:
    return po_entries(path.read_text(encoding="utf-8"))


def nplurals(header: dict[str, str]) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header.get("Plural-Forms", ""))
    return int(match[1]) if match else 2


def placeholders(text: str, *, python_format: bool = True) -> list[str]:
    """Brace (`{name}`) placeholders and, in a python-format message,
    `%(name)s` / `%s` ones, sorted: a translation may reorder them but must
    keep every one. (Without the flag a `%` is a literal percent sign.)"""
    found = re.findall(r"\{\w*\}", text)
    if python_format:
        found += re.findall(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXoc]", text)
    return sorted(found)


def plural_counts(header: dict[str, str], *, upto: int = 1100) -> list[list[int]]:
    """For each plural form of the catalogue, the counts (0 … upto-1) that take
    it, by the header's own Plural-Forms rule. An IndexError means the rule
    names a form beyond nplurals."""
    match = re.search(r"plural\s*=\s*([^;]+)", header.get("Plural-Forms", ""))
    rule = gettext.c2py(match[1] if match else "n != 1")
    forms: list[list[int]] = [[] for _ in range(nplurals(header))]
    for n in range(upto):
        forms[rule(n)].append(n)
    return forms


def placeholder_errors(entry: Entry, counts: list[list[int]]) -> list[str]:
    """Where a translation's placeholders differ from its msgid's. A plural
    form that serves a single count (Arabic's "one", "two") may say the number
    in words and leave its placeholder out; no form may add one."""
    python = "python-format" in entry.flags
    singular = placeholders(entry.msgid, python_format=python)
    plural = placeholders(entry.msgid_plural or "", python_format=python)
    errors = []
    for index, form in enumerate(entry.msgstr):
        found = placeholders(form, python_format=python)
        if entry.msgid_plural is None:
            if found != singular:
                errors.append(f"{found} instead of {singular}")
            continue
        if found in (singular, plural):
            continue
        single = index < len(counts) and len(counts[index]) == 1
        if single and set(found) <= set(singular) | set(plural):
            continue
        errors.append(f"form {index}: {found} instead of {plural}")
    return errors


def po_fill(text: str, translations: dict[tuple[str | None, str], list[str]]) -> str:
    """The .po text with these entries' msgstr replaced (and their fuzzy flag
    dropped); every other line is kept as it is."""
    _, entries = po_entries(text)
    lines = text.splitlines()
    for entry in reversed(entries):
        forms = translations.get(entry.key)
        if forms is None:
            continue
        start, end = entry.lines
        block = lines[start:end]
        kept: list[str] = []
        in_msgstr = False
        for line in block:
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if flags:
                    kept.append("#, " + ", ".join(flags))
                continue
            if line.startswith("#| "):
                continue  # the previous msgid of a fuzzy match
            if line.startswith("msgstr"):
                in_msgstr = True
                continue
            if in_msgstr and line.startswith('"'):
                continue
            in_msgstr = False
            kept.append(line)
        if entry.msgid_plural is None:
            kept.append(f'msgstr "{quote(forms[0])}"')
        else:
            kept += [f'msgstr[{n}] "{quote(form)}"' for n, form in enumerate(forms)]
        lines[start:end] = kept
    return "\n".join(lines) + "\n"


def po_set_header(text: str, name: str, value: str) -> str:
    """The .po text with one header field set (added if missing)."""
    pattern = re.compile(rf'^"{re.escape(name)}: .*\\n"$', re.M)
    line = f'"{name}: {value}\\n"'
    if pattern.search(text):
        return pattern.sub(lambda _: line, text, count=1)
    return text.replace(
        '"Content-Transfer-Encoding: 8bit\\n"', f'"Content-Transfer-Encoding: 8bit\\n"\n{line}', 1
    )
