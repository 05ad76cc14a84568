"""The members' messages of the books' events, queued in the event's transaction (messaging/).

Each function asks which of the members named have a consent in force first (one query), and
reads balances only for those, so a group without consent pays one query per posting.
Balances are the member's own, over every line so far (the one just written included).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Sum

from books.models import AccountRole, Line, Loan, Transaction
from books.selectors import cash_balance
from lib.periods import period_bounds
from messaging.models import Event
from messaging.services import consenting, message_queue
from messaging.texts import Figures
from registry.models import Kube, Member


def _savings(kube: Kube, member_ids: set[int], *, until: date | None = None) -> dict[int, int]:
    lines = Line.objects.filter(kube=kube, account__role=AccountRole.SAVINGS, member_id__in=member_ids)
    if until is not None:
        lines = lines.filter(date__lte=until)
    rows = lines.values("member_id").annotate(d=Sum("debit"), c=Sum("credit"))
    return {r["member_id"]: (r["c"] or 0) - (r["d"] or 0) for r in rows}


def savings_told(*, kube: Kube, txn: Transaction, rows: Sequence[tuple[Member, int, int]], event: str,
                 ref: str | None = None) -> None:
    """Each (member, deposited, withdrawn) of a posting: one message per member."""
    told = consenting(m.pk for m, _d, _w in rows)
    if not told:
        return
    balances = _savings(kube, told)
    for member, deposited, withdrawn in rows:
        if member.pk not in told:
            continue
        if event == Event.MEETING:
            figures = Figures(day=txn.date, amount=deposited, withdrawal=withdrawn, balance=balances.get(member.pk, 0))
        else:
            figures = Figures(day=txn.date, amount=deposited or withdrawn, balance=balances.get(member.pk, 0))
        message_queue(kube=kube, member=member, event=event, ref=ref or f"txn{txn.pk}", figures=figures,
                      consent_checked=True)


def repayment_told(*, loan: Loan, txn: Transaction, outstanding: int) -> None:
    member = loan.member
    if member.pk not in consenting([member.pk]):
        return
    message_queue(kube=loan.kube, member=member, event=Event.REPAYMENT, ref=f"txn{txn.pk}", consent_checked=True,
                  figures=Figures(day=txn.date, amount=txn.amount, balance=outstanding))


def month_close_told(*, kube: Kube, period: int) -> None:
    """After a month's close, each consenting active member: their savings and the group's cash at
    the month's end."""
    members = list(kube.members.filter(left_on__isnull=True).exclude(phone=""))
    told = consenting(m.pk for m in members)
    if not told:
        return
    _start, end = period_bounds(period)
    balances = _savings(kube, told, until=end)
    cash = cash_balance(kube, until=end)
    label = f"{period % 100:02d}/{period // 100}"
    for member in members:
        if member.pk in told:
            message_queue(kube=kube, member=member, event=Event.MONTH_CLOSE, ref=f"close{kube.pk}-{period}",
                          consent_checked=True,
                          figures=Figures(day=end, balance=balances.get(member.pk, 0), cash=cash, period=label))


def share_out_told(*, kube: Kube, ref: str, day: date, year: int, rows: Sequence[tuple[Member, int, bool]]) -> None:
    """Each (member, share, paid in cash) of a posted share-out."""
    told = consenting(m.pk for m, _a, _c in rows)
    if not told:
        return
    balances = _savings(kube, told)
    for member, amount, in_cash in rows:
        if member.pk in told:
            message_queue(kube=kube, member=member, event=Event.SHARE_OUT, ref=ref, consent_checked=True,
                          figures=Figures(day=day, amount=amount, balance=balances.get(member.pk, 0),
                                          period=str(year), in_cash=in_cash))
