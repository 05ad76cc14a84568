"""The accountability report (LPJ) the officers give members: monthly, quarterly or yearly.

Every figure is read from the ledger and the registers for the period; the page, the PDF
and the API all render this one structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from books.errors import BooksError
from books.models import Activity, InventoryEvent, InventoryItem, Line, PeriodClose, TxnKind
from books.models.ledger import CASH_ROLES
from books.selectors import (
    BalanceSheet,
    IncomeStatement,
    Portfolio,
    balance_sheet,
    cash_balance,
    iks_funds,
    income_statement,
    month_bounds,
    portfolio,
    savings,
)
from registry.models import Kube
from registry.selectors import current_officers

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | year
    year: int
    number: int  # month 1-12, quarter 1-4, or 0 for a year

    @property
    def months(self) -> list[int]:
        if self.kind == "month":
            return [self.year * 100 + self.number]
        if self.kind == "quarter":
            first = (self.number - 1) * 3 + 1
            return [self.year * 100 + m for m in range(first, first + 3)]
        return [self.year * 100 + m for m in range(1, 13)]

    @property
    def start(self) -> date:
        first = self.months[0]
        return date(first // 100, first % 100, 1)

    @property
    def end(self) -> date:
        last = self.months[-1]
        return month_bounds(last // 100, last % 100)[1]

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Bulan %(m)s") % {"m": date_format(self.start, "F Y")}
        if self.kind == "quarter":
            return _("Triwulan %(q)s tahun %(y)s") % {"q": ["I", "II", "III", "IV"][self.number - 1], "y": self.year}
        return _("Tahun %(y)s") % {"y": self.year}


def parse_period(text: str) -> Period:
    """"2026-03" (a month), "2026-Q1" (a quarter) or "2026" (a year)."""
    match = _PERIOD.match((text or "").strip())
    if not match:
        raise BooksError(_("Periode ditulis 2026-03 (bulan), 2026-Q1 (triwulan) atau 2026 (tahun)."),
                         field="period", code="bad_period")
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise BooksError(_("Tahun periode tidak masuk akal."), field="period", code="bad_period")
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise BooksError(_("Bulan harus 01 sampai 12."), field="period", code="bad_period")
        return Period("month", year, month)
    if match.group(3):
        return Period("quarter", year, int(match.group(3)))
    return Period("year", year, 0)


@dataclass
class ActivityRow:
    activity: Activity
    present: int
    recorded: int


@dataclass
class Lpj:
    kube: Kube
    period: Period
    closed: bool
    cash_opening: int
    cash_in: int
    cash_out: int
    cash_closing: int
    cash_by_kind: list[tuple[str, int, int]]
    statement: IncomeStatement
    balance: BalanceSheet
    iks: list[tuple[str, int, int, int]]  # fund, allocated in period, used in period, balance at end
    savings: list[tuple[str, int, int]]   # member, saved balance at end, at the cooperative
    savings_total: int
    loans: Portfolio
    activities: list[ActivityRow]
    acquired: list[InventoryItem]
    inventory_events: list[InventoryEvent]
    signers: list[tuple[str, str]]

    @property
    def attendance_rate(self) -> int | None:
        recorded = sum(a.recorded for a in self.activities)
        return round(100 * sum(a.present for a in self.activities) / recorded) if recorded else None


def lpj_build(kube: Kube, period: Period) -> Lpj:
    start, end = period.start, period.end
    closed_months = set(PeriodClose.objects.filter(kube=kube, period__in=period.months)
                        .values_list("period", flat=True))
    cash_lines = Line.objects.filter(kube=kube, account__role__in=CASH_ROLES, date__gte=start, date__lte=end)
    by_kind: dict[str, list[int]] = {}
    for kind, debit, credit in cash_lines.values_list("transaction__kind", "debit", "credit"):
        row = by_kind.setdefault(kind, [0, 0])
        row[0] += debit
        row[1] += credit
    labels = dict(TxnKind.choices)
    cash_by_kind = sorted(((str(labels.get(k, k)), v[0], v[1]) for k, v in by_kind.items()),
                          key=lambda r: (-r[1], -r[2]))
    opening = cash_balance(kube, until=date.fromordinal(start.toordinal() - 1))
    money_in = sum(v[0] for v in by_kind.values())
    money_out = sum(v[1] for v in by_kind.values())
    funds_period = {f.fund.pk: f for f in iks_funds(kube, since=start, until=end)}
    funds_end = iks_funds(kube, until=end)
    iks = [(row.fund.name, funds_period[row.fund.pk].allocated, funds_period[row.fund.pk].used, row.balance)
           for row in funds_end if row.allocated or row.used]
    saving_rows = savings(kube, until=end)
    activities = (Activity.objects.filter(kube=kube, date__gte=start, date__lte=end)
                  .annotate(present=Count("attendance", filter=Q(attendance__present=True)),
                            recorded=Count("attendance")).order_by("date", "id"))
    officers = {o.position: o.member.name for o in current_officers(kube)}
    return Lpj(
        kube=kube, period=period, closed=len(closed_months) == len(period.months),
        cash_opening=opening, cash_in=money_in, cash_out=money_out, cash_closing=opening + money_in - money_out,
        cash_by_kind=cash_by_kind,
        statement=income_statement(kube, start=start, end=end),
        balance=balance_sheet(kube, day=end),
        iks=iks,
        savings=[(r.member.name, r.balance, r.at_coop) for r in saving_rows if r.balance or r.at_coop],
        savings_total=sum(r.balance for r in saving_rows),
        loans=portfolio(kube, on=end),
        activities=[ActivityRow(a, a.present, a.recorded) for a in activities],  # type: ignore[attr-defined]
        acquired=list(InventoryItem.objects.filter(kube=kube, acquired_on__gte=start, acquired_on__lte=end)),
        inventory_events=list(InventoryEvent.objects.filter(item__kube=kube, date__gte=start, date__lte=end)
                              .select_related("item")),
        signers=[(_("Ketua"), officers.get("ketua", "")), (_("Sekretaris"), officers.get("sekretaris", "")),
                 (_("Bendahara"), officers.get("bendahara", ""))],
    )


def lpj_figures(lpj: Lpj) -> dict[str, object]:
    """The LPJ as plain data (the API's JSON)."""
    return {
        "period": lpj.period.code, "label": lpj.period.label, "closed": lpj.closed,
        "start": lpj.period.start.isoformat(), "end": lpj.period.end.isoformat(),
        "cash": {"opening": lpj.cash_opening, "in": lpj.cash_in, "out": lpj.cash_out, "closing": lpj.cash_closing,
                 "by_kind": [{"kind": k, "in": i, "out": o} for k, i, o in lpj.cash_by_kind]},
        "income_statement": {
            "income": [{"account": n, "amount": v} for n, v in lpj.statement.income],
            "expenses": [{"account": n, "amount": v} for n, v in lpj.statement.expenses],
            "total_income": lpj.statement.total_income, "total_expenses": lpj.statement.total_expenses,
            "profit": lpj.statement.profit,
        },
        "balance_sheet": {
            "date": lpj.balance.day.isoformat(),
            "assets": [{"account": n, "amount": v} for n, v in lpj.balance.assets],
            "liabilities": [{"account": n, "amount": v} for n, v in lpj.balance.liabilities],
            "equity": [{"account": n, "amount": v} for n, v in lpj.balance.equity],
            "total_assets": lpj.balance.total_assets,
            "total_liabilities_equity": lpj.balance.total_liabilities_equity,
        },
        "iks": [{"fund": f, "allocated": a, "used": u, "balance": b} for f, a, u, b in lpj.iks],
        "savings": {"total": lpj.savings_total,
                    "members": [{"member": n, "balance": b, "at_coop": c} for n, b, c in lpj.savings]},
        "loans": {"outstanding": lpj.loans.outstanding, "at_risk_30": lpj.loans.at_risk_30,
                  "par30_percent": str(lpj.loans.par30), "count": len(lpj.loans.states)},
        "activities": [{"date": a.activity.date.isoformat(), "kind": a.activity.kind, "place": a.activity.place,
                        "present": a.present, "recorded": a.recorded} for a in lpj.activities],
        "attendance_percent": lpj.attendance_rate,
        "inventory": {"acquired": [{"code": i.code, "name": i.name, "value": i.value, "source": i.source}
                                   for i in lpj.acquired],
                      "changes": [{"code": e.item.code, "date": e.date.isoformat(), "condition": e.condition,
                                   "disposed": e.disposed, "note": e.note} for e in lpj.inventory_events]},
        "signers": [{"role": r, "name": n} for r, n in lpj.signers],
    }
