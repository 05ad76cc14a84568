"""Who drains the outbox, and when.

The outbox sits low in the layers and must not know its readers, so the app that turns pending rows
into summaries registers itself once, at start-up (`register(monitoring.drain.drain)` in
monitoring/apps.py): one explicit call that a reader and a static tool can follow.

After a writer's transaction commits, `kick()` asks for a drain. How it is run is the setting
OUTBOX_DRAIN:

- "thread" (the default): a background thread of this process drains shortly after (debounced by
  OUTBOX_DEBOUNCE seconds, 0.2 by default, so a burst of postings costs one drain), and the HTTP
  response never waits for it;
- "sync": the drain runs right away in the committing thread (tests, one-off scripts);
- "off": nothing after commit; only `manage.py monitoring_refresh --pending` (cron) drains.

Whatever the setting, nothing is lost when a drain fails or the process dies: the rows stay until a
drain deletes them in the same transaction as the summaries it wrote.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections

log = logging.getLogger("sikube.outbox")

Drain = Callable[[], int]
_drain: Drain | None = None


def register(drain: Drain) -> None:
    """Make `drain` the function that empties the outbox (called once, from an app's ready())."""
    global _drain
    _drain = drain


def drain() -> int:
    """Empty the outbox now, in this thread; the number of pending rows taken."""
    if _drain is None:
        return 0
    return _drain()


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
