"""An index of the ledger lines by group, month and account, for the summaries' rebuild (SQLite only).

`monitoring.rebuild.line_months` sums the lines per (group, month, account). On SQLite, with this
index (the month as the same expression the query groups by, then the columns the sums read) the
GROUP BY reads the index in its own order: no sort of every line and no month computed per line
(bench/RESULTS.md, 2026-12-02). It is one more index entry per line written; PostgreSQL groups with a
hash instead and gets no index. `monitoring/tests/test_rebuild.py` checks that the query uses it.
"""

from django.db import migrations

MONTH = "(CAST(substr(date, 1, 4) AS integer) * 100 + CAST(substr(date, 6, 2) AS integer))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE INDEX line_kube_month ON books_line (kube_id, {MONTH}, account_id, debit, "
                              "credit, date)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS line_kube_month")


class Migration(migrations.Migration):

    dependencies = [
        ("books", "0005_periodclose_locked_at"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
