"""The tiered dashboard: a region's figures and each sub-region's, from the summary rows only.

Every figure is a sum (or a count) per sub-region, read with one grouped query over the states and
one over the months: the groups' rows (GroupState, GroupMonth) for a kabupaten and below, the
kabupaten rows (KabupatenState, KabupatenMonth) for a province and the nation. A region's figure is
the sum of its sub-regions', and ratios (attendance, PAR 30, PEKA means) are taken from those sums.
Nothing here reads the ledger.

"Hanya yang disetujui" (approved figures only) sums the period's flows over the group-months whose
LPJ is approved at the top of its chain: the flagged group rows (GroupMonth.approved) from the
kabupaten down, their kabupaten sums (KabupatenApprovedMonth) above. What an LPJ does not cover (the
groups, their members, balances now, health and class) stays every group's; the page says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import access_region, region_root
from approval.models import KabupatenApprovedGroups, Lpj
from books.lpj import Period
from lib.periods import period_of, shift
from lib.regioncode import within_q
from monitoring.figures import MONTH_SUMS, grouped, state_figures
from monitoring.models import GroupMonth, GroupState, Health, KabupatenApprovedMonth, KabupatenMonth, KabupatenState
from outbox.models import PendingChange
from regions.models import Region
from registry.models import Kube

# The pages' query parameter for "hanya yang disetujui": ?angka=disetujui (anything else: every group).
APPROVED_PARAM, APPROVED_VALUE = "angka", "disetujui"

# The column that holds a region's code at each level, and the column of its children.
LEVEL_COLUMN = {0: None, 1: "prov", 2: "kab", 3: "kec", 4: "desa"}
CHILD_COLUMN = {0: "prov", 1: "kab", 2: "kec", 3: "desa", 4: None}


@dataclass
class Figures:
    values: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, other: Figures) -> None:
        for key, value in other.values.items():
            self.values[key] += value

    def __getitem__(self, key: str) -> int:
        """A summed figure (0 when no group had any). Raises KeyError for the derived figures
        (properties), so that templates fall back to the attribute."""
        if key not in self.values and hasattr(type(self), key):
            raise KeyError(key)
        return self.values.get(key, 0)

    def percent(self, part: str, whole: str) -> Decimal | None:
        return (Decimal(self[part]) * 100 / self[whole]).quantize(Decimal("0.1")) if self[whole] else None

    @property
    def profit(self) -> int:
        return self["revenue"] - self["expense"]

    @property
    def attendance(self) -> Decimal | None:
        return self.percent("visit_present", "visit_active")

    @property
    def meeting_attendance(self) -> Decimal | None:
        return self.percent("meeting_present", "meeting_recorded")

    @property
    def par30(self) -> Decimal | None:
        return self.percent("par30_amount", "loans_outstanding")

    @property
    def capital_vs_grant(self) -> Decimal | None:
        return self.percent("capital", "grant_total")

    @property
    def visits_share(self) -> Decimal | None:
        return self.percent("visits", "visits_due")

    def peka(self, n: int) -> Decimal | None:
        count = self[f"peka_d{n}_n"]
        return (Decimal(self[f"peka_d{n}_sum"]) / 100 / count).quantize(Decimal("0.01")) if count else None

    @property
    def peka_means(self) -> list[Decimal | None]:
        return [self.peka(n) for n in range(1, 8)]


@dataclass
class Scope:
    code: str
    region: Region | None
    level: int

    @property
    def column(self) -> str | None:
        return LEVEL_COLUMN[self.level]

    @property
    def child_column(self) -> str | None:
        return CHILD_COLUMN[self.level]

    def filter(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(**{self.column: self.code}) if self.column else qs


def scope_for(user: Any, code: str | None) -> Scope:
    """The region asked for, within the user's reach (offices only): Http404 otherwise."""
    code = access_region(user, (code or region_root(user) or "").strip())
    if not code:
        return Scope("", None, 0)
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise Http404
    return Scope(code, region, region.level)


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    total: Figures
    children: list[tuple[Region, Figures]]
    trend: list[tuple[int, dict[str, int]]]
    approved_only: bool = False
    # With approved_only: the groups of the region with at least one approved month in the period.
    approved_groups: int | None = None

    @property
    def basis(self) -> str:
        """Which figures these are, in the line the page and the documents print."""
        if not self.approved_only:
            return _("Angka: semua kelompok")
        return _("Angka: hanya yang disetujui (%(n)s dari %(m)s kelompok)") % {
            "n": self.approved_groups or 0, "m": self.total["groups"]}

    @property
    def basis_note(self) -> str:
        """What "approved only" restricts, said once under the line."""
        if not self.approved_only:
            return _("Termasuk bulan yang LPJ-nya belum disetujui Dinas Sosial kabupaten/kota.")
        return _("Pendapatan, beban, simpanan, IKS, kunjungan, pertemuan dan baris buku dalam periode hanya dari "
                 "bulan yang LPJ-nya disetujui Dinas Sosial kabupaten/kota; jumlah KUBE, anggota, saldo sekarang, "
                 "kesehatan dan kelas tetap dari semua kelompok.")

    @property
    def child_level_name(self) -> str:
        return {0: _("Provinsi"), 1: _("Kabupaten/kota"), 2: _("Kecamatan"), 3: _("Desa/kelurahan")}.get(
            self.scope.level, "")


def _month_aggregates() -> dict[str, Any]:
    return {name: Sum(name) for name in MONTH_SUMS}


def approved_group_count(scope: Scope, period: Period) -> int:
    """The region's groups with at least one month of the period approved (from the chain's rows:
    a month with no flow has no summary row, and still counts as approved). The nation and a
    province sum the chain's kept kabupaten rows (~500), as their figures sum the kabupaten's."""
    if scope.level <= 1:
        kept = KabupatenApprovedGroups.objects.filter(period=period.code)
        if scope.code:
            kept = kept.filter(prov=scope.code)
        return int(kept.aggregate(n=Sum("groups"))["n"] or 0)
    qs = Lpj.objects.filter(period__in=period.months, approved_at__isnull=False)
    if scope.code:
        qs = qs.filter(within_q("desa_code", scope.code))
    if len(period.months) == 1:
        return qs.count()  # one row per group and month
    return qs.values("kube_id").distinct().count()


def _month_rows(scope: Scope, *, approved_only: bool) -> QuerySet[Any]:
    """The month rows the dashboard sums: the kabupaten's above it, the groups' from it down."""
    if scope.level <= 1:
        return (KabupatenApprovedMonth if approved_only else KabupatenMonth).objects.all()
    return GroupMonth.objects.filter(approved=True) if approved_only else GroupMonth.objects.all()


def dashboard(scope: Scope, period: Period, *, trend_months: int = 12, approved_only: bool = False) -> Dashboard:
    """The region's figures, each sub-region's, and the monthly trend up to the period's end; with
    `approved_only`, the flows of the approved group-months only (the module's docstring)."""
    child = scope.child_column
    by_child: dict[str, Figures] = defaultdict(Figures)
    # Above the kabupaten, the kabupaten rows (~500 nationally); from the kabupaten down, the groups'.
    above = scope.level <= 1
    if above:
        for row in scope.filter(KabupatenState.objects.all()).values_list("prov", "kab", "figures"):
            key = row[0] if child == "prov" else row[1]
            for name, value in row[2].items():
                by_child[key].values[name] += value
    else:
        for key, values in state_figures(scope.filter(GroupState.objects.all()), child).items():
            by_child[key].values.update(values)
    month_rows = _month_rows(scope, approved_only=approved_only)
    months = scope.filter(month_rows.filter(period__in=period.months))
    for key, row in grouped(months, child, _month_aggregates()).items():
        for name, value in row.items():
            if name != child and value is not None:
                by_child[key].values[name] += int(value)
    total = Figures()
    for figures in by_child.values():
        figures.values["visits_due"] = figures["with_mentor"] * len(period.months)
        total.add(figures)
    regions = {r.code: r for r in Region.objects.filter(code__in=[k for k in by_child if k])}
    children = sorted(((regions[k], f) for k, f in by_child.items() if k in regions), key=lambda rf: rf[0].name)
    last = period.months[-1]
    first = shift(last, -(trend_months - 1))
    trend_rows = (scope.filter(month_rows.filter(period__gte=first, period__lte=last))
                  .values("period").annotate(**{n: Sum(n) for n in ("revenue", "expense", "visits", "meetings",
                                                                   "entries")}).order_by("period"))
    by_period = {r["period"]: r for r in trend_rows}
    trend = []
    p = first
    while p <= last:
        row = by_period.get(p, {})
        trend.append((p, {k: int(row.get(k) or 0) for k in ("revenue", "expense", "visits", "meetings", "entries")}))
        p = shift(p, 1)
    return Dashboard(scope, period, total, children, trend, approved_only,
                     approved_group_count(scope, period) if approved_only else None)


def default_period(scope: Scope, *, today: date) -> Period:
    """The month a dashboard or report opens on: the last month a group of the region has closed
    (its books are final), else the last ended month with any entry, else the month before this one.
    Never the running month, whose books are still being written (profit Rp0 would read as a collapse)."""
    now = period_of(today)
    closed = scope.filter(GroupState.objects.filter(last_closed_period__lt=now)).aggregate(
        p=Max("last_closed_period"))["p"]
    if closed is None:
        model: Any = KabupatenMonth if scope.level <= 1 else GroupMonth
        closed = scope.filter(model.objects.filter(period__lt=now, entries__gt=0)).aggregate(p=Max("period"))["p"]
    last = closed or shift(now, -1)
    return Period("month", last // 100, last % 100)


def running_months(period: Period, *, today: date) -> list[int]:
    """The months of the period that have not ended yet (drawn and labelled as still running)."""
    now = today.year * 100 + today.month
    return [p for p in period.months if p >= now]


def groups_in(scope: Scope, *, attention_only: bool = False, limit: int = 200) -> list[GroupState]:
    """The groups of a region, those needing attention first (ties by name within a kabupaten).

    Health rises with the score (a dissolved group scores 0), so the groups needing attention are
    the top of the region's (region, score) index: read from there, without sorting 100,000 rows."""
    if scope.level >= 2:
        rows = list(scope.filter(GroupState.objects.select_related("kube", "kube__desa"))
                    .order_by("-health_score", "kube__name")[:limit])
    else:  # no join in the ordered query, or the planner starts from the groups and sorts them all
        rows = list(scope.filter(GroupState.objects.all()).order_by("-health_score", "-kube_id")[:limit])
        kubes = Kube.objects.select_related("desa").in_bulk([s.kube_id for s in rows])  # batched IN lists
        for s in rows:
            s.kube = kubes[s.kube_id]
    if attention_only:
        rows = [s for s in rows if s.health in (Health.ATTENTION, Health.CRITICAL)]
    return rows


@dataclass
class Freshness:
    """As of when a region's summary figures are: the last drain that rewrote its kabupaten rows,
    and the changes already committed in the region that no drain has taken yet."""

    as_of: datetime | None
    pending: int


def freshness(scope: Scope) -> Freshness:
    kabs = KabupatenState.objects.all()
    if scope.level == 1:
        kabs = kabs.filter(prov=scope.code)
    elif scope.level >= 2:
        kabs = kabs.filter(kab=scope.code[:5])
    as_of = kabs.aggregate(t=Max("refreshed_at"))["t"]
    if scope.level == 0:
        return Freshness(as_of, PendingChange.objects.count())
    # The outbox is short (drained within a second, or by cron each minute): read its groups, then
    # which of them lie in the region, rather than joining it to the 100,000 groups.
    waiting = list(PendingChange.objects.values_list("kube_id", flat=True)[:10_000])
    if not waiting:
        return Freshness(as_of, 0)
    inside = set(Kube.objects.filter(within_q("desa_id", scope.code), pk__in=set(waiting))
                 .values_list("pk", flat=True))
    return Freshness(as_of, sum(1 for kube_id in waiting if kube_id in inside))
