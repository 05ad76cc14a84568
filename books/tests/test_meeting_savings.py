"""Savings at the members' meeting from one sheet (setoran rapat): one receipt for every deposit,
each member's line in their own savings, all or nothing. Balances are read straight from the
ledger lines here, not through the books' selectors."""

from datetime import date

import pytest
from django.db.models import Sum
from django.urls import reverse

from books.errors import BooksError
from books.models import Line, Transaction, TxnKind
from books.services import MeetingSaving, cash_entry_record, meeting_savings_record, savings_deposit
from registry.models import Member
from testing import bearer

DAY = date(2026, 3, 5)


def ledger_balance(role: str, member: Member | None = None) -> int:
    """Credit minus debit on the account with this role (savings, coop: per member; cash: the group's)."""
    lines = Line.objects.filter(account__role=role)
    if member is not None:
        lines = lines.filter(member=member)
    sums = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["c"] or 0) - (sums["d"] or 0)


@pytest.fixture
def group(cast):
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=100_000,
                      date=date(2026, 3, 1), description="Modal")
    return cast.kube_a, list(cast.kube_a.members.order_by("id"))


def test_six_deposits_are_one_receipt_and_each_members_own_line(cast, group):
    kube, members = group
    before = Transaction.objects.count()
    posted = meeting_savings_record(actor=cast.ketua, kube=kube, date=DAY,
                                    lines=[MeetingSaving(m, deposit=50_000) for m in members])
    assert Transaction.objects.count() == before + 1 and posted.withdrawals is None and posted.to_coop is None
    deposit = posted.deposits
    assert deposit is not None
    assert deposit.kind == TxnKind.SAVINGS_DEPOSIT and deposit.amount == 300_000 and deposit.receipt == "0002/2026"
    assert deposit.description == "Setoran simpanan rapat (6 anggota)"
    assert {m.pk: ledger_balance("savings", m) for m in members} == {m.pk: 50_000 for m in members}
    assert -ledger_balance("cash") == 100_000 + 300_000  # cash is debit-normal


def test_deposits_withdrawals_and_the_cooperative_in_one_flow(cast, group):
    kube, members = group
    savings_deposit(actor=cast.ketua, kube=kube, member=members[1], amount=30_000, date=date(2026, 3, 2))
    posted = meeting_savings_record(actor=cast.ketua, kube=kube, date=DAY, lines=[
        MeetingSaving(members[0], deposit=20_000, to_coop=15_000),
        MeetingSaving(members[1], withdrawal=25_000),
        MeetingSaving(members[2], deposit=10_000, to_coop=10_000),
        MeetingSaving(members[3]),  # absent: nothing for them
    ])
    assert [t.kind for t in posted.posted] == [TxnKind.SAVINGS_DEPOSIT, TxnKind.SAVINGS_WITHDRAWAL, TxnKind.COOP_DEPOSIT]
    assert [t.amount for t in posted.posted] == [30_000, 25_000, 25_000]
    assert [ledger_balance("savings", m) for m in members[:4]] == [20_000, 5_000, 10_000, 0]
    assert [-ledger_balance("coop", m) for m in members[:4]] == [15_000, 0, 10_000, 0]  # held at the cooperative
    assert -ledger_balance("cash") == 100_000 + 30_000 + 30_000 - 25_000 - 25_000


@pytest.mark.parametrize(("lines", "message"), [
    (lambda m: [MeetingSaving(m[0], deposit=10_000), MeetingSaving(m[1], withdrawal=5_000)],
     "Saldo simpanan"),  # m[1] has saved nothing: the whole sheet is refused
    (lambda m: [MeetingSaving(m[0], deposit=10_000), MeetingSaving(m[0], deposit=5_000)],
     "tertulis dua kali"),
    (lambda m: [MeetingSaving(m[0]), MeetingSaving(m[1])], "paling sedikit satu anggota"),
    (lambda m: [MeetingSaving(m[0], deposit=10_000), MeetingSaving(m[1], deposit=12_500.5)],
     "Setoran Euis Rohmat: Jumlah harus bilangan bulat Rupiah"),
    (lambda m: [MeetingSaving(m[0], deposit=-5_000)], "Setoran Ani Suryani: Jumlah harus lebih dari nol."),
])
def test_a_bad_sheet_is_refused_whole_with_what_to_fix(cast, group, lines, message):
    kube, members = group
    before = (Transaction.objects.count(), Line.objects.count())
    with pytest.raises(BooksError) as refused:
        meeting_savings_record(actor=cast.ketua, kube=kube, date=DAY, lines=lines(members))
    assert message in refused.value.message
    assert (Transaction.objects.count(), Line.objects.count()) == before


def test_the_api_posts_the_sheet_and_refuses_a_member_of_another_group(client, cast, group):
    kube, members = group
    url = f"/api/v1/groups/{kube.pk}/savings/meeting"
    body = {"date": "2026-03-05", "lines": [{"member": m.pk, "deposit": 20_000, "to_coop": 10_000} for m in members]}
    answer = client.post(url, body, content_type="application/json", **bearer(cast.ketua))
    assert answer.status_code == 201, answer.json()
    assert answer.json()["deposits"]["amount"] == 120_000 and answer.json()["to_coop"]["amount"] == 60_000
    assert answer.json()["withdrawals"] is None
    other = cast.kube_b.members.first()
    before = Transaction.objects.count()
    refused = client.post(url, {"lines": [{"member": members[0].pk, "deposit": 5_000}, {"member": other.pk, "deposit": 5_000}]},
                          content_type="application/json", **bearer(cast.ketua))
    assert refused.status_code == 404 and Transaction.objects.count() == before
    reader = client.post(url, body, content_type="application/json", **bearer(cast.pendamping))
    assert reader.status_code == 403 and Transaction.objects.count() == before


def sheet(members, **amounts) -> dict[str, str]:
    """The sheet's POST: `deposit=[...]` etc. by member order."""
    data = {"date": "2026-03-05"}
    for column, values in amounts.items():
        for member, value in zip(members, values, strict=False):
            data[f"{column}-{member.pk}"] = value
    return data


def test_the_sheet_page_saves_every_deposit_as_one_receipt(client, cast, group):
    kube, members = group
    client.force_login(cast.ketua)
    url = reverse("books:meeting_savings", args=[kube.pk])
    savings_page = client.get(reverse("books:savings", args=[kube.pk])).content.decode()
    assert url in savings_page  # reached from the savings book
    page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('data-testid="sheet-row"') == 6
    total = client.post(reverse("books:meeting_savings_total", args=[kube.pk]),
                        sheet(members, deposit=["50.000"] * 6, to_coop=["20000"]))
    assert "Rp300.000" in total.content.decode() and "tiga ratus ribu rupiah" in total.content.decode().lower()
    before = Transaction.objects.count()
    saved = client.post(url, sheet(members, deposit=["50.000"] * 6, to_coop=["20000"]))
    assert saved.status_code == 302
    assert Transaction.objects.count() == before + 2  # the deposits, and the one passed to the cooperative
    assert [ledger_balance("savings", m) for m in members] == [50_000] * 6
    assert -ledger_balance("coop", members[0]) == 20_000


def test_a_bad_amount_on_the_sheet_names_the_member_and_saves_nothing(client, cast, group):
    kube, members = group
    client.force_login(cast.ketua)
    before = Transaction.objects.count()
    page = client.post(reverse("books:meeting_savings", args=[kube.pk]), sheet(members, deposit=["50.000", "12,5"]))
    assert page.status_code == 200 and Transaction.objects.count() == before
    assert page.context["form"].errors[f"deposit-{members[1].pk}"]
    total = client.post(reverse("books:meeting_savings_total", args=[kube.pk]), sheet(members, deposit=["50.000", "12,5"]))
    assert 'role="alert"' in total.content.decode()
    overdrawn = client.post(reverse("books:meeting_savings", args=[kube.pk]),
                            sheet(members, deposit=["10000"], withdrawal=["", "5000"]))
    assert overdrawn.status_code == 200 and "tidak cukup" in overdrawn.content.decode()
    assert Transaction.objects.count() == before


def test_readers_of_the_books_cannot_open_the_sheet(client, cast, group):
    kube, _members = group
    client.force_login(cast.pendamping)
    assert client.get(reverse("books:meeting_savings", args=[kube.pk])).status_code == 403
    assert reverse("books:meeting_savings", args=[kube.pk]) not in client.get(
        reverse("books:savings", args=[kube.pk])).content.decode()
