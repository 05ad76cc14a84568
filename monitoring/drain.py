"""Draining the summary outbox: the pending rows the services left (outbox.services.record) become
summary rows, after the writers have committed and outside their transactions.

Each pass takes up to `limit` rows, recomputes the groups and months they name with the same
functions as the rebuild (monitoring/state.py), rewrites the groups' kabupaten rows and deletes
the rows it took, all in one transaction: a drain that dies leaves its rows for the next.

Several drainers at once (threads of several app servers, cron) take each row exactly once:

- PostgreSQL: the rows are taken with SELECT … FOR UPDATE SKIP LOCKED, so a second drainer takes
  other rows instead of waiting; two drainers that took rows of the same group take turns on a
  transaction-scoped advisory lock per group, and on the kabupaten's Region row (state.py) for the
  kabupaten rows. Locks are taken in ascending order (groups, then kabupaten), so they cannot
  deadlock; nothing is locked globally and no writer ever waits for them.
- SQLite: one writer at a time, for the whole database, so a drain must hold the write lock as
  briefly as it can: every posting waits while it does. The rows are read and the groups' figures
  computed first, outside any transaction (WAL: a read takes no lock and sees a consistent
  snapshot that includes every posting whose pending row it read). Only the writes take the lock:
  the transaction (BEGIN IMMEDIATE) first checks that every row it read is still there, and if
  another drainer took one meanwhile it writes nothing and leaves the rest for the next round; a
  posting committed after the snapshot has its own pending row, which stays. At national scale
  this cut the lock held per drain from the whole computation to the writes (bench/RESULTS.md).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection, transaction
from django.db.models import QuerySet

from monitoring.state import prepare_refresh, write_refresh
from outbox.models import PendingChange

# The advisory-lock namespace of a group's summaries (pg_advisory_xact_lock(int, int)).
GROUP_LOCK = 0x5B0E


def drain(*, limit: int = 500, today: date | None = None, kube_ids: list[int] | None = None) -> int:
    """Drain until the outbox is empty (or holds nothing of `kube_ids`); the number of rows taken."""
    total = 0
    while taken := drain_pass(limit=limit, today=today, kube_ids=kube_ids):
        total += taken
    return total


def drain_pass(*, limit: int = 500, today: date | None = None, kube_ids: list[int] | None = None) -> int:
    """One batch, or nothing when nothing is pending (a plain read: no write transaction, on SQLite
    no lock, for nothing): the drainer process's step, once per OUTBOX_POLL (outbox.drainer.follow)."""
    return drain_once(limit=limit, today=today, kube_ids=kube_ids) if pending(kube_ids) else 0


def drain_once(*, limit: int = 500, today: date | None = None, kube_ids: list[int] | None = None) -> int:
    """One pass: take up to `limit` rows no other drainer holds, refresh what they name, delete them."""
    if connection.vendor == "sqlite":
        return _drain_once_computed_first(limit=limit, today=today, kube_ids=kube_ids)
    with transaction.atomic():
        rows = take(limit, kube_ids)
        if not rows:
            return 0
        changes = _changes(rows)
        _lock_groups(sorted(changes))
        write_refresh(prepare_refresh(changes, today=today))
        PendingChange.objects.filter(pk__in=[r[0] for r in rows]).delete()
    return len(rows)


def _drain_once_computed_first(*, limit: int, today: date | None, kube_ids: list[int] | None) -> int:
    """SQLite: compute from a snapshot without the write lock, then write if the rows are still ours."""
    rows = take(limit, kube_ids)
    if not rows:
        return 0
    computed = prepare_refresh(_changes(rows), today=today)
    ids = [r[0] for r in rows]
    with transaction.atomic():
        taken = PendingChange.objects.filter(pk__in=ids)
        if taken.count() != len(ids):  # another drainer took some: its figures stand, ours may be older
            return 0
        write_refresh(computed)
        taken.delete()
    return len(rows)


def _changes(rows: list[tuple[int, int, int | None]]) -> dict[int, set[int]]:
    changes: dict[int, set[int]] = defaultdict(set)
    for _id, kube_id, month in rows:
        changes[kube_id].update([month] if month else [])
    return changes


def take(limit: int, kube_ids: list[int] | None = None) -> list[tuple[int, int, int | None]]:
    """The oldest pending rows no other drainer holds (locked until this transaction ends)."""
    pending = _rows(kube_ids).order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True)
    return list(pending.values_list("id", "kube_id", "month")[:limit])


def _rows(kube_ids: list[int] | None) -> QuerySet[PendingChange]:
    """The pending rows, or those of these groups."""
    rows = PendingChange.objects.all()
    return rows if kube_ids is None else rows.filter(kube_id__in=kube_ids)


def pending(kube_ids: list[int] | None = None) -> bool:
    return _rows(kube_ids).exists()


def drain_group(kube_id: int) -> None:
    """Right after monitoring's own write (a mentor's tick), its page and answer show the result:
    the group's pending rows are drained in the request, not a moment later."""
    drain(kube_ids=[kube_id])


def _lock_groups(kube_ids: list[int]) -> None:
    """PostgreSQL: one group's summaries are rewritten by one drainer at a time (released at commit).
    The rows of the groups themselves are not locked: the writers lock those."""
    if connection.vendor != "postgresql" or not kube_ids:
        return
    with connection.cursor() as cursor:
        # unnest() yields the (ascending) array in order, so the locks are taken in that order.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, k::int) FROM unnest(%s::bigint[]) AS k",
                       [GROUP_LOCK, kube_ids])
