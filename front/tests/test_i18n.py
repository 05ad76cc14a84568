"""The English catalogue is complete and compiled (Indonesian is the source language)."""

import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR, "locale/en/LC_MESSAGES/django.po")
MO = PO.with_suffix(".mo")


def _unquote(lines: list[str]) -> str:
    return "".join(eval(line) for line in lines)  # noqa: S307 - .po strings are C-quoted literals


def po_entries() -> list[dict]:
    entries: list[dict] = []
    for block in PO.read_text().split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln and not ln.startswith("#")]
        fuzzy = "#, fuzzy" in block
        entry: dict = {"fuzzy": fuzzy, "msgstr": []}
        key = None
        parts: dict[str, list[str]] = {}
        for line in lines:
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) (".*")$', line)
            if m:
                key = m.group(1)
                parts[key] = [m.group(2)]
            elif line.startswith('"') and key:
                parts[key].append(line)
        if "msgid" not in parts:
            continue
        entry["msgid"] = _unquote(parts["msgid"])
        entry["msgid_plural"] = _unquote(parts["msgid_plural"]) if "msgid_plural" in parts else None
        entry["msgstr"] = [_unquote(v) for k, v in sorted(parts.items()) if k.startswith("msgstr")]
        entry["msgctxt"] = _unquote(parts["msgctxt"]) if "msgctxt" in parts else None
        entries.append(entry)
    return [e for e in entries if e["msgid"]]


def test_every_string_has_an_english_translation():
    missing = [e["msgid"] for e in po_entries() if e["fuzzy"] or not all(e["msgstr"])]
    assert not missing, missing[:10]


def test_the_compiled_catalogue_matches_the_source():
    with MO.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    for e in po_entries():
        msgid, context = str(e["msgid"]), e["msgctxt"]
        if e["msgid_plural"] and context:
            got = catalogue.npgettext(context, msgid, str(e["msgid_plural"]), 2)
        elif e["msgid_plural"]:
            got = catalogue.ngettext(msgid, str(e["msgid_plural"]), 2)
        elif context:
            got = catalogue.pgettext(context, msgid)
        else:
            got = catalogue.gettext(msgid)
        assert got == e["msgstr"][-1], msgid
