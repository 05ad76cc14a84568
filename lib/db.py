"""Reads from a streaming replica where it is safe, everything else from the primary.

With DATABASE_REPLICA_URL set (settings add the `replica` alias), the dashboards, period reports
and other heavy read-only pages read from the replica; without it the `replica` alias does not
exist and every read goes to the primary, as before. The choice is explicit, never a guess:

- a request reads from the replica only when it is a GET/HEAD whose path matches one of
  `settings.REPLICA_READ_PATHS` (ReplicaReadsMiddleware), or code runs inside `with replica():`;
- even then only the models of `settings.REPLICA_READ_APPS` come from it. Users, sessions, tokens,
  lockouts, stored API answers and the audit trail always come from the primary, so a user who has
  just signed in is never missing on a replica that is a few milliseconds behind;
- every write goes to the primary, whatever the context (`db_for_write`), and nothing is migrated
  on the replica: it is read-only by nature (a hot standby refuses writes) and by the router.

A group's own pages, its books and whatever a user opens right after a change are not listed, so
they read their own write on the primary. `replica_lag()` says how far behind the replica is, for
the dashboards' "as of" (shown from the `replica_lag` template variable and the X-Replica-Lag
header of every answer served from the replica).
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("sikube_reading_replica", default=False)


def has_replica() -> bool:
    """Is a replica configured (DATABASE_REPLICA_URL)?"""
    return REPLICA in settings.DATABASES


@contextmanager
def replica() -> Iterator[None]:
    """Reads of the replica-safe models inside this block come from the replica (if there is one).

    For a selector or command that only reads figures others wrote (a report, a roll-up); never
    around code that writes and then reads what it wrote.
    """
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def read_alias(app_label: str) -> str:
    """The alias a read of `app_label`'s models uses here and now: 'replica' or 'default'.

    One place for the choice, so a selector can pass it to `.using()` when it must be explicit.
    """
    if _reading_replica.get() and has_replica() and app_label in settings.REPLICA_READ_APPS:
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Django's database router: reads per `read_alias`, writes and migrations on the primary only."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        # Explicit even for the primary: Django would otherwise follow a related object's own
        # database, and a user reached from a group read on the replica would come from there too.
        return read_alias(model._meta.app_label)

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read from one may point at one from the other.
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA


def replica_lag() -> float | None:
    """Seconds the replica is behind the primary (0 when it has replayed all it received).

    None without a replica. On PostgreSQL: the time since the last replayed transaction
    (pg_last_xact_replay_timestamp) while WAL is still waiting to be replayed; a caught-up replica
    of a quiet primary is 0, not "minutes since the last write".
    """
    if not has_replica():
        return None
    connection = connections[REPLICA]
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
            " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
        )
        row = cursor.fetchone()
    return max(0.0, float(row[0])) if row else None


class ReplicaReadsMiddleware:
    """Reads the listed GET pages (settings.REPLICA_READ_PATHS) from the replica; says its lag."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.paths = [re.compile(pattern) for pattern in settings.REPLICA_READ_PATHS]

    def reads_replica(self, request: HttpRequest) -> bool:
        return (has_replica() and request.method in ("GET", "HEAD")
                and any(p.match(request.path_info) for p in self.paths))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.reads_replica(request):
            return self.get_response(request)
        with replica():
            lag = replica_lag()
            request.replica_lag = lag  # type: ignore[attr-defined]  # for the "as of" (replica_context)
            response = self.get_response(request)
        response["X-Replica-Lag"] = f"{lag:.1f}" if lag is not None else ""
        return response


def replica_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: `replica_lag`, seconds behind the primary on pages read from the replica, else None."""
    return {"replica_lag": getattr(request, "replica_lag", None)}
