"""Share-outs per region and year: what groups paid their members and kept as capital, and the
share-outs to look at, each with its reason. Read from the share-out records and, for the two
flags, from the ledger in one query (correlated sums per share-out), so a region of any size costs
the same few queries.

Flags:
- more than the profit: the members' total above the year's profit after IKS as the ledger has it
  now (income − expenses − IKS set aside), e.g. after a correction posted into the year;
- cash short: on the posting day the group's money (cash, bank, cooperative) did not cover what it
  holds for others (members' savings and the IKS funds), so the shares added to savings are not there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from books.models import AccountRole, AccountType, Line
from books.models.ledger import MONEY_ROLES
from lib.money import rupiah
from lib.regioncode import within_q
from monitoring.selectors import Scope
from regions.models import Region
from registry.models import Kube
from shareout.models import ShareOut, Status

CHILD_LENGTH = {0: 2, 1: 5, 2: 8, 3: 13}  # the length of a child region's code under each level


@dataclass
class ShareOutTotals:
    groups: int = 0
    paid: int = 0     # to members
    capital: int = 0  # kept as capital


@dataclass
class ShareOutFigures:
    year: int
    total: ShareOutTotals
    children: list[tuple[Region, ShareOutTotals]]
    flagged: list[tuple[Kube, list[str]]] = field(default_factory=list)


def _sum(qs: Any, expression: Any) -> Any:
    return Coalesce(Subquery(qs.values("kube_id").annotate(s=Sum(expression)).values("s")[:1],
                             output_field=IntegerField()), Value(0))


def share_out_figures(scope: Scope, year: int) -> ShareOutFigures:
    posted = ShareOut.objects.filter(within_q("kube__desa_id", scope.code), status=Status.POSTED, year=year)
    lines = Line.objects.filter(kube_id=OuterRef("kube_id"))
    in_year = lines.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
    by_posting = lines.filter(date__lte=OuterRef("posted_on"))
    rows = (posted.select_related("kube", "kube__desa")
            .annotate(income=_sum(in_year.filter(account__type=AccountType.INCOME), F("credit") - F("debit")),
                      expense=_sum(in_year.filter(account__type=AccountType.EXPENSE), F("debit") - F("credit")),
                      iks=_sum(in_year.filter(account__role=AccountRole.IKS_ALLOCATION), F("debit") - F("credit")),
                      money=_sum(by_posting.filter(account__role__in=MONEY_ROLES), F("debit") - F("credit")),
                      owed=_sum(by_posting.filter(Q(account__role=AccountRole.SAVINGS) | Q(account__role=AccountRole.IKS)),
                                F("credit") - F("debit")))
            .order_by("kube__name", "kube_id"))
    total = ShareOutTotals()
    by_child: dict[str, ShareOutTotals] = defaultdict(ShareOutTotals)
    flagged: list[tuple[Kube, list[str]]] = []
    length = CHILD_LENGTH.get(scope.level)
    for row in rows:
        for bucket in (total, by_child[row.kube.desa_id[:length]] if length else None):
            if bucket is not None:
                bucket.groups += 1
                bucket.paid += row.members_total
                bucket.capital += row.capital
        reasons = []
        profit = row.income - row.expense - row.iks  # type: ignore[attr-defined]
        if row.members_total > profit:
            reasons.append(_("Membagikan %(m)s kepada anggota, lebih dari laba setelah IKS tahun %(y)s (%(p)s)")
                           % {"m": rupiah(row.members_total), "y": year, "p": rupiah(profit)})
        if row.money < row.owed:  # type: ignore[attr-defined]
            reasons.append(_("Membagi hasil usaha saat uang kelompok (%(k)s) tidak menutup simpanan anggota dan dana "
                             "IKS (%(o)s)") % {"k": rupiah(row.money), "o": rupiah(row.owed)})  # type: ignore[attr-defined]
        if reasons:
            flagged.append((row.kube, reasons))
    regions = {r.code: r for r in Region.objects.filter(code__in=[k for k in by_child if k])}
    children = sorted(((regions[k], t) for k, t in by_child.items() if k in regions), key=lambda rt: rt[0].name)
    return ShareOutFigures(year, total, children, flagged)
