"""The name indexes' rows filed under their group's region (registry/search.py): each row's rowid
becomes the group's desa code as a number times 10^8, plus the member's or group's own id, so a
region's names are one range of rowids that FTS5 reads on its own. SQLite only (PostgreSQL's
GIN indexes have no rowids of their own); the tables are the same, only refilled.
"""

from typing import Any

from django.db import migrations

# registry.search's names and key, frozen here.
TABLES = {
    "registry_member": ("registry_member_name_fts", "registry_member_word_fts",
                        "k.desa_id FROM registry_member r JOIN registry_kube k ON k.id = r.kube_id"),
    "registry_kube": ("registry_kube_name_fts", "registry_kube_word_fts", "r.desa_id FROM registry_kube r"),
}
KEY = 10 ** 8
WIDTHS = (2, 2, 2, 4)


def _number(code: str) -> int:
    parts = code.split(".")
    return int("".join(p.rjust(w, "0") for p, w in zip(parts, WIDTHS)).ljust(sum(WIDTHS), "0"))


def _fill(schema_editor: Any, key: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        for trigrams, words, rows_sql in TABLES.values():
            cursor.execute(f"DELETE FROM {trigrams}")
            cursor.execute(f"DELETE FROM {words}")
            cursor.execute(f"SELECT r.id, r.name, {rows_sql}")  # noqa: S608
            rows = [(key(code, pk), name) for pk, name, code in cursor.fetchall()]
            cursor.executemany(f"INSERT INTO {trigrams} (rowid, name) VALUES (%s, %s)", rows)  # noqa: S608
            cursor.executemany(f"INSERT INTO {words} (rowid, name, reversed) VALUES (%s, %s, %s)",  # noqa: S608
                               [(k, name, name[::-1]) for k, name in rows])


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        _fill(schema_editor, lambda code, pk: _number(code) * KEY + pk)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        _fill(schema_editor, lambda code, pk: pk)


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_edit_versions")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
