"""The replica router (lib/db.py): which reads may use the replica, and that nothing else does.

The streaming replica itself is exercised end to end in ops/tests/test_replica.py (PostgreSQL);
here the decisions are checked one by one, with a replica pretended into the settings.
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from accounts.models import User
from audit.models import AuditEntry
from books.models import Transaction
from lib import db
from lib.db import ReplicaReadsMiddleware, ReplicaRouter, read_alias, replica
from monitoring.models import GroupState
from registry.models import Kube


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(db, "has_replica", lambda: True)
    monkeypatch.setattr(db, "replica_lag", lambda: 1.5)


def seen_by(path: str, method: str = "GET") -> tuple[dict[str, str], HttpResponse]:
    """What the view behind `path` would read each kind of model from, and the answer."""
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update({label: read_alias(label) for label in ("monitoring", "registry", "accounts", "sessions", "audit")})
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method.lower())(path)
    return seen, ReplicaReadsMiddleware(view)(request)


def test_dashboards_and_reports_read_the_replica_but_never_accounts_sessions_or_audit(with_replica):
    for path in ("/pemantauan/", "/pemantauan/laporan.xlsx", "/peka/", "/api/v1/dashboard/32.04",
                 "/api/v1/dashboard/32.04/groups", "/api/v1/reports/32", "/api/v1/assessment-rollup"):
        seen, response = seen_by(path)
        assert seen == {"monitoring": "replica", "registry": "replica", "accounts": "default", "sessions": "default",
                        "audit": "default"}, path
        assert response["X-Replica-Lag"] == "1.5"


def test_a_groups_own_pages_writes_and_other_methods_read_the_primary(with_replica):
    for method, path in (("GET", "/kube/1/"), ("GET", "/kube/1/buku/kas/"), ("GET", "/api/v1/groups/1/cash-book"),
                         ("GET", "/pemantauan/aturan/"), ("POST", "/pemantauan/"), ("POST", "/api/v1/dashboard/32.04"),
                         ("GET", "/api/v1/groups")):
        seen, response = seen_by(path, method)
        assert set(seen.values()) == {"default"}, (method, path)
        assert "X-Replica-Lag" not in response


def test_writes_and_migrations_go_to_the_primary_even_inside_replica(with_replica):
    router = ReplicaRouter()
    with replica():
        assert router.db_for_read(GroupState) == "replica"
        assert router.db_for_read(Kube) == "replica"
        assert router.db_for_read(Transaction) == "replica"
        assert router.db_for_read(User) == "default"
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(AuditEntry) == "default"
        for model in (GroupState, Kube, Transaction, User, Session, AuditEntry):
            assert router.db_for_write(model) == "default"
    assert router.db_for_read(GroupState) == "default"  # outside the block
    assert router.allow_migrate("replica", "monitoring") is False
    assert router.allow_migrate("default", "monitoring") is True


def test_without_a_replica_everything_reads_the_primary():
    router = ReplicaRouter()
    with replica():
        assert router.db_for_read(GroupState) == "default"
    seen, response = seen_by("/pemantauan/")
    assert set(seen.values()) == {"default"}
    assert "X-Replica-Lag" not in response
    assert db.replica_lag() is None
