"""How a service says "the figures of this group (and these months) may have changed".

`record()` adds pending rows in the caller's transaction and asks for a drain once it commits;
it reads nothing and locks nothing. Inside `batch()` (a bulk load: the demo, a large Excel import)
the changes are collected and written once when the block ends, one row per group and month.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone

from lib.statements import Insert
from outbox import drainer
from outbox.models import PendingChange

# Written in every posting's transaction: its INSERT built once (lib/statements.py), not by bulk_create.
_INSERT = Insert(PendingChange, ["kube_id", "month", "created_at"])

_batch: ContextVar[dict[int, set[int]] | None] = ContextVar("sikube_outbox_batch", default=None)


def record(kube_id: int, *months: int | None) -> None:
    """The group's state changed, and so did the flows of these months (YYYYMM; None is skipped)."""
    wanted = {m for m in months if m}
    pending = _batch.get()
    if pending is not None:
        pending.setdefault(kube_id, set()).update(wanted)
        return
    _write({kube_id: wanted})


@contextmanager
def batch() -> Iterator[None]:
    """Collect the changes of a bulk load and write them once, at the end of the block."""
    if _batch.get() is not None:  # already batching: the outer block writes
        yield
        return
    token = _batch.set({})
    try:
        yield
        changes = dict(_batch.get() or {})  # on an exception nothing is written: the transaction rolls back
    finally:
        _batch.reset(token)
    if changes:
        _write(changes)


def _write(changes: dict[int, set[int]]) -> None:
    now = timezone.now()
    rows = [(kube_id, month, now) for kube_id, months in sorted(changes.items())
            for month in (sorted(months) if months else [None])]
    _INSERT.run_many(transaction.get_connection(), rows)
    transaction.on_commit(drainer.kick)


def pending_count() -> int:
    return PendingChange.objects.count()
