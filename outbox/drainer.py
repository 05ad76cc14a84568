"""Who drains the outbox, and when.

The outbox sits low in the layers and must not know its readers, so the app that turns pending rows
into summaries registers itself once, at start-up (`register(monitoring.drain.drain)` in
monitoring/apps.py): one explicit call that a reader and a static tool can follow.

After a writer's transaction commits, `kick()` asks for a drain. How it is run is the setting
OUTBOX_DRAIN:

- "process" (what every app server runs, set by sikube/gunicorn_conf.py): nothing in the worker; a
  drainer process beside the app server (`manage.py monitoring_refresh --follow`, `follow()` here)
  looks for pending rows every OUTBOX_POLL seconds (0.5 by default) and drains them, so the
  requests never share their interpreter or the write lock with a drain. Under load it still takes
  one pass per interval: draining again as soon as a pass ended refreshed a group's month after
  each of its postings, and cost as much CPU as the postings themselves (bench/RESULTS.md,
  2026-12-03);
- "thread" (the default outside gunicorn: `runserver`, a shell): a background thread of this
  process drains shortly after (debounced by OUTBOX_DEBOUNCE seconds, 0.2 by default, so a burst
  of postings costs one drain), and the response never waits for it;
- "sync": the drain runs right away in the committing thread (tests, one-off scripts);
- "off": nothing after commit; only `manage.py monitoring_refresh --pending` (cron) drains.

Whatever the setting, nothing is lost when a drain fails or the process dies: the rows stay until a
drain deletes them in the same transaction as the summaries it wrote.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections

log = logging.getLogger("sikube.outbox")

Drain = Callable[[], int]
_drain: Drain | None = None
_pass: Drain | None = None


def register(drain: Drain, *, one_pass: Drain | None = None) -> None:
    """Make `drain` the function that empties the outbox, and `one_pass` the one that takes one
    batch of it (the drainer process's step; `drain` when None). Called once, from an app's ready()."""
    global _drain, _pass
    _drain, _pass = drain, one_pass


def drain() -> int:
    """Empty the outbox now, in this thread; the number of pending rows taken."""
    if _drain is None:
        return 0
    return _drain()


def follow(*, poll: float, parent: int | None = None) -> None:
    """Drain whatever is pending, then keep draining as rows arrive, until SIGTERM or SIGINT (or
    until the process `parent` is gone: a drainer never outlives its app server).

    Looking is one read outside any transaction, which on SQLite takes no lock; only a drain that
    has rows to take begins a write transaction. One pass (one batch) per `poll` seconds, whether
    it found rows or not, so that the postings of an interval are refreshed together: a group's
    month once for all of its postings in that time."""
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stopping.set())
    step = _pass or drain
    while not stopping.is_set() and (parent is None or os.getppid() == parent):
        started = time.monotonic()
        try:
            step()
        except Exception:  # the rows stay for the next round
            log.exception("outbox drain failed; the pending rows stay for the next drain")
            connections.close_all()
        stopping.wait(max(0.0, poll - (time.monotonic() - started)))


def kick() -> None:
    """The writer's transaction committed: have the pending rows drained, as the setting says."""
    mode = getattr(settings, "OUTBOX_DRAIN", "thread")
    if mode == "sync":
        drain()
    elif mode == "thread":
        _worker().wake()


class _Worker:
    """One daemon thread per process that drains when woken, at most once per debounce interval."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.event = threading.Event()
        self.debounce = float(getattr(settings, "OUTBOX_DEBOUNCE", 0.2))
        self.thread = threading.Thread(target=self.run, name="sikube-outbox-drain", daemon=True)
        self.thread.start()

    def wake(self) -> None:
        self.event.set()

    def run(self) -> None:
        while True:
            self.event.wait()
            time.sleep(self.debounce)  # let a burst of commits gather into one drain
            self.event.clear()  # a commit from here on wakes the next round
            try:
                drain()
            except Exception:  # the rows stay; the next wake or the cron drain takes them
                log.exception("outbox drain failed; the pending rows stay for the next drain")
            finally:
                connections.close_all()  # this thread's connections only (they are per thread)


_lock = threading.Lock()
_current: _Worker | None = None


def _worker() -> _Worker:
    """The worker of this process, started on first use (after a fork the parent's thread is gone)."""
    global _current
    with _lock:
        if _current is None or _current.pid != os.getpid():
            _current = _Worker()
        return _current
