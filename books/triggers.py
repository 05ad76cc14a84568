"""Ledger invariants held by the database itself, on SQLite and on PostgreSQL.

The services write a transaction's lines first and its header last (its id is chosen in
Python, and foreign keys are checked at commit). So, at the moment a header is inserted,
all its lines are there and the database can check them:

- the header's `amount` equals the sum of its debits and the sum of its credits, over at
  least two lines, all of the same group and date;
- lines cannot be added to a header that already exists, nor updated, nor deleted;
- headers cannot be updated or deleted;
- no header in a month the group has closed (or before it);
- `period` is the header date's YYYYMM.

Non-positive and two-sided lines are refused by a CHECK constraint on the table.
PostgreSQL also gets the deferred constraint trigger django-hordak uses: at commit, every
transaction touched must balance and have a header, whatever order rows were written in.
TRUNCATE (what Django's test flush uses on PostgreSQL) fires none of these.

The SQL is frozen per revision, beside the migrations (django-hordak keeps its triggers in its
migrations for the same reason): `books/sql/guards_v<N>_<vendor>.sql` installs revision N and
`..._down.sql` removes it. A migration installs a revision and records the SHA-256 of its files,
and refuses to run if they changed, so a database migrated last year and one migrated today
hold the same guards. To change a guard, copy the latest revision to N+1, edit the copy, and add
a migration that removes revision N and installs N+1 (`install`/`uninstall` with `revision=`).
`books/tests/test_guards.py` checks that the guards in the database are the latest revision.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import sqlparse

SQL_DIR = Path(__file__).resolve().parent / "sql"
VENDORS = ("sqlite", "postgresql")


def revisions() -> list[int]:
    """Every revision that has SQL files, oldest first."""
    found = {int(m.group(1)) for f in SQL_DIR.glob("guards_v*_*.sql") if (m := re.match(r"guards_v(\d+)_", f.name))}
    return sorted(found)


LATEST = max(revisions())


def sql_file(revision: int, vendor: str, *, down: bool = False) -> Path:
    return SQL_DIR / f"guards_v{revision}_{vendor}{'_down' if down else ''}.sql"


def checksums(revision: int) -> dict[str, str]:
    """SHA-256 of each file of a revision, as its migration records them."""
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest()
            for vendor in VENDORS for f in (sql_file(revision, vendor), sql_file(revision, vendor, down=True))}


def statements(revision: int, vendor: str, *, down: bool = False) -> list[str]:
    """The statements of a revision's file, comment lines dropped (no statement line starts with --)."""
    text = "\n".join(line for line in sql_file(revision, vendor, down=down).read_text().splitlines()
                     if not line.startswith("--"))
    return [s.strip() for s in sqlparse.split(text) if s.strip()]


def _vendor(connection: Any) -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _run(connection: Any, revision: int, *, down: bool, sha256: dict[str, str] | None) -> None:
    if sha256 is not None and checksums(revision) != sha256:
        raise RuntimeError(
            f"books/sql/guards_v{revision}_*.sql changed after a migration installed them. A released "
            f"revision is frozen: put the change in revision {LATEST + 1} and a new migration.")
    with connection.cursor() as cursor:
        for sql in statements(revision, _vendor(connection), down=down):
            cursor.execute(sql)


def install(connection: Any, *, revision: int = LATEST, sha256: dict[str, str] | None = None) -> None:
    """Install a revision of the guards (a migration passes the checksums it recorded)."""
    _run(connection, revision, down=False, sha256=sha256)


def uninstall(connection: Any, *, revision: int = LATEST, sha256: dict[str, str] | None = None) -> None:
    _run(connection, revision, down=True, sha256=sha256)
