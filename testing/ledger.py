"""Emptying the ledger between tests that commit, which the ledger's own guards refuse."""

from __future__ import annotations

from typing import Any

from books import triggers
from registry.search import GROUP_NAMES

# The ledger and the rows that point at it (a share-out points at its posting), children first.
LEDGER_TABLES = ("shareout_shareline", "shareout_shareout",
                 "grants_onwardrecipient", "grants_onwardtransfer", "grants_spend", "grants_planline",
                 "books_inventoryevent", "books_inventoryitem", "grants_grant",
                 "books_iksallocation", "books_line", "books_transaction")


def wipe_for_tests(connection: Any) -> None:
    """Empty the ledger tables, bypassing the triggers (tests that commit, on SQLite, need
    this before Django's flush, which deletes row by row), and on PostgreSQL the groups' rows of
    members' names, which the flush does not know (registry/search.py: they would name the next
    test's groups of the same ids)."""
    triggers.uninstall(connection)
    with connection.cursor() as cursor:
        for table in LEDGER_TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        if connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {GROUP_NAMES}")  # noqa: S608 - a fixed table name
    triggers.install(connection)
