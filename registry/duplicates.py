"""Likely duplicate people: the same person registered twice under a mistyped NIK.

Two active memberships are taken for one person when their NIK is the same, or when their KK
number, birth date and sex are the same, their NIKs differ by one mistyped digit or two neighbouring
digits swapped (rapidfuzz's optimal-string-alignment distance of 1) and their names agree
(rapidfuzz's token-sort ratio over the names in capitals: "Siti Aminah", "SITI  AMINAH" and
"Aminah Siti" are the same name).

Twins are what this must not take for one person: they share the KK, the birth date and often the
sex, and Dukcapil gives them NIKs one serial apart (the last four digits), so only the name tells
them apart, and twins' names are often one letter apart (Yati and Yanti). So a name that is not the
same but only close (a ratio of 90 or more: "Sity Aminah") counts only when the NIKs differ outside
the serial, where twins' NIKs never do.

Comparisons are made only inside a block of the same KK and birth date, so a national pass is one
scan of the active members grouped in memory, and the check of one registration is one indexed
query (`member_kk_birth`). The dtsen app lists and resolves the pairs; the registry's services and
import call `likely_duplicates` before saving.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from registry.models import Member

NAME_AGREES = 90  # token-sort ratio (0–100) from which two names are close (a spelling variant)
SERIAL_START = 12  # NIK digits 13–16 are the serial Dukcapil gives in order (twins: one apart)
BLOCK_LIMIT = 200  # a block larger than this (a placeholder KK such as all zeros) is not compared pairwise


class Kind:
    SAME_NIK = "same_nik"
    NIK_TYPO = "nik_typo"
    NIK_TRANSPOSED = "nik_transposed"


KIND_LABELS = {
    Kind.SAME_NIK: _("NIK sama"),
    Kind.NIK_TYPO: _("KK, tanggal lahir dan nama sama; NIK berbeda satu digit"),
    Kind.NIK_TRANSPOSED: _("KK, tanggal lahir dan nama sama; dua digit NIK tertukar"),
}


@dataclass(frozen=True, slots=True)
class Person:
    """What the comparison reads of one membership."""

    pk: int
    nik: str
    kk_number: str
    name: str
    birth_date: date
    sex: str = ""


@dataclass(frozen=True)
class Match:
    first: int   # the smaller member id
    second: int
    kind: str
    name_score: int


def name_key(name: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in name.upper()).split())


def nik_kind(a: str, b: str) -> str | None:
    """How two NIKs differ, when they could be one NIK mistyped."""
    if a == b:
        return Kind.SAME_NIK
    if len(a) != len(b) or OSA.distance(a, b) != 1:
        return None
    return Kind.NIK_TYPO if sum(x != y for x, y in zip(a, b, strict=True)) == 1 else Kind.NIK_TRANSPOSED


def compare(a: Person, b: Person) -> Match | None:
    """The pair, if `a` and `b` look like one person (see the module's docstring)."""
    if a.pk == b.pk:
        return None
    kind = nik_kind(a.nik, b.nik)
    if kind is None:
        return None
    score = round(fuzz.token_sort_ratio(name_key(a.name), name_key(b.name)))
    if kind != Kind.SAME_NIK:
        if a.kk_number != b.kk_number or a.birth_date != b.birth_date or (a.sex and b.sex and a.sex != b.sex):
            return None
        outside_serial = any(x != y for x, y in zip(a.nik[:SERIAL_START], b.nik[:SERIAL_START], strict=True))
        if score < 100 and not (score >= NAME_AGREES and outside_serial):
            return None
    first, second = sorted((a.pk, b.pk))
    return Match(first=first, second=second, kind=kind, name_score=score)


def find_pairs(people: Iterable[Person]) -> Iterator[Match]:
    """Every likely pair among `people` (a national pass: the active members, read once)."""
    blocks: dict[tuple[str, date], list[Person]] = defaultdict(list)
    by_nik: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        blocks[(person.kk_number, person.birth_date)].append(person)
        by_nik[person.nik].append(person)
    for same in by_nik.values():
        for i, a in enumerate(same):
            for b in same[i + 1:]:
                match = compare(a, b)
                if match:
                    yield match
    for block in blocks.values():
        for match in _block_pairs(block):
            if match.kind != Kind.SAME_NIK:  # listed above
                yield match


def find_pairs_sorted(people: Iterable[Person]) -> Iterator[Match]:
    """The same pairs from people ordered by KK and birth date (the index `member_kk_birth`), holding
    one block in memory at a time: the national pass over a million members. Two active memberships
    never share a NIK (the database refuses it), so only the blocks need comparing."""
    block: list[Person] = []
    key: tuple[str, date] | None = None
    for person in people:
        here = (person.kk_number, person.birth_date)
        if here != key:
            yield from _block_pairs(block)
            block, key = [], here
        block.append(person)
    yield from _block_pairs(block)


def _block_pairs(block: list[Person]) -> Iterator[Match]:
    if len(block) < 2 or len(block) > BLOCK_LIMIT:
        return
    for i, a in enumerate(block):
        for b in block[i + 1:]:
            match = compare(a, b)
            if match:
                yield match


def person_of(member: Member) -> Person:
    return Person(pk=member.pk, nik=member.nik, kk_number=member.kk_number, name=member.name,
                  birth_date=member.birth_date, sex=member.sex)


PERSON_FIELDS = ("pk", "nik", "kk_number", "name", "birth_date", "sex")


def people(qs: Iterable[tuple[int, str, str, str, date, str]]) -> Iterator[Person]:
    for pk, nik, kk, name, birth, sex in qs:
        yield Person(pk=pk, nik=nik, kk_number=kk, name=name, birth_date=birth, sex=sex)


def likely_duplicates(*, nik: str, kk_number: str, name: str, birth_date: date, sex: str = "",
                      exclude: int | None = None) -> list[tuple[Member, str]]:
    """Active members who look like this new person, with how (one indexed query: the same NIK, or
    the same KK and birth date). The check of one registration, page, API and import alike."""
    qs = (Member.objects.filter(left_on__isnull=True)
          .filter(Q(nik=nik) | Q(kk_number=kk_number, birth_date=birth_date))
          .select_related("kube"))
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    new = Person(pk=0, nik=nik, kk_number=kk_number, name=name, birth_date=birth_date, sex=sex)
    out = []
    for member in qs[:BLOCK_LIMIT]:
        match = compare(new, person_of(member))
        if match and match.kind != Kind.SAME_NIK:  # the same active NIK is refused outright elsewhere
            out.append((member, match.kind))
    return out


def likely_duplicates_many(candidates: list[Person]) -> dict[int, list[tuple[Member, str]]]:
    """`likely_duplicates` for many new people at once (the Excel import): by KK, in chunks,
    keyed by the index of the candidate in the list."""
    out: dict[int, list[tuple[Member, str]]] = defaultdict(list)
    kks = sorted({c.kk_number for c in candidates})
    existing: dict[tuple[str, date], list[Member]] = defaultdict(list)
    for start in range(0, len(kks), 500):
        for member in (Member.objects.filter(left_on__isnull=True, kk_number__in=kks[start:start + 500])
                       .select_related("kube")):
            existing[(member.kk_number, member.birth_date)].append(member)
    for i, cand in enumerate(candidates):
        for member in existing.get((cand.kk_number, cand.birth_date), []):
            match = compare(Person(pk=0, nik=cand.nik, kk_number=cand.kk_number, name=cand.name,
                                   birth_date=cand.birth_date, sex=cand.sex), person_of(member))
            if match and match.kind != Kind.SAME_NIK:
                out[i].append((member, match.kind))
    return out
