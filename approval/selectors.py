"""Reads of the reporting chain: what waits for whom, completeness and timeliness, differences
against an accepted report's snapshot.

Completeness of the nation and of a province is summed from the kabupaten rows kept by
approval/rollup.py (~500 rows, whatever the number of groups); of a kabupaten and below it is
counted from the chain's own rows (`Lpj`, with the group's desa code copied onto it) and the
groups' table, per region prefix: one grouped query over each. The late groups are listed a page
at a time, each part read in index order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import kube_scope_q, reports_region_q, role_of
from accounts.models import Role
from approval.models import KabupatenGroups, KabupatenLpj, Level, Lpj, ReopenRequest, ReopenStatus, Report
from approval.rollup import DISSOLVED, due_date, end_of, lpj_counts, month_end
from approval.services import report_figures
from lib.regioncode import within_q
from regions.models import Region
from registry.models import Kube

# Length of a region code at each level: provinsi 32, kabupaten 32.04, kecamatan 32.04.06, desa.
CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}


@dataclass
class Counts:
    expected: int = 0
    submitted: int = 0
    verified: int = 0
    approved: int = 0
    on_time: int = 0

    def percent(self, part: str) -> float | None:
        return round(100 * getattr(self, part) / self.expected, 1) if self.expected else None

    def add(self, other: Counts) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNTS = ("expected", "submitted", "verified", "approved", "on_time")


@dataclass
class LateRow:
    kube_id: int
    name: str
    desa_code: str
    days_late: int
    submitted: bool


@dataclass
class Completeness:
    region: Region | None
    period: int
    due: date
    total: Counts
    children: list[tuple[Region, Counts]] = field(default_factory=list)
    late: list[LateRow] = field(default_factory=list)
    # The late list is one page of it: `late_page` (from 1), and whether another follows.
    late_page: int = 1
    late_more: bool = False

    @property
    def period_code(self) -> str:
        return f"{self.period // 100}-{self.period % 100:02d}"


def _expected(code: str, period: int) -> QuerySet[Kube]:
    """The groups that owe the month's LPJ: formed by the month's end, not dissolved."""
    return Kube.objects.filter(within_q("desa_id", code), formed_on__lte=month_end(period)).exclude(status=DISSOLVED)


def _counted(code: str, period: int, child_len: int | None) -> dict[str, Counts]:
    """Each sub-region's counts from the raw rows: the groups' table and the dossiers."""
    expected = _expected(code, period)
    key = Substr("desa_id", 1, child_len) if child_len else F("desa_id")
    by_child: dict[str, Counts] = {}
    for row in expected.annotate(child=key).values("child").annotate(n=Count("id")):
        by_child.setdefault(row["child"], Counts()).expected = row["n"]
    lpjs = Lpj.objects.filter(within_q("desa_code", code), period=period, kube__in=expected)
    counts = (lpjs.annotate(child=Substr("desa_code", 1, child_len) if child_len else F("desa_code"))
              .values_list("child").annotate(**lpj_counts(due_date(Level.PENGURUS, period))))
    for child, submitted, verified, approved, on_time in counts:
        c = by_child.setdefault(child, Counts())
        c.submitted, c.verified, c.approved, c.on_time = submitted, verified, approved, on_time
    return by_child


def _kept(code: str, period: int) -> dict[str, Counts] | None:
    """The nation's provinces or a province's kabupaten from the kept kabupaten rows (rollup.py):
    ~500 rows at most. None when a row was counted against another due day than today's setting."""
    due = due_date(Level.PENGURUS, period)
    child = "prov" if not code else "kab"
    groups = KabupatenGroups.objects.filter(formed__lte=period)
    months = KabupatenLpj.objects.filter(period=period)
    if code:
        groups, months = groups.filter(prov=code), months.filter(prov=code)
    by_child: dict[str, Counts] = {}
    for key, n in groups.values_list(child).annotate(n=Sum("groups")).order_by():
        by_child.setdefault(key, Counts()).expected = n
    sums = months.values_list(child).annotate(Sum("submitted"), Sum("verified"), Sum("approved"), Sum("on_time"),
                                              stale=Count("id", filter=~Q(due=due))).order_by()
    for key, submitted, verified, approved, on_time, stale in sums:
        if stale:
            return None
        c = by_child.setdefault(key, Counts())
        c.submitted, c.verified, c.approved, c.on_time = submitted, verified, approved, on_time
    return by_child


def completeness(code: str, period: int, *, today: date, late_limit: int = 100, late_page: int = 1) -> Completeness:
    """How many of a region's groups submitted, had verified, approved and submitted on time the
    LPJ of `period`, for the region and each sub-region; a page of the late groups, most days late
    first. The nation and a province read the kept kabupaten rows, a kabupaten and below the raw rows."""
    region = Region.objects.filter(pk=code).first() if code else None
    level = region.level if region else 0
    child_len = CODE_LENGTH.get(level + 1)
    due = due_date(Level.PENGURUS, period)
    by_child = _kept(code, period) if level <= 1 else None
    if by_child is None:
        by_child = _counted(code, period, child_len)
    total = Counts()
    for c in by_child.values():
        total.add(c)
    children: list[tuple[Region, Counts]] = []
    if child_len:
        regions = {r.code: r for r in Region.objects.filter(code__in=list(by_child))}
        children = sorted(((regions[k], c) for k, c in by_child.items() if k in regions), key=lambda rc: rc[0].name)
    result = Completeness(region, period, due, total, children, late_page=max(late_page, 1))
    if late_limit:
        late = late_groups(code, period, today=today, limit=late_limit + 1, offset=(result.late_page - 1) * late_limit)
        result.late, result.late_more = late[:late_limit], len(late) > late_limit
    return result


def late_groups(code: str, period: int, *, today: date, limit: int = 100, offset: int = 0) -> list[LateRow]:
    """The groups whose LPJ has not come and is past due (days late until today), by name, then
    those whose LPJ came after the due day (days late at submission), the latest first: rows
    `offset` to `offset + limit` of that list. Both parts are read in index order and stop at the
    page (kube_name; approval_lpj_period_first), whatever the region's size."""
    due = due_date(Level.PENGURUS, period)
    expected = _expected(code, period)
    rows: list[LateRow] = []
    missing_count = 0
    if today > due:
        came = Lpj.objects.filter(kube_id=OuterRef("pk"), period=period, first_submitted_at__isnull=False)
        missing = expected.exclude(Exists(came)).order_by("name", "pk")
        found = list(missing.values_list("pk", "name", "desa_id")[offset:offset + limit])
        rows.extend(LateRow(pk, name, desa, (today - due).days, False) for pk, name, desa in found)
        if len(rows) == limit:
            return rows
        # The page ends the list of the missing: how many there are, to start the late ones after them.
        missing_count = offset + len(found) if found or not offset else missing.count()
    late_sub = (Lpj.objects.filter(within_q("desa_code", code), period=period, first_submitted_at__gte=end_of(due),
                                   kube__in=expected)
                .order_by("-first_submitted_at", "-pk")
                .values_list("kube_id", "kube__name", "desa_code", "first_submitted_at"))
    start = max(offset - missing_count, 0)
    for kube_id, name, desa, at in late_sub[start:start + limit - len(rows)]:
        rows.append(LateRow(kube_id, name, desa, (timezone.localdate(at) - due).days, True))
    return rows


# --- work lists -----------------------------------------------------------------------------------


@dataclass
class WorkItem:
    text: str
    url: str
    count: int = 1


def lpjs_for_user(user: Any) -> QuerySet[Lpj]:
    """The dossiers of the groups in the user's reach."""
    return Lpj.objects.filter(kube_scope_q(user))


def waiting_lpjs(user: Any) -> QuerySet[Lpj]:
    """The LPJ whose turn is at the user's level, in reach: for a mentor those submitted, for a
    district office those verified (or checked) and waiting for its act."""
    role = role_of(user)
    qs = lpjs_for_user(user).select_related("kube")
    if role == Role.PENDAMPING:
        return qs.filter(reached=1, verified_at__isnull=True)
    if role == Role.KABUPATEN:
        return qs.filter(reached__gte=2, approved_at__isnull=True)
    return qs.none()


def pending_reopens(user: Any) -> QuerySet[ReopenRequest]:
    if role_of(user) != Role.KABUPATEN:
        return ReopenRequest.objects.none()
    return ReopenRequest.objects.filter(kube_scope_q(user, "lpj__kube"), status=ReopenStatus.PENDING)


def reports_for_user(user: Any) -> QuerySet[Report]:
    return Report.objects.filter(reports_region_q(user)).select_related("region")


def waiting_reports(user: Any) -> QuerySet[Report]:
    """Reports the user's office accepts (submitted by the level below)."""
    role = role_of(user)
    if role == Role.PROVINSI:
        return reports_for_user(user).filter(reached=1).exclude(region_id=user.region_id)
    if role == Role.PUSAT:
        return Report.objects.filter(reached=1, region__level=1).select_related("region")
    return Report.objects.none()


def returned_reports(user: Any) -> QuerySet[Report]:
    """The office's own reports returned for revision."""
    if role_of(user) not in (Role.KABUPATEN, Role.PROVINSI):
        return Report.objects.none()
    return Report.objects.filter(region_id=user.region_id, reached=0).exclude(returned_reason="").select_related("region")


def returned_lpjs(user: Any) -> QuerySet[Lpj]:
    """For the group's officers: their LPJ sent back to them for revision."""
    if role_of(user) != Role.PENGURUS:
        return Lpj.objects.none()
    return lpjs_for_user(user).filter(reached=0).exclude(returned_reason="")


def work_lines(user: Any) -> list[WorkItem]:
    """The work list in sentences ("5 LPJ menunggu verifikasi", "Laporan Kab. Bandung 2026-10
    dikembalikan: …"), each with the page where it is done."""
    home = reverse("approval:home")
    lines: list[WorkItem] = []
    waiting = waiting_lpjs(user).count()
    if waiting:
        text = (ngettext("%(n)d LPJ menunggu verifikasi", "%(n)d LPJ menunggu verifikasi", waiting)
                if role_of(user) == Role.PENDAMPING
                else ngettext("%(n)d LPJ menunggu persetujuan", "%(n)d LPJ menunggu persetujuan", waiting))
        lines.append(WorkItem(text % {"n": waiting}, home, waiting))
    reopens = pending_reopens(user).count()
    if reopens:
        lines.append(WorkItem(ngettext("%(n)d permohonan buka kembali bulan buku", "%(n)d permohonan buka kembali bulan buku",
                                       reopens) % {"n": reopens}, home, reopens))
    reports = waiting_reports(user).count()
    if reports:
        lines.append(WorkItem(ngettext("%(n)d laporan wilayah menunggu diterima", "%(n)d laporan wilayah menunggu diterima",
                                       reports) % {"n": reports}, home, reports))
    for report in returned_reports(user)[:5]:
        lines.append(WorkItem(_("Laporan %(r)s %(p)s dikembalikan: %(why)s")
                              % {"r": report.region.name, "p": report.period, "why": report.returned_reason},
                              reverse("approval:report", args=[report.pk])))
    for lpj in returned_lpjs(user).select_related("kube")[:5]:
        lines.append(WorkItem(_("LPJ %(k)s bulan %(p)s dikembalikan: %(why)s")
                              % {"k": lpj.kube.name, "p": lpj.code, "why": lpj.returned_reason},
                              reverse("approval:kube", args=[lpj.kube_id])))
    return lines


def work_count(user: Any) -> int:
    """The number the menu shows beside "Pelaporan": everything waiting for the user."""
    return (waiting_lpjs(user).count() + pending_reopens(user).count() + waiting_reports(user).count()
            + returned_reports(user).count() + returned_lpjs(user).count())


# --- snapshots ------------------------------------------------------------------------------------


@dataclass
class Difference:
    label: str
    accepted: Any
    now: Any


def report_differences(report: Report) -> list[Difference]:
    """The figures that changed since the report was accepted (empty when none, or not accepted)."""
    if not report.snapshot:
        return []
    now = dict(report_figures(report.region_id, report.period))
    return [Difference(label, value, now.get(label)) for label, value in report.snapshot if now.get(label) != value]


def lpj_state_label(lpj: Lpj | None) -> str:
    """The dossier's state in one phrase (the pages and the API say it alike)."""
    if lpj is None or (lpj.reached == 0 and not (lpj.ketua_by_id or lpj.bendahara_by_id)):
        if lpj is not None and lpj.returned_reason:
            return _("Dikembalikan untuk perbaikan")
        return _("Belum diajukan")
    if lpj.approved:
        return _("Disetujui")
    if lpj.reached == 0:
        return _("Menunggu konfirmasi pengurus kedua")
    return _("Menunggu %(level)s") % {"level": Level(lpj.next_level or Level.KABUPATEN).label}
