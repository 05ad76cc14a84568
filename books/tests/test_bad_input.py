"""Bad input is refused with a clear Indonesian message and nothing is saved."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from books.errors import BooksError, ClosedPeriodError, OverdraftError
from books.models import Line, ReceiptCounter, Transaction, TxnKind
from books.services import (
    Leg,
    cash_entry_record,
    iks_policy_set,
    iks_use,
    period_close,
    savings_deposit,
    savings_withdraw,
    transaction_post,
)

DAY = date(2026, 5, 12)


@pytest.fixture
def funded(cast):
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000, date=DAY,
                      description="Setoran modal anggota")
    return cast


def counts():
    return Transaction.objects.count(), Line.objects.count()


def sale(cast, **overrides):
    values = {"actor": cast.ketua, "kube": cast.kube_a, "kind": TxnKind.SALE, "amount": 10_000, "date": DAY,
              "description": "Penjualan"}
    values.update(overrides)
    return cash_entry_record(**values)


@pytest.mark.parametrize("amount,message", [
    (0, "lebih dari nol"), (-5_000, "lebih dari nol"), (12_500.5, "bilangan bulat Rupiah"),
    ("12500", "bilangan bulat Rupiah"), (True, "bilangan bulat Rupiah"), (10**14, "terlalu besar"),
])
def test_amounts_must_be_whole_positive_rupiah(funded, amount, message):
    before = counts()
    with pytest.raises(BooksError, match=message) as exc:
        sale(funded, amount=amount)
    assert exc.value.field == "amount"
    assert counts() == before


def test_a_whole_number_written_as_float_is_accepted(funded):
    assert sale(funded, amount=25_000.0).amount == 25_000


def test_a_date_in_a_closed_month_is_refused(funded):
    period_close(actor=funded.ketua, kube=funded.kube_a, period=202605)
    before = counts()
    with pytest.raises(ClosedPeriodError, match="Mei 2026 sudah ditutup"):
        sale(funded, date=date(2026, 5, 31))
    with pytest.raises(ClosedPeriodError):
        sale(funded, date=date(2026, 1, 3))  # earlier months are closed too
    assert counts() == before
    assert sale(funded, date=date(2026, 6, 1)).period == 202606


def test_a_future_date_or_one_before_the_group_existed_is_refused(funded):
    with pytest.raises(BooksError, match="masa depan"):
        sale(funded, date=timezone.localdate() + timedelta(days=1))
    with pytest.raises(BooksError, match="sebelum KUBE dibentuk"):
        sale(funded, date=date(2020, 1, 1))


def test_cash_cannot_go_below_zero(funded):
    before = counts()
    with pytest.raises(OverdraftError, match="kas tunai tidak cukup: akan menjadi -Rp1") as exc:
        cash_entry_record(actor=funded.ketua, kube=funded.kube_a, kind=TxnKind.PURCHASE, amount=1_000_001,
                          date=DAY, description="Belanja stok")
    assert "12 Mei 2026" in exc.value.message
    assert counts() == before


def test_a_backdated_expense_cannot_make_an_earlier_balance_negative(funded):
    # Cash arrived on 12 May; an expense dated 11 May would have been paid from nothing.
    with pytest.raises(OverdraftError, match="11 Mei 2026"):
        cash_entry_record(actor=funded.ketua, kube=funded.kube_a, kind=TxnKind.EXPENSE, amount=5_000,
                          date=DAY - timedelta(days=1), description="Fotokopi")


def test_spending_now_cannot_strand_a_later_payment(funded):
    cash_entry_record(actor=funded.ketua, kube=funded.kube_a, kind=TxnKind.EXPENSE, amount=900_000,
                      date=date(2026, 5, 20), description="Sewa kios")
    # On 14 May there was 1,000,000, but spending 200,000 then leaves the 20 May rent unpaid.
    with pytest.raises(OverdraftError, match="20 Mei 2026"):
        cash_entry_record(actor=funded.ketua, kube=funded.kube_a, kind=TxnKind.PURCHASE, amount=200_000,
                          date=date(2026, 5, 14), description="Belanja stok")


def test_an_iks_fund_cannot_be_overdrawn(funded):
    fund = iks_policy_set(actor=funded.ketua, kube=funded.kube_a, funds=[("Anggota sakit", 5)])[0]
    with pytest.raises(OverdraftError, match="dana IKS Anggota sakit"):
        iks_use(actor=funded.ketua, kube=funded.kube_a, fund=fund, amount=1, date=DAY, description="Bantuan")


def test_a_member_cannot_withdraw_more_than_they_saved(funded):
    member = funded.kube_a.members.first()
    savings_deposit(actor=funded.ketua, kube=funded.kube_a, member=member, amount=30_000, date=DAY)
    with pytest.raises(OverdraftError, match=f"simpanan anggota {member.name}"):
        savings_withdraw(actor=funded.ketua, kube=funded.kube_a, member=member, amount=30_001, date=DAY)


def test_a_receipt_number_cannot_be_used_twice_in_a_year(funded):
    sale(funded, receipt_no="NOTA-17")
    before = counts()
    with pytest.raises(BooksError, match="NOTA-17 tahun 2026 sudah dipakai") as exc:
        sale(funded, receipt_no="NOTA-17")
    assert exc.value.field == "receipt_no"
    assert counts() == before
    assert sale(funded, receipt_no="NOTA-17", date=date(2025, 5, 31), kind=TxnKind.CAPITAL_IN).receipt == "NOTA-17/2025"


def test_automatic_receipt_numbers_skip_a_number_typed_by_hand(funded):
    sale(funded, receipt_no="0003")
    numbers = [sale(funded).receipt_no for _ in range(3)]
    assert numbers == ["0002", "0004", "0005"]  # 0001 is the capital deposit
    assert ReceiptCounter.objects.get(kube=funded.kube_a, year=DAY.year).last == 5  # moved past the skipped one


def test_an_unbalanced_journal_is_refused_before_the_database(funded):
    with pytest.raises(BooksError, match="tidak seimbang"):
        transaction_post(actor=funded.ketua, kube=funded.kube_a, date=DAY, kind=TxnKind.GENERAL,
                         description="Jurnal", legs=[Leg("cash", debit=100), Leg("sales", credit=90)])
    with pytest.raises(BooksError, match="debit atau kredit"):
        transaction_post(actor=funded.ketua, kube=funded.kube_a, date=DAY, kind=TxnKind.GENERAL,
                         description="Jurnal", legs=[Leg("cash", debit=100, credit=100), Leg("sales", credit=0)])


def test_an_empty_description_is_refused(funded):
    with pytest.raises(BooksError, match="uraian") as exc:
        sale(funded, description="   ")
    assert exc.value.field == "description"
