"""/api/v1 for the money books: same rules, same reach, JSON errors in Indonesian."""

from datetime import date

import pytest

from books.models import Transaction, TxnKind
from books.services import cash_entry_record
from testing import bearer


@pytest.fixture
def kube(cast):
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 2, 2), description="Modal")
    return cast.kube_a


def post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def test_a_sale_is_posted_listed_and_reversed(client, cast, kube):
    auth = bearer(cast.ketua)
    sale = post(client, f"/api/v1/groups/{kube.pk}/transactions",
                {"kind": "sale", "amount": 450_000, "description": "Penjualan", "date": "2026-02-10"}, auth)
    assert sale.status_code == 201, sale.json()
    body = sale.json()
    assert body["receipt"] == "0002/2026" and body["amount"] == 450_000
    assert {(ln["account"], ln["debit"], ln["credit"]) for ln in body["lines"]} == {("1101", 450_000, 0),
                                                                                 ("4101", 0, 450_000)}
    listed = client.get(f"/api/v1/groups/{kube.pk}/transactions?month=2026-02", **auth).json()
    assert [t["kind"] for t in listed["items"]] == ["capital_in", "sale"]
    fix = post(client, f"/api/v1/transactions/{body['id']}/reverse", {"reason": "salah", "date": "2026-02-11"}, auth)
    assert fix.status_code == 201 and fix.json()["reverses"] == body["id"]
    again = post(client, f"/api/v1/transactions/{body['id']}/reverse", {"reason": "lagi"}, auth)
    assert again.status_code == 400 and "sudah pernah dibalik" in again.json()["message"]


def test_a_general_journal_must_balance(client, cast, kube):
    auth = bearer(cast.ketua)
    bad = post(client, f"/api/v1/groups/{kube.pk}/transactions",
               {"kind": "general", "description": "Koreksi", "date": "2026-02-12",
                "lines": [{"account": "1101", "debit": 1000}, {"account": "4103", "credit": 900}]}, auth)
    assert bad.status_code == 400 and bad.json()["code"] == "unbalanced"
    good = post(client, f"/api/v1/groups/{kube.pk}/transactions",
                {"kind": "general", "description": "Hibah warga", "date": "2026-02-12",
                 "lines": [{"account": "1101", "debit": 1000}, {"account": "4103", "credit": 1000}]}, auth)
    assert good.status_code == 201


@pytest.mark.parametrize("amount,code", [(0, 422), (-100, 422), (12.5, 422)])
def test_bad_amounts_are_refused_before_anything_is_saved(client, cast, kube, amount, code):
    auth = bearer(cast.ketua)
    before = Transaction.objects.count()
    response = post(client, f"/api/v1/groups/{kube.pk}/transactions",
                    {"kind": "sale", "amount": amount, "description": "x", "date": "2026-02-10"}, auth)
    assert response.status_code == code and set(response.json()) >= {"code", "message"}
    assert Transaction.objects.count() == before


def test_the_cash_book_and_balances(client, cast, kube):
    auth = bearer(cast.pendamping)
    book = client.get(f"/api/v1/groups/{kube.pk}/cash-book?month=2026-02", **auth).json()
    assert (book["opening"], book["total_in"], book["closing"]) == (0, 1_000_000, 1_000_000)
    assert book["lines"][0]["balance"] == 1_000_000
    balances = {a["code"]: a["balance"] for a in client.get(f"/api/v1/groups/{kube.pk}/accounts", **auth).json()}
    assert balances["1101"] == 1_000_000 and balances["3102"] == 1_000_000


def test_iks_savings_loans_and_close_through_the_api(client, cast, kube):
    auth = bearer(cast.ketua)
    member = kube.members.first()
    post(client, f"/api/v1/groups/{kube.pk}/transactions",
         {"kind": "sale", "amount": 500_000, "description": "Penjualan", "date": "2026-02-15"}, auth)
    funds = client.put(f"/api/v1/groups/{kube.pk}/iks", {"funds": [{"name": "Anggota sakit", "share_percent": "5"},
                                                                   {"name": "Posyandu", "share_percent": "5"}]},
                       content_type="application/json", **auth).json()
    assert [f["name"] for f in funds] == ["Anggota sakit", "Posyandu"]
    allocation = post(client, f"/api/v1/groups/{kube.pk}/iks/allocations", {"period": "2026-02"}, auth)
    assert allocation.status_code == 201 and allocation.json()["amount"] == 50_000
    use = post(client, f"/api/v1/groups/{kube.pk}/iks/uses",
               {"fund": funds[0]["id"], "amount": 25_001, "description": "Bantuan", "date": "2026-03-01"}, auth)
    assert use.status_code == 400 and use.json()["code"] == "overdraft"
    saved = post(client, f"/api/v1/groups/{kube.pk}/savings",
                 {"member": member.pk, "kind": "deposit", "amount": 15_000, "date": "2026-02-20"}, auth)
    assert saved.status_code == 201
    rows = {r["member"]: r["balance"] for r in client.get(f"/api/v1/groups/{kube.pk}/savings", **auth).json()}
    assert rows[member.pk] == 15_000
    loan = post(client, f"/api/v1/groups/{kube.pk}/loans",
                {"member": member.pk, "amount": 300_000, "term_months": 3, "date": "2026-02-21"}, auth)
    assert loan.status_code == 201 and len(loan.json()["schedule"]) == 3
    repaid = post(client, f"/api/v1/loans/{loan.json()['id']}/repayments", {"amount": 100_000, "date": "2026-03-21"},
                  auth)
    assert repaid.status_code == 201
    assert client.get(f"/api/v1/loans/{loan.json()['id']}", **auth).json()["outstanding"] == 200_000
    closed = post(client, f"/api/v1/groups/{kube.pk}/closes", {"period": "2026-02"}, auth)
    assert closed.status_code == 201 and closed.json()["period"] == "2026-02"
    late = post(client, f"/api/v1/groups/{kube.pk}/transactions",
                {"kind": "sale", "amount": 1_000, "description": "Terlambat", "date": "2026-02-28"}, auth)
    assert late.status_code == 400 and late.json()["code"] == "closed_period"


def test_the_lpj_as_figures_and_as_pdf(client, cast, kube):
    auth = bearer(cast.anggota)
    figures = client.get(f"/api/v1/groups/{kube.pk}/lpj?period=2026-02", **auth).json()
    assert figures["cash"]["closing"] == 1_000_000 and figures["closed"] is False
    assert figures["balance_sheet"]["total_assets"] == figures["balance_sheet"]["total_liabilities_equity"]
    quarter = client.get(f"/api/v1/groups/{kube.pk}/lpj?period=2026-Q1", **auth).json()
    assert quarter["label"] == "Triwulan I tahun 2026"
    pdf = client.get(f"/api/v1/groups/{kube.pk}/lpj?period=2026&format=pdf", **auth)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    bad = client.get(f"/api/v1/groups/{kube.pk}/lpj?period=2026-13", **auth)
    assert bad.status_code == 422 and bad.json()["message"] == (
        "Periode ditulis 2026-03 (bulan), 2026-Q1 (triwulan) atau 2026 (tahun).")


def test_read_only_roles_cannot_post_and_outsiders_see_nothing(client, cast, kube):
    body = {"kind": "sale", "amount": 1_000, "description": "x", "date": "2026-02-10"}
    for user in (cast.anggota, cast.pendamping, cast.kab, cast.admin):
        response = post(client, f"/api/v1/groups/{kube.pk}/transactions", body, bearer(user))
        assert response.status_code == 403, user
    response = client.get(f"/api/v1/groups/{kube.pk}/transactions", **bearer(cast.outsider))
    assert response.status_code == 404
    txn = Transaction.objects.filter(kube=kube).first()
    assert txn is not None
    assert client.get(f"/api/v1/transactions/{txn.pk}", **bearer(cast.kab_other)).status_code == 404


def test_grants_are_recorded_by_the_office_and_spent_by_the_officers(client, cast, kube):
    office, officer = bearer(cast.kab), bearer(cast.ketua)
    grant = {"name": "Bantuan UEP", "source": "apbn", "decree_number": "7/2026", "amount": 10_000_000,
             "received_on": "2026-02-03", "bank_name": "BRI", "account_number": "1", "account_name": kube.name}
    assert post(client, f"/api/v1/groups/{kube.pk}/grants", grant, officer).status_code == 403
    created = post(client, f"/api/v1/groups/{kube.pk}/grants", grant, office)
    assert created.status_code == 201
    grant_id = created.json()["id"]
    plan = client.put(f"/api/v1/grants/{grant_id}/plan",
                      {"lines": [{"item": "Gerobak", "quantity": 1, "unit": "unit", "unit_cost": 2_500_000,
                                  "is_asset": True}]}, content_type="application/json", **office).json()
    spent = post(client, f"/api/v1/grants/{grant_id}/spends",
                 {"plan_line": plan["plan"][0]["id"], "amount": 2_400_000, "date": "2026-02-10"}, officer)
    assert spent.status_code == 201 and spent.json()["plan"][0]["spent"] == 2_400_000
    passed = post(client, f"/api/v1/grants/{grant_id}/onward-transfers",
                  {"recipient_kind": "keluarga", "recipients": [{"name": "Ibu Entin", "amount": 750_000}],
                   "date": "2026-02-20"}, officer)
    assert passed.status_code == 201 and passed.json()["passed_on"] == 750_000
    too_much = client.put(f"/api/v1/grants/{grant_id}/plan",
                          {"lines": [{"item": "Mobil", "unit_cost": 50_000_000}]}, content_type="application/json",
                          **office)
    assert too_much.status_code == 400 and "melebihi bantuan" in too_much.json()["message"]


def test_loans_are_listed_a_page_at_a_time_with_the_portfolio_totals(client, cast, kube):
    auth = bearer(cast.ketua)
    first, second = kube.members.order_by("id")[:2]
    ids = [post(client, f"/api/v1/groups/{kube.pk}/loans",
                {"member": m.pk, "amount": amount, "term_months": 3, "date": day}, auth).json()["id"]
           for m, amount, day in ((first, 300_000, "2026-02-21"), (second, 200_000, "2026-02-21"))]
    page = client.get(f"/api/v1/groups/{kube.pk}/loans?page_size=1", **bearer(cast.anggota)).json()
    assert (page["count"], page["page_size"], page["outstanding"]) == (2, 1, 500_000)
    assert [loan["id"] for loan in page["items"]] == [ids[1]]  # the same day: the later one first
    rest = client.get(f"/api/v1/groups/{kube.pk}/loans?page=2&page_size=1", **bearer(cast.anggota)).json()
    assert [loan["id"] for loan in rest["items"]] == [ids[0]] and rest["outstanding"] == 500_000
    assert client.get(f"/api/v1/groups/{kube.pk}/loans", **bearer(cast.kab_other)).status_code == 404


def test_closed_months_are_listed_a_page_at_a_time(client, cast, kube):
    auth = bearer(cast.ketua)
    for period in ("2026-02", "2026-03"):
        assert post(client, f"/api/v1/groups/{kube.pk}/closes", {"period": period}, auth).status_code == 201
    every = client.get(f"/api/v1/groups/{kube.pk}/closes?page_size=200", **bearer(cast.pendamping)).json()
    periods = [c["period"] for c in every["items"]]
    # Closing a month closes every open month before it, from the month the group was formed.
    assert every["count"] == len(periods) == 25 and periods[0] == "2024-03"
    assert periods == sorted(periods) and periods[-2:] == ["2026-02", "2026-03"]
    second = client.get(f"/api/v1/groups/{kube.pk}/closes?page=2&page_size=10", **auth).json()
    assert [c["period"] for c in second["items"]] == periods[10:20]
    assert client.get(f"/api/v1/groups/{kube.pk}/closes", **bearer(cast.outsider)).status_code == 404


def test_savings_of_namesakes_come_in_member_order(client, cast, kube):
    from registry.models import Member

    namesakes = list(kube.members.order_by("id").values_list("pk", flat=True)[1:3])
    Member.objects.filter(pk__in=namesakes).update(name="Aam Amalia")
    rows = client.get(f"/api/v1/groups/{kube.pk}/savings", **bearer(cast.ketua)).json()
    assert [r["member"] for r in rows[:2]] == namesakes and rows[0]["name"] == rows[1]["name"] == "Aam Amalia"


def test_the_administrator_keeps_the_chart_of_accounts(client, cast):
    auth = bearer(cast.admin)
    chart = client.get("/api/v1/accounts?page_size=200", **auth).json()
    codes = [a["code"] for a in chart["items"]]
    assert chart["count"] == len(codes) and codes == sorted(codes) and "1101" in codes
    created = post(client, "/api/v1/accounts", {"code": "5199", "name": "Biaya   lain-lain", "type": "expense"}, auth)
    assert created.status_code == 201, created.json()
    assert {k: created.json()[k] for k in ("code", "name", "type", "role", "is_active")} == {
        "code": "5199", "name": "Biaya lain-lain", "type": "expense", "role": None, "is_active": True}
    assert "5199" in [a["code"] for a in client.get("/api/v1/accounts?page_size=200", **auth).json()["items"]]
    twice = post(client, "/api/v1/accounts", {"code": "5199", "name": "Lagi", "type": "expense"}, auth)
    assert twice.status_code == 400
    assert twice.json() == {"code": "invalid", "message": "Kode akun 5199 sudah ada.", "field": "code"}
    short = post(client, "/api/v1/accounts", {"code": "51", "name": "Pendek", "type": "expense"}, auth)
    assert short.json()["message"] == "Kode harus 3 sampai 10 angka, misalnya 5105." and short.json()["field"] == "code"
    kind = post(client, "/api/v1/accounts", {"code": "5198", "name": "Lain", "type": "biaya"}, auth)
    assert kind.status_code == 422 and kind.json()["field"] == "type"  # the document lists the codes (enum)
    assert kind.json()["message"].startswith("Golongan harus salah satu dari: asset, ")


def test_only_the_administrator_sees_the_chart_of_accounts(client, cast):
    # As the page /kube/buku/akun/: the chart is the administrator's, other roles do not see it (404).
    for user in (cast.pusat, cast.kab, cast.pendamping, cast.ketua):
        assert client.get("/api/v1/accounts", **bearer(user)).status_code == 404, user.username
        refused = post(client, "/api/v1/accounts", {"code": "5199", "name": "Lain", "type": "expense"}, bearer(user))
        assert refused.status_code == 404 and refused.json()["code"] == "not_found", user.username
    from books.models import Account

    assert not Account.objects.filter(code="5199").exists()
