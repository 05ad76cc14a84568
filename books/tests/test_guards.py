"""The ledger's database guards are frozen per revision (books/triggers.py, books/sql/).

What the database holds must be the latest revision's SQL, and each released revision's files
must be exactly what its migration recorded: an edit in place would change new databases and
never the deployed ones."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.db import connection, transaction

import books.migrations
from books import triggers


def _catalog() -> dict[str, str]:
    """The guards as the database reports them: every trigger on a books table and, on
    PostgreSQL, the source of every books_ function the triggers call."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(r"""
                SELECT 'trigger ' || t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
                JOIN pg_class c ON c.oid = t.tgrelid
                WHERE NOT t.tgisinternal AND c.relname LIKE 'books\_%'
                UNION ALL
                SELECT 'function ' || p.proname, p.prosrc FROM pg_proc p
                JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND p.proname LIKE 'books\_%'""")
        else:
            cursor.execute(r"""SELECT 'trigger ' || name, sql FROM sqlite_master
                               WHERE type = 'trigger' AND tbl_name LIKE 'books\_%' ESCAPE '\'""")
        return {name: " ".join(sql.split()) for name, sql in cursor.fetchall()}


def _drop_every_guard(catalog: dict[str, str]) -> None:
    with connection.cursor() as cursor:
        for name in catalog:
            kind, _space, obj = name.partition(" ")
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP {kind} IF EXISTS {obj}" + (" CASCADE" if kind == "function" else
                               f" ON {_table_of(obj)}"))
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {obj}")


def _table_of(trigger: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                       [trigger])
        return str(cursor.fetchone()[0])


class _Rollback(Exception):
    pass


@pytest.mark.django_db
def test_the_guards_in_the_database_are_the_latest_revision():
    installed = _catalog()
    assert installed, "no ledger guard is installed"
    try:
        with transaction.atomic():
            _drop_every_guard(installed)
            assert _catalog() == {}
            triggers.install(connection, revision=triggers.LATEST)
            latest = _catalog()
            raise _Rollback
    except _Rollback:
        pass
    assert _catalog() == installed  # the rollback put back what the migrations installed
    assert installed == latest, (
        f"the database's guards differ from revision {triggers.LATEST} (books/sql/): "
        "a new revision needs its own migration")


def _guard_migrations() -> list[Any]:
    names = [m.name for m in pkgutil.iter_modules(books.migrations.__path__)]
    modules = [importlib.import_module(f"books.migrations.{name}") for name in sorted(names)]
    return [m for m in modules if hasattr(m, "GUARDS_REVISION")]


def test_each_revision_is_installed_by_a_migration_that_froze_its_files():
    migrations = _guard_migrations()
    assert [m.GUARDS_REVISION for m in migrations] == triggers.revisions(), (
        "every revision in books/sql/ is installed by exactly one migration, in order")
    for migration in migrations:
        assert triggers.checksums(migration.GUARDS_REVISION) == migration.GUARDS_SHA256, (
            f"books/sql/guards_v{migration.GUARDS_REVISION}_* changed after {migration.__name__} "
            "released them: put the change in a new revision")


def test_a_changed_file_is_refused_before_anything_is_installed():
    recorded = {name: "0" * 64 for name in triggers.checksums(triggers.LATEST)}
    with pytest.raises(RuntimeError, match="changed after a migration installed them"):
        triggers.install(connection, revision=triggers.LATEST, sha256=recorded)
