"""The start of the rebuild's second process (monitoring/rebuild.py): a fresh interpreter, spawned,
so that it inherits no SQLite state from the parent. This module imports nothing of SIKUBE: the
spawned process unpickles `setup` before Django is set up (the tasks it runs after, from
monitoring.rebuild, import the models)."""

from __future__ import annotations


def setup(database_name: str) -> None:
    """Django, on the parent's database (a test database is not the settings' name)."""
    import django
    from django.db import connections

    django.setup()
    db = connections["default"]
    db.close()
    db.settings_dict["NAME"] = database_name

