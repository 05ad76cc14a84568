"""SQLite's writers queue in order (lib/sqlite/base.py) instead of sleeping in the busy handler.

The suite's database is in memory, which has no file to lock beside it, so each test registers an
extra alias on a SQLite file of its own and writes through `transaction.atomic` as the services do.
The tests check who holds a place in the queue at each step and in which order writers went,
never how long anything took.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

from lib.sqlite.base import DatabaseWrapper, WriterQueue, queue_is_empty, tickets_taken

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
    # The table is made past Django's connection, so that no checkpoint is asked for before a test
    # counts them (a write outside `atomic` asks for one).
    plain = sqlite3.connect(path)
    plain.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, who TEXT)")
    plain.close()
    connections.settings[ALIAS] = {
        **settings.DATABASES["default"], "ENGINE": "lib.sqlite", "NAME": str(path), "TEST": {},
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20,
                    "init_command": "PRAGMA journal_mode=WAL;PRAGMA busy_timeout=20000", **options}}
    try:
        yield path
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


def lock_is_free(path: Path) -> bool:
    """Nobody holds or waits for a place in the queue right now."""
    return queue_is_empty(str(path) + "-writer.lock")


def wait_for_tickets(path: Path, n: int) -> None:
    """Until `n` places have been taken (a writer is queued once it has its ticket)."""
    for _ in range(3000):
        if tickets_taken(str(path) + "-writer.lock") >= n:
            return
        time.sleep(0.01)
    raise AssertionError(f"{n} tickets were never taken")


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
    assert isinstance(connection, DatabaseWrapper)
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


def test_writers_go_in_the_order_they_queued(db_file):
    order: list[str] = []
    threads = []

    def writer(name: str) -> None:
        with transaction.atomic(using=ALIAS):
            order.append(name)
            write(name)
        connections[ALIAS].close()

    with transaction.atomic(using=ALIAS):  # ticket 1 (the fixture's CREATE TABLE ran outside atomic)
        write("first")
        for n, name in enumerate(["second", "third", "fourth", "fifth"], start=2):
            threads.append(threading.Thread(target=writer, args=(name,)))
            threads[-1].start()
            wait_for_tickets(db_file, n)  # queued before the next one starts
        order.append("first")
    for thread in threads:
        thread.join(timeout=30)
    assert order == ["first", "second", "third", "fourth", "fifth"]
    assert lock_is_free(db_file)


def test_past_the_timeout_a_writer_goes_on_to_sqlite_and_passes_its_place_on(tmp_path):
    for path in _registered(tmp_path / "db.sqlite3", timeout=1):
        stuck = WriterQueue(str(path) + "-writer.lock")  # a writer that does not let go
        assert stuck.enter(timeout=1)
        with transaction.atomic(using=ALIAS):  # gives up on the queue after 1 s; SQLite itself is free
            write("late")
        stuck.leave()
        for _ in range(500):  # the abandoned wait passes its place on as soon as the stuck one is done
            if lock_is_free(path):
                break
            time.sleep(0.01)
        assert lock_is_free(path)
        stuck.close()


def test_a_begin_that_sqlite_refuses_gives_the_place_up(tmp_path):
    for path in _registered(tmp_path / "db.sqlite3", timeout=0.2, init_command="PRAGMA busy_timeout=200"):
        outsider = sqlite3.connect(path, isolation_level=None)  # e.g. the sqlite3 shell: does not queue
        outsider.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError), transaction.atomic(using=ALIAS):
            write("refused")
        assert lock_is_free(path)
        outsider.execute("ROLLBACK")
        outsider.close()


def test_it_can_be_turned_off_and_an_in_memory_database_has_none(tmp_path):
    for path in _registered(tmp_path / "off.sqlite3", writer_lock=False):
        off = connections[ALIAS]
        assert isinstance(off, DatabaseWrapper) and off.writer_lock_path() is None
        with transaction.atomic(using=ALIAS):
            write("a")
            assert lock_is_free(path)
    memory = DatabaseWrapper({**settings.DATABASES["default"], "NAME": ":memory:", "OPTIONS": {}})
    assert memory.writer_lock_path() is None


def test_the_wal_is_checkpointed_after_commits_by_a_thread_outside_the_queue(db_file, monkeypatch):
    """SQLite's own checkpoint would run in the committing connection before its place is given up."""
    from lib.sqlite import base

    monkeypatch.setattr(base, "CHECKPOINT_EVERY", 0.0)
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 0  # none in the connection that commits
    assert _queue_free_at_each_checkpoint(db_file, monkeypatch, "checkpointed") == [True]
    # The row is in the database file itself now, not only in its WAL.
    copy = db_file.with_name("copy.sqlite3")
    copy.write_bytes(db_file.read_bytes())
    plain = sqlite3.connect(copy)
    try:
        assert plain.execute("SELECT who FROM entry").fetchall() == [("checkpointed",)]
    finally:
        plain.close()


def test_a_long_wal_is_checkpointed_once_more_with_a_place_in_the_queue(db_file, monkeypatch):
    """Writes that never pause would keep a checkpoint beside them from ever catching up."""
    from lib.sqlite import base

    monkeypatch.setattr(base, "CHECKPOINT_EVERY", 0.0)
    monkeypatch.setattr(base, "CHECKPOINT_QUEUED_FRAMES", 0)  # every WAL counts as long
    # beside the writers, then in line with them
    assert _queue_free_at_each_checkpoint(db_file, monkeypatch, "long") == [True, False]
    assert lock_is_free(db_file)  # and its place given up


def test_a_write_outside_atomic_is_checkpointed_too(db_file, monkeypatch):
    """A statement outside `atomic` commits by itself and takes no place in the queue; a process
    that writes only so (a bulk load) must still have its WAL checkpointed."""
    from lib.sqlite import base

    monkeypatch.setattr(base, "CHECKPOINT_EVERY", 0.0)
    runs = base.checkpointer(str(db_file)).runs
    write("autocommit")  # no atomic block: no queue, no BEGIN of ours
    for _ in range(500):
        if base.checkpointer(str(db_file)).runs > runs:
            break
        time.sleep(0.01)
    copy = db_file.with_name("copy.sqlite3")
    copy.write_bytes(db_file.read_bytes())  # the database file alone, without its WAL
    plain = sqlite3.connect(copy)
    try:
        assert plain.execute("SELECT who FROM entry").fetchall() == [("autocommit",)]
    finally:
        plain.close()


def _queue_free_at_each_checkpoint(db_file, monkeypatch, who: str) -> list[bool]:
    """Commit one row, wait for this process's checkpointer to run after it, and tell for each
    checkpoint it ran whether the writer queue was free at that moment."""
    from lib.sqlite import base

    free = []
    real = base._checkpoint

    def watched(conn):
        free.append(lock_is_free(db_file))
        return real(conn)

    monkeypatch.setattr(base, "_checkpoint", watched)
    runs = base.checkpointer(str(db_file)).runs
    with transaction.atomic(using=ALIAS):
        write(who)
    for _ in range(500):
        if base.checkpointer(str(db_file)).runs > runs:
            break
        time.sleep(0.01)
    return free
