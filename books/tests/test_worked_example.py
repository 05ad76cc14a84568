"""A month in the books of a warung sembako group, as a bookkeeping exercise.

KUBE Maju Sejahtera 11 runs a grocery stall. In March 2026 it receives a Rp 20 million
grant into its bank account, draws Rp 5 million in cash, buys stock, sells every few
days, pays transport, collects members' savings and deposits them at the cooperative,
sets aside IKS from the month's profit split 5 % for sick members and 5 % for the
posyandu (seed 003), helps a sick member, and closes the month. The LPJ must show
exactly what a treasurer would compute by hand.
"""

from datetime import date

import pytest

from books.errors import BooksError, ClosedPeriodError, OverdraftError
from books.lpj import lpj_build, parse_period
from books.models import TxnKind
from books.selectors import account_balances, cash_book
from books.services import (
    cash_entry_record,
    cash_transfer,
    iks_allocate,
    iks_policy_set,
    iks_use,
    period_close,
    savings_deposit,
    savings_to_coop,
    transaction_reverse,
)
from books.services.registers import activity_record
from grants.services import grant_record

SALES = [(5, 350_000), (7, 420_000), (9, 515_000), (12, 380_000), (14, 600_000),
         (17, 455_000), (19, 390_000), (23, 470_000), (26, 525_000), (30, 395_000)]


@pytest.fixture
def march(cast):
    kube, treasurer = cast.kube_a, cast.ketua
    members = list(kube.members.filter(left_on__isnull=True).order_by("id"))
    grant_record(actor=cast.kab, kube=kube, name="Bantuan UEP KUBE", source="apbn", decree_number="123/KEP/2026",
                 amount=20_000_000, received_on=date(2026, 3, 2), bank_name="BRI",
                 account_number="0123-01-000456-50-1", account_name="KUBE Maju Sejahtera 11")
    cash_transfer(actor=treasurer, kube=kube, amount=5_000_000, to_bank=False, date=date(2026, 3, 3),
                  description="Tarik tunai untuk modal warung")
    iks_policy_set(actor=treasurer, kube=kube, funds=[("Anggota sakit", 5), ("Posyandu", 5)])
    cash_entry_record(actor=treasurer, kube=kube, kind=TxnKind.PURCHASE, amount=3_500_000,
                      date=date(2026, 3, 4), description="Belanja stok sembako di pasar induk")
    for day, amount in SALES:
        cash_entry_record(actor=treasurer, kube=kube, kind=TxnKind.SALE, amount=amount, date=date(2026, 3, day),
                          description="Penjualan warung")
    cash_entry_record(actor=treasurer, kube=kube, kind=TxnKind.EXPENSE, amount=150_000, date=date(2026, 3, 10),
                      description="Ongkos angkut belanja")
    activity_record(actor=treasurer, kube=kube, date=date(2026, 3, 5), kind="rapat", place="Rumah Ibu Ani",
                    agenda="Laporan keuangan; peruntukan dana IKS", present=members[:5],
                    minutes="Dana IKS dibagi dua: 5 % anggota sakit, 5 % posyandu")
    for m in members:
        savings_deposit(actor=treasurer, kube=kube, member=m, amount=20_000, date=date(2026, 3, 15))
        savings_to_coop(actor=treasurer, kube=kube, member=m, amount=20_000, date=date(2026, 3, 16))
    allocation = iks_allocate(actor=treasurer, kube=kube, period=202603)
    sick = kube.iks_funds.get(name="Anggota sakit")
    iks_use(actor=treasurer, kube=kube, fund=sick, amount=40_000, date=date(2026, 3, 31),
            description="Bantuan untuk Ibu Yati yang dirawat di puskesmas")
    period_close(actor=treasurer, kube=kube, period=202603)
    return kube, allocation


def test_the_month_balances_line_by_line(march):
    kube, allocation = march
    assert allocation.profit == 850_000  # 4,500,000 sales − 3,500,000 stock − 150,000 transport
    lpj = lpj_build(kube, parse_period("2026-03"))
    assert lpj.closed
    # Cash summary per account: the Rp 5 million drawn from the bank and the savings taken to the
    # cooperative are transfers, not money in or out of the group.
    cash, bank, coop = lpj.money.accounts
    # cash: in 4,500,000 sales + 120,000 savings; out 3,500,000 + 150,000 + 40,000 IKS; 5,000,000 from the bank
    # in, 120,000 to the cooperative out → 4,620,000 − 3,690,000 + 5,000,000 − 120,000 = 5,810,000
    assert (cash.opening, cash.money_in, cash.money_out, cash.transfer_in, cash.transfer_out, cash.closing) == (
        0, 4_620_000, 3_690_000, 5_000_000, 120_000, 5_810_000)
    assert (bank.money_in, bank.money_out, bank.transfer_in, bank.transfer_out, bank.closing) == (
        20_000_000, 0, 0, 5_000_000, 15_000_000)
    assert (coop.money_in, coop.transfer_in, coop.closing) == (0, 120_000, 120_000)
    assert (lpj.cash_opening, lpj.cash_in, lpj.cash_out, lpj.cash_closing) == (0, 24_620_000, 3_690_000, 20_930_000)
    # Income statement
    assert lpj.statement.income == [("Penjualan dan pendapatan usaha", 4_500_000)]
    assert lpj.statement.expenses == [("Belanja barang dagangan/bahan", 3_500_000), ("Biaya operasional", 150_000)]
    assert lpj.statement.profit == 850_000
    assert (lpj.profit_before_iks, lpj.iks_set_aside, lpj.profit_after_iks) == (850_000, 85_000, 765_000)
    # Balance sheet on 31 March
    assert dict(lpj.balance.assets) == {"Kas tunai": 5_810_000, "Bank (rekening KUBE)": 15_000_000,
                                        "Simpanan anggota di koperasi": 120_000}
    assert dict(lpj.balance.liabilities) == {"Simpanan anggota": 120_000,
                                             "Dana Iuran Kesetiakawanan Sosial (IKS)": 45_000}
    assert dict(lpj.balance.equity) == {"Modal bantuan stimulan": 20_000_000, "Penyisihan laba untuk IKS": -85_000,
                                        "Laba (rugi) yang belum dibagi": 850_000}
    assert lpj.balance.total_assets == lpj.balance.total_liabilities_equity == 20_930_000
    # As printed: no bare negative, the set-aside is a "less" line
    assert [(r.label, r.amount, r.kind) for r in lpj.neraca.equity.rows] == [
        ("Modal bantuan stimulan yang diterima", 20_000_000, "item"),
        ("Modal bantuan yang masih dikelola kelompok", 20_000_000, "subtotal"),
        ("Laba sejak buku dimulai sampai tanggal ini", 850_000, "item"),
        ("Dikurangi: laba yang disisihkan untuk dana IKS", 85_000, "less"),
        ("Sisa laba yang menjadi modal kelompok", 765_000, "subtotal")]
    assert lpj.neraca.total_assets == lpj.neraca.total_liabilities_equity == 20_930_000
    # IKS: 5 % and 5 % of 850,000, one use
    assert lpj.iks == [("Anggota sakit", 42_500, 40_000, 2_500), ("Posyandu", 42_500, 0, 42_500)]
    # Savings: six members, Rp 20,000 each, all at the cooperative
    assert lpj.savings_total == 120_000
    assert all(balance == 20_000 and coop == 20_000 for _n, balance, coop in lpj.savings)
    # One monthly meeting, 5 of 6 present
    assert [(a.present, a.recorded) for a in lpj.activities] == [(5, 6)]
    assert lpj.attendance_rate == 83
    assert [r for r, _n in lpj.signers] == ["Ketua", "Sekretaris", "Bendahara"]


def test_the_cash_book_runs_its_balance_and_numbers_receipts(march):
    kube, _ = march
    book = cash_book(kube, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert book.opening == 0 and book.closing == 20_930_000  # cash 5,810,000 + bank 15,000,000 + coop 120,000
    assert book.lines[0].money_in == 20_000_000 and book.lines[0].balance == 20_000_000
    assert [line.receipt for line in book.lines[:3]] == ["0001/2026", "0002/2026", "0002/2026"]  # transfer: 2 sides
    # each side of the transfer carries its own account's balance: bank 20,000,000 − 5,000,000, cash 0 + 5,000,000
    assert {(ln.account, ln.balance) for ln in book.lines[1:3]} == {("Bank", 15_000_000), ("Tunai", 5_000_000)}
    running = {"cash": 0, "bank": 0, "coop": 0}
    for line in book.lines:
        running[line.account_role] += line.money_in - line.money_out
        assert line.balance == running[line.account_role]
    assert running == {"cash": 5_810_000, "bank": 15_000_000, "coop": 120_000}


def test_the_closed_month_cannot_be_posted_into_but_can_be_corrected_by_reversal(march, cast):
    kube, _ = march
    with pytest.raises(ClosedPeriodError, match="sudah ditutup"):
        cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.SALE, amount=10_000,
                          date=date(2026, 3, 31), description="Penjualan terlambat dicatat")
    wrong = kube.transactions.get(description="Ongkos angkut belanja")
    fix = transaction_reverse(actor=cast.ketua, original=wrong, date=date(2026, 4, 2), reason="Salah catat, dobel")
    assert fix.reverses == wrong and fix.period == 202604
    assert account_balances(kube, until=date(2026, 4, 30))["5102"] == 0
    march_again = lpj_build(kube, parse_period("2026-03"))
    assert march_again.statement.profit == 850_000  # the closed month is untouched
    with pytest.raises(BooksError, match="sudah pernah dibalik"):
        transaction_reverse(actor=cast.ketua, original=wrong, date=date(2026, 4, 2), reason="lagi")


def test_an_iks_fund_cannot_be_overdrawn(march, cast):
    kube, _ = march
    posyandu = kube.iks_funds.get(name="Posyandu")
    with pytest.raises(OverdraftError, match="dana IKS Posyandu"):
        iks_use(actor=cast.ketua, kube=kube, fund=posyandu, amount=42_501, date=date(2026, 4, 5),
                description="Makanan tambahan balita")
    iks_use(actor=cast.ketua, kube=kube, fund=posyandu, amount=42_500, date=date(2026, 4, 5),
            description="Makanan tambahan balita")


def test_the_iks_is_set_aside_once_per_month(march, cast):
    kube, _ = march
    with pytest.raises(BooksError, match="sudah disisihkan"):
        iks_allocate(actor=cast.ketua, kube=kube, period=202603)
