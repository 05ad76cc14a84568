"""Kemendagri codes nest by prefix: 32 ⊃ 32.04 ⊃ 32.04.06 ⊃ 32.04.06.1002.

"Within a region" is a range on the code column (code >= '32.04.' and code <
'32.04/'), which both SQLite and PostgreSQL answer from an ordinary B-tree index;
LIKE 'x%' would not use the index on SQLite's default case-insensitive LIKE.
'/' is the character right after '.', so the range holds exactly the descendants.
"""

from __future__ import annotations

from django.db.models import Q

LEVEL_PROVINSI = 1
LEVEL_KABUPATEN = 2
LEVEL_KECAMATAN = 3
LEVEL_DESA = 4


def level_of(code: str) -> int:
    return code.count(".") + 1


def parent_of(code: str) -> str | None:
    if "." not in code:
        return None
    return code.rsplit(".", 1)[0]


def ancestors_of(code: str) -> list[str]:
    """The code itself and every ancestor, province first."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def is_within(code: str, region_code: str) -> bool:
    """True when `code` is `region_code` or lies under it. An empty region is the nation."""
    if not region_code:
        return True
    return code == region_code or code.startswith(region_code + ".")


def within_q(field: str, region_code: str) -> Q:
    """A filter for rows whose region `field` is `region_code` or under it: one range of an index.
    Codes are digits and dots, and "/" follows "." in every byte order, so the codes from
    `region_code` up to `region_code` + "/" are the code itself and those under it ("32" and
    "32.…", never "320"). Written as "the code, or from code + '.'" (an OR), PostgreSQL read a whole
    index for a province's count instead of its range (13 ms instead of 1)."""
    if not region_code:
        return Q()
    return Q(**{f"{field}__gte": region_code, f"{field}__lt": region_code + "/"})


def normalize(raw: str) -> str:
    """Accept "3204061002", "32.04.06.1002" or with spaces; return the dotted form."""
    text = "".join(ch for ch in str(raw).strip() if ch.isdigit() or ch == ".")
    if "." in text:
        return text
    return ".".join(p for p in (text[0:2], text[2:4], text[4:6], text[6:10]) if p)
