"""The database itself refuses what would break the ledger, whatever writes to it.

These tests commit (like Django's TransactionTestCase) because PostgreSQL checks the balance in
a deferred constraint trigger, at commit. They run on SQLite and PostgreSQL alike.
"""

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

import testing
from audit.models import AuditEntry
from books.errors import ClosedPeriodError
from books.models import Account, Line, PeriodClose, Transaction, TxnKind
from books.services import cash_entry_record, ledger
from outbox.models import PendingChange

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def posted():
    cast = testing.build_cast()
    txn = cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.SALE, amount=50_000,
                            date=date(2026, 2, 10), description="Penjualan")
    return cast, txn


def _raw_transaction(*, kube_id, lines, amount, day=date(2026, 2, 11), period=202602, header=True, txn_id=424242):
    cash, sales = Account.objects.get(role="cash").pk, Account.objects.get(role="sales").pk
    accounts = {"cash": cash, "sales": sales}
    with transaction.atomic(), connection.cursor() as cursor:
        for account, debit, credit in lines:
            cursor.execute("INSERT INTO books_line (transaction_id, kube_id, date, account_id, debit, credit) "
                           "VALUES (%s, %s, %s, %s, %s, %s)", [txn_id, kube_id, day, accounts[account], debit, credit])
        if header:
            cursor.execute("INSERT INTO books_transaction (id, kube_id, date, period, receipt_year, receipt_no, kind, "
                           "description, amount, created_at) VALUES (%s, %s, %s, %s, 2026, 'X-1', 'general', 'raw', %s, "
                           "CURRENT_TIMESTAMP)", [txn_id, kube_id, day, period, amount])


def test_a_balanced_raw_transaction_is_accepted(posted):
    cast, _ = posted
    _raw_transaction(kube_id=cast.kube_a.pk, lines=[("cash", 700, 0), ("sales", 0, 700)], amount=700)
    assert Transaction.objects.filter(pk=424242).exists()


def test_an_unbalanced_transaction_is_refused(posted):
    cast, _ = posted
    with pytest.raises(IntegrityError):
        _raw_transaction(kube_id=cast.kube_a.pk, lines=[("cash", 700, 0), ("sales", 0, 600)], amount=700)
    assert not Line.objects.filter(transaction_id=424242).exists()


def test_a_header_whose_amount_disagrees_with_its_lines_is_refused(posted):
    cast, _ = posted
    with pytest.raises(IntegrityError):
        _raw_transaction(kube_id=cast.kube_a.pk, lines=[("cash", 700, 0), ("sales", 0, 700)], amount=800)


def test_lines_without_a_header_are_refused_at_commit(posted):
    cast, _ = posted
    with pytest.raises(IntegrityError):
        _raw_transaction(kube_id=cast.kube_a.pk, lines=[("cash", 700, 0), ("sales", 0, 700)], amount=700,
                         header=False)
    assert not Line.objects.filter(transaction_id=424242).exists()


@pytest.mark.parametrize("debit,credit", [(0, 0), (-500, 0), (0, -1), (300, 300)])
def test_a_zero_negative_or_two_sided_line_is_refused(posted, debit, credit):
    cast, _ = posted
    with pytest.raises(IntegrityError):
        _raw_transaction(kube_id=cast.kube_a.pk, lines=[("cash", debit, credit), ("sales", 0, 700)], amount=700)


def test_a_posted_line_cannot_be_changed_with_update(posted):
    _cast, txn = posted
    line = txn.lines.get(debit__gt=0)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Line.objects.filter(pk=line.pk).update(debit=999_999)
    line.refresh_from_db()
    assert line.debit == 50_000


def test_a_posted_line_or_header_cannot_be_deleted(posted):
    _cast, txn = posted
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM books_line WHERE transaction_id = %s", [txn.pk])
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Transaction.objects.filter(pk=txn.pk).update(description="diubah")
    assert Line.objects.filter(transaction=txn).count() == 2


def test_a_line_cannot_be_slipped_into_a_posted_transaction(posted):
    cast, txn = posted
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO books_line (transaction_id, kube_id, date, account_id, debit, credit) "
                       "VALUES (%s, %s, %s, %s, 10, 0)", [txn.pk, cast.kube_a.pk, txn.date,
                                                          Account.objects.get(role="cash").pk])


def test_a_closed_month_refuses_a_raw_transaction(posted):
    cast, _ = posted
    PeriodClose.objects.create(kube=cast.kube_a, period=202602)
    with pytest.raises(IntegrityError):
        _raw_transaction(kube_id=cast.kube_a.pk, lines=[("cash", 700, 0), ("sales", 0, 700)], amount=700)


@pytest.mark.parametrize("nested", [False, True], ids=["alone", "inside a transaction"])
def test_a_month_closed_while_a_posting_is_checked_is_refused_by_the_trigger(posted, monkeypatch, nested):
    """The posting checks the closed month before its transaction; a month closed between that check
    and the insert is refused by books_transaction_period and answered as the same ClosedPeriodError,
    after the write rolled back (on PostgreSQL the refused insert aborts the transaction: the answer
    reads the closed month again). Inside an outer transaction (the API's keyed request) only the
    posting is undone and the outer one goes on."""
    cast, _ = posted
    real = ledger._check_legs

    def closed_meanwhile(*args, **kwargs):
        PeriodClose.objects.create(kube=cast.kube_a, period=202602)
        return real(*args, **kwargs)

    monkeypatch.setattr(ledger, "_check_legs", closed_meanwhile)
    before = (Transaction.objects.count(), Line.objects.count(), AuditEntry.objects.count(),
              PendingChange.objects.count())
    with pytest.raises(ClosedPeriodError, match="Februari 2026 sudah ditutup"):
        if nested:
            with transaction.atomic():
                try:
                    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.SALE, amount=9_000,
                                      date=date(2026, 2, 12), description="Penjualan")
                finally:
                    assert Account.objects.filter(role="cash").exists()  # the outer transaction still reads
        else:
            cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.SALE, amount=9_000,
                              date=date(2026, 2, 12), description="Penjualan")
    assert (Transaction.objects.count(), Line.objects.count(), AuditEntry.objects.count(),
            PendingChange.objects.count()) == before
