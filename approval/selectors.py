"""Reads of the reporting chain: what waits for whom, completeness and timeliness, differences
against an accepted report's snapshot.

Completeness is counted from the chain's own rows (`Lpj`, with the group's desa code copied onto
it) and the groups' table, per region prefix: one grouped query over each, whatever the tier, so
the ministry's page costs the same two queries as a kecamatan's.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import kube_scope_q, reports_region_q, role_of
from accounts.models import Role
from approval.models import Level, Lpj, ReopenRequest, ReopenStatus, Report
from approval.services import report_figures
from lib.periods import shift
from lib.regioncode import within_q
from regions.models import Region
from registry.models import Kube

DISSOLVED = "bubar"
# Length of a region code at each level: provinsi 32, kabupaten 32.04, kecamatan 32.04.06, desa.
CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}


def due_date(level: str, last_month: int) -> date:
    """The day by which `level` acts on a period ending with `last_month` (a day of the next month,
    the setting APPROVAL_DUE_DAYS)."""
    year, month = divmod(shift(last_month, 1), 100)
    day = settings.APPROVAL_DUE_DAYS[level]
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _end_of(day: date) -> datetime:
    """The first instant after `day` in the project's time zone (on time = before it)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@dataclass
class Counts:
    expected: int = 0
    submitted: int = 0
    verified: int = 0
    approved: int = 0
    on_time: int = 0

    def percent(self, part: str) -> float | None:
        return round(100 * getattr(self, part) / self.expected, 1) if self.expected else None


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

    @property
    def period_code(self) -> str:
        return f"{self.period // 100}-{self.period % 100:02d}"


def _expected(code: str, period: int) -> QuerySet[Kube]:
    """The groups that owe the month's LPJ: formed by the month's end, not dissolved."""
    last_day = date(period // 100, period % 100, calendar.monthrange(period // 100, period % 100)[1])
    return Kube.objects.filter(within_q("desa_id", code), formed_on__lte=last_day).exclude(status=DISSOLVED)


def completeness(code: str, period: int, *, today: date, late_limit: int = 100) -> Completeness:
    """How many of a region's groups submitted, had verified, approved and submitted on time the
    LPJ of `period`, for the region and each sub-region; the late groups, most days late first."""
    region = Region.objects.filter(pk=code).first() if code else None
    level = region.level if region else 0
    child_len = CODE_LENGTH.get(level + 1)
    due = due_date(Level.PENGURUS, period)
    deadline = _end_of(due)
    expected = _expected(code, period)
    key = Substr("desa_id", 1, child_len) if child_len else F("desa_id")
    by_child: dict[str, Counts] = {}
    for row in expected.annotate(child=key).values("child").annotate(n=Count("id")):
        by_child.setdefault(row["child"], Counts()).expected = row["n"]
    lpjs = Lpj.objects.filter(within_q("desa_code", code), period=period, kube__in=expected)
    counts = (lpjs.annotate(child=Substr("desa_code", 1, child_len) if child_len else F("desa_code"))
              .values("child").annotate(
                  submitted=Count("id", filter=Q(reached__gte=1)),
                  verified=Count("id", filter=Q(verified_at__isnull=False)),
                  n_approved=Count("id", filter=Q(approved_at__isnull=False)),
                  on_time=Count("id", filter=Q(first_submitted_at__lt=deadline))))
    for found in counts:
        c = by_child.setdefault(found["child"], Counts())
        c.submitted, c.verified, c.approved, c.on_time = (found["submitted"], found["verified"], found["n_approved"],
                                                         found["on_time"])
    total = Counts()
    for c in by_child.values():
        for name in ("expected", "submitted", "verified", "approved", "on_time"):
            setattr(total, name, getattr(total, name) + getattr(c, name))
    children: list[tuple[Region, Counts]] = []
    if child_len:
        regions = {r.code: r for r in Region.objects.filter(code__in=list(by_child))}
        children = sorted(((regions[k], c) for k, c in by_child.items() if k in regions), key=lambda rc: rc[0].name)
    result = Completeness(region, period, due, total, children)
    result.late = late_groups(code, period, today=today, limit=late_limit)
    return result


def late_groups(code: str, period: int, *, today: date, limit: int = 100) -> list[LateRow]:
    """The groups whose LPJ came after the due day (days late at submission) or has not come and is
    past due (days late until today), most days late first."""
    due = due_date(Level.PENGURUS, period)
    rows: list[LateRow] = []
    late_sub = (Lpj.objects.filter(within_q("desa_code", code), period=period, first_submitted_at__gte=_end_of(due),
                                   kube__in=_expected(code, period))
                .values_list("kube_id", "kube__name", "desa_code", "first_submitted_at"))
    for kube_id, name, desa, at in late_sub:
        rows.append(LateRow(kube_id, name, desa, (timezone.localdate(at) - due).days, True))
    if today > due:
        missing = (_expected(code, period)
                   .exclude(pk__in=Lpj.objects.filter(period=period, first_submitted_at__isnull=False,
                                                      desa_code__startswith=code).values("kube_id"))
                   .order_by("name").values_list("pk", "name", "desa_id")[:limit])
        rows.extend(LateRow(pk, name, desa, (today - due).days, False) for pk, name, desa in missing)
    rows.sort(key=lambda r: (-r.days_late, r.name))
    return rows[:limit]


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
