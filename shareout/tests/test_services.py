"""The share-out as the group's treasurer and its auditor check it: the year of conftest.build_year,
closed, proposed, decided by the meeting and posted; the ledger afterwards; what is refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from books.lpj import lpj_build, lpj_figures, parse_period
from books.models import AccountRole, Line, PeriodClose, Transaction
from books.selectors import cash_balance
from shareout.errors import ShareOutError
from shareout.models import ShareOut, ShareRule, Status, YearClose
from shareout.services import share_out_decide, share_out_post, share_out_propose, share_rule_adopt, year_close
from testing.shareout import build_year

pytestmark = pytest.mark.django_db


def savings_of(member) -> int:
    total = Line.objects.filter(member=member, account__role=AccountRole.SAVINGS).aggregate(
        d=Sum("debit"), c=Sum("credit"))
    return (total["c"] or 0) - (total["d"] or 0)


def retained(kube) -> int:
    total = Line.objects.filter(kube=kube, account__role=AccountRole.RETAINED).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (total["c"] or 0) - (total["d"] or 0)


def savings_rule(cast, kube, **overrides):
    values = {"capital_percent": 30, "members_percent": 70, "weight_savings": 100, "leavers": "pro_rata",
              **overrides}
    return share_rule_adopt(actor=cast.kab, kube=kube, adopted_on=date(2026, 1, 5), **values)


def test_the_year_close_fixes_the_profit_and_closes_every_month(cast, year):
    closing = year_close(actor=cast.kab, kube=year.kube, year=2025)
    # March: 2.000.000 − 444.439 = 1.555.561; IKS 10 % = 155.556 (rounded down); after IKS 1.400.005.
    assert (closing.profit_before_iks, closing.iks_set_aside, closing.profit_after_iks) == (1_555_561, 155_556, 1_400_005)
    assert set(PeriodClose.objects.filter(kube=year.kube).values_list("period", flat=True)) == {
        202500 + m for m in range(1, 13)}
    with pytest.raises(ShareOutError, match="sudah ditutup"):
        year_close(actor=cast.kab, kube=year.kube, year=2025)


def test_savings_months_share_out_posted_to_the_ledger(cast, year):
    """Worked example: 70 % of Rp1.400.005 by savings × months, G (left in September) pro rata."""
    year_close(actor=cast.kab, kube=year.kube, year=2025)
    savings_rule(cast, year.kube)
    m = year.m
    before = {k: savings_of(v) for k, v in m.items()}
    assert before == {"A": 100_000, "B": 100_000, "C": 100_000, "D": 100_000, "E": 100_000, "F": 100_000,
                      "G": 0, "H": 200_000}
    cash_before = cash_balance(year.kube)
    proposal = share_out_propose(actor=cast.kab, kube=year.kube, year=2025)
    lines = {ln.member.name[0]: ln for ln in proposal.lines.select_related("member")}
    # Savings × months: A–F 12 × 100.000; G 8 × 100.000 (January–August); H 9 × 200.000 (April–December).
    assert {k: ln.savings_months for k, ln in lines.items()} == {
        "A": 1_200_000, "B": 1_200_000, "C": 1_200_000, "D": 1_200_000, "E": 1_200_000, "F": 1_200_000,
        "G": 800_000, "H": 1_800_000}
    assert {k: ln.months for k, ln in lines.items()} == {**dict.fromkeys("ABCDEF", 12), "G": 8, "H": 9}
    # Pool 980.003: A 120.000,37 → 120.000; G 80.000,24 → 80.000; H 180.000,55 → 180.000.
    assert {k: ln.proposed for k, ln in lines.items()} == {**dict.fromkeys("ABCDEF", 120_000), "G": 80_000,
                                                           "H": 180_000}
    assert (proposal.members_pool, proposal.members_total, proposal.remainder, proposal.capital) == (
        980_003, 980_000, 3, 420_005)
    assert lines["G"].payout == "cash" and lines["A"].payout == "savings"

    share_out_decide(actor=cast.kab, share_out=proposal, meeting_date=date(2026, 1, 10), present=6,
                     decision="Pembagian disetujui sesuai aturan.")
    posted = share_out_post(actor=cast.kab, share_out=proposal)
    assert posted.status == Status.POSTED and posted.posted_on == date(2026, 1, 10)
    after = {k: savings_of(v) for k, v in m.items()}
    # Each member's savings up by their share; G, who left, was paid in cash.
    assert after == {**dict.fromkeys("ABCDEF", 220_000), "G": 0, "H": 380_000}
    assert cash_balance(year.kube) == cash_before - 80_000
    # Saldo laba down by the members' total; the capital's Rp420.005 stays in it as the group's own.
    assert retained(year.kube) == -980_000
    txn = posted.transaction
    assert txn is not None and txn.amount == 980_000 and txn.date == date(2026, 1, 10)
    assert sorted((ln.account.role, ln.member_id, ln.debit, ln.credit) for ln in txn.lines.select_related("account")) == sorted(
        [("retained", None, 980_000, 0), ("cash", m["G"].pk, 0, 80_000)]
        + [("savings", m[k].pk, 0, 120_000) for k in "ABCDEF"] + [("savings", m["H"].pk, 0, 180_000)])

    # The LPJ of 2026 shows the share-out as its own line; equity still balances the assets.
    lpj = lpj_build(year.kube, parse_period("2026"))
    figures: Any = lpj_figures(lpj)
    assert figures["balance_sheet"]["retained"]["distributed"] == 980_000
    assert figures["balance_sheet"]["total_assets"] == figures["balance_sheet"]["total_liabilities_equity"]
    # The LPJ of 2025 carries the close and the share-out in its notes.
    later: Any = lpj_figures(lpj_build(year.kube, parse_period("2025")))
    notes = later["notes"]["more"]
    assert notes[0]["title"].startswith("g. Tutup buku tahunan")
    assert ["Hana", "Rp180.000", "—", "Rp180.000"] in notes[0]["rows"]


def test_equal_share_out_with_an_adjustment_from_capital(cast, year):
    year_close(actor=cast.kab, kube=year.kube, year=2025)
    share_rule_adopt(actor=cast.kab, kube=year.kube, adopted_on=date(2026, 1, 5), capital_percent=40,
                     members_percent=60, weight_equal=100, leavers="none")
    proposal = share_out_propose(actor=cast.kab, kube=year.kube, year=2025)
    lines = {ln.member.name[0]: ln for ln in proposal.lines.select_related("member")}
    # 60 % of 1.400.005 = 840.003; 6 × 12 + 9 = 81 months (G left: no share); 840.003 / 81 = 10.370,40 a month.
    # A–F: 124.444,89 → 124.444; H: 93.333,67 → 93.333. 6 × 124.444 + 93.333 = 839.997: Rp6 to capital.
    assert {k: ln.proposed for k, ln in lines.items()} == {**dict.fromkeys("ABCDEF", 124_444), "G": 0, "H": 93_333}
    assert (proposal.remainder, proposal.capital) == (6, 560_008)
    decided = share_out_decide(actor=cast.kab, share_out=proposal, meeting_date=date(2026, 1, 10), present=7,
                               decision="Hana mendapat tambahan karena mengurus pemasaran.",
                               adjustments={year.m["H"].pk: (10_000, "Mengurus pemasaran sepanjang tahun")})
    assert decided.members_total == 849_997 and decided.capital == 550_008
    share_out_post(actor=cast.kab, share_out=decided)
    assert savings_of(year.m["H"]) == 200_000 + 103_333
    assert retained(year.kube) == -849_997


def test_bad_rules_are_refused_and_nothing_saved(cast, year):
    with pytest.raises(ShareOutError, match="harus berjumlah 100 %, bukan 90 %") as caught:
        share_rule_adopt(actor=cast.kab, kube=year.kube, adopted_on=date(2026, 1, 5), capital_percent=40,
                         members_percent=60, weight_equal=50, weight_savings=40)
    assert caught.value.code == "weights_not_100"
    with pytest.raises(ShareOutError, match="harus berjumlah 100 %"):
        share_rule_adopt(actor=cast.kab, kube=year.kube, adopted_on=date(2026, 1, 5), capital_percent=40,
                         members_percent=50, weight_equal=100)
    assert not ShareRule.objects.filter(kube=year.kube).exists()


def test_a_group_without_rules_book_cannot_adopt(cast):
    with pytest.raises(ShareOutError, match="Catat dulu Buku Peraturan KUBE") as caught:
        share_rule_adopt(actor=cast.kab, kube=cast.kube_b, adopted_on=date(2026, 1, 5), capital_percent=40,
                         members_percent=60, weight_equal=100)
    assert caught.value.code == "no_rules"


def test_a_loss_is_not_shared_out(cast):
    year = build_year(cast, name="KUBE Rugi Bersama", sales=300_000, purchases=444_439)
    closing = year_close(actor=cast.kab, kube=year.kube, year=2025)
    assert closing.profit_after_iks == -144_439
    savings_rule(cast, year.kube)
    with pytest.raises(ShareOutError, match="tidak berlaba") as caught:
        share_out_propose(actor=cast.kab, kube=year.kube, year=2025)
    assert caught.value.code == "no_profit"
    assert not ShareOut.objects.filter(kube=year.kube).exists()


def test_a_year_not_closed_is_not_shared_out(cast, year):
    savings_rule(cast, year.kube)
    with pytest.raises(ShareOutError, match="belum ditutup") as caught:
        share_out_propose(actor=cast.kab, kube=year.kube, year=2025)
    assert caught.value.code == "year_open"
    with pytest.raises(ShareOutError, match="belum berakhir") as not_over:
        year_close(actor=cast.kab, kube=year.kube, year=timezone.localdate().year)
    assert not_over.value.code == "year_not_over"
    assert not ShareOut.objects.exists() and not YearClose.objects.exists()


def test_a_posted_share_out_cannot_be_changed_or_posted_again(cast, year):
    year_close(actor=cast.kab, kube=year.kube, year=2025)
    savings_rule(cast, year.kube)
    proposal = share_out_propose(actor=cast.kab, kube=year.kube, year=2025)
    with pytest.raises(ShareOutError, match="setelah diputuskan musyawarah") as undecided:
        share_out_post(actor=cast.kab, share_out=proposal)
    assert undecided.value.code == "not_decided"
    share_out_decide(actor=cast.kab, share_out=proposal, meeting_date=date(2026, 1, 10), present=7, decision="Setuju")
    share_out_post(actor=cast.kab, share_out=proposal)
    count = Transaction.objects.filter(kube=year.kube).count()
    lines = list(ShareOut.objects.get(pk=proposal.pk).lines.values_list("member_id", "final", "payout"))
    for attempt in (
        lambda: share_out_post(actor=cast.kab, share_out=proposal),
        lambda: share_out_propose(actor=cast.kab, kube=year.kube, year=2025),
        lambda: share_out_decide(actor=cast.kab, share_out=proposal, meeting_date=date(2026, 1, 11), present=7,
                                 decision="Ubah", adjustments={year.m["A"].pk: (5_000, "Tambahan")}),
    ):
        with pytest.raises(ShareOutError, match="sudah dibukukan") as caught:
            attempt()
        assert caught.value.code == "already_posted"
    assert Transaction.objects.filter(kube=year.kube).count() == count
    assert list(ShareOut.objects.get(pk=proposal.pk).lines.values_list("member_id", "final", "payout")) == lines
    # The database refuses a second share-out of the same year, whoever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        ShareOut.objects.create(kube=year.kube, year=2025, rule=proposal.rule, profit=1, capital_base=1,
                                members_pool=0, remainder=0, capital=1, members_total=0)


@pytest.mark.parametrize(("change", "message", "code"), [
    (lambda m: {"adjustments": {m["A"].pk: (5_000, "")}}, "Tulis alasan penyesuaian", "reason_missing"),
    (lambda m: {"adjustments": {m["A"].pk: (-120_001, "Utang")}}, "tidak boleh kurang dari nol", "negative_share"),
    (lambda m: {"adjustments": {m["A"].pk: (1_000_000, "Hadiah")}}, "melebihi laba", "more_than_profit"),
    (lambda m: {"payouts": {m["G"].pk: "savings"}}, "sudah keluar", "left_member_savings"),
    (lambda m: {"meeting_date": date(2025, 12, 20)}, "setelah tahun buku berakhir", "invalid"),
    (lambda m: {"present": 9}, "Jumlah anggota hadir 1 sampai 7", "invalid"),
    (lambda m: {"decision": "  "}, "Tulis keputusan musyawarah", "invalid"),
])
def test_a_bad_decision_is_refused_and_the_proposal_kept(cast, year, change, message, code):
    year_close(actor=cast.kab, kube=year.kube, year=2025)
    savings_rule(cast, year.kube)
    proposal = share_out_propose(actor=cast.kab, kube=year.kube, year=2025)
    values = {"meeting_date": date(2026, 1, 10), "present": 7, "decision": "Setuju", **change(year.m)}
    with pytest.raises(ShareOutError, match=message) as caught:
        share_out_decide(actor=cast.kab, share_out=proposal, **values)
    assert caught.value.code == code
    fresh = ShareOut.objects.get(pk=proposal.pk)
    assert fresh.status == Status.PROPOSED and fresh.meeting_date is None
    assert sum(fresh.lines.values_list("final", flat=True)) == 980_000
