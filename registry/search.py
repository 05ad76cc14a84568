"""Member-name search through a full-text index, so that a national account does not read a
million names for each search (1.1 s before).

The meaning is the list page's as it was: the words typed, spaces evened out, found anywhere in
a member's name (in the middle of a word too: "yani" finds "Maryani"), members who left included,
case ignored as the database's own `icontains` ignores it (on SQLite for ASCII letters only),
accents never folded ("Müller" is not found by "Muller").

- PostgreSQL: a pg_trgm GIN index on `UPPER(name)` (migration registry/0002), the expression
  Django's `icontains` compares, so the query is unchanged and the database keeps the index.
- SQLite: an FTS5 table with the trigram tokenizer holding each member's name under the member's
  id. The trigram match only narrows the candidates; each is checked again with `icontains`, so
  the result is exactly the plain query's. A search under three characters has no trigram and
  reads the names as before. The services keep the table in step (`member_name_index`, called
  where a member row is saved); it holds its own copy of the names (~40 MB for a million) rather
  than pointing at the member table, because an external-content FTS5 table must be told each old
  value to delete it, and one missed path would corrupt it, while this one is rewritten by id.
  Members are never deleted and leaving keeps the name searchable, so create and rename are the
  only changes; `member_name_reindex` rebuilds it after a bulk load (the benchmark's generator).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from registry.models import Member

FTS_TABLE = "registry_member_name_fts"
TRIGRAM = 3


def _uses_fts() -> bool:
    return connection.vendor == "sqlite"


def member_name_index(members: Iterable[Member]) -> None:
    """Put these members' current names in the index (inside the caller's transaction)."""
    if not _uses_fts():
        return
    rows = [(m.pk, m.name) for m in members]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _n in rows])  # noqa: S608
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, name) VALUES (%s, %s)", rows)  # noqa: S608


def member_name_reindex() -> None:
    """The whole index from the member table (after rows were written past the services)."""
    if not _uses_fts():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        cursor.execute(f"INSERT INTO {FTS_TABLE} (rowid, name) SELECT id, name FROM {Member._meta.db_table}")  # noqa: S608


def name_matches(q: str) -> Q:
    """Members whose name contains `q` (already stripped and with single spaces)."""
    plain = Q(name__icontains=q)
    if not _uses_fts() or len(q) < TRIGRAM:
        return plain
    phrase = '"' + q.replace('"', '""') + '"'
    # The table name is a constant and the phrase a parameter.
    candidates = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [phrase])  # noqa: S608, S611
    return Q(pk__in=candidates) & plain
