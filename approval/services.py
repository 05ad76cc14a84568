"""Writes of the reporting chain: each step one transaction, with its Step row and its audit row.

Every service checks who may act (accounts.access: the level's role, the region's office) and
whether it is that level's turn, so page, API and bulk actions refuse alike. Approving a month locks
it in the books (books.services.period_lock); a granted reopening unlocks and reopens it. Whatever
makes a month approved or no longer approved is announced to the summaries
(outbox.services.record), whose "hanya yang disetujui" figures count only approved months; whatever
changes a dossier's counts recounts its kabupaten's month of completeness (rollup.py) in the step's
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import acts_at, check_chain_level, check_report_office
from accounts.models import User
from approval import rollup
from approval.errors import ApprovalError, OutOfTurnError
from approval.models import DEFAULT_CHAIN, Action, ChainLevel, Level, Lpj, ReopenRequest, ReopenStatus, Report, Step
from audit.models import Action as AuditAction
from audit.services import audit_record
from books.errors import BooksError
from books.lpj import parse_period
from books.models import PeriodClose
from books.services import period_lock, period_reopen
from outbox import services as outbox
from regions.models import Region
from registry.models import Kube, Officer

# --- the chain as data -----------------------------------------------------------------------


def chain_for(province_code: str) -> tuple[str, ...]:
    """The levels of a province's LPJ chain, in order (the default chain where it wrote none)."""
    rows = list(ChainLevel.objects.filter(province_id=province_code).order_by("position")
                .values_list("level", flat=True))
    return tuple(rows) if rows else DEFAULT_CHAIN


@transaction.atomic
def chain_set(*, actor: Any, province: Region, with_kecamatan: bool) -> tuple[str, ...]:
    """A province adds or skips the kecamatan level of its groups' LPJ chain. Dossiers already open
    keep the chain they started with."""
    if province.level != 1:
        raise ApprovalError(_("Rantai pelaporan diatur per provinsi."), field="province")
    levels = ((Level.PENGURUS, Level.PENDAMPING, Level.KECAMATAN, Level.KABUPATEN) if with_kecamatan
              else DEFAULT_CHAIN)
    ChainLevel.objects.filter(province=province).delete()
    ChainLevel.objects.bulk_create([ChainLevel(province=province, position=i, level=lv)
                                    for i, lv in enumerate(levels)])
    audit_record(actor=actor, action=AuditAction.UPDATE, object_type="approval.chainlevel",
                 object_id=province.pk, object_repr=_("Rantai pelaporan %(p)s") % {"p": province.name},
                 changes={"levels": [None, list(levels)]})
    return tuple(levels)


# --- helpers ------------------------------------------------------------------------------------


def _by(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _step(*, actor: Any, action: str, level: str, note: str = "", lpj: Lpj | None = None,
          report: Report | None = None) -> Step:
    by = _by(actor)
    role_label = by.get_role_display() if by is not None else ""
    step = Step.objects.create(lpj=lpj, report=report, level=level, action=action, actor=by,
                               role_label=role_label, note=note)
    target = lpj if lpj is not None else report
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=target, kube_id=lpj.kube_id if lpj else None,
                 object_repr=f"{target}: {Action(action).label}", changes={"step": [None, action], "note": [None, note]})
    return step


def _month_label(period: int) -> str:
    return f"{period % 100:02d}/{period // 100}"


def _need_reason(text: str, *, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ApprovalError(_("Tulis %(what)s, supaya tingkat di bawah tahu apa yang harus diperbaiki.")
                            % {"what": what}, field="reason", code="reason_required")
    if len(text) > 2000:
        raise ApprovalError(_("Alasan paling panjang 2.000 karakter."), field="reason")
    return text


def _note(text: str) -> str:
    text = (text or "").strip()
    if len(text) > 2000:
        raise ApprovalError(_("Catatan paling panjang 2.000 karakter."), field="note")
    return text


def _lock_lpj(lpj: Lpj) -> Lpj:
    return Lpj.objects.select_for_update().select_related("kube").get(pk=lpj.pk)


def _turn(lpj: Lpj, level: str) -> None:
    if lpj.next_level != level:
        if lpj.approved:
            raise OutOfTurnError(_("LPJ bulan %(m)s sudah disetujui.") % {"m": _month_label(lpj.period)})
        raise OutOfTurnError(
            _("LPJ bulan %(m)s belum sampai di tingkat ini; sekarang menunggu %(next)s.")
            % {"m": _month_label(lpj.period), "next": Level(lpj.next_level or level).label})


def _accepted_report_covering(kube: Kube, period: int) -> Report | None:
    """The kabupaten's report covering this month that the province has accepted, if any."""
    return (Report.objects.filter(region_id=kube.desa_id[:5], first_month__lte=period, last_month__gte=period,
                                  reached__gte=2).first())


# --- a group's LPJ ------------------------------------------------------------------------------


def lpj_open(*, kube: Kube, period: int) -> Lpj:
    """The month's dossier (created on first use with the province's chain). The month must be closed."""
    if not PeriodClose.objects.filter(kube=kube, period=period).exists():
        raise ApprovalError(_("Buku bulan %(m)s belum ditutup. Tutup buku dulu, lalu ajukan LPJ-nya.")
                            % {"m": _month_label(period)}, field="period", code="not_closed")
    lpj, _created = Lpj.objects.get_or_create(
        kube=kube, period=period,
        defaults={"desa_code": kube.desa_id, "levels": list(chain_for(kube.desa_id[:2]))})
    return lpj


def officer_position(user: Any, kube: Kube) -> str | None:
    """"ketua" or "bendahara" when the user holds that office of the group now; else None."""
    if _by(user) is None:
        return None
    office = (Officer.objects.filter(kube=kube, ended_on__isnull=True, member__user=user,
                                     member__left_on__isnull=True, position__in=("ketua", "bendahara"))
              .values_list("position", flat=True).first())
    return office


@transaction.atomic
def lpj_confirm(*, actor: Any, kube: Kube, period: int, note: str = "") -> Lpj:
    """The Ketua or the Bendahara confirms the closed month's LPJ; the second of the two submits it."""
    check_chain_level(actor, Level.PENGURUS)
    position = officer_position(actor, kube)
    if position is None:
        raise ApprovalError(_("LPJ diajukan oleh ketua dan bendahara KUBE; Anda tidak memegang jabatan itu."),
                            code="not_officer")
    lpj = _lock_lpj(lpj_open(kube=kube, period=period))
    _turn(lpj, Level.PENGURUS)
    field = "ketua_by" if position == "ketua" else "bendahara_by"
    other = lpj.bendahara_by_id if position == "ketua" else lpj.ketua_by_id
    if getattr(lpj, f"{field}_id") is not None:
        raise OutOfTurnError(_("Anda sudah mengonfirmasi LPJ ini; menunggu konfirmasi %(o)s.")
                             % {"o": _("bendahara") if position == "ketua" else _("ketua")})
    if other is not None and other == actor.pk:
        raise ApprovalError(_("Ketua dan bendahara harus dua orang yang berbeda."), code="same_person")
    setattr(lpj, field, actor)
    note = _note(note)
    _step(actor=actor, action=Action.CONFIRM, level=Level.PENGURUS, note=note, lpj=lpj)
    if lpj.ketua_by_id and lpj.bendahara_by_id:
        now = timezone.now()
        lpj.reached = 1
        lpj.submitted_at = now
        lpj.first_submitted_at = lpj.first_submitted_at or now
        lpj.returned_reason = ""
        _step(actor=actor, action=Action.SUBMIT, level=Level.PENGURUS, lpj=lpj)
        lpj.save()
        rollup.dossier_changed(lpj)
        return lpj
    lpj.save()
    return lpj


def _advance(lpj: Lpj, *, actor: Any, level: str, action: str, note: str) -> Lpj:
    check_chain_level(actor, level)
    lpj = _lock_lpj(lpj)
    _turn(lpj, level)
    lpj.reached += 1
    now = timezone.now()
    if level == Level.PENDAMPING:
        lpj.verified_at = now
    if lpj.approved:
        lpj.approved_at = now
        period_lock(actor=actor, kube=lpj.kube, period=lpj.period, locked=True)
        outbox.record(lpj.kube_id, lpj.period)  # the month now counts among the approved figures
    lpj.save()
    rollup.dossier_changed(lpj, approval=lpj.approved)
    _step(actor=actor, action=action, level=level, note=_note(note), lpj=lpj)
    return lpj


@transaction.atomic
def lpj_verify(*, actor: Any, lpj: Lpj, findings: str = "") -> Lpj:
    """The group's mentor verifies the LPJ against the books; `findings` are what the mentor saw."""
    return _advance(lpj, actor=actor, level=Level.PENDAMPING, action=Action.VERIFY, note=findings)


@transaction.atomic
def lpj_check(*, actor: Any, lpj: Lpj, note: str = "") -> Lpj:
    """The kecamatan level's check, where the province's chain has one."""
    return _advance(lpj, actor=actor, level=Level.KECAMATAN, action=Action.CHECK, note=note)


@transaction.atomic
def lpj_approve(*, actor: Any, lpj: Lpj, note: str = "") -> Lpj:
    """The kabupaten/kota office approves the verified LPJ: the month is locked in the books."""
    return _advance(lpj, actor=actor, level=Level.KABUPATEN, action=Action.APPROVE, note=note)


@dataclass
class BulkResult:
    approved: list[Lpj]
    refused: list[tuple[Lpj, str]]


# A bulk approval commits this many at a time: the kabupaten's completeness is recounted once per
# chunk instead of once per LPJ, and on SQLite the write lock is held for a chunk (about ten
# approvals' writes), never for the whole request (bench/RESULTS.md, 2026-12-02).
BULK_CHUNK = 10


def lpj_approve_many(*, actor: Any, lpjs: Iterable[Lpj], note: str = "", chunk: int = BULK_CHUNK) -> BulkResult:
    """Approve several verified LPJ in one request, each recorded one by one (its own step, audit
    row and lock, in its own savepoint), `chunk` to a transaction: one that is not in turn is
    reported, not fatal."""
    result = BulkResult([], [])
    todo = list(lpjs)
    for start in range(0, len(todo), chunk):
        with transaction.atomic(), rollup.collected():
            for lpj in todo[start:start + chunk]:
                try:
                    result.approved.append(lpj_approve(actor=actor, lpj=lpj, note=note))
                except ApprovalError as exc:
                    result.refused.append((lpj, exc.message))
    return result


@transaction.atomic
def lpj_return(*, actor: Any, lpj: Lpj, reason: str) -> Lpj:
    """The level whose turn it is sends the LPJ back to the level below, with the reason. Back at
    the officers, both confirmations start again."""
    lpj = _lock_lpj(lpj)
    level = lpj.next_level
    if level is None or lpj.reached == 0:
        raise OutOfTurnError(_("LPJ ini tidak sedang menunggu pemeriksaan, jadi tidak dapat dikembalikan."))
    check_chain_level(actor, level)
    reason = _need_reason(reason, what=_("alasan pengembalian"))
    _back_one(lpj)
    lpj.returned_reason = reason
    lpj.returned_at = timezone.now()
    lpj.save()
    rollup.dossier_changed(lpj)
    _step(actor=actor, action=Action.RETURN, level=level, note=reason, lpj=lpj)
    return lpj


def _back_one(lpj: Lpj) -> None:
    """Undo the last level's act on the dossier's row (not its history)."""
    was = lpj.last_level
    lpj.reached -= 1
    if was == Level.PENGURUS:
        lpj.ketua_by = None
        lpj.bendahara_by = None
        lpj.submitted_at = None
    elif was == Level.PENDAMPING:
        lpj.verified_at = None
    elif was == Level.KABUPATEN:
        lpj.approved_at = None


@transaction.atomic
def lpj_unapprove(*, actor: Any, lpj: Lpj, note: str = "") -> Lpj:
    """The level that acted last withdraws its act, only while the level above has not acted: for
    the kabupaten's approval, while the province has not accepted the kabupaten's report covering
    the month (DHIS2's rule). Withdrawing the approval unlocks the month."""
    lpj = _lock_lpj(lpj)
    level = lpj.last_level
    if level is None:
        raise OutOfTurnError(_("LPJ ini belum diajukan, jadi tidak ada yang ditarik kembali."))
    check_chain_level(actor, level)
    if level == Level.PENGURUS and officer_position(actor, lpj.kube) is None:
        raise ApprovalError(_("Pengajuan hanya dapat ditarik oleh ketua atau bendahara KUBE."), code="not_officer")
    was_approved = lpj.approved
    if was_approved:
        accepted = _accepted_report_covering(lpj.kube, lpj.period)
        if accepted is not None:
            raise ApprovalError(
                _("Persetujuan LPJ bulan %(m)s tidak dapat ditarik: laporan %(r)s periode %(p)s sudah diterima "
                  "provinsi. Minta provinsi menarik penerimaannya dulu, atau ajukan pembukaan kembali.")
                % {"m": _month_label(lpj.period), "r": accepted.region.name, "p": accepted.period},
                code="accepted_above")
        period_lock(actor=actor, kube=lpj.kube, period=lpj.period, locked=False)
        outbox.record(lpj.kube_id, lpj.period)
    _back_one(lpj)
    lpj.save()
    rollup.dossier_changed(lpj, approval=was_approved)
    _step(actor=actor, action=Action.UNAPPROVE, level=level, note=_note(note), lpj=lpj)
    return lpj


@transaction.atomic
def month_reopen(*, actor: Any, kube: Kube, period: int) -> list[int]:
    """The group reopens a month it closed (and every later one) to correct it: refused by the
    books while the month is approved; an LPJ already on its way is withdrawn."""
    check_chain_level(actor, Level.PENGURUS)
    if officer_position(actor, kube) is None:
        raise ApprovalError(_("Bulan buku dibuka kembali oleh ketua atau bendahara KUBE."), code="not_officer")
    months = period_reopen(actor=actor, kube=kube, period=period)
    _withdraw(actor, kube, months, Action.WITHDRAW)
    return months


def _withdraw(actor: Any, kube: Kube, months: list[int], action: str, level: str = Level.PENGURUS) -> None:
    changed: set[tuple[str, int]] = set()
    approval = False
    for lpj in Lpj.objects.select_for_update().filter(kube=kube, period__in=months):
        # No announcement of its own: books.services.period_reopen, which reopened these months
        # just before, announced them (approved or not) to the summaries.
        if lpj.reached or lpj.ketua_by_id or lpj.bendahara_by_id:
            approval = approval or lpj.approved
            lpj.reached = 0
            lpj.ketua_by = lpj.bendahara_by = None
            lpj.submitted_at = lpj.verified_at = lpj.approved_at = None
            lpj.save()
            _step(actor=actor, action=action, level=level, lpj=lpj)
            changed |= {(kube.desa_id[:5], lpj.period), (lpj.desa_code[:5], lpj.period)}
    if changed:
        rollup.refresh({kab for kab, _p in changed}, {p for _k, p in changed}, approved=approval)


# --- reopening an approved month --------------------------------------------------------------


@transaction.atomic
def reopen_ask(*, actor: Any, lpj: Lpj, reason: str) -> ReopenRequest:
    """The Ketua or the Bendahara asks the approving office to reopen an approved month."""
    check_chain_level(actor, Level.PENGURUS)
    lpj = _lock_lpj(lpj)
    if officer_position(actor, lpj.kube) is None:
        raise ApprovalError(_("Permohonan buka kembali diajukan oleh ketua atau bendahara KUBE."), code="not_officer")
    if not lpj.approved:
        raise OutOfTurnError(_("LPJ bulan %(m)s belum disetujui; kelompok dapat membuka bulan itu sendiri.")
                             % {"m": _month_label(lpj.period)})
    if ReopenRequest.objects.filter(lpj=lpj, status=ReopenStatus.PENDING).exists():
        raise OutOfTurnError(_("Permohonan buka kembali bulan ini sudah diajukan dan menunggu keputusan."))
    reason = _need_reason(reason, what=_("alasan permohonan"))
    request = ReopenRequest.objects.create(lpj=lpj, reason=reason, requested_by=_by(actor))
    _step(actor=actor, action=Action.REOPEN_ASK, level=Level.PENGURUS, note=reason, lpj=lpj)
    return request


@transaction.atomic
def reopen_decide(*, actor: Any, request: ReopenRequest, grant: bool, note: str = "") -> ReopenRequest:
    """The approving office grants (the month and every later one reopen; the LPJ starts again) or
    refuses (with a reason) a reopening request. Audited either way."""
    request = ReopenRequest.objects.select_for_update().select_related("lpj", "lpj__kube").get(pk=request.pk)
    lpj = request.lpj
    approver = lpj.levels[-1]
    check_chain_level(actor, approver)
    if request.status != ReopenStatus.PENDING:
        raise OutOfTurnError(_("Permohonan ini sudah diputuskan."))
    if grant:
        note = _note(note)
        period_lock(actor=actor, kube=lpj.kube, period=lpj.period, locked=False)
        try:
            months = period_reopen(actor=actor, kube=lpj.kube, period=lpj.period)
        except BooksError as exc:
            # A later month is approved too: the books keep "closed up to", so it reopens first.
            raise ApprovalError(
                _("Bulan sesudahnya juga sudah disetujui. Buka kembali dulu bulan terakhir yang disetujui, "
                  "lalu bulan ini. (%(why)s)") % {"why": exc.message}, code="later_locked") from exc
        _withdraw(actor, lpj.kube, months, Action.REOPEN_GRANT, approver)
        request.status = ReopenStatus.GRANTED
    else:
        note = _need_reason(note, what=_("alasan penolakan"))
        request.status = ReopenStatus.REFUSED
        _step(actor=actor, action=Action.REOPEN_REFUSE, level=approver, note=note, lpj=lpj)
    request.decided_by = _by(actor)
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save()
    return request


# --- the offices' period reports ------------------------------------------------------------------

# Who computes the figures of a region's report: monitoring registers it at start-up (this app sits
# below monitoring in the layers and must not import it).
Figures = Callable[[str, str], list[tuple[str, Any]]]
_figures: Figures | None = None


def figures_register(figures: Figures) -> None:
    global _figures
    _figures = figures


def report_figures(region_code: str, period: str) -> list[tuple[str, Any]]:
    """The report's figures as its page shows them: [(label, value)], in order."""
    if _figures is None:
        raise RuntimeError("no report figures registered (monitoring registers them in its ready())")
    return _figures(region_code, period)


def report_open(*, region: Region, period: str) -> Report:
    parsed = parse_period(period)
    if region.level not in (1, 2):
        raise ApprovalError(_("Laporan berjenjang dibuat untuk kabupaten/kota dan provinsi."), field="region")
    if parsed.end >= timezone.localdate():
        raise ApprovalError(_("Periode %(p)s belum berakhir; laporannya diajukan sesudahnya.") % {"p": parsed.label},
                            field="period", code="not_over")
    report, _created = Report.objects.get_or_create(
        region=region, period=parsed.code,
        defaults={"first_month": parsed.months[0], "last_month": parsed.months[-1]})
    return report


def _lock_report(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("region").get(pk=report.pk)


@transaction.atomic
def report_submit(*, actor: Any, region: Region, period: str, note: str = "") -> Report:
    """The region's own office submits its period report to the level above."""
    check_report_office(actor, region.pk, "submit")
    report = _lock_report(report_open(region=region, period=period))
    if report.reached:
        raise OutOfTurnError(_("Laporan ini sudah diajukan."))
    now = timezone.now()
    report.reached = 1
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.save()
    _step(actor=actor, action=Action.SUBMIT, level=report.level, note=_note(note), report=report)
    return report


@transaction.atomic
def report_accept(*, actor: Any, report: Report, note: str = "") -> Report:
    """The office above accepts the submitted report: the figures as shown are kept with it."""
    report = _lock_report(report)
    check_report_office(actor, report.region_id, "accept")
    if report.reached != 1:
        raise OutOfTurnError(_("Laporan ini belum diajukan.") if report.reached == 0
                             else _("Laporan ini sudah diterima."))
    report.reached = 2
    report.accepted_at = timezone.now()
    report.snapshot = [[label, value] for label, value in report_figures(report.region_id, report.period)]
    report.save()
    _step(actor=actor, action=Action.ACCEPT, level=report.accepting_level, note=_note(note), report=report)
    return report


@transaction.atomic
def report_return(*, actor: Any, report: Report, reason: str) -> Report:
    """The office above returns the submitted report for revision, with the reason."""
    report = _lock_report(report)
    check_report_office(actor, report.region_id, "accept")
    if report.reached != 1:
        raise OutOfTurnError(_("Hanya laporan yang sedang diajukan yang dapat dikembalikan."))
    reason = _need_reason(reason, what=_("alasan pengembalian"))
    report.reached = 0
    report.submitted_at = None
    report.returned_reason = reason
    report.returned_at = timezone.now()
    report.save()
    _step(actor=actor, action=Action.RETURN, level=report.accepting_level, note=reason, report=report)
    return report


@transaction.atomic
def report_unapprove(*, actor: Any, report: Report, note: str = "") -> Report:
    """The level that acted last withdraws: the office its submission while not accepted; the
    province its acceptance of a kabupaten's report while the ministry has not accepted the
    province's own report covering it."""
    report = _lock_report(report)
    want = "accept" if report.reached == 2 else "submit"
    check_report_office(actor, report.region_id, want)  # who may act here first: 403 before any state
    if report.reached == 0:
        raise OutOfTurnError(_("Laporan ini belum diajukan, jadi tidak ada yang ditarik kembali."))
    if report.reached == 2 and report.level == Level.KABUPATEN:
        above = Report.objects.filter(region_id=report.region_id[:2], reached=2,
                                      first_month__lte=report.first_month, last_month__gte=report.last_month).first()
        if above is not None:
            raise ApprovalError(
                _("Penerimaan tidak dapat ditarik: laporan provinsi periode %(p)s sudah diterima Kementerian.")
                % {"p": above.period}, code="accepted_above")
    level = report.accepting_level if report.reached == 2 else report.level
    if report.reached == 2:
        report.accepted_at = None
        report.snapshot = None
    else:
        report.submitted_at = None
    report.reached -= 1
    report.save()
    _step(actor=actor, action=Action.UNAPPROVE, level=level, note=_note(note), report=report)
    return report


def can_act(user: Any, level: str | None) -> bool:
    """Whether the user's role acts at this level (for pages deciding which buttons to show)."""
    return level is not None and acts_at(user, level)
