"""Copy what the dashboards read from the SQLite benchmark database into PostgreSQL.

The dashboards and reports read only the summary rows (and regions, groups, users for labels and
reach), so the PostgreSQL run does not need the 20 million ledger lines: this copies regions,
programmes, users, groups and the summary tables with COPY, then resets the id sequences.
"""

from __future__ import annotations

import sqlite3
import time

from bench.common import DATA_DIR

TABLES = ["regions_region", "registry_programme", "accounts_user", "registry_kube", "monitoring_groupstate",
          "monitoring_groupmonth", "monitoring_kabupatenstate", "monitoring_kabupatenmonth"]


def copy_summaries_to_postgres() -> str:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    source = sqlite3.connect(DATA_DIR / "national.sqlite3")
    started = time.monotonic()
    counts = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM monitoring_groupstate")
        if cursor.fetchone()[0]:
            return "already there"
        raw = connection.connection
        for table in TABLES:
            cursor.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
                           [table])
            pg_columns = dict(cursor.fetchall())
            sqlite_columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
            columns = [c for c in sqlite_columns if c in pg_columns]
            booleans = {i for i, c in enumerate(columns) if pg_columns[c] == "boolean"}
            cursor.execute(f"DELETE FROM {table}")
            with raw.cursor() as pg, pg.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                n = 0
                for row in source.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                    if booleans:
                        row = tuple(bool(v) if i in booleans and v is not None else v for i, v in enumerate(row))
                    copy.write_row(row)
                    n += 1
            counts.append(f"{table.split('_', 1)[1]} {n:,}")
        for table in TABLES:
            cursor.execute("SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = 'id'",
                           [table])
            if cursor.fetchone() is None:
                continue
            cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute(f"SELECT setval('{sequence}', COALESCE((SELECT MAX(id) FROM {table}), 1))")
        cursor.execute("ANALYZE")
    return f"{', '.join(counts)} in {time.monotonic() - started:.0f} s"
