"""On SQLite a page form's one-time key is claimed at the form's first write, as the API's key is.

Outside the test's own transaction (transaction=True), as in production: the form's reads run
before BEGIN, so the write lock is held only for the writes; the key is the transaction's first
row and commits or rolls back with the work; a form shown again gives its key back.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import testing
from api.idempotency import PAGE_FIELD
from api.models import IdempotentRequest
from books.models import Transaction, TxnKind
from books.services import cash_entry_record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the deferred BEGIN is SQLite's (lib.sqlite.base)"),
]

TODAY = date.today().isoformat()


@pytest.fixture
def world(client):
    cast = testing.build_cast()
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 2, 2), description="Modal")
    client.force_login(cast.ketua)
    return cast


def entry_url(cast) -> str:
    return reverse("books:entry", args=[cast.kube_a.pk, "sale"])


def sale(key: str, description: str = "Penjualan keripik", amount: str = "45000") -> dict[str, str]:
    return {"amount": amount, "description": description, "date": TODAY, "via": "cash", PAGE_FIELD: key}


def statements(captured):
    return [q["sql"] for q in captured.captured_queries]


def test_the_forms_reads_run_before_begin_and_the_key_is_the_first_row_written(client, world):
    with CaptureQueriesContext(connection) as captured:
        answer = client.post(entry_url(world), sale("p-lazy"))
    assert answer.status_code == 302
    sql = statements(captured)
    begin = next(n for n, s in enumerate(sql) if s.startswith("BEGIN"))
    assert any("registry_kube" in s for s in sql[:begin])  # reach, read without the write lock
    assert all(not s.startswith(("INSERT", "UPDATE", "DELETE")) for s in sql[:begin])
    assert sql[begin + 1].startswith("INSERT INTO api_idempotentrequest")
    commit = sql.index("COMMIT", begin)
    assert any(s.startswith('INSERT INTO "books_transaction"') for s in sql[begin:commit])
    row = IdempotentRequest.objects.get(key="p-lazy")
    assert row.status == 302 and b'"location"' in bytes(row.body)


def test_a_form_sent_again_opens_no_transaction_and_goes_to_the_first_result(client, world):
    first = client.post(entry_url(world), sale("p-again"))
    with CaptureQueriesContext(connection) as captured:
        again = client.post(entry_url(world), sale("p-again"))
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    sql = statements(captured)
    # The one write is the session's (the replay's note is a message kept in the session).
    written = [s for s in sql if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert written and all("django_session" in s for s in written)
    assert Transaction.objects.filter(description="Penjualan keripik").count() == 1


def test_a_refused_form_gives_its_key_back_and_opens_no_transaction(client, world):
    with CaptureQueriesContext(connection) as captured:
        refused = client.post(entry_url(world), sale("p-refused", amount="12,5"))
    assert refused.status_code == 200
    assert not any(s.startswith("BEGIN") for s in statements(captured))  # nothing written, no write lock
    assert not any("api_idempotentrequest" in s and not s.startswith("SELECT") for s in statements(captured))
    assert not IdempotentRequest.objects.filter(key="p-refused").exists()
    assert client.post(entry_url(world), sale("p-refused")).status_code == 302  # corrected, the same key runs
    assert IdempotentRequest.objects.get(key="p-refused").status == 302


def test_a_failure_after_the_posting_takes_the_key_with_it(client, world, monkeypatch):
    from books.views import cash as entries

    real = entries.cash_entry_record

    def flaky(**kwargs):
        real(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(entries, "cash_entry_record", flaky)
    client.raise_request_exception = False
    before = Transaction.objects.count()
    assert client.post(entry_url(world), sale("p-fail")).status_code == 500
    assert Transaction.objects.count() == before
    assert not IdempotentRequest.objects.filter(key="p-fail").exists()
    monkeypatch.setattr(entries, "cash_entry_record", real)
    assert client.post(entry_url(world), sale("p-fail")).status_code == 302
    assert Transaction.objects.count() == before + 1


def test_a_copy_that_finds_the_key_at_its_first_write_stops_and_goes_to_the_first_result(client, world,
                                                                                         monkeypatch):
    """The copy looked before the first had committed (simulated: its first look finds nothing)."""
    from api import idempotency

    first = client.post(entry_url(world), sale("p-copy"))
    before = Transaction.objects.count()
    looks = []
    real_earlier = idempotency._earlier

    def late(scope, key):
        looks.append(key)
        return None if len(looks) == 1 else real_earlier(scope, key)

    monkeypatch.setattr(idempotency, "_earlier", late)
    copy = client.post(entry_url(world), sale("p-copy"), follow=True)
    assert copy.redirect_chain[0][0] == first["Location"]
    assert "tidak ada yang dicatat dua kali" in copy.content.decode()
    assert Transaction.objects.count() == before
    assert looks == ["p-copy", "p-copy"]  # it wrote nothing, then went to the first result
