"""Name search on the group list through full-text indexes, so that a national account finds a
member or a group among a million names without reading them (1.1 s, then 330 ms before).

The meaning is the list page's as it was: the words typed, spaces evened out, found anywhere in
a member's or a group's name (in the middle of a word too: "yani" finds "Maryani"), members who
left included, case ignored as the database's own `icontains` ignores it (on SQLite for ASCII
letters only), accents never folded ("Müller" is not found by "Muller"). Every index below only
narrows the candidates; each candidate is checked again with `icontains`, so the groups found are
exactly the plain query's.

SQLite (FTS5 tables holding each name under its row's id, kept in step by the services through
`member_name_index` / `kube_name_index`, rebuilt by `name_reindex` after rows were written past
them):
- words: the name's words (unicode61, no accent folding), and in a second column the name written
  backwards. Two or more words typed ("siti hidayat", "a kusuma") are found from their words:
  the first typed word ends a word of the name (a prefix of the backwards column: "itis"*), the
  middle ones are whole words, the last begins one ("hidayat"*). This is the common case and
  reads only the short lists of those words.
- trigrams (tokenize='trigram'): one typed word ("siti", "wardhani", "ller") may sit anywhere
  inside a word, so it is found from its three-letter pieces.
- under three characters, or typed punctuation with one word: the names are read, within reach.
Each table holds its own copy of the names rather than pointing at the member table, because an
external-content FTS5 table must be told each old value to delete it, and one missed path would
corrupt it, while these are rewritten by id. Members are never deleted and leaving keeps the name
searchable; groups are never deleted either.

PostgreSQL: pg_trgm GIN indexes on `UPPER(name)` of members and groups (migrations registry/0002,
0005), the expression Django's `icontains` compares, so the candidate filter is `icontains` itself.

The count: a search that matches many groups (a common first name: one member in sixty) stops
counting at `COUNT_CAP` + 1 and the page says "more than 1,000"; the first page is then read in
the list's own order (the group-name index), checking each group's members, which finds 25 after
a few hundred groups exactly because the matches are common.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from registry.models import Kube, Member

FTS_TABLE = "registry_member_name_fts"  # members' trigrams (migration 0002)
MEMBER_WORDS = "registry_member_word_fts"
KUBE_TRIGRAMS = "registry_kube_name_fts"
KUBE_WORDS = "registry_kube_word_fts"
TRIGRAM = 3
COUNT_CAP = 1000
# A reach of at most this many groups reads its own members' names (a kabupaten: ~200 groups,
# ~2,000 names) instead of the national index's candidates.
SMALL_REACH = 1000
ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class _Index:
    source: str
    words: str
    trigrams: str


MEMBERS = _Index(Member._meta.db_table, MEMBER_WORDS, FTS_TABLE)
KUBES = _Index(Kube._meta.db_table, KUBE_WORDS, KUBE_TRIGRAMS)


def _uses_fts() -> bool:
    return connection.vendor == "sqlite"


def _write(index: _Index, rows: list[tuple[int, str]]) -> None:
    ids = [(pk,) for pk, _n in rows]
    with connection.cursor() as cursor:
        # Table names are constants; the values are parameters.
        cursor.executemany(f"DELETE FROM {index.trigrams} WHERE rowid = %s", ids)  # noqa: S608
        cursor.executemany(f"DELETE FROM {index.words} WHERE rowid = %s", ids)  # noqa: S608
        cursor.executemany(f"INSERT INTO {index.trigrams} (rowid, name) VALUES (%s, %s)", rows)  # noqa: S608
        cursor.executemany(f"INSERT INTO {index.words} (rowid, name, reversed) VALUES (%s, %s, %s)",  # noqa: S608
                           [(pk, name, name[::-1]) for pk, name in rows])


def member_name_index(members: Iterable[Member]) -> None:
    """Put these members' current names in the indexes (inside the caller's transaction)."""
    rows = [(m.pk, m.name) for m in members]
    if _uses_fts() and rows:
        _write(MEMBERS, rows)


def kube_name_index(kubes: Iterable[Kube]) -> None:
    """Put these groups' current names in the indexes (inside the caller's transaction)."""
    rows = [(k.pk, k.name) for k in kubes]
    if _uses_fts() and rows:
        _write(KUBES, rows)


def name_reindex() -> None:
    """Every index from its table (after rows were written past the services: a bulk load)."""
    if not _uses_fts():
        return
    for index in (MEMBERS, KUBES):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {index.trigrams}")  # noqa: S608
            cursor.execute(f"DELETE FROM {index.words}")  # noqa: S608
            cursor.execute(f"INSERT INTO {index.trigrams} (rowid, name) SELECT id, name FROM {index.source}")  # noqa: S608
            cursor.execute(f"SELECT id, name FROM {index.source}")  # noqa: S608
            rows = cursor.fetchall()
            # SQLite has no function to write a text backwards: Python does it.
            cursor.executemany(f"INSERT INTO {index.words} (rowid, name, reversed) VALUES (%s, %s, %s)",  # noqa: S608
                               [(pk, name, name[::-1]) for pk, name in rows])


member_name_reindex = name_reindex  # the name the benchmark generators call


def words_query(q: str) -> str | None:
    """The FTS5 query finding every name that contains `q`, from its words; None when `q` is one
    word or holds anything but ASCII letters and digits between single spaces (the trigrams or
    the names answer those). A typed word that would begin or end too many words of the country
    (under three letters: "a" ends every third word) is left out: the check that follows every
    candidate keeps the answer exact, and a shorter list of candidates is cheaper than reading the
    index of every word that ends in "a"."""
    words = q.split(" ")
    if len(words) < 2 or not all(ASCII_WORD.fullmatch(w) for w in words):
        return None
    first, *middle, last = words
    terms = [f'"{w}"' for w in middle]
    if len(first) >= TRIGRAM:
        terms.insert(0, f'reversed : "{first[::-1]}"*')
    if len(last) >= TRIGRAM:
        terms.append(f'name : "{last}"*')
    return " AND ".join(terms) or None


def _match(index: _Index, q: str) -> tuple[str, str] | None:
    """(FTS5 table, query) whose rows are a superset of the names containing `q`, or None when no
    index can say (then the names are read)."""
    if not _uses_fts():
        return None
    words = words_query(q)
    if words is not None:
        return index.words, words
    if len(q) < TRIGRAM:
        return None
    return index.trigrams, '"' + q.replace('"', '""') + '"'


def kube_name_matches(q: str) -> Q:
    """Groups whose own name contains `q`."""
    return _matches(KUBES, q)


def name_matches(q: str) -> Q:
    """Members whose name contains `q` (already stripped and with single spaces)."""
    return _matches(MEMBERS, q)


def _matches(index: _Index, q: str) -> Q:
    plain = Q(name__icontains=q)
    match = _match(index, q)
    if match is None:
        return plain
    table, query = match
    # The table name is a constant and the query a parameter.
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [query])) & plain  # noqa: S608, S611


@dataclass(frozen=True)
class GroupSearch:
    """The groups of a scope found by a name, as a filter, and how many (None: more than
    COUNT_CAP, not counted further)."""

    groups: Q
    count: int | None
    cap: int = COUNT_CAP


def _is_whole_country(scope: QuerySet[Kube]) -> bool:
    return not scope.query.where


def search_groups(scope: QuerySet[Kube], q: str) -> GroupSearch:
    """Groups of `scope` whose name, or a member's name (active or not), contains `q`."""
    plain = Q(name__icontains=q) | Q(Exists(Member.objects.filter(kube=OuterRef("pk"), name__icontains=q)))
    whole = _is_whole_country(scope)
    if not whole and scope.order_by()[:SMALL_REACH + 1].count() <= SMALL_REACH:
        # A kabupaten's few thousand names read directly are cheaper than the country's candidates.
        n = scope.filter(plain).order_by()[:COUNT_CAP + 1].count()
        return GroupSearch(plain, n if n <= COUNT_CAP else None, COUNT_CAP)
    limit = COUNT_CAP + 1
    by_member = _found(MEMBERS, "kube_id", scope, whole, q, limit)
    if len(by_member) == limit:
        # Common among members: more than the cap, spread over the list's order.
        if whole:
            # The list's own order (the group-name index) finds a page after a few hundred groups.
            return GroupSearch(plain, None, COUNT_CAP)
        # Within a province, walking the country's order would mostly skip other provinces.
        return GroupSearch(Q(pk__in=Member.objects.filter(name_matches(q)).values("kube_id"))
                           | kube_name_matches(q), None, COUNT_CAP)
    by_name = _found(KUBES, "id", scope, whole, q, limit)
    ids = set(by_member) | set(by_name)
    if len(ids) <= COUNT_CAP:
        return GroupSearch(Q(pk__in=sorted(ids)), len(ids), COUNT_CAP)
    # Common among group names, which lie side by side in the list's order ("KUBE Maju
    # Sejahtera ..."): the members' few groups and the names' candidates, not a walk.
    return GroupSearch(Q(pk__in=sorted(by_member)) | kube_name_matches(q), None, COUNT_CAP)


def _found(index: _Index, group_column: str, scope: QuerySet[Kube], whole: bool, q: str,
           limit: int) -> list[int]:
    """Up to `limit` distinct ids of the scope's groups with a row of `index` whose name contains
    `q`. On SQLite the index's candidates are joined row by row (not gathered first with `IN`),
    so a common name stops after `limit` groups instead of checking all its candidates."""
    match = _match(index, q)
    if match is None:
        rows = (Member.objects.filter(name__icontains=q) if index is MEMBERS
                else Kube.objects.filter(name__icontains=q))
        if not whole:
            rows = rows.filter(**{f"{group_column}__in": scope.order_by().values("pk")})
        return list(rows.order_by().values_list(group_column, flat=True).distinct()[:limit])
    table, query = match
    sql = (f"SELECT DISTINCT r.{group_column} FROM {table} f JOIN {index.source} r ON r.id = f.rowid "  # noqa: S608
           f"WHERE {table} MATCH %s AND r.name LIKE %s ESCAPE '\\'")
    params: list[Any] = [query, "%" + _like_escape(q) + "%"]
    if not whole:
        inner, inner_params = scope.order_by().values("pk").query.sql_with_params()
        sql += f" AND r.{group_column} IN ({inner})"
        params += list(inner_params)
    with connection.cursor() as cursor:
        cursor.execute(sql + " LIMIT %s", [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def _like_escape(q: str) -> str:
    """`q` as a LIKE pattern's literal part, as Django's `icontains` escapes it on SQLite."""
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
