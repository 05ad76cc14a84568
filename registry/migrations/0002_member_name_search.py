"""A full-text index over members' names (registry/search.py says why each database gets its kind).

SQLite: an FTS5 table with the trigram tokenizer, filled here from the member rows and kept in step
by the member services. PostgreSQL: pg_trgm and a GIN index on UPPER(name), the expression that
Django's `icontains` compares, kept by the database like any index.
"""

from typing import Any

from django.db import migrations

FTS_TABLE = "registry_member_name_fts"  # registry.search.FTS_TABLE, frozen here


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(name, tokenize='trigram')")
        schema_editor.execute(f"INSERT INTO {FTS_TABLE} (rowid, name) SELECT id, name FROM registry_member")
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute("CREATE INDEX member_name_trgm ON registry_member USING gin (UPPER(name) gin_trgm_ops)")


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
