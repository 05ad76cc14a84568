"""Completeness kept per kabupaten (`KabupatenLpj`, `KabupatenGroups`), for the pages of the ministry
and of a province: computed from the raw rows (the groups' table and the dossiers) and rewritten,
never incremented, so a row that went wrong is put right by the next refresh of its kabupaten.

Who refreshes what (the model's comment): the approval services a kabupaten's month, in the step's
own transaction; the summary drain (monitoring/state.py) a kabupaten's groups and all its months
after one of its groups changed; `rebuild` everything. `prepare` only reads, `write` only writes,
so the SQLite drain computes before it takes the write lock, as it does for its own rows.

The counts are those of `selectors.completeness` on the raw rows for the kabupaten: the groups that
owe a month's LPJ are in the kabupaten, formed by the month's end and not dissolved; a dossier
counts when its group owes it and its own desa code (copied when it opened) is in the kabupaten too.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from approval.models import KabupatenApprovedGroups, KabupatenGroups, KabupatenLpj, Level, Lpj
from books.lpj import Period
from lib.periods import shift
from lib.regioncode import within_q
from regions.models import Region
from registry.models import Kube

DISSOLVED = "bubar"


def due_date(level: str, last_month: int) -> date:
    """The day by which `level` acts on a period ending with `last_month` (a day of the next month,
    the setting APPROVAL_DUE_DAYS)."""
    year, month = divmod(shift(last_month, 1), 100)
    day = settings.APPROVAL_DUE_DAYS[level]
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def end_of(day: date) -> datetime:
    """The first instant after `day` in the project's time zone (on time = before it)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def lpj_counts(due: date) -> dict[str, Count]:
    """The dossiers' counts of a month whose LPJ was due on `due`, as aggregates (in this order:
    submitted, verified, approved, on time), for the kept rows and the pages' raw count alike."""
    return {"n_submitted": Count("id", filter=Q(reached__gte=1)),
            "n_verified": Count("id", filter=Q(verified_at__isnull=False)),
            "n_approved": Count("id", filter=Q(approved_at__isnull=False)),
            "n_on_time": Count("id", filter=Q(first_submitted_at__lt=end_of(due)))}


def month_end(period: int) -> date:
    year, month = divmod(period, 100)
    return date(year, month, calendar.monthrange(year, month)[1])


def _within_any(field: str, kabs: Sequence[str] | None) -> Q:
    q = Q()
    for kab in kabs or ():
        q |= within_q(field, kab)
    return q


@dataclass(frozen=True)
class Refresh:
    """The rows of some kabupaten (`kabs`; None: every one), computed, ready to replace theirs: the
    months listed (None: all of them), and the groups unless `groups` is None."""

    kabs: list[str] | None
    periods: list[int] | None
    lpj: list[KabupatenLpj]
    groups: list[KabupatenGroups] | None
    # The approved groups of the months' month, quarter and year (None: untouched; with periods None, all).
    approved: list[KabupatenApprovedGroups] | None = None
    approved_periods: list[str] | None = None


def compute_lpj(kabs: Sequence[str] | None, periods: Sequence[int] | None = None) -> list[KabupatenLpj]:
    """The kabupaten-month rows, counted from the dossiers and their groups in the database (one
    grouped query per month: each month has its own due day)."""
    # By the dossier's own desa code, so that the (period, desa_code) index finds a kabupaten's month
    # (~200 rows); a dossier counts only where its group is too.
    dossiers = Lpj.objects.all() if kabs is None else Lpj.objects.filter(_within_any("desa_code", kabs))
    if periods is None:
        periods = sorted(set(dossiers.values_list("period", flat=True).distinct()))
    rows: list[KabupatenLpj] = []
    for period in periods:
        due = due_date(Level.PENGURUS, period)
        owed = (dossiers.filter(period=period, kube__formed_on__lte=month_end(period))
                .exclude(kube__status=DISSOLVED)
                .annotate(kab=Substr("desa_code", 1, 5), kube_kab=Substr("kube__desa_id", 1, 5))
                .filter(kab=F("kube_kab")))
        counted = owed.values_list("kab").annotate(**lpj_counts(due)).order_by()
        rows += [KabupatenLpj(kab=kab, prov=kab[:2], period=period, due=due, submitted=submitted, verified=verified,
                              approved=approved, on_time=on_time)
                 for kab, submitted, verified, approved, on_time in counted]
    return rows


def compute_groups(kabs: Sequence[str] | None) -> list[KabupatenGroups]:
    """The kabupaten's groups not dissolved, counted by the month they were formed."""
    groups = Kube.objects.exclude(status=DISSOLVED)
    if kabs is not None:
        groups = groups.filter(_within_any("desa_id", kabs))
    counted = Counter((desa[:5], formed.year * 100 + formed.month)
                      for desa, formed in groups.values_list("desa_id", "formed_on").iterator(5000))
    return [KabupatenGroups(kab=kab, prov=kab[:2], formed=formed, groups=n) for (kab, formed), n in counted.items()]


def periods_of(month: int) -> list[Period]:
    """The month, its quarter and its year: the periods a month's approval counts in."""
    year, number = divmod(month, 100)
    return [Period("month", year, number), Period("quarter", year, (number - 1) // 3 + 1), Period("year", year, 0)]


def compute_approved(kabs: Sequence[str] | None, months: Sequence[int] | None) -> tuple[list[str], list[KabupatenApprovedGroups]]:
    """The groups with at least one approved month in each period touching `months` (None: every
    month with a dossier), per kabupaten of the dossier's desa code, as the dashboards count them."""
    if months is None:
        months = sorted(set(Lpj.objects.values_list("period", flat=True).distinct()))
    periods = {p.code: p for m in months for p in periods_of(m)}
    approved = Lpj.objects.filter(approved_at__isnull=False)
    if kabs is not None:
        approved = approved.filter(_within_any("desa_code", kabs))
    rows: list[KabupatenApprovedGroups] = []
    for code, period in sorted(periods.items()):
        counted = (approved.filter(period__in=period.months).annotate(kab=Substr("desa_code", 1, 5))
                   .values_list("kab").annotate(n=Count("kube_id", distinct=True)).order_by())
        rows += [KabupatenApprovedGroups(kab=kab, prov=kab[:2], period=code, groups=n) for kab, n in counted]
    return sorted(periods), rows


def prepare(kabs: Iterable[str] | None, periods: Iterable[int] | None = None, *, groups: bool = False,
            approved: bool = False) -> Refresh:
    """Compute the rows (reads only): the kabupaten-months always, the groups and the approved
    groups when asked."""
    codes = sorted(set(kabs)) if kabs is not None else None
    months = sorted(set(periods)) if periods is not None else None
    if codes == [] or months == []:
        return Refresh(codes, months, [], [] if groups else None)
    approved_periods, approved_rows = compute_approved(codes, months) if approved else (None, None)
    return Refresh(codes, months, compute_lpj(codes, months), compute_groups(codes) if groups else None,
                   approved_rows, approved_periods if months is not None else None)


def write(refresh: Refresh) -> None:
    """Replace the kabupaten's rows with the computed ones (in the caller's transaction, or one of its own)."""
    if refresh.kabs == [] or refresh.periods == []:
        return
    with transaction.atomic():
        old = KabupatenLpj.objects.all() if refresh.kabs is None else KabupatenLpj.objects.filter(kab__in=refresh.kabs)
        if refresh.periods is not None:
            old = old.filter(period__in=refresh.periods)
        old.delete()
        KabupatenLpj.objects.bulk_create(refresh.lpj, batch_size=2000)
        if refresh.groups is not None:
            old_groups = (KabupatenGroups.objects.all() if refresh.kabs is None
                          else KabupatenGroups.objects.filter(kab__in=refresh.kabs))
            old_groups.delete()
            KabupatenGroups.objects.bulk_create(refresh.groups, batch_size=2000)
        if refresh.approved is not None:
            old_approved = (KabupatenApprovedGroups.objects.all() if refresh.kabs is None
                            else KabupatenApprovedGroups.objects.filter(kab__in=refresh.kabs))
            if refresh.approved_periods is not None:
                old_approved = old_approved.filter(period__in=refresh.approved_periods)
            old_approved.delete()
            KabupatenApprovedGroups.objects.bulk_create(refresh.approved, batch_size=2000)


def refresh(kabs: Iterable[str], periods: Iterable[int] | None = None, *, groups: bool = False,
            approved: bool = False) -> None:
    """Recount the kabupaten's months (those listed, or all) and, when asked, its groups and the
    approved groups of the months' periods, in the caller's transaction. The kabupaten's Region
    rows are locked first (PostgreSQL; on SQLite the writer holds the database), so that two steps
    in one kabupaten count one after the other: each recount then sees the other's committed row
    instead of both writing a count that misses the other's."""
    codes = sorted(set(kabs))
    with transaction.atomic():
        if codes and transaction.get_connection().features.has_select_for_update:
            list(Region.objects.filter(code__in=codes).order_by("code").select_for_update(no_key=True)
                 .values_list("code", flat=True))
        write(prepare(codes, periods, groups=groups, approved=approved))


# Inside `collected()` (a bulk approval's chunk) the steps' recounts are gathered and done once, at
# the end of the block, still inside its transaction.
_collected: ContextVar[tuple[set[str], set[int], list[bool]] | None] = ContextVar("approval_rollup", default=None)


@contextmanager
def collected() -> Iterator[None]:
    """Gather the recounts of the steps in the block and do them once when it ends (the block must
    run inside the steps' transaction, so the rows are written in it)."""
    if _collected.get() is not None:
        yield
        return
    pending: tuple[set[str], set[int], list[bool]] = (set(), set(), [False])
    token = _collected.set(pending)
    try:
        yield
    finally:
        _collected.reset(token)
    kabs, periods, approval = pending
    if kabs:
        refresh(kabs, periods, approved=approval[0])


def dossier_changed(lpj: Lpj, *, approval: bool = False) -> None:
    """After a step changed the dossier's row: its kabupaten's month, recounted in the step's
    transaction (with `approval`, when the month became or stopped being approved, its periods'
    approved groups too)."""
    kabs = {lpj.kube.desa_id[:5], lpj.desa_code[:5]}
    pending = _collected.get()
    if pending is None:
        refresh(kabs, [lpj.period], approved=approval)
        return
    pending[0].update(kabs)
    pending[1].add(lpj.period)
    pending[2][0] = pending[2][0] or approval


def rebuild() -> int:
    """Every kabupaten row from the raw rows, in one transaction. Returns the rows written."""
    computed = prepare(None, None, groups=True, approved=True)
    write(computed)
    return len(computed.lpj) + len(computed.groups or []) + len(computed.approved or [])


def differences() -> list[str]:
    """Where the kept rows differ from a fresh count (nothing is written)."""
    fields = ("submitted", "verified", "approved", "on_time", "due")
    fresh = {(r.kab, r.period): tuple(getattr(r, f) for f in fields) for r in compute_lpj(None)}
    kept = {(r[0], r[1]): tuple(r[2:]) for r in KabupatenLpj.objects.values_list("kab", "period", *fields)}
    problems = [f"kelengkapan {kab} {period}: tersimpan {kept.get((kab, period))}, dihitung {fresh.get((kab, period))}"
                for kab, period in sorted(set(fresh) | set(kept)) if fresh.get((kab, period)) != kept.get((kab, period))]
    fresh_groups = {(r.kab, r.formed): r.groups for r in compute_groups(None)}
    kept_groups = {(k, f): n for k, f, n in KabupatenGroups.objects.values_list("kab", "formed", "groups")}
    problems += [f"KUBE {kab} dibentuk {formed}: tersimpan {kept_groups.get((kab, formed))}, "
                 f"dihitung {fresh_groups.get((kab, formed))}"
                 for kab, formed in sorted(set(fresh_groups) | set(kept_groups))
                 if fresh_groups.get((kab, formed)) != kept_groups.get((kab, formed))]
    fresh_approved = {(r.kab, r.period): r.groups for r in compute_approved(None, None)[1]}
    kept_approved = {(k, p): n for k, p, n in KabupatenApprovedGroups.objects.values_list("kab", "period", "groups")}
    problems += [f"KUBE disetujui {kab} {period}: tersimpan {kept_approved.get((kab, period))}, "
                 f"dihitung {fresh_approved.get((kab, period))}"
                 for kab, period in sorted(set(fresh_approved) | set(kept_approved))
                 if fresh_approved.get((kab, period)) != kept_approved.get((kab, period))]
    return problems
