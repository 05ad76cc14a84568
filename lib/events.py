"""Domain events other apps listen to, so that writers need not know their readers.

`group_changed` is sent by the services that change a group's records (its books, meetings,
visits, members, officers, lifecycle, assessments), inside the change's transaction. The
monitoring app keeps its per-group summaries current from it (monitoring/apps.py).

Inside `batch()` (a bulk load: the demo, a large Excel import) the changes are collected and sent
once, as `groups_changed`, when the block ends, still inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

# kwargs: kube_id (int), periods (list of YYYYMM months whose figures may have changed)
group_changed = Signal()
# kwargs: changes ({kube_id: set of YYYYMM months})
groups_changed = Signal()

_batch: ContextVar[dict[int, set[int]] | None] = ContextVar("sikube_event_batch", default=None)


def changed(kube_id: int, *periods: int | None) -> None:
    pending = _batch.get()
    if pending is not None:
        pending.setdefault(kube_id, set()).update(p for p in periods if p)
        return
    group_changed.send(sender=None, kube_id=kube_id, periods=[p for p in periods if p])


@contextmanager
def batch() -> Iterator[None]:
    if _batch.get() is not None:  # already batching: the outer block sends
        yield
        return
    token = _batch.set({})
    try:
        yield
        changes = dict(_batch.get() or {})  # on an exception nothing is sent: the transaction rolls back
    finally:
        _batch.reset(token)
    if changes:
        groups_changed.send(sender=None, changes=changes)
