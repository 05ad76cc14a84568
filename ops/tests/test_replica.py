"""A streaming read replica, end to end: dashboards read from it, every write goes to the primary.

Needs the throw-away PostgreSQL and its replica (`scripts/with_postgres.sh scripts/with_replica.sh
scripts/pytest.sh …`, as `make test` runs its PostgreSQL leg); skipped with the reason elsewhere.
A real installation (testing/live.py) gets a new database on the primary, which the replica
streams; gunicorn runs with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the replica.
The replica is a hot standby, which refuses any write: a write routed there would answer 500 and
fail the test. Pausing the replica's replay then shows which database each page read.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import psycopg
import pytest
from django.db import connection

from testing.live import Live

pytestmark = pytest.mark.django_db(transaction=True)

REPLICA_URL = os.environ.get("SIKUBE_TEST_REPLICA_URL", "")
PERIOD = "2026-02"


def sale(amount: int) -> dict[str, Any]:
    return {"kind": "sale", "amount": amount, "description": "Penjualan keripik", "date": "2026-02-10"}


@pytest.fixture
def live(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the read replica needs PostgreSQL (the suite runs on SQLite here)")
    if not REPLICA_URL:
        pytest.skip("no streaming replica: run under scripts/with_postgres.sh scripts/with_replica.sh")
    installation = Live(tmp_path, replica_url=REPLICA_URL)
    try:
        installation.manage("migrate", "--noinput")
        installation.seed = json.loads(installation.python("ops.tests.seed"))
        yield installation
    finally:
        installation.close()


def sql(url: str, query: str) -> Any:
    with psycopg.connect(url, autocommit=True) as db:
        row = db.execute(query).fetchone()
        return row[0] if row else None


def replica_of(live: Live) -> str:
    return live.env["DATABASE_REPLICA_URL"]


def wait_until_caught_up(live: Live) -> None:
    """Until the replica has replayed everything the primary had written when we asked."""
    target = sql(live.env["DATABASE_URL"], "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if sql(replica_of(live), f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
                return
        except psycopg.OperationalError:  # the new database is not replayed yet
            pass
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up in 60 s")


def drain(live: Live) -> None:
    """Summaries written after the request (the outbox) are applied before the dashboard is read."""
    live.manage("monitoring_refresh", "--pending")


def dashboard(live: Live) -> tuple[int, dict[str, str]]:
    seed = live.seed
    status, body, headers = live.exchange("GET", f"/api/v1/dashboard/{seed['region']}?period={PERIOD}", token=seed["kab"])
    assert status == 200, body
    return body["total"]["values"].get("revenue", 0), headers


def post_sale(live: Live, amount: int) -> int:
    seed = live.seed
    status, body = live.request("POST", f"/api/v1/groups/{seed['kube']}/transactions", token=seed["ketua"],
                                body=sale(amount), headers={"Idempotency-Key": os.urandom(8).hex()})
    assert status == 201, body  # a write sent to the read-only replica would be a 500 here
    return int(body["id"])


def cash_book_ids(live: Live) -> set[int]:
    seed = live.seed
    status, body = live.request("GET", f"/api/v1/groups/{seed['kube']}/cash-book?month={PERIOD}", token=seed["ketua"])
    assert status == 200, body
    return {int(line["transaction"]) for line in body["lines"]}


def settled_dashboard(live: Live) -> tuple[int, dict[str, str]]:
    """The dashboard once its lag reads 0.0: caught up, the lag falls back to 0.

    A write on the primary that is still on its way (a session, a drain) shows for a moment as the
    time since the last replayed transaction, so ask again until it settles rather than at one
    instant."""
    wait_until_caught_up(live)
    deadline = time.monotonic() + 30
    revenue, headers = dashboard(live)
    while headers.get("X-Replica-Lag") != "0.0" and time.monotonic() < deadline:
        time.sleep(0.2)
        revenue, headers = dashboard(live)
    assert headers.get("X-Replica-Lag") == "0.0", headers.get("X-Replica-Lag")
    return revenue, headers


def test_dashboards_read_the_replica_and_every_write_goes_to_the_primary(live):
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):  # read-only by nature: a hot standby
        sql(replica_of(live), "CREATE TABLE written_on_the_replica (id int)")
    live.start(servers=2)
    before, _headers = settled_dashboard(live)  # read from the replica, caught up

    first = post_sale(live, 15_000)
    drain(live)
    wait_until_caught_up(live)
    caught_up, _headers = dashboard(live)
    assert caught_up == before + 15_000

    # Replay paused: the primary moves on, the replica stays where it was.
    sql(replica_of(live), "SELECT pg_wal_replay_pause()")
    try:
        second = post_sale(live, 20_000)
        drain(live)
        assert {first, second} <= cash_book_ids(live)  # the group's own book reads its write (primary)
        behind, headers = dashboard(live)
        assert behind == before + 15_000  # the dashboard came from the replica
        assert float(headers["X-Replica-Lag"]) > 0  # and says it is behind
    finally:
        sql(replica_of(live), "SELECT pg_wal_replay_resume()")

    after, _headers = settled_dashboard(live)
    assert after == before + 35_000
