"""Word indexes over members' names, and both kinds over groups' names (registry/search.py says
why each database gets its kind).

SQLite: FTS5 tables holding each name's words and the name written backwards (unicode61, accents
kept), and a trigram table of group names beside migration 0002's of members; all filled here
from the rows and kept in step by the services. PostgreSQL: a pg_trgm GIN index on UPPER(name) of
groups, as 0002 made for members, kept by the database like any index.
"""

from typing import Any

from django.db import migrations

# registry.search's names, frozen here.
MEMBER_WORDS = "registry_member_word_fts"
KUBE_WORDS = "registry_kube_word_fts"
KUBE_TRIGRAMS = "registry_kube_name_fts"
WORDS = "fts5(name, reversed, tokenize='unicode61 remove_diacritics 0', detail=column)"


def _fill_words(schema_editor: Any, table: str, source: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name FROM {source}")  # noqa: S608
        rows = cursor.fetchall()
        cursor.executemany(f"INSERT INTO {table} (rowid, name, reversed) VALUES (%s, %s, %s)",  # noqa: S608
                           [(pk, name, name[::-1]) for pk, name in rows])


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"CREATE VIRTUAL TABLE {MEMBER_WORDS} USING {WORDS}")
        schema_editor.execute(f"CREATE VIRTUAL TABLE {KUBE_WORDS} USING {WORDS}")
        schema_editor.execute(f"CREATE VIRTUAL TABLE {KUBE_TRIGRAMS} USING fts5(name, tokenize='trigram')")
        schema_editor.execute(f"INSERT INTO {KUBE_TRIGRAMS} (rowid, name) SELECT id, name FROM registry_kube")
        _fill_words(schema_editor, MEMBER_WORDS, "registry_member")
        _fill_words(schema_editor, KUBE_WORDS, "registry_kube")
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute("CREATE INDEX kube_name_trgm ON registry_kube USING gin (UPPER(name) gin_trgm_ops)")


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in (MEMBER_WORDS, KUBE_WORDS, KUBE_TRIGRAMS):
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kube_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_drop_dtks_fields")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
