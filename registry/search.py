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
Every row of these tables is filed under its group's region: its rowid is the group's desa code as
a number times 10^8, plus the member's or group's own id (`index_key`), so the names of a region
of any level are one range of rowids (`span`), which FTS5 reads on its own. A province's search
reads the province's part of each word's list, not the country's; each candidate's group is still
checked to lie in the region (the rowid only narrows), and a group that moves takes its members'
rows with it (`kube_name_index(..., moved_from=)`).
Each table holds its own copy of the names rather than pointing at the member table, because an
external-content FTS5 table must be told each old value to delete it, and one missed path would
corrupt it, while these are rewritten by id. Members are never deleted and leaving keeps the name
searchable; groups are never deleted either.

PostgreSQL: pg_trgm GIN indexes on `UPPER(name)` of members and groups (migrations registry/0002,
0005), the expression Django's `icontains` compares, so the candidate filter is `icontains` itself.
A common name is a member of tens of thousands (one in 24 has a given family name), and checking
each of those rows cost 100–250 ms for a province, so members are found through their groups:
`registry_kube_member_names` (migrations 0009, 0011) holds one row per group with every name its
members have had, one per line and in capitals (UPPER's, so a candidate is checked with a plain
LIKE, not capitalised again), under the group's desa, with a trigram index on it. A typed query holds no
line break, so it is found in that text exactly when one member's name contains it; a province
reads its own groups' rows (the desa's btree beside the trigrams), a hundred thousand narrow rows
in all instead of a million members. The member services rewrite a group's row in their
transaction, after locking the group (two writers of one group's members take turns).

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

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from lib.lookups import among_ids
from lib.regioncode import within_q
from registry.models import GroupMemberNames, Kube, Member

FTS_TABLE = "registry_member_name_fts"  # members' trigrams (migration 0002)
MEMBER_WORDS = "registry_member_word_fts"
KUBE_TRIGRAMS = "registry_kube_name_fts"
KUBE_WORDS = "registry_kube_word_fts"
GROUP_NAMES = "registry_kube_member_names"  # PostgreSQL: every member name of a group (migrations 0009, 0011)
TRIGRAM = 3
COUNT_CAP = 1000
# A reach that is no region and holds at most this many groups (a mentor's: dozens) reads its own
# members' names instead of the country's candidates in the indexes.
SMALL_REACH = 1000
ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
# An index row's rowid is its group's desa code as a number, times KEY, plus the row's own id.
KEY = 10 ** 8
CODE_WIDTHS = (2, 2, 2, 4)  # provinsi, kabupaten/kota, kecamatan, desa/kelurahan
CODE_DIGITS = sum(CODE_WIDTHS)


@dataclass(frozen=True)
class _Index:
    source: str
    words: str
    trigrams: str


MEMBERS = _Index(Member._meta.db_table, MEMBER_WORDS, FTS_TABLE)
KUBES = _Index(Kube._meta.db_table, KUBE_WORDS, KUBE_TRIGRAMS)


def _uses_fts() -> bool:
    return connection.vendor == "sqlite"


def _uses_group_names() -> bool:
    return connection.vendor == "postgresql"


def _holds_name(q: str) -> Q:
    """PostgreSQL: a group's row of names (in capitals) holds a name containing `q`, as `icontains`
    means it (UPPER on both sides), `q` capitalised by the database as the row was."""
    return Q(names__contains=Upper(Value(q)))


def _group_names(q: str, area: str) -> QuerySet[GroupMemberNames]:
    """PostgreSQL: the groups' rows of names (within `area`) with a name containing `q`."""
    return GroupMemberNames.objects.filter(within_q("desa_id", area), _holds_name(q))


def member_groups(q: str, area: str = "") -> Q:
    """Groups (within `area`) with a member, active or not, whose name contains `q`."""
    if _uses_group_names():
        return Q(pk__in=_group_names(q, area).values("kube_id"))
    return Q(pk__in=Member.objects.filter(name_matches(q, area)).values("kube_id"))


# A group's row of names from its members, one name a line, in capitals as UPPER() writes them
# (table names are constants).
_GROUP_NAMES_FILL = (f"INSERT INTO {GROUP_NAMES} (kube_id, desa_id, names) "  # noqa: S608
                     f"SELECT k.id, k.desa_id, string_agg(UPPER(m.name), E'\\n' ORDER BY m.id) FROM {Kube._meta.db_table} k "
                     f"JOIN {Member._meta.db_table} m ON m.kube_id = k.id")
_GROUP_NAMES_GROUPING = " GROUP BY k.id, k.desa_id"


def _group_names_hit(q: str) -> Q:
    """PostgreSQL: the group's own row of names holds `q`, asked of each group as the list walks
    its order (its row by primary key). A common name is in a third of the country's groups: as
    `member_groups` (IN) PostgreSQL read every row of names first (130 ms for "Hidayat"), where the
    list's first page is found after a few dozen groups. A scalar subquery is never hashed."""
    hit = (GroupMemberNames.objects.filter(kube=OuterRef("pk"))
           .annotate(hit=ExpressionWrapper(_holds_name(q), output_field=BooleanField())).values("hit")[:1])
    return Q(Subquery(hit, output_field=BooleanField()))


def _group_names_refresh(kube_ids: set[int]) -> None:
    """PostgreSQL: rewrite these groups' rows of GROUP_NAMES from their members (in the caller's
    transaction). The groups are locked first, so that the rows are read after any other writer of
    their members has committed (member_add locks its group already)."""
    if not kube_ids:
        return
    ids = sorted(kube_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Kube._meta.db_table} WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", [ids])  # noqa: S608
        cursor.execute(
            f"{_GROUP_NAMES_FILL} WHERE k.id = ANY(%s){_GROUP_NAMES_GROUPING} "
            "ON CONFLICT (kube_id) DO UPDATE SET desa_id = EXCLUDED.desa_id, names = EXCLUDED.names", [ids])


def region_number(code: str) -> int:
    """A Kemendagri code as the number its digits make at full width ("32.04.06.1002" →
    3204061002; a code above a desa is padded with zeros: "32.04" → 3204000000), so that every
    region's desas are one range of numbers."""
    parts = code.split(".") if code else []
    if len(parts) > len(CODE_WIDTHS) or not all(p.isdigit() and len(p) <= w for p, w in zip(parts, CODE_WIDTHS, strict=False)):
        raise ValueError(f"not a Kemendagri region code: {code!r}")
    digits = "".join(p.rjust(w, "0") for p, w in zip(parts, CODE_WIDTHS, strict=False))
    return int(digits.ljust(CODE_DIGITS, "0"))


def index_key(desa: str, pk: int) -> int:
    """The rowid of a name in the indexes: its group's desa, then its own id. Each region's rows
    are one range of rowids, which FTS5 reads on its own (`span`), so a province's search reads
    the province's part of the index, not the country's."""
    if not 0 < pk < KEY:
        raise ValueError(f"id {pk} does not fit the name index's key")
    return region_number(desa) * KEY + pk


def span(area: str) -> tuple[int, int]:
    """The rowids of the names of the groups within `area` (a region code of any level)."""
    if not area:
        return 0, (10 ** CODE_DIGITS) * KEY - 1
    lo = region_number(area)
    width = sum(CODE_WIDTHS[:area.count(".") + 1])
    hi = lo + 10 ** (CODE_DIGITS - width) - 1
    return lo * KEY, hi * KEY + KEY - 1


def _write(index: _Index, rows: list[tuple[int, str, str]], *, moved_from: str | None = None) -> None:
    """(id, desa, name) rows written anew under their keys; `moved_from`: the desa the rows were
    indexed under before (their group moved)."""
    old = [(index_key(moved_from or desa, pk),) for pk, desa, _n in rows]
    new = [(index_key(desa, pk), name) for pk, desa, name in rows]
    with connection.cursor() as cursor:
        # Table names are constants; the values are parameters.
        cursor.executemany(f"DELETE FROM {index.trigrams} WHERE rowid = %s", old)  # noqa: S608
        cursor.executemany(f"DELETE FROM {index.words} WHERE rowid = %s", old)  # noqa: S608
        cursor.executemany(f"INSERT INTO {index.trigrams} (rowid, name) VALUES (%s, %s)", new)  # noqa: S608
        cursor.executemany(f"INSERT INTO {index.words} (rowid, name, reversed) VALUES (%s, %s, %s)",  # noqa: S608
                           [(key, name, name[::-1]) for key, name in new])


def member_name_index(members: Iterable[Member]) -> None:
    """Put these members' current names in the indexes (inside the caller's transaction)."""
    members = list(members)
    if _uses_group_names():
        _group_names_refresh({m.kube_id for m in members})
        return
    rows = [(m.pk, m.kube.desa_id, m.name) for m in members]
    if _uses_fts() and rows:
        _write(MEMBERS, rows)


def kube_name_index(kubes: Iterable[Kube], *, moved_from: str | None = None) -> None:
    """Put these groups' current names in the indexes (inside the caller's transaction); a group
    that moved to another desa (`moved_from`, its desa before) moves its members' names too."""
    kubes = list(kubes)
    if _uses_group_names() and moved_from is not None:
        _group_names_refresh({k.pk for k in kubes})  # filed under the new desa
    if not _uses_fts() or not kubes:
        return
    _write(KUBES, [(k.pk, k.desa_id, k.name) for k in kubes], moved_from=moved_from)
    if moved_from is not None:
        for kube in kubes:
            _write(MEMBERS, [(pk, kube.desa_id, name) for pk, name in kube.members.values_list("pk", "name")],
                   moved_from=moved_from)


@transaction.atomic
def name_reindex() -> None:
    """Every index from its table (after rows were written past the services: a bulk load), in one
    transaction: row by row in autocommit, each insert was a commit of FTS5's segments of its own
    (30,000 members wrote 2 GB of WAL). On PostgreSQL the groups' rows of members' names."""
    if _uses_group_names():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {GROUP_NAMES}")  # noqa: S608
            cursor.execute(_GROUP_NAMES_FILL + _GROUP_NAMES_GROUPING)
            cursor.execute(f"ANALYZE {GROUP_NAMES}")
    if not _uses_fts():
        return
    for index, desa in ((MEMBERS, "k.desa_id FROM registry_member r JOIN registry_kube k ON k.id = r.kube_id"),
                        (KUBES, "r.desa_id FROM registry_kube r")):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {index.trigrams}")  # noqa: S608
            cursor.execute(f"DELETE FROM {index.words}")  # noqa: S608
            cursor.execute(f"SELECT r.id, r.name, {desa}")
            rows = [(index_key(code, pk), name) for pk, name, code in cursor.fetchall()]
            cursor.executemany(f"INSERT INTO {index.trigrams} (rowid, name) VALUES (%s, %s)", rows)  # noqa: S608
            # SQLite has no function to write a text backwards: Python does it.
            cursor.executemany(f"INSERT INTO {index.words} (rowid, name, reversed) VALUES (%s, %s, %s)",  # noqa: S608
                               [(key, name, name[::-1]) for key, name in rows])


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


def kube_name_matches(q: str, area: str = "") -> Q:
    """Groups (within `area`, a region code) whose own name contains `q`."""
    return _matches(KUBES, q, area)


def name_matches(q: str, area: str = "") -> Q:
    """Members (of the groups within `area`) whose name contains `q` (already stripped and with
    single spaces)."""
    return _matches(MEMBERS, q, area)


def _matches(index: _Index, q: str, area: str) -> Q:
    plain = Q(name__icontains=q)
    match = _match(index, q)
    if match is None:
        return plain
    table, query = match
    lo, hi = span(area)
    # The table name is a constant and the query a parameter.
    return Q(pk__in=RawSQL(f"SELECT rowid %% {KEY} FROM {table} WHERE {table} MATCH %s "  # noqa: S608, S611
                           "AND rowid BETWEEN %s AND %s", [query, lo, hi])) & plain


@dataclass(frozen=True)
class GroupSearch:
    """The groups of a scope found by a name, as a filter, and how many (None: more than
    COUNT_CAP, not counted further)."""

    groups: Q
    count: int | None
    cap: int = COUNT_CAP


def _is_whole_country(scope: QuerySet[Kube]) -> bool:
    return not scope.query.where


def _is_area(scope: QuerySet[Kube], area: str | None) -> bool:
    """Whether `scope` is every group of `area` and nothing more (then the index's span of the
    area is the scope, and no group needs checking against it)."""
    return area is not None and scope.query.where == Kube.objects.filter(within_q("desa_id", area)).query.where


def _reads_own_names(scope: QuerySet[Kube], area: str | None) -> bool:
    """Whether the scope's own names are read rather than the indexes: a reach that is no region
    (a mentor's groups, a member's) cannot read the indexes' span of a region, and its few
    hundred names read directly are cheaper than the country's candidates."""
    return area is None and scope.order_by()[:SMALL_REACH + 1].count() <= SMALL_REACH


def search_groups(scope: QuerySet[Kube], q: str, area: str | None = None, *, in_name_order: bool = True) -> GroupSearch:
    """Groups of `scope` whose name, or a member's name (active or not), contains `q`. `area`: a
    region code every group of `scope` lies within ("" the country), so that the indexes are read
    only for that region's names; None when the scope is no region (a mentor's groups). `in_name_order`:
    the list is in name order (past the cap, PostgreSQL walks that order)."""
    plain = Q(name__icontains=q) | Q(Exists(Member.objects.filter(kube=OuterRef("pk"), name__icontains=q)))
    whole = _is_whole_country(scope)
    if whole:
        area = ""
    if _reads_own_names(scope, area):
        n = scope.filter(plain).order_by()[:COUNT_CAP + 1].count()
        return GroupSearch(plain, n if n <= COUNT_CAP else None, COUNT_CAP)
    within = "" if area is None else area
    checked = None if _is_area(scope, area) or whole else scope
    limit = COUNT_CAP + 1
    by_member = _found(MEMBERS, "kube_id", checked, within, q, limit)
    if len(by_member) == limit:
        # Common among members: more than the cap. The list's own order (the group-name index)
        # finds a page after a few hundred groups, each asked of its own row of names.
        if in_name_order and _uses_group_names():
            # PostgreSQL, for a region too: it walks the country's order, skipping the other
            # regions' groups on the row it reads anyway, and asks only the region's. A thousand
            # matches within the region make one in a hundred of the country's groups a match at
            # the least, so a page is found within a few thousand rows (Jawa Barat's "Hermawan":
            # 1.2 ms, where reading the province's 7,000 rows of names first took 12 ms).
            return GroupSearch(Q(name__icontains=q) | _group_names_hit(q), None, COUNT_CAP)
        if in_name_order and whole:
            return GroupSearch(plain, None, COUNT_CAP)
        # The name indexes' candidates within the area, gathered once: on SQLite within a region
        # (walking the country's order would read every group's members for the region's few),
        # and on both databases for the list most in need of attention first (no index holds that
        # order, so a walk would ask every group of the scope: the country's "Hidayat" took 262 ms
        # on PostgreSQL, each group's row of names, and 953 ms on SQLite, each group's members).
        return GroupSearch(member_groups(q, within) | kube_name_matches(q, within), None, COUNT_CAP)
    by_name = _found(KUBES, "id", checked, within, q, limit)
    ids = set(by_member) | set(by_name)
    if len(ids) <= COUNT_CAP:
        return GroupSearch(among_ids("pk", sorted(ids)), len(ids), COUNT_CAP)
    # Common among group names, which lie side by side in the list's order ("KUBE Maju
    # Sejahtera ..."): the members' few groups and the names' candidates, not a walk.
    return GroupSearch(among_ids("pk", sorted(by_member)) | kube_name_matches(q, within), None, COUNT_CAP)


def _found(index: _Index, group_column: str, scope: QuerySet[Kube] | None, area: str, q: str,
           limit: int) -> list[int]:
    """Up to `limit` distinct ids of groups within `area` (and of `scope`, unless None: the area
    is the scope) with a row of `index` whose name contains `q`. On SQLite the index's candidates
    within the area's span are joined row by row (not gathered first with `IN`), so a common name
    stops after `limit` groups instead of checking all its candidates."""
    if index is MEMBERS and _uses_group_names():
        return _found_by_group_names(scope, area, q, limit)
    match = _match(index, q)
    if match is None:
        rows = (Member.objects.filter(name__icontains=q) if index is MEMBERS
                else Kube.objects.filter(name__icontains=q))
        if scope is not None:
            rows = rows.filter(**{f"{group_column}__in": scope.order_by().values("pk")})
        elif area:
            rows = rows.filter(within_q("kube__desa_id" if index is MEMBERS else "desa_id", area))
        return list(rows.order_by().values_list(group_column, flat=True).distinct()[:limit])
    table, query = match
    # The group's own desa is checked too: the rowid only narrows, as the name's LIKE below does.
    kube = "r" if index is KUBES else "k"
    join = f"JOIN {Kube._meta.db_table} k ON k.id = r.kube_id " if index is MEMBERS and area else ""
    sql = (f"SELECT DISTINCT r.{group_column} FROM {table} f JOIN {index.source} r ON r.id = f.rowid %% {KEY} "  # noqa: S608
           f"{join}WHERE {table} MATCH %s AND f.rowid BETWEEN %s AND %s AND r.name LIKE %s ESCAPE '\\'")
    params: list[Any] = [query, *span(area), "%" + _like_escape(q) + "%"]
    if area:
        sql += f" AND {kube}.desa_id >= %s AND {kube}.desa_id < %s"  # lib.regioncode.within_q's range
        params += [area, area + "/"]
    if scope is not None:
        inner, inner_params = scope.order_by().values("pk").query.sql_with_params()
        sql += f" AND r.{group_column} IN ({inner})"
        params += list(inner_params)
    with connection.cursor() as cursor:
        cursor.execute(sql + " LIMIT %s", [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def _found_by_group_names(scope: QuerySet[Kube] | None, area: str, q: str, limit: int) -> list[int]:
    """PostgreSQL: `_found` for members, through the groups' rows of names (one row a group)."""
    rows = _group_names(q, area)
    if scope is not None:
        rows = rows.filter(kube_id__in=scope.order_by().values("pk"))
    return list(rows.order_by().values_list("kube_id", flat=True)[:limit])


def _like_escape(q: str) -> str:
    """`q` as a LIKE pattern's literal part, as Django's `icontains` escapes it on SQLite."""
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
