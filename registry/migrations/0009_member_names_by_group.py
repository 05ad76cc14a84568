"""PostgreSQL: members found through their groups (registry/search.py says why): one row per group
with every name its members have had, one per line, under the group's desa, a trigram index on the
text and a btree on the desa. Filled here from the member rows and kept by the member services.
SQLite has its FTS5 tables (0002, 0005, 0007) and no such table.
"""

from typing import Any

from django.db import migrations

TABLE = "registry_kube_member_names"  # registry.search.GROUP_NAMES, frozen here


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        # No foreign key: Django's flush truncates registry_kube, which a reference from a table it
        # does not know would refuse (groups are never deleted; tests empty it, testing/ledger.py).
        f"CREATE TABLE {TABLE} (kube_id bigint PRIMARY KEY, desa_id varchar(13) NOT NULL, names text NOT NULL)")
    schema_editor.execute(
        f"INSERT INTO {TABLE} (kube_id, desa_id, names) SELECT k.id, k.desa_id, string_agg(m.name, E'\\n' ORDER BY m.id) "
        "FROM registry_kube k JOIN registry_member m ON m.kube_id = k.id GROUP BY k.id, k.desa_id")
    schema_editor.execute(f"CREATE INDEX kube_member_names_desa ON {TABLE} (desa_id)")
    schema_editor.execute(f"CREATE INDEX kube_member_names_trgm ON {TABLE} USING gin (UPPER(names) gin_trgm_ops)")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_list_mentor_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
