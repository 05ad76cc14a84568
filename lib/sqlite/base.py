"""Django's SQLite backend with fair writers: a transaction takes its turn in a queue before BEGIN IMMEDIATE.

Why: SQLite lets one writer in at a time. A connection that finds the write lock taken sleeps in
SQLite's busy handler, in steps that grow to 100 ms, then tries again. So under a burst, a writer
that came first can keep losing to later ones: with two writers at once, one posting in twenty
already waited close to a second (issue 21). Here every write transaction (every `atomic` block;
the settings open them with BEGIN IMMEDIATE) first takes a numbered place in a queue kept in a
file beside the database, and waits for the writer before it to finish:

- The place is a ticket, the next number in the file's first 8 bytes, read and written under a
  short `flock`. A writer holds an open-file-description lock (Linux OFD lock) on byte
  `TICKETS_AT + ticket` while it waits and while it writes, and waits in the kernel for the lock
  on the byte of the ticket before its own. So each writer is woken by its predecessor's COMMIT
  or ROLLBACK, within microseconds, in the order the tickets were taken. Nobody polls, and
  nobody who came later gets in first.
- The locks belong to a descriptor each connection opens for itself. So they separate the
  threads of one worker as well as processes, which fcntl's classic record locks would not: those
  belong to the process.
- A process that dies (SIGKILL, OOM) loses its locks with its descriptors, and the next in line
  goes on. Nothing stays taken.
- The queue only orders the writers: SQLite's own lock still guarantees one writer at a time.
  A writer that gives up its wait after SQLITE_TIMEOUT goes on to SQLite's busy handler, as
  before; its place passes to the next writer as soon as its predecessor is done. Single
  statements outside `atomic` (autocommit), the sqlite3 shell and backups do not queue, and
  SQLite's busy timeout covers them.
- In-memory databases (the test suite's default) have no file beside them and do not queue.

A transaction may also begin at its first write instead of at its first line
(`DatabaseWrapper.begin_at_first_write`): the idempotent API writes wrap the whole view in one
transaction, so that the key commits with the work, and with BEGIN IMMEDIATE at the top the write
lock was held while the view only read (the user's token and reach, the chart of accounts, the
closed months: two thirds of a cash entry's time). Begun at the first statement that is not a
SELECT (a write, or the SAVEPOINT of a service's own `atomic` block), the lock is held only from
there to COMMIT; the reads before run on their own, as they do for a request without a key.

The WAL is checkpointed outside the queue. SQLite's automatic checkpoint runs in the committing
connection right after its COMMIT, every ~1,000 pages (about one posting in 50): copying them into
the database and syncing both files took 5–30 ms, and the queue's place was only given up after
it, so every writer waiting behind paid for it (a commit's p95 9 ms against a p50 of 0.4 ms).
SQLite itself lets other writers go during a checkpoint; so connections with a queue turn the
automatic one off (`PRAGMA wal_autocheckpoint=0`) and each process runs a PASSIVE checkpoint in a
thread of its own (`_Checkpointer`) at most once a CHECKPOINT_EVERY after commits (of `atomic`
blocks, and of single writes outside one, which commit on their own), on its own
connection, while the writers go on. Only when the WAL has grown past CHECKPOINT_QUEUED_FRAMES
(writes that never paused long enough for a checkpoint to catch up) does the checkpoint take a
place in the queue, so that the WAL can start again from its beginning. A process that dies
between two loses nothing: the frames stay in the WAL, which is the database's, until the next
checkpoint of any process.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.sqlite3 import base as sqlite3_base

TICKETS_AT = 1 << 20  # byte offsets from here on are places in the queue; bytes 0–7 hold the next ticket
_FLOCK = "hhqqi4x"  # struct flock on Linux x86-64/arm64: type, whence, start, len, pid (+ padding)


def _lock_byte(fd: int, offset: int, *, kind: int, wait: bool) -> bool:
    """An OFD lock (or unlock) of one byte; False when `wait` is off and someone else holds it."""
    request = struct.pack(_FLOCK, kind, os.SEEK_SET, offset, 1, 0)
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLKW if wait else fcntl.F_OFD_SETLK, request)
    except (BlockingIOError, PermissionError):
        return False
    return True


def queue_is_empty(path: str) -> bool:
    """Nobody holds or waits for a place in the queue of `path` (for tests and diagnostics)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        probe = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, TICKETS_AT, 0, 0)  # len 0: to the end
        kind = struct.unpack(_FLOCK, fcntl.fcntl(fd, fcntl.F_OFD_GETLK, probe))[0]
        return bool(kind == fcntl.F_UNLCK)
    finally:
        os.close(fd)


def tickets_taken(path: str) -> int:
    """How many places were ever taken in the queue of `path`."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        return int.from_bytes(os.pread(fd, 8, 0).ljust(8, b"\0"), "little")
    finally:
        os.close(fd)


class WriterQueue:
    """One connection's places in the queue of a lock file: `enter` before BEGIN, `leave` after COMMIT."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self.place: int | None = None  # the ticket whose byte this connection holds

    def _take_ticket(self) -> int:
        fcntl.flock(self.fd, fcntl.LOCK_EX)  # held for one read and one write of 8 bytes
        try:
            ticket = int.from_bytes(os.pread(self.fd, 8, 0).ljust(8, b"\0"), "little")
            os.pwrite(self.fd, (ticket + 1).to_bytes(8, "little"), 0)
            # Locked before the next writer can take its ticket, so it always finds this byte held.
            _lock_byte(self.fd, TICKETS_AT + ticket, kind=fcntl.F_WRLCK, wait=False)
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        return ticket

    def enter(self, timeout: float) -> bool:
        """Take a place and wait (at most `timeout` s) for the writer before to finish; True when it has."""
        if self.place is not None:
            return True
        ticket = self._take_ticket()
        self.place = ticket
        before = TICKETS_AT + ticket - 1
        if ticket == 0 or _lock_byte(self.fd, before, kind=fcntl.F_WRLCK, wait=False):
            if ticket:
                _lock_byte(self.fd, before, kind=fcntl.F_UNLCK, wait=False)
            return True
        # Wait in the kernel. flock/fcntl have no timeout, so a helper thread makes the blocking
        # call while this one waits on a condition. Past the timeout the helper carries on: when the
        # predecessor finishes it passes the turn on (unlocks this place) for the writer after.
        waiter = _Waiter(os.dup(self.fd), before, TICKETS_AT + ticket)  # same locks, its own descriptor
        threading.Thread(target=waiter.block, daemon=True, name="sqlite-writer-queue").start()
        with waiter.done:
            if waiter.done.wait_for(lambda: waiter.outcome == "turn", timeout):
                return True
            waiter.outcome = "abandoned"
        self.place = None  # the helper unlocks it in turn; leave() must not unlock it early
        return False

    def leave(self) -> None:
        """Let the next writer go (at COMMIT or ROLLBACK)."""
        place, self.place = self.place, None
        if place is not None:
            _lock_byte(self.fd, TICKETS_AT + place, kind=fcntl.F_UNLCK, wait=False)

    def close(self) -> None:
        self.leave()
        os.close(self.fd)


class _Waiter:
    """A blocking wait for the predecessor's byte, handed back to the connection or passed on.

    It works on a duplicate of the connection's descriptor (the same open file description, so the
    same locks), so that the connection may close meanwhile without the number being reused under it.
    """

    def __init__(self, fd: int, before: int, own: int) -> None:
        self.fd, self.before, self.own = fd, before, own
        self.outcome = "waiting"  # then "turn" or "abandoned"
        self.done = threading.Condition()

    def block(self) -> None:
        try:
            _lock_byte(self.fd, self.before, kind=fcntl.F_WRLCK, wait=True)
            _lock_byte(self.fd, self.before, kind=fcntl.F_UNLCK, wait=False)
            with self.done:
                if self.outcome == "abandoned":
                    _lock_byte(self.fd, self.own, kind=fcntl.F_UNLCK, wait=False)
                else:
                    self.outcome = "turn"
                    self.done.notify()
        finally:
            os.close(self.fd)  # a duplicate: the connection's descriptor keeps the locks it holds


CHECKPOINT_EVERY = 1.0  # seconds: the most often a process checkpoints the WAL of a database file
# Past this many frames (~32 MB of 4-KB pages) the next checkpoint takes a place in the queue: the
# WAL starts again from its beginning only after a checkpoint that caught up with every writer, and
# under writes that never pause a checkpoint beside them never does.
CHECKPOINT_QUEUED_FRAMES = 8_000


class _Checkpointer:
    """A thread of this process that checkpoints one database file's WAL after its commits."""

    def __init__(self, path: str, timeout: float, queue: str | None) -> None:
        self.path, self.timeout, self.queue = path, timeout, queue
        self.due = threading.Event()
        self.runs = 0  # checkpoints made (tests, diagnostics)
        threading.Thread(target=self._run, daemon=True, name="sqlite-checkpoint").start()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        while True:
            self.due.wait()
            time.sleep(CHECKPOINT_EVERY)  # the commits of the next moment go into the same checkpoint
            self.due.clear()
            try:
                if conn is None:
                    conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None,
                                           check_same_thread=False)
                if _checkpoint(conn) > CHECKPOINT_QUEUED_FRAMES and self.queue is not None:
                    queue = WriterQueue(self.queue)
                    try:
                        queue.enter(self.timeout)  # no writer appends meanwhile: it catches up
                        _checkpoint(conn)
                    finally:
                        queue.close()
            except sqlite3.Error:
                if conn is not None:
                    conn.close()
                conn = None  # the next commit tries again
            self.runs += 1


def _checkpoint(conn: sqlite3.Connection) -> int:
    """A PASSIVE checkpoint (it never waits for a writer or a reader); the frames in the WAL."""
    row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(row[1]) if row else 0


_checkpointers: dict[tuple[int, str], _Checkpointer] = {}
_checkpointers_lock = threading.Lock()


def checkpointer(path: str, timeout: float = 20.0, queue: str | None = None) -> _Checkpointer:
    """This process's checkpointer of `path` (a forked worker starts its own); `queue`, the writer
    queue's file it joins when the WAL has grown long."""
    key = (os.getpid(), path)
    with _checkpointers_lock:
        found = _checkpointers.get(key)
        if found is None:
            found = _checkpointers[key] = _Checkpointer(path, timeout, queue)
        elif queue is not None:
            found.queue = queue
        return found


# How a statement that writes nothing begins (BEGIN and the rest run before `atomic` counts as open).
_NOT_WRITES = frozenset({"SEL", "PRA", "BEG", "COM", "ROL", "END", "SAV", "REL", "EXP"})


class _Cursor(sqlite3_base.SQLiteCursorWrapper):
    """Django's cursor, which first begins a transaction that waits for its first write."""

    wrapper: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        if self.wrapper._begin_pending:
            self.wrapper._begin_if_write(query)
        try:
            return super().execute(query, params)
        finally:
            if not self.wrapper.in_atomic_block:
                self.wrapper._wrote_in_autocommit(query)

    def executemany(self, query: str, param_list: Any) -> Any:
        if self.wrapper._begin_pending:
            self.wrapper._begin_if_write(query)
        try:
            return super().executemany(query, param_list)
        finally:
            if not self.wrapper.in_atomic_block:
                self.wrapper._wrote_in_autocommit(query)


class DatabaseWrapper(sqlite3_base.DatabaseWrapper):
    """SQLite with a writer queue: a place in line before BEGIN IMMEDIATE, given up at COMMIT/ROLLBACK."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue: WriterQueue | None = None
        options = self.settings_dict.get("OPTIONS", {})
        self._writer_wait = float(options.get("timeout", 20))
        self._on_begin: Callable[[], None] | None = None  # set by begin_at_first_write
        self._begin_pending = False  # an atomic block has opened and its BEGIN waits for a write
        self._wrote = False  # a transaction began since the last checkpoint request
        self._queue_path: str | None = None  # writer_lock_path() of the open connection

    def create_cursor(self, name: Any = None) -> Any:
        cursor = self.connection.cursor(factory=_Cursor)
        cursor.wrapper = self
        return cursor

    @contextmanager
    def begin_at_first_write(self, on_begin: Callable[[], None]) -> Iterator[None]:
        """The next outermost `atomic` block opened inside this one begins its transaction (the
        queue, then BEGIN IMMEDIATE) only before its first statement that is not a SELECT, and
        then calls `on_begin()` first, inside the transaction (the idempotency key is recorded
        there). If the block writes nothing, nothing begins and `on_begin` is never called.

        Only outside a transaction: inside one there is nothing to defer."""
        if self.in_atomic_block:
            raise RuntimeError("begin_at_first_write inside a transaction")
        self._on_begin = on_begin
        try:
            yield
        finally:
            self._on_begin = None
            self._begin_pending = False

    def _begin_if_write(self, query: str) -> None:
        if query.lstrip()[:6].upper() == "SELECT":
            return
        self._begin_pending = False
        on_begin, self._on_begin = self._on_begin, None
        self._begin()
        if on_begin is not None:
            on_begin()

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = super().get_new_connection(conn_params)
        self._queue_path = self.writer_lock_path()
        if self._queue_path is not None:
            conn.execute("PRAGMA wal_autocheckpoint=0")  # checkpointed outside the queue (the module's docstring)
        return conn

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        params.pop("writer_lock", None)  # ours, not sqlite3.connect's
        return params

    def writer_lock_path(self) -> str | None:
        """The queue's file beside the database file; None for an in-memory database or when turned off."""
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or name.startswith("file:") or not self.settings_dict["OPTIONS"].get("writer_lock", True):
            return None
        return name + "-writer.lock"

    def _start_transaction_under_autocommit(self) -> None:
        if self._on_begin is not None:
            self._begin_pending = True  # at the first write (_begin_if_write), or never
            return
        self._begin()

    def _begin(self) -> None:
        path = self._queue_path  # a transaction begins on an open connection
        if path is not None:
            if self._queue is None:
                self._queue = WriterQueue(path)
            self._queue.enter(self._writer_wait)  # past the timeout: SQLite's busy handler decides, as before
            self._wrote = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in django-stubs
        except BaseException:
            self._leave_queue()
            raise

    def _leave_queue(self) -> None:
        if self._queue is not None:
            self._queue.leave()
        if self._wrote:
            self._wrote = False
            self._ask_checkpoint()

    def _wrote_in_autocommit(self, query: str) -> None:
        """A statement outside `atomic` commits on its own and never passes the queue, so nothing
        else asks for a checkpoint after it. Without this, a process that writes only so (a bulk
        load, a management command) grew the WAL without end: 51 GB while generating the national
        benchmark database, with SQLite's automatic checkpoint turned off."""
        if self._queue_path is not None and query.lstrip()[:3].upper() not in _NOT_WRITES:
            self._ask_checkpoint()

    def _ask_checkpoint(self) -> None:
        """This process's checkpointer runs soon (it gathers the requests of the next moment)."""
        checkpointer(str(self.settings_dict["NAME"]), self._writer_wait, self._queue_path).due.set()

    def _commit(self) -> Any:
        self._begin_pending = False  # a block that wrote nothing: sqlite3's commit does nothing
        try:
            return super()._commit()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._leave_queue()

    def _rollback(self) -> Any:
        self._begin_pending = False
        try:
            return super()._rollback()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._leave_queue()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # not in django-stubs
        finally:
            if self._queue is not None:
                self._queue.close()
                self._queue = None
