"""The LPJ as a treasurer and an auditor check it (SAK EMKM).

1. A worked example: April 2026 of a warung group, every line computed by hand.
2. An oracle: months of random postings of every kind, the LPJ's figures recomputed with plain
   SQL over the ledger tables (books_line, books_account, books_transaction), not with books/lpj.py.
3. The cash-book annex ends, account by account, where the cash summary does.
"""

from __future__ import annotations

import contextlib
import io
import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from pypdf import PdfReader

from books.documents import lpj_document
from books.errors import BooksError
from books.lpj import lpj_build, lpj_figures, parse_period
from books.models import Loan, Transaction, TxnKind
from books.services import (
    Leg,
    cash_entry_record,
    cash_transfer,
    iks_allocate,
    iks_policy_set,
    iks_use,
    loan_disburse,
    loan_repay,
    period_close,
    savings_deposit,
    savings_from_coop,
    savings_to_coop,
    savings_withdraw,
    transaction_post,
    transaction_reverse,
)
from grants.services import grant_record, onward_transfer
from registry.models import Kube

pytestmark = pytest.mark.django_db


def _grant(cast, kube, amount, day):
    return grant_record(actor=cast.kab, kube=kube, name="Bantuan UEP KUBE", source="apbn",
                        decree_number="77/KEP/2026", amount=amount, received_on=day, bank_name="BRI",
                        account_number="0123-01-000456-50-1", account_name=kube.name)


@pytest.fixture
def april(cast):
    """March: a Rp 10,000,000 grant into the bank and Rp 2,000,000 of members' capital in cash.
    April: every kind of posting a treasurer makes."""
    kube, t = cast.kube_a, cast.ketua
    m1, m2 = list(kube.members.filter(left_on__isnull=True).order_by("id"))[:2]
    grant = _grant(cast, kube, 10_000_000, date(2026, 3, 2))
    cash_entry_record(actor=t, kube=kube, kind=TxnKind.CAPITAL_IN, amount=2_000_000, date=date(2026, 3, 3),
                      description="Setoran modal anggota")
    iks_policy_set(actor=t, kube=kube, funds=[("Anggota sakit", 5), ("Posyandu", 5)])
    cash_transfer(actor=t, kube=kube, amount=3_000_000, to_bank=False, date=date(2026, 4, 1),
                  description="Tarik tunai dari bank")
    cash_entry_record(actor=t, kube=kube, kind=TxnKind.PURCHASE, amount=2_500_000, date=date(2026, 4, 2),
                      description="Belanja stok")
    cash_entry_record(actor=t, kube=kube, kind=TxnKind.SALE, amount=1_800_000, date=date(2026, 4, 5),
                      description="Penjualan minggu 1")
    cash_transfer(actor=t, kube=kube, amount=1_000_000, to_bank=True, date=date(2026, 4, 6),
                  description="Setor tunai ke bank")
    savings_deposit(actor=t, kube=kube, member=m1, amount=50_000, date=date(2026, 4, 7))
    savings_to_coop(actor=t, kube=kube, member=m1, amount=50_000, date=date(2026, 4, 8))
    loan = loan_disburse(actor=t, kube=kube, member=m2, amount=600_000, term_months=3, date=date(2026, 4, 10),
                         fee_percent_month=1)
    cash_entry_record(actor=t, kube=kube, kind=TxnKind.SALE, amount=1_700_000, date=date(2026, 4, 12),
                      description="Penjualan minggu 2")
    onward_transfer(actor=t, grant=grant, recipient_kind="keluarga", recipients=[("Ibu Entin", "", 500_000)],
                    date=date(2026, 4, 15))
    cash_entry_record(actor=t, kube=kube, kind=TxnKind.EXPENSE, amount=100_000, date=date(2026, 4, 20),
                      description="Ongkos angkut")
    loan_repay(actor=t, loan=loan, amount=206_000, date=date(2026, 4, 25))  # jasa 1 % × 600,000 first
    iks_allocate(actor=t, kube=kube, period=202604)
    iks_use(actor=t, kube=kube, fund=kube.iks_funds.get(name="Anggota sakit"), amount=30_000,
            date=date(2026, 4, 30), description="Bantuan anggota sakit")
    period_close(actor=t, kube=kube, period=202604)
    return kube


def test_the_worked_example_month_line_by_line(april):
    lpj = lpj_build(april, parse_period("2026-04"))
    cash, bank, coop = lpj.money.accounts
    assert [a.label for a in lpj.money.accounts] == ["Kas tunai", "Bank", "Simpanan di koperasi"]
    # Kas tunai: opening 2,000,000 (members' capital in March)
    #   in  = 1,800,000 + 1,700,000 sales + 50,000 savings + 206,000 repayment          = 3,756,000
    #   out = 2,500,000 stock + 600,000 loan + 100,000 transport + 30,000 IKS use         = 3,230,000
    #   transfer in = 3,000,000 from the bank; out = 1,000,000 to the bank + 50,000 coop = 1,050,000
    #   closing = 2,000,000 + 3,756,000 − 3,230,000 + 3,000,000 − 1,050,000              = 4,476,000
    assert (cash.opening, cash.money_in, cash.money_out, cash.transfer_in, cash.transfer_out, cash.closing) == (
        2_000_000, 3_756_000, 3_230_000, 3_000_000, 1_050_000, 4_476_000)
    # Bank: 10,000,000 − 500,000 onward + 1,000,000 deposited − 3,000,000 withdrawn = 7,500,000
    assert (bank.opening, bank.money_in, bank.money_out, bank.transfer_in, bank.transfer_out, bank.closing) == (
        10_000_000, 0, 500_000, 1_000_000, 3_000_000, 7_500_000)
    # Cooperative: 0 + 50,000 taken there from the cash box
    assert (coop.opening, coop.money_in, coop.money_out, coop.transfer_in, coop.transfer_out, coop.closing) == (
        0, 0, 0, 50_000, 0, 50_000)
    # All three: transfers 3,000,000 + 1,000,000 + 50,000 = 4,050,000 each way; closing 12,026,000
    assert (lpj.money.opening, lpj.money.money_in, lpj.money.money_out, lpj.money.transfers, lpj.money.closing) == (
        12_000_000, 3_756_000, 3_730_000, 4_050_000, 12_026_000)
    assert lpj.closing_words == "Dua belas juta dua puluh enam ribu rupiah"
    assert "Pemindahan kas/bank" not in [k for k, _i, _o in lpj.money.by_kind]
    # Laba rugi: 3,500,000 sales + 6,000 jasa − 2,500,000 stock − 100,000 transport = 906,000;
    # IKS 5 % + 5 % = 45,300 + 45,300 = 90,600; after IKS 906,000 − 90,600 = 815,400
    assert [(r.label, r.amount, r.kind) for r in lpj.income_rows] == [
        ("Penjualan dan pendapatan usaha", 3_500_000, "item"),
        ("Pendapatan jasa pinjaman", 6_000, "item"),
        ("Jumlah pendapatan", 3_506_000, "subtotal"),
        ("Belanja barang dagangan/bahan", 2_500_000, "item"),
        ("Biaya operasional", 100_000, "item"),
        ("Jumlah beban", 2_600_000, "subtotal"),
        ("Laba sebelum IKS", 906_000, "subtotal"),
        ("Dikurangi: penyisihan laba untuk dana IKS", 90_600, "less"),
        ("Laba setelah IKS", 815_400, "total"),
    ]
    # Neraca on 30 April
    nr = lpj.neraca
    assert [(r.label, r.amount, r.kind) for r in nr.assets.rows] == [
        ("Kas tunai", 4_476_000, "item"), ("Bank (rekening KUBE)", 7_500_000, "item"),
        ("Simpanan anggota di koperasi", 50_000, "item"),
        ("Piutang pinjaman anggota", 400_000, "item")]  # 600,000 lent − 200,000 repaid
    assert [(r.label, r.amount) for r in nr.liabilities.rows] == [
        ("Simpanan anggota", 50_000), ("Dana Iuran Kesetiakawanan Sosial (IKS)", 60_600)]  # 90,600 − 30,000
    assert [(r.label, r.amount, r.kind) for r in nr.equity.rows] == [
        ("Modal bantuan stimulan yang diterima", 10_000_000, "item"),
        ("Dikurangi: bantuan yang sudah digulirkan kepada penerima lain", 500_000, "less"),
        ("Modal bantuan yang masih dikelola kelompok", 9_500_000, "subtotal"),
        ("Modal sendiri (setoran anggota)", 2_000_000, "item"),
        ("Laba sejak buku dimulai sampai tanggal ini", 906_000, "item"),
        ("Dikurangi: laba yang disisihkan untuk dana IKS", 90_600, "less"),
        ("Sisa laba yang menjadi modal kelompok", 815_400, "subtotal"),
    ]
    # 4,476,000 + 7,500,000 + 50,000 + 400,000 = 12,426,000
    # = 110,600 liabilities + (9,500,000 + 2,000,000 + 815,400) equity
    assert (nr.total_assets, nr.total_liabilities, nr.total_equity) == (12_426_000, 110_600, 12_315_400)
    assert nr.total_assets == nr.total_liabilities_equity
    assert (nr.grant_received, nr.grant_passed_on, nr.grant_held) == (10_000_000, 500_000, 9_500_000)
    assert lpj.par30_text == "0,00 %"


def test_the_json_carries_the_same_figures(april, client, cast):
    from testing import bearer

    figures = client.get(f"/api/v1/groups/{april.pk}/lpj?period=2026-04", **bearer(cast.anggota)).json()
    accounts = {a["account"]: a for a in figures["cash"]["accounts"]}
    assert accounts["cash"] == {"account": "cash", "name": "Kas tunai", "opening": 2_000_000, "in": 3_756_000,
                                "out": 3_230_000, "transfer_in": 3_000_000, "transfer_out": 1_050_000,
                                "closing": 4_476_000}
    assert (figures["cash"]["in"], figures["cash"]["out"], figures["cash"]["transfers"]) == (
        3_756_000, 3_730_000, 4_050_000)
    st = figures["income_statement"]
    assert (st["profit"], st["profit_before_iks"], st["iks_set_aside"], st["profit_after_iks"]) == (
        906_000, 906_000, 90_600, 815_400)
    bs = figures["balance_sheet"]
    assert bs["grant_capital"] == {"received": 10_000_000, "passed_on": 500_000, "held": 9_500_000}
    assert bs["retained"] == {"profit_to_date": 906_000, "iks_set_aside": 90_600, "distributed": 0, "retained": 815_400}
    assert bs["total_assets"] == bs["total_liabilities_equity"] == 12_426_000
    assert all(row["amount"] >= 0 for section in bs["sections"] for row in section["rows"])
    assert figures["notes"] is None and set(figures["explanations"]) >= {"cash", "income", "balance", "savings"}


def test_the_page_and_the_pdf_print_it_in_indonesian(april, client, cast):
    client.force_login(cast.anggota)
    page = client.get(f"/kube/{april.pk}/buku/lpj/2026-04/").content.decode()
    for text in ("Pindahan masuk", "Rp4.476.000", "Laba setelah IKS", "Rp815.400", "0,00 %",
                 "Dua belas juta dua puluh enam ribu rupiah", "Dikurangi: bantuan yang sudah digulirkan",
                 "PAR 30 adalah bagian sisa pinjaman"):
        assert text in page, text
    assert "-Rp" not in page
    assert '<td class="num" data-testid="lpj-profit-after">Rp815.400</td>' in page
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(lpj_document(
        lpj_build(april, parse_period("2026-04"))))).pages).split())  # headers wrap in narrow columns
    for needle in ("Pindahan keluar", "Rp815.400", "PAR 30: 0,00 %", "Lampiran: Buku Kas Umum", "Saldo akun",
                   "Dua belas juta dua puluh enam ribu rupiah"):
        assert needle in text, needle
    assert "-Rp" not in text and "0.00 %" not in text


def test_the_yearly_lpj_adds_the_notes(april, client, cast):
    lpj = lpj_build(april, parse_period("2026"))
    notes = lpj.notes
    assert notes is not None and lpj.annex is None
    assert dict(notes.group)["Nama"].startswith("KUBE Maju Sejahtera 11")
    assert any("SAK EMKM" in t for t in notes.basis) and any("Rupiah" in t for t in notes.basis)
    grant = notes.grants[0]
    assert (grant.amount, grant.spent, grant.passed_on) == (10_000_000, 0, 500_000)
    assert [(n, str(s)) for n, s, _a in notes.iks_rules] == [("Anggota sakit", "5.00"), ("Posyandu", "5.00")]
    assert [(n, a, o) for n, _d, a, o, _late in notes.loans] == [("P2026-001", 600_000, 400_000)]
    assert (notes.savers, notes.savings_total, notes.savings_at_coop) == (1, 50_000, 50_000)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(lpj_document(lpj))).pages).split())
    assert "Catatan atas laporan keuangan" in text and "5,00 %" in text
    client.force_login(cast.anggota)
    assert "Catatan atas laporan keuangan" in client.get(f"/kube/{april.pk}/buku/lpj/2026/").content.decode()


def test_the_cash_book_page_keeps_a_balance_per_account(april, client, cast):
    client.force_login(cast.anggota)
    response = client.get(f"/kube/{april.pk}/buku/kas/", {"bulan": "2026-04"})
    transfer = [ln for ln in response.context["book"].lines if ln.kind == TxnKind.TRANSFER][:2]
    # 1 April: the bank's line shows the bank (10,000,000 − 3,000,000), the cash line the box (2,000,000 + 3,000,000)
    assert {(ln.account, ln.money_in, ln.money_out, ln.balance) for ln in transfer} == {
        ("Bank", 0, 3_000_000, 7_000_000), ("Tunai", 3_000_000, 0, 5_000_000)}
    html = response.content.decode()
    assert 'data-testid="cash-summary-closing-cash"><strong>Rp4.476.000' in html


# --- the annex and the summary -----------------------------------------------------------

def test_the_annex_ends_where_the_cash_summary_does(april):
    lpj = lpj_build(april, parse_period("2026-04"))
    assert lpj.annex is not None
    last: dict[str, int] = {a.role: a.opening for a in lpj.annex.accounts}
    for line in lpj.annex.lines:
        last[line.account_role] = line.balance
    assert last == {a.role: a.closing for a in lpj.money.accounts} == {
        "cash": 4_476_000, "bank": 7_500_000, "coop": 50_000}


# --- the oracle ----------------------------------------------------------------------------

MONEY = ("cash", "bank", "coop")


def _sql(query: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return list(cursor.fetchall())


def oracle(kube_id: int, start: date, end: date) -> dict[str, Any]:
    """The LPJ's figures from the raw tables, written without books/lpj.py or books/selectors.py."""
    opening = dict.fromkeys(MONEY, 0)
    for role, debit, credit in _sql(
            "SELECT a.role, SUM(l.debit), SUM(l.credit) FROM books_line l JOIN books_account a ON a.id = l.account_id "
            "WHERE l.kube_id = %s AND l.date < %s AND a.role IN ('cash', 'bank', 'coop') GROUP BY a.role",
            [kube_id, start]):
        opening[role] = debit - credit
    per_txn: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for txn, role, debit, credit in _sql(
            "SELECT l.transaction_id, a.role, l.debit, l.credit FROM books_line l "
            "JOIN books_account a ON a.id = l.account_id WHERE l.kube_id = %s AND l.date BETWEEN %s AND %s "
            "AND a.role IN ('cash', 'bank', 'coop') ORDER BY l.id", [kube_id, start, end]):
        per_txn[txn].append((role, debit, credit))
    flows = {role: {"in": 0, "out": 0, "t_in": 0, "t_out": 0} for role in MONEY}
    for lines in per_txn.values():
        # Money that left one of the three and entered another in the same transaction is a transfer,
        # matched from the lines in the order cash, bank, coop (the rule the LPJ documents).
        left_in = left_out = min(sum(d for _r, d, _c in lines), sum(c for _r, _d, c in lines))
        for role, debit, credit in sorted(lines, key=lambda x: MONEY.index(x[0])):
            t_in, t_out = min(debit, left_in), min(credit, left_out)
            left_in, left_out = left_in - t_in, left_out - t_out
            f = flows[role]
            f["in"] += debit - t_in
            f["out"] += credit - t_out
            f["t_in"] += t_in
            f["t_out"] += t_out
    closing = {r: opening[r] + f["in"] - f["out"] + f["t_in"] - f["t_out"] for r, f in flows.items()}
    direct_closing = {r: d - c for r, d, c in _sql(
        "SELECT a.role, SUM(l.debit), SUM(l.credit) FROM books_line l JOIN books_account a ON a.id = l.account_id "
        "WHERE l.kube_id = %s AND l.date <= %s AND a.role IN ('cash', 'bank', 'coop') GROUP BY a.role",
        [kube_id, end])}
    assert closing == {r: direct_closing.get(r, 0) for r in MONEY}  # the oracle checks itself
    by_type = {t: (d, c) for t, d, c in _sql(
        "SELECT a.type, SUM(l.debit), SUM(l.credit) FROM books_line l JOIN books_account a ON a.id = l.account_id "
        "WHERE l.kube_id = %s AND l.date BETWEEN %s AND %s GROUP BY a.type", [kube_id, start, end])}
    income = by_type.get("income", (0, 0))[1] - by_type.get("income", (0, 0))[0]
    expense = by_type.get("expense", (0, 0))[0] - by_type.get("expense", (0, 0))[1]

    def role_sum(role: str, *, since: date | None, until: date) -> int:
        rows = _sql("SELECT COALESCE(SUM(l.debit), 0), COALESCE(SUM(l.credit), 0) FROM books_line l "
                    "JOIN books_account a ON a.id = l.account_id WHERE l.kube_id = %s AND a.role = %s "
                    "AND l.date >= %s AND l.date <= %s", [kube_id, role, since or date(1900, 1, 1), until])
        return rows[0][0] - rows[0][1]

    set_aside = role_sum("iks_allocation", since=start, until=end)
    to_end = {t: d - c for t, d, c in _sql(
        "SELECT a.type, SUM(l.debit), SUM(l.credit) FROM books_line l JOIN books_account a ON a.id = l.account_id "
        "WHERE l.kube_id = %s AND l.date <= %s GROUP BY a.type", [kube_id, end])}
    return {
        "opening": opening, "flows": flows, "closing": closing,
        "profit": income - expense, "set_aside": set_aside, "after": income - expense - set_aside,
        "assets": to_end.get("asset", 0), "liabilities": -to_end.get("liability", 0),
        "equity": -to_end.get("equity", 0) - to_end.get("income", 0) - to_end.get("expense", 0),
        "grant": -role_sum("grant_capital", since=None, until=end), "onward": role_sum("onward", since=None, until=end),
        "iks_to_date": role_sum("iks_allocation", since=None, until=end),
    }


def _random_months(cast: Any, seed: int) -> Kube:
    """Three months of every kind of posting, in a random order, with reversals and general
    journals that mix transfers with income; overdrafts the ledger refuses are skipped."""
    rng = random.Random(seed)
    kube, t = cast.kube_a, cast.ketua
    members = list(kube.members.filter(left_on__isnull=True).order_by("id"))
    grant = _grant(cast, kube, 6_000_000, date(2026, 4, 28))
    cash_entry_record(actor=t, kube=kube, kind=TxnKind.CAPITAL_IN, amount=1_500_000, date=date(2026, 4, 29),
                      description="Modal")
    iks_policy_set(actor=t, kube=kube, funds=[("Anggota sakit", 5), ("Posyandu", "2.5")])
    loans: list[Loan] = []
    posted: list[Transaction] = []
    for month in (5, 6, 7):
        for _ in range(40):
            day = date(2026, month, rng.randint(1, 28))
            amount = rng.randint(1, 80) * 5_000
            member = rng.choice(members)
            action = rng.randrange(14)
            with contextlib.suppress(BooksError):
                if action == 0:
                    txn = cash_entry_record(actor=t, kube=kube, kind=TxnKind.SALE, amount=amount * 3, date=day,
                                            description="Jual", via=rng.choice(["cash", "bank"]))
                elif action == 1:
                    txn = cash_entry_record(actor=t, kube=kube, kind=TxnKind.PURCHASE, amount=amount, date=day,
                                            description="Beli", via=rng.choice(["cash", "bank"]))
                elif action == 2:
                    txn = cash_entry_record(actor=t, kube=kube, kind=TxnKind.EXPENSE, amount=amount // 5, date=day,
                                            description="Biaya")
                elif action == 3:
                    txn = cash_transfer(actor=t, kube=kube, amount=amount, to_bank=rng.random() < 0.5, date=day,
                                        description="Pindah")
                elif action == 4:
                    txn = savings_deposit(actor=t, kube=kube, member=member, amount=amount // 10, date=day)
                elif action == 5:
                    txn = savings_to_coop(actor=t, kube=kube, member=member, amount=amount // 20, date=day)
                elif action == 6:
                    txn = savings_from_coop(actor=t, kube=kube, member=member, amount=amount // 40, date=day)
                elif action == 7:
                    txn = savings_withdraw(actor=t, kube=kube, member=member, amount=amount // 40, date=day)
                elif action == 8 and len(loans) < 4:
                    loans.append(loan_disburse(actor=t, kube=kube, member=member, amount=amount * 2, term_months=3,
                                               date=day, fee_percent_month=1))
                    continue
                elif action == 9 and loans:
                    loan = rng.choice(loans)
                    txn = loan_repay(actor=t, loan=loan, amount=min(amount, loan.amount // 3),
                                     date=max(day, loan.disbursed_on))
                elif action == 10:
                    txn = onward_transfer(actor=t, grant=grant, recipient_kind="keluarga",
                                          recipients=[("Bapak Oman", "", amount)], date=day,
                                          via=rng.choice(["cash", "bank"])).transaction
                elif action == 11:
                    # a general journal: cash in from the bank and from a sale at once
                    txn = transaction_post(actor=t, kube=kube, date=day, kind=TxnKind.GENERAL, description="Jurnal",
                                           legs=[Leg("cash", debit=amount * 2), Leg("bank", credit=amount),
                                                 Leg("sales", credit=amount)])
                elif action == 12 and posted:
                    original = rng.choice(posted)
                    txn = transaction_reverse(actor=t, original=original, date=max(day, original.date),
                                              reason="Salah catat")
                    posted.remove(original)
                    continue
                elif action == 13:
                    funds = list(kube.iks_funds.order_by("id"))
                    txn = iks_use(actor=t, kube=kube, fund=rng.choice(funds), amount=amount // 20 or 1_000,
                                  date=day, description="Bantuan")
                else:
                    continue
                posted.append(txn)
        with contextlib.suppress(BooksError):
            iks_allocate(actor=t, kube=kube, period=202600 + month)
    return kube


@pytest.mark.parametrize("seed", [3, 11])
def test_the_lpj_agrees_with_an_oracle_over_random_months(cast, seed):
    kube = _random_months(cast, seed)
    for code in ("2026-05", "2026-06", "2026-07", "2026-Q2", "2026"):
        period = parse_period(code)
        lpj = lpj_build(kube, period)
        want = oracle(kube.pk, period.start, period.end)
        for account in lpj.money.accounts:
            flows = want["flows"][account.role]
            assert (account.opening, account.money_in, account.money_out, account.transfer_in,
                    account.transfer_out, account.closing) == (
                want["opening"][account.role], flows["in"], flows["out"], flows["t_in"], flows["t_out"],
                want["closing"][account.role]), (code, account.role)
        assert (lpj.profit_before_iks, lpj.iks_set_aside, lpj.profit_after_iks) == (
            want["profit"], want["set_aside"], want["after"]), code
        nr = lpj.neraca
        assert (nr.total_assets, nr.total_liabilities, nr.total_equity) == (
            want["assets"], want["liabilities"], want["equity"]), code
        assert nr.total_assets == nr.total_liabilities_equity, code
        assert (nr.grant_received, nr.grant_passed_on, nr.iks_set_aside_to_date) == (
            want["grant"], want["onward"], want["iks_to_date"]), code
        rows = [*lpj.income_rows, *nr.assets.rows, *nr.liabilities.rows, *nr.equity.rows]
        assert all(r.amount >= 0 for r in rows), code  # nothing printed as a bare negative
        if lpj.annex is not None:
            last = {a.role: a.opening for a in lpj.annex.accounts}
            for line in lpj.annex.lines:
                last[line.account_role] = line.balance
            assert last == want["closing"], code
        figures: dict[str, Any] = lpj_figures(lpj)
        assert figures["cash"]["closing"] == sum(want["closing"].values())
    kinds = set(kube.transactions.values_list("kind", flat=True))
    assert kinds >= {"sale", "purchase", "transfer", "savings_in", "coop_in", "loan_out", "loan_in", "onward",
                     "general", "reversal", "iks_allocation", "iks_use"}, kinds


def test_transfers_are_never_income(cast):
    """A month that only moves money about has no money in or out, whichever way it moves."""
    kube = cast.kube_a
    cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.CAPITAL_IN, amount=900_000, date=date(2026, 5, 1),
                      description="Modal")
    for i, to_bank in enumerate([True, False, True]):
        cash_transfer(actor=cast.ketua, kube=kube, amount=300_000, to_bank=to_bank,
                      date=date(2026, 6, 1) + timedelta(days=i), description="Pindah")
    lpj = lpj_build(kube, parse_period("2026-06"))
    assert (lpj.money.money_in, lpj.money.money_out, lpj.money.transfers) == (0, 0, 900_000)
    assert (lpj.money.account("cash").closing, lpj.money.account("bank").closing) == (600_000, 300_000)
