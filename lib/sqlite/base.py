"""Django's SQLite backend with fair writers: a transaction takes a file lock before BEGIN IMMEDIATE.

Why: SQLite lets one writer in at a time, and a connection that finds the write lock taken sleeps
in SQLite's busy handler, in steps that grow to 100 ms, then tries again. Under a burst of postings
a writer that arrived first can keep losing to later ones, and a two-writer burst already put one
posting in twenty near a second (issue 21). Here every write transaction (every `atomic` block:
the settings open them with BEGIN IMMEDIATE) first takes an exclusive `flock` on a file beside the
database. The kernel puts waiters to sleep on it and wakes them the moment the holder commits or
rolls back, so a waiting writer starts within microseconds of the lock freeing instead of at the
next tick of the busy handler, and the waiters go in about the order they came (the kernel wakes
the queue, not a random sleeper).

- The lock is `flock` on a descriptor each connection opens for itself, so it separates threads of
  one worker as well as processes (fcntl's record locks would not: they belong to the process).
- A process that dies holding it (SIGKILL, OOM) loses it with its descriptors; nothing is left taken.
- Single statements outside `atomic` (autocommit) do not take it; they are short, and SQLite's busy
  timeout still covers them and anything that skips the lock (the sqlite3 shell, a backup).
- The wait is bounded by the same SQLITE_TIMEOUT as SQLite's own: past it the transaction starts
  anyway and SQLite's busy handler has the last word ("database is locked"), as before.
- In-memory databases (the test suite's default) have no file to lock beside them and skip it.
"""

from __future__ import annotations

import fcntl
import os
import threading
from typing import Any

from django.db.backends.sqlite3 import base as sqlite3_base


class DatabaseWrapper(sqlite3_base.DatabaseWrapper):
    """SQLite with a writer queue: `flock` before BEGIN IMMEDIATE, released at COMMIT/ROLLBACK."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None  # this connection's descriptor of the lock file
        self._writer_held: int | None = None  # the descriptor holding the lock, during a transaction
        options = self.settings_dict.get("OPTIONS", {})
        self._writer_wait = float(options.get("timeout", 20))

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        params.pop("writer_lock", None)  # ours, not sqlite3.connect's
        return params

    # -- the lock ------------------------------------------------------------------------
    def writer_lock_path(self) -> str | None:
        """The lock file beside the database file; None for an in-memory database."""
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or name.startswith("file:") or not self.settings_dict["OPTIONS"].get("writer_lock", True):
            return None
        return name + "-writer.lock"

    def _take_writer_lock(self) -> None:
        path = self.writer_lock_path()
        if path is None or self._writer_held is not None:
            return
        if self._writer_fd is None:
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._writer_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._writer_held = self._writer_fd
        except BlockingIOError:
            # Taken: sleep in the kernel until the holder lets go; past SQLITE_TIMEOUT, go on without
            # it and let SQLite's busy handler decide, as before.
            self._writer_held = _wait_for_lock(path, self._writer_wait)

    def _release_writer_lock(self) -> None:
        held, self._writer_held = self._writer_held, None
        if held is None:
            return
        fcntl.flock(held, fcntl.LOCK_UN)
        if held != self._writer_fd:
            os.close(held)

    # -- where transactions start and end ----------------------------------------------------
    def _start_transaction_under_autocommit(self) -> None:
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in django-stubs
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._release_writer_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._release_writer_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._release_writer_lock()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None


class _Waiter:
    """One wait for the lock: the helper's descriptor and how the wait ended."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self.outcome = "waiting"  # then "taken" or "abandoned"
        self.done = threading.Condition()

    def block(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        with self.done:
            if self.outcome == "abandoned":
                fcntl.flock(self.fd, fcntl.LOCK_UN)
                os.close(self.fd)
            else:
                self.outcome = "taken"
                self.done.notify()


def _wait_for_lock(path: str, timeout: float) -> int | None:
    """Wait in the kernel for the exclusive lock on `path`, at most `timeout` seconds.

    flock has no timeout of its own, so a helper thread makes the blocking call on a descriptor of
    its own while this thread waits on a condition. On time it hands the descriptor over (the caller
    unlocks and closes it at commit); too late, it unlocks and closes it itself. Returns the
    descriptor holding the lock, or None after the timeout.
    """
    waiter = _Waiter(path)
    threading.Thread(target=waiter.block, daemon=True, name="sqlite-writer-lock").start()
    with waiter.done:
        if waiter.done.wait_for(lambda: waiter.outcome == "taken", timeout):
            return waiter.fd
        waiter.outcome = "abandoned"
        return None
