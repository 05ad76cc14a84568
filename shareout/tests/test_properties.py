"""Property: for any rule, membership history and profit, the posted shares are whole Rupiah, never
negative, add up exactly to the members' part (capital takes the rest), land in the ledger as
decided, and a second posting of the year is refused."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import testing
from books.models import AccountRole, Line, Transaction, TxnKind
from books.services import cash_entry_record, savings_deposit
from books.services.registers import rules_adopt
from registry.services import member_add, member_leave
from shareout.errors import ShareOutError
from shareout.models import ShareOut
from shareout.services import share_out_decide, share_out_post, share_out_propose, share_rule_adopt, year_close

pytestmark = pytest.mark.django_db
_names = itertools.count(1)


@st.composite
def histories(draw):
    joiners = draw(st.lists(st.integers(min_value=2, max_value=12), max_size=3))        # month each joins
    leavers = draw(st.lists(st.integers(min_value=1, max_value=12), max_size=2))        # month founders 4, 5 leave
    savings = draw(st.lists(st.integers(min_value=0, max_value=500_000), min_size=8, max_size=8))
    profit = draw(st.integers(min_value=1, max_value=5_000_000))
    capital = draw(st.integers(min_value=0, max_value=100))
    cut1 = draw(st.integers(min_value=0, max_value=100))
    cut2 = draw(st.integers(min_value=cut1, max_value=100))
    leave_rule = draw(st.sampled_from(["none", "pro_rata"]))
    return joiners, leavers, savings, profit, capital, (cut1, cut2 - cut1, 100 - cut2), leave_rule


def _balance(member, role: str) -> int:
    total = Line.objects.filter(member=member, account__role=role).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (total["c"] or 0) - (total["d"] or 0)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(history=histories())
def test_any_share_out_is_exact_and_posted_once(cast, history):
    joiners, leavers, savings, profit, capital, (w_equal, w_savings, w_work), leave_rule = history
    actor = cast.kab
    kube = testing.make_kube(name=f"KUBE Sifat Bagi {next(_names)}", desa=testing.DESA_A2, actor=actor, n=5,
                             formed_on=date(2025, 1, 2))
    rules_adopt(actor=actor, kube=kube, text="Peraturan", adopted_on=date(2025, 1, 2))
    members = list(kube.members.order_by("id"))
    for month in joiners:
        members.append(member_add(actor=actor, kube=kube, data=testing.member_data(joined_on=date(2025, month, 1))))
    for member, amount in zip(members, savings, strict=False):
        if amount:
            savings_deposit(actor=actor, kube=kube, member=member, amount=amount, date=max(member.joined_on, date(2025, 1, 5)))
    cash_entry_record(actor=actor, kube=kube, kind=TxnKind.SALE, amount=profit, date=date(2025, 6, 15),
                      description="Penjualan")
    for member, month in zip(members[3:5], leavers, strict=False):
        member_leave(actor=actor, member=member, left_on=max(date(2025, month, 20), member.joined_on), reason="pindah")
    year_close(actor=actor, kube=kube, year=2025)
    share_rule_adopt(actor=actor, kube=kube, adopted_on=date(2026, 1, 5), capital_percent=capital,
                     members_percent=100 - capital, weight_equal=w_equal, weight_savings=w_savings,
                     weight_work=w_work, leavers=leave_rule)
    proposal = share_out_propose(actor=actor, kube=kube, year=2025)
    lines = list(proposal.lines.select_related("member"))
    assert all(isinstance(ln.proposed, int) and ln.proposed >= 0 for ln in lines)
    assert sum(ln.proposed for ln in lines) + proposal.remainder == proposal.members_pool
    assert proposal.members_pool == int(Decimal(profit) * (100 - capital) / 100)
    assert 0 <= proposal.remainder < max(1, sum(ln.eligible for ln in lines))
    assert proposal.capital + proposal.members_total == profit
    savings_before = {ln.member_id: _balance(ln.member, AccountRole.SAVINGS) for ln in lines}
    share_out_decide(actor=actor, share_out=proposal, meeting_date=date(2026, 1, 10), present=1, decision="Setuju")
    posted = share_out_post(actor=actor, share_out=proposal)
    for ln in posted.lines.select_related("member"):
        gained = _balance(ln.member, AccountRole.SAVINGS) - savings_before[ln.member_id]
        assert gained == (ln.final if ln.payout == "savings" else 0)
    retained = Line.objects.filter(kube=kube, account__role=AccountRole.RETAINED).aggregate(d=Sum("debit"))["d"] or 0
    assert retained == posted.members_total
    count = Transaction.objects.filter(kube=kube).count()
    with pytest.raises(ShareOutError) as again:
        share_out_post(actor=actor, share_out=posted)
    assert again.value.code == "already_posted"
    with pytest.raises(IntegrityError), transaction.atomic():
        ShareOut.objects.create(kube=kube, year=2025, rule=posted.rule, profit=1, capital_base=1, members_pool=0,
                                remainder=0, capital=1, members_total=0)
    assert Transaction.objects.filter(kube=kube).count() == count
