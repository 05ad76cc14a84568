"""On SQLite a keyed write's transaction begins at its first write, with the key as its first row.

Outside the test's own transaction (transaction=True), as in production: the reads before the
posting (token, reach, the chart, the closed months) run before BEGIN, so the write lock is held
only for the writes; the key still commits or rolls back with them.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import testing
from api.models import IdempotentRequest
from books.models import Transaction, TxnKind
from books.services import cash_entry_record
from testing import bearer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the deferred BEGIN is SQLite's (lib.sqlite.base)"),
]

SALE = {"kind": "sale", "amount": 450_000, "description": "Penjualan keripik", "date": "2026-02-10"}


@pytest.fixture
def world():
    cast = testing.build_cast()
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 2, 2), description="Modal")
    return cast


def post(client, cast, body, key):
    if not hasattr(cast, "auth"):
        cast.auth = bearer(cast.ketua)  # one token for the test, as one phone
    return client.post(f"/api/v1/groups/{cast.kube_a.pk}/transactions", body, content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY=key, **cast.auth)


def statements(captured):
    return [q["sql"] for q in captured.captured_queries]


def test_the_reads_run_before_begin_and_the_key_is_the_first_row_written(client, world):
    # A token's first use of the minute records when it was used: a write, which would begin there.
    world.auth = bearer(world.ketua)
    assert client.get(f"/api/v1/groups/{world.kube_a.pk}", **world.auth).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        answer = post(client, world, SALE, "k-lazy")
    assert answer.status_code == 201
    sql = statements(captured)
    begin = next(n for n, s in enumerate(sql) if s.startswith("BEGIN"))
    before = sql[:begin]
    assert any("registry_kube" in s for s in before)  # reach
    assert any("books_periodclose" in s for s in before)  # the closed months
    assert any("books_account" in s for s in before)  # the chart
    assert all(s.startswith("SELECT") for s in before)
    assert sql[begin + 1].startswith("INSERT INTO api_idempotentrequest")
    commit = sql.index("COMMIT")
    assert sum(s.startswith("BEGIN") for s in sql[:commit]) == 1  # (after it, the summaries' drain)
    assert any(s.startswith("INSERT INTO \"books_transaction\"") for s in sql[begin:commit])
    assert IdempotentRequest.objects.get(key="k-lazy").status == 201


def test_a_replay_opens_no_transaction(client, world):
    first = post(client, world, SALE, "k-again")
    with CaptureQueriesContext(connection) as captured:
        again = post(client, world, SALE, "k-again")
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert not any(s.startswith("BEGIN") for s in statements(captured))
    assert Transaction.objects.filter(description="Penjualan keripik").count() == 1


def test_a_failure_after_the_posting_takes_the_key_with_it(client, world, monkeypatch):
    from books import api as books_api

    real = books_api.cash_entry_record

    def flaky(**kwargs):
        real(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(books_api, "cash_entry_record", flaky)
    before = Transaction.objects.count()
    assert post(client, world, SALE, "k-fail").status_code == 500
    assert Transaction.objects.count() == before
    assert not IdempotentRequest.objects.filter(key="k-fail").exists()
    monkeypatch.setattr(books_api, "cash_entry_record", real)
    assert post(client, world, SALE, "k-fail").status_code == 201
    assert Transaction.objects.count() == before + 1


def test_a_refusal_that_wrote_nothing_is_kept_for_the_key(client, world):
    zero = {**SALE, "amount": 0}
    first = post(client, world, zero, "k-zero")
    assert first.status_code == 422
    assert IdempotentRequest.objects.get(key="k-zero").status == 422
    assert post(client, world, zero, "k-zero")["Idempotent-Replayed"] == "true"
    reused = post(client, world, SALE, "k-zero")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"


def test_a_copy_that_finds_the_key_at_its_first_write_stops_and_replays(client, world, monkeypatch):
    """The copy looked before the first had committed (simulated: its first look finds nothing)."""
    from api import idempotency

    first = post(client, world, SALE, "k-copy")
    before = Transaction.objects.count()
    looks = []
    real_earlier = idempotency._earlier

    def late(scope, key):
        looks.append(key)
        return None if len(looks) == 1 else real_earlier(scope, key)

    monkeypatch.setattr(idempotency, "_earlier", late)
    copy = post(client, world, SALE, "k-copy")
    assert copy.status_code == 201 and copy.json() == first.json() and copy["Idempotent-Replayed"] == "true"
    assert Transaction.objects.count() == before
    assert looks == ["k-copy", "k-copy"]  # it wrote nothing, then replayed the first answer
