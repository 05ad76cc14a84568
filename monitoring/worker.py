"""The second process of the rebuild (monitoring/rebuild.py): a fresh interpreter, spawned, so that
it inherits no SQLite state from the parent; this module imports no model at its top, because the
spawned process unpickles these functions before Django is set up."""

from __future__ import annotations

import time
from datetime import date
from typing import Any


def setup(database_name: str) -> None:
    """Django, on the parent's database (a test database is not the settings' name)."""
    import django
    from django.db import connections

    django.setup()
    db = connections["default"]
    db.close()
    db.settings_dict["NAME"] = database_name


def states(today: date) -> tuple[list[str], list[tuple[Any, ...]], float]:
    """Every group's state row (GroupState's columns and the database's values, ready for the
    parent's INSERTs), and the CPU seconds they took."""
    from monitoring.rebuild import compute_all_states, state_rows  # after setup(): they import the models

    cpu = time.process_time()
    columns, rows = state_rows(compute_all_states(today=today))
    return columns, rows, time.process_time() - cpu
