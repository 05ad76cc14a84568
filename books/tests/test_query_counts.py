"""The posting of a cash entry and the books' list endpoints read and write in a fixed number of
queries: the same exact count with 2 earlier entries and with 10. The transactions list cost two
queries a transaction before (its lines and its reversal).

The cash entry's count includes today's synchronous summary refresh (monitoring); moving the
summaries out of the writer's transaction (the outbox) changes it, and this figure with it.

13 since the posting path was shortened (bench/RESULTS.md, 2026-12-01): the receipt counter is
one `UPDATE … RETURNING` instead of a locking read and an update (14 → 13); the chart is read for
the two roles the entry names only, and the group's lock reads its status and founding date alone
(same count, less to build). The closed month and the chart are read before the transaction opens.

10 since the posting's statements are plain SQL built once (books/statements.py, bench/RESULTS.md
2026-12-02): the `EXISTS` before the receipt number went (the header's INSERT learns a taken number
from the unique key, `ON CONFLICT … DO NOTHING`), and so did the SAVEPOINT and RELEASE around the
header's INSERT (a refusal of the database is answered after the write rolled back).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from books.models import Transaction
from books.services import cash_entry_record, transaction_reverse
from testing import bearer

SIZES = [2, 10]


def _entries(cast, n: int) -> None:
    for i in range(n):
        cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind="sale", amount=10_000 + i,
                          description=f"Penjualan {i}", date=date(2026, 4, 1 + i))


@pytest.mark.parametrize("n", SIZES)
def test_a_cash_entry_is_posted_in_a_fixed_number_of_queries(cast, django_assert_num_queries, n):
    _entries(cast, n)
    with django_assert_num_queries(10):
        txn = cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind="sale", amount=450_000,
                                description="Penjualan keripik", date=date(2026, 4, 20))
    assert Transaction.objects.get(pk=txn.pk).amount == 450_000


def test_a_cash_entry_reads_the_closed_month_and_the_chart_before_its_transaction(cast):
    """What a concurrent writer cannot make wrong (or the trigger refuses anyway: a month closed
    meanwhile) is read before the write transaction opens, so SQLite's write lock is not held for it."""
    with CaptureQueriesContext(connection) as captured:
        cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind="sale", amount=1_000,
                          description="Penjualan", date=date(2026, 4, 20))
    sql = [q["sql"] for q in captured.captured_queries]
    opened = next(n for n, s in enumerate(sql) if s.startswith(("SAVEPOINT", "BEGIN")))
    reads = ('FROM "books_periodclose"', 'FROM "books_account"')
    assert all(any(table in s for s in sql[:opened]) for table in reads)
    assert not any(table in s for table in reads for s in sql[opened:])


@pytest.mark.parametrize("n", SIZES)
def test_the_transactions_endpoint_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    _entries(cast, n)
    first = Transaction.objects.filter(kube=cast.kube_a, description="Penjualan 0").get()
    fix = transaction_reverse(actor=cast.ketua, original=first, reason="Salah catat")
    auth = bearer(cast.ketua)
    url = f"/api/v1/groups/{cast.kube_a.pk}/transactions?page_size=200"
    client.get(url, **auth)
    with django_assert_num_queries(6):
        body = client.get(url, **auth).json()
    sales = [t for t in body["items"] if t["description"].startswith("Penjualan ")]
    assert len(sales) == n and all(len(t["lines"]) == 2 for t in sales)
    assert [t["reversed_by"] for t in sales if t["id"] == first.pk] == [fix.pk]
    assert {t["reversed_by"] for t in sales if t["id"] != first.pk} == {None}
