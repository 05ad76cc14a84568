"""The money books through their pages, as the treasurer, a member, the mentor and the office use them."""

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from books.models import Loan, PeriodClose, Transaction, TxnKind
from books.selectors import cash_balance
from books.services import cash_entry_record, iks_policy_set, loan_disburse, savings_deposit
from grants.models import Grant
from testing import assert_csp_clean


@pytest.fixture
def stall(cast):
    """A group with money in the till: Rp 2 million of members' capital on 2 March 2026."""
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=2_000_000,
                      date=date(2026, 3, 2), description="Modal anggota")
    return cast


def test_a_sale_takes_three_taps_from_the_group_home(client, stall):
    kube = stall.kube_a
    client.force_login(stall.ketua)
    home = client.get(reverse("registry:detail", args=[kube.pk]))                       # the group's home
    entry_url = reverse("books:entry", args=[kube.pk, "sale"]) + f"?next=/kube/{kube.pk}/"
    assert entry_url.replace("&", "&amp;") in home.content.decode() or entry_url in home.content.decode()
    form = client.get(entry_url)                                                        # tap 1: "Penjualan"
    assert 'inputmode="numeric"' in form.content.decode()
    response = client.post(entry_url, {"amount": "450.000", "description": "Penjualan harian",   # 2: amount, 3: save
                                       "date": date.today().isoformat(), "via": "cash",
                                       "next": f"/kube/{kube.pk}/"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/kube/{kube.pk}/"
    assert "Tersimpan: Penjualan Rp450.000" in response.content.decode()
    assert cash_balance(kube) == 2_450_000


def test_the_amount_is_shown_in_words_while_typed(client, stall):
    client.force_login(stall.ketua)
    response = client.get(reverse("books:words"), {"amount": "1.525.000"})
    assert response.content.decode() == "Satu juta lima ratus dua puluh lima ribu rupiah"


def test_cents_are_refused_with_what_to_write(client, stall):
    client.force_login(stall.ketua)
    response = client.post(reverse("books:entry", args=[stall.kube_a.pk, "expense"]),
                           {"amount": "12.500,50", "description": "Listrik", "date": "2026-03-05", "via": "cash"})
    assert "tanpa sen" in response.content.decode()
    assert not Transaction.objects.filter(description="Listrik").exists()


def test_an_expense_larger_than_the_cash_is_refused_on_the_page(client, stall):
    client.force_login(stall.ketua)
    response = client.post(reverse("books:entry", args=[stall.kube_a.pk, "purchase"]),
                           {"amount": "2000001", "description": "Stok", "date": "2026-03-05", "via": "cash"})
    assert "Saldo kas tunai tidak cukup" in response.content.decode()


def test_the_cash_book_shows_a_month_with_its_running_balance_and_exports(client, stall):
    kube = stall.kube_a
    cash_entry_record(actor=stall.ketua, kube=kube, kind=TxnKind.PURCHASE, amount=500_000, date=date(2026, 3, 4),
                      description="Belanja stok")
    client.force_login(stall.pendamping)
    response = client.get(reverse("books:cash_book", args=[kube.pk]), {"bulan": "2026-03"})
    book = response.context["book"]
    assert [ln.balance for ln in book.lines] == [2_000_000, 1_500_000]
    assert "Maret 2026" in response.content.decode()
    sheet = load_workbook(io.BytesIO(client.get(reverse("books:cash_book_xlsx", args=[kube.pk]),
                                                {"bulan": "2026-03"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tanggal", "No. bukti", "Uraian")
    assert rows[-3][3:] == ("Kas tunai", 2_000_000, 500_000, 1_500_000)  # one closing row per account


def test_a_mistake_is_reversed_from_its_receipt_page(client, stall):
    kube = stall.kube_a
    wrong = cash_entry_record(actor=stall.ketua, kube=kube, kind=TxnKind.EXPENSE, amount=80_000,
                              date=date(2026, 3, 6), description="Ongkos dobel")
    client.force_login(stall.ketua)
    url = reverse("books:transaction", args=[kube.pk, wrong.pk])
    response = client.post(url, {"reason": "Tercatat dua kali", "date": "2026-03-07", "confirm": "on"}, follow=True)
    assert "sudah dibalik" in response.content.decode()
    assert Transaction.objects.get(reverses=wrong).amount == 80_000
    assert cash_balance(kube) == 2_000_000


@pytest.mark.parametrize("role", ["anggota", "pendamping", "kabupaten", "provinsi", "pusat"])
def test_others_in_reach_read_the_books_but_cannot_write(client, stall, role):
    user = stall.role_users()[role]
    kube = stall.kube_a
    client.force_login(user)
    for name in ("books:home", "books:cash_book", "books:iks", "books:savings", "books:loans", "books:close",
                 "grants:list"):
        response = client.get(reverse(name, args=[kube.pk]))
        assert response.status_code == 200, name
        assert_csp_clean(response.content.decode(), name)
    response = client.post(reverse("books:entry", args=[kube.pk, "sale"]),
                           {"amount": "1000", "description": "x", "date": "2026-03-05", "via": "cash"})
    assert response.status_code == 403
    assert client.post(reverse("books:savings", args=[kube.pk]), {}).status_code == 403
    assert client.post(reverse("books:close", args=[kube.pk]), {"period": "202603"}).status_code == 403
    assert cash_balance(kube) == 2_000_000


def test_an_outsider_finds_no_books(client, stall):
    client.force_login(stall.outsider)
    assert client.get(reverse("books:home", args=[stall.kube_a.pk])).status_code == 404
    client.force_login(stall.kab)
    assert client.get(reverse("books:cash_book", args=[stall.kube_d.pk])).status_code == 404


def test_iks_is_set_allocated_and_used_on_the_page(client, stall):
    kube = stall.kube_a
    cash_entry_record(actor=stall.ketua, kube=kube, kind=TxnKind.SALE, amount=1_000_000, date=date(2026, 4, 10),
                      description="Penjualan")
    cash_entry_record(actor=stall.ketua, kube=kube, kind=TxnKind.PURCHASE, amount=600_000, date=date(2026, 4, 11),
                      description="Belanja")
    client.force_login(stall.ketua)
    client.post(reverse("books:iks_policy", args=[kube.pk]), {"funds": "Anggota sakit: 5\nPosyandu: 5"})
    assert [f.name for f in kube.iks_funds.all()] == ["Anggota sakit", "Posyandu"]
    page = client.get(reverse("books:iks", args=[kube.pk])).content.decode()
    assert 'data-testid="allocate-202604"' in page
    client.post(reverse("books:iks_allocate", args=[kube.pk]), {"period": "202604"})
    sick = kube.iks_funds.get(name="Anggota sakit")
    response = client.post(reverse("books:iks_use", args=[kube.pk]),
                           {"fund": sick.pk, "amount": "20.000", "description": "Bantuan Ibu Yati",
                            "date": "2026-05-02"}, follow=True)
    assert "Penggunaan dana IKS Rp20.000" in response.content.decode()
    funds = {f.fund.name: f.balance for f in response.context["funds"]}
    assert funds == {"Anggota sakit": 0, "Posyandu": 20_000}


def test_savings_are_deposited_and_an_overdrawn_withdrawal_refused(client, stall):
    kube = stall.kube_a
    member = kube.members.first()
    client.force_login(stall.ketua)
    url = reverse("books:savings", args=[kube.pk])
    client.post(url, {"member": member.pk, "kind": "deposit", "amount": "25000", "date": "2026-03-10"})
    response = client.post(url, {"member": member.pk, "kind": "withdraw", "amount": "30000", "date": "2026-03-11"})
    assert "tidak cukup" in response.content.decode()
    rows = {r.member.pk: r.balance for r in client.get(url).context["rows"]}
    assert rows[member.pk] == 25_000


def test_a_late_loan_counts_in_par30(client, stall):
    kube = stall.kube_a
    member = kube.members.first()
    loan = loan_disburse(actor=stall.ketua, kube=kube, member=member, amount=600_000, term_months=6,
                         fee_percent_month=1, date=date(2026, 3, 5))
    client.force_login(stall.ketua)
    with time_machine.travel(date(2026, 5, 20), tick=False):
        page = client.get(reverse("books:loans", args=[kube.pk]))
        state = page.context["book"].states[0]
        assert state.days_late == 45  # the 5 April instalment is unpaid
        assert page.context["book"].par30 == 100
        response = client.post(reverse("books:loan", args=[kube.pk, loan.pk]),
                               {"amount": "212000", "date": "2026-05-20"}, follow=True)
        assert "Angsuran Rp212.000" in response.content.decode()
        state = response.context["state"]
        assert (state.fee_paid, state.principal_paid) == (12_000, 200_000)  # two months' fee first
        assert state.days_late == 0 and state.next_due.due == date(2026, 6, 5)  # April and May are paid
        assert not state.at_risk_30 and response.context["state"].outstanding == 400_000


def test_a_month_is_closed_and_its_lpj_printed(client, stall):
    kube = stall.kube_a
    cash_entry_record(actor=stall.ketua, kube=kube, kind=TxnKind.SALE, amount=750_000, date=date(2026, 3, 20),
                      description="Penjualan")
    client.force_login(stall.ketua)
    page = client.get(reverse("books:close", args=[kube.pk]))
    assert page.context["next_to_close"] == 202403  # the group was formed in March 2024
    client.post(reverse("books:close", args=[kube.pk]), {"period": "202602", "confirm": "1"})
    assert PeriodClose.objects.filter(kube=kube).count() == 24  # March 2024 to February 2026
    lpj = client.get(reverse("books:lpj", args=[kube.pk, "2026-03"]))
    assert lpj.context["lpj"].statement.profit == 750_000
    pdf = client.get(reverse("books:lpj_pdf", args=[kube.pk, "2026-03"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Laporan Pertanggungjawaban" in text and "Bulan Maret 2026" in text
    assert "Rp2.750.000" in text and "Rp750.000" in text and "SEMENTARA" in text
    assert "Ketua" in text and "Bendahara" in text


def test_the_office_records_a_grant_which_the_officers_spend_and_pass_on(client, stall):
    kube = stall.kube_a
    client.force_login(stall.ketua)
    assert client.post(reverse("grants:list", args=[kube.pk]), {}).status_code == 403
    client.force_login(stall.kab)
    response = client.post(reverse("grants:list", args=[kube.pk]), {
        "name": "Bantuan UEP KUBE", "source": "apbn", "decree_number": "45/2026", "amount": "20.000.000",
        "received_on": "2026-03-03", "bank_name": "BRI", "account_number": "0123", "account_name": kube.name},
        follow=True)
    grant = Grant.objects.get(kube=kube)
    assert grant.transaction.amount == 20_000_000
    assert "masuk buku KUBE" in response.content.decode()
    client.post(reverse("grants:plan", args=[kube.pk, grant.pk]),
                {"lines": "Etalase kaca | 1 | unit | 1500000 | ya\nStok awal sembako | 1 | paket | 8000000 | tidak"})
    assert grant.plan_lines.count() == 2
    client.force_login(stall.ketua)
    etalase = grant.plan_lines.get(item="Etalase kaca")
    client.post(reverse("grants:spend", args=[kube.pk, grant.pk]),
                {"plan_line": etalase.pk, "amount": "1.450.000", "description": "", "date": "2026-03-05"})
    assert kube.inventory.get(name="Etalase kaca").source == "grant"
    client.post(reverse("grants:onward", args=[kube.pk, grant.pk]),
                {"recipient_kind": "keluarga", "recipients": "Ibu Entin | | 500000\nPak Ujang | | 500000",
                 "date": "2026-03-20", "note": "Perguliran pertama"})
    page = client.get(reverse("grants:list", args=[kube.pk]))
    assert page.context["total_passed"] == 1_000_000
    assert cash_balance(kube) == 2_000_000 + 20_000_000 - 1_450_000 - 1_000_000


def test_a_member_sees_their_own_savings_and_loans(client, stall):
    kube = stall.kube_a
    mine = kube.members.get(user=stall.anggota)
    savings_deposit(actor=stall.ketua, kube=kube, member=mine, amount=40_000, date=date(2026, 3, 9))
    loan_disburse(actor=stall.ketua, kube=kube, member=mine, amount=300_000, term_months=3, date=date(2026, 3, 9))
    client.force_login(stall.anggota)
    page = client.get(reverse("books:mine", args=[kube.pk]))
    assert page.context["saving"].balance == 40_000
    assert page.context["loans"][0].outstanding == 300_000
    client.force_login(stall.pendamping)
    assert client.get(reverse("books:mine", args=[kube.pk])).status_code == 404


def test_the_admin_extends_the_chart_of_accounts(client, stall):
    client.force_login(stall.admin)
    client.post(reverse("books:chart"), {"code": "5104", "name": "Biaya pemasaran", "type": "expense"})
    page = client.get(reverse("books:chart")).content.decode()
    assert "Biaya pemasaran" in page
    client.force_login(stall.kab)
    assert client.get(reverse("books:chart")).status_code == 404


def test_loans_disbursed_are_numbered_per_group(stall):
    kube = stall.kube_a
    members = list(kube.members.all())
    loans = [loan_disburse(actor=stall.ketua, kube=kube, member=m, amount=100_000, term_months=2, date=date(2026, 3, 9))
             for m in members[:2]]
    assert [loan.number for loan in loans] == ["P2026-001", "P2026-002"]
    assert Loan.objects.filter(kube=kube).count() == 2
    assert iks_policy_set(actor=stall.ketua, kube=kube, funds=[]) == []
