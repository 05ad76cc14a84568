"""SQLite's writers queue for a file lock (lib/sqlite/base.py) instead of sleeping in the busy handler.

The suite's database is in memory, which has no file to lock beside it, so each test registers an
extra alias on a SQLite file of its own and writes through `transaction.atomic` as the services do.
The tests check who holds the lock at each step and in which order writers went, never how long
anything took.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections, transaction

ALIAS = "writer_lock_test"


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    """These tests bring their own database files: no test database, and connections allowed."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def db_file(tmp_path: Path) -> Iterator[Path]:
    yield from _registered(tmp_path / "db.sqlite3")


def _registered(path: Path, **options: object) -> Iterator[Path]:
    connections.settings[ALIAS] = {
        **settings.DATABASES["default"], "ENGINE": "lib.sqlite", "NAME": str(path), "TEST": {},
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20,
                    "init_command": "PRAGMA journal_mode=WAL;PRAGMA busy_timeout=20000", **options}}
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, who TEXT)")
    try:
        yield path
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


def lock_is_free(path: Path) -> bool:
    """Can a third party take the writer lock right now?"""
    fd = os.open(str(path) + "-writer.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def write(who: str) -> None:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("INSERT INTO entry (who) VALUES (%s)", [who])


def test_a_write_transaction_holds_the_lock_until_it_commits(db_file):
    assert lock_is_free(db_file)
    with transaction.atomic(using=ALIAS):
        write("a")
        with transaction.atomic(using=ALIAS):  # a savepoint takes nothing more
            write("b")
        assert not lock_is_free(db_file)
    assert lock_is_free(db_file)


def test_a_rolled_back_or_dropped_transaction_lets_the_lock_go(db_file):
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=ALIAS):
        write("a")
        assert not lock_is_free(db_file)
        _ = 1 / 0
    assert lock_is_free(db_file)
    connection = connections[ALIAS]
    connection.set_autocommit(False)
    connection._start_transaction_under_autocommit()
    assert not lock_is_free(db_file)
    connection.close()  # closed in the middle of a transaction
    assert lock_is_free(db_file)


def test_a_second_writer_waits_for_the_first_to_commit_then_goes(db_file):
    order: list[str] = []
    started = threading.Event()

    def second_writer() -> None:
        started.set()
        with transaction.atomic(using=ALIAS):  # its own connection (per thread): queued on the lock
            order.append("second began")
            write("second")
        connections[ALIAS].close()

    with transaction.atomic(using=ALIAS):
        write("first")
        thread = threading.Thread(target=second_writer)
        thread.start()
        started.wait()
        thread.join(timeout=0.5)
        assert thread.is_alive() and order == []  # waiting behind the first
        order.append("first committed")
    thread.join(timeout=30)
    assert order == ["first committed", "second began"]
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT who FROM entry ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
    assert lock_is_free(db_file)


def test_past_the_timeout_a_writer_goes_on_to_sqlite_and_leaves_no_lock_behind(tmp_path):
    for path in _registered(tmp_path / "db.sqlite3", timeout=1):
        holder = os.open(str(path) + "-writer.lock", os.O_RDWR | os.O_CREAT)
        fcntl.flock(holder, fcntl.LOCK_EX)  # a process that does not let go
        with transaction.atomic(using=ALIAS):  # gives up on the file lock after 1 s; SQLite is free
            write("late")
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
        for _ in range(500):  # the abandoned wait takes the lock when it frees, and lets it go at once
            if lock_is_free(path):
                break
            threading.Event().wait(0.01)
        assert lock_is_free(path)


def test_it_can_be_turned_off_and_an_in_memory_database_has_none(tmp_path):
    from lib.sqlite.base import DatabaseWrapper

    for path in _registered(tmp_path / "off.sqlite3", writer_lock=False):
        assert connections[ALIAS].writer_lock_path() is None
        with transaction.atomic(using=ALIAS):
            write("a")
            assert lock_is_free(path)
    memory = DatabaseWrapper({**settings.DATABASES["default"], "NAME": ":memory:", "OPTIONS": {}})
    assert memory.writer_lock_path() is None
