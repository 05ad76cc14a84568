"""PostgreSQL: the rows of members' names (0009) keep a histogram of 1,000 rows, not the default 100.

The planner estimates `names LIKE '%QUERY%'` by trying the pattern on the histogram's rows. With
100 of them a full name is found in none or in a few by chance: "ENGKUS SETIAWAN" in 3, estimated
at 3,030 groups (671 hold it), and for the search's `LIMIT 1001` PostgreSQL then chose to read the
whole table, expecting to stop a third of the way: 29 ms, where the trigram index takes 12 ms. With
1,000 rows the estimates follow the real counts (a full name ~700, a first name ~12,000), the index
is taken for the rare names and the table's own order for the common ones; planning goes from 1.0
to 1.4 ms (bench/RESULTS.md, 2026-12-04).
"""

from typing import Any

from django.db import migrations

TABLE = "registry_kube_member_names"  # registry.search.GROUP_NAMES, frozen here
TARGET = 1000


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN names SET STATISTICS {TARGET}")
    schema_editor.execute(f"ANALYZE {TABLE}")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN names SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("registry", "0011_group_names_in_capitals")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
