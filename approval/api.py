"""/api/v1 for the reporting chain: a group's LPJ dossiers and their steps, the offices' period
reports, reopening requests, the work list and completeness. Same services and reach as the pages:
a dossier outside reach is 404 like a missing id; a role that does not act at the level is 403
(every write declares Kind.APPROVAL in accounts.access.OPERATION_KINDS)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Reply

from accounts.access import (
    Kind,
    access_child,
    access_kube,
    access_one,
    access_region,
    body_refs,
    check_role,
    region_root,
)
from api.pagination import ObjectId, Page, PageParams, paginate
from api.types import Flag, Month, Period
from approval import selectors, services
from approval.errors import ApprovalError
from approval.models import Lpj, ReopenRequest, Report
from books.lpj import parse_period
from regions.models import Region

router = Router(tags=["pelaporan berjenjang"])

Note = Field("", max_length=2000)
Reason = Field(..., min_length=1, max_length=2000)


class StepOut(Schema):
    level: str
    action: str
    actor: str | None
    role: str
    at: dt.datetime
    note: str


class LpjOut(Schema):
    id: int
    kube: int
    kube_name: str
    period: str
    levels: list[str]
    reached: int
    state: str
    next_level: str | None
    approved: bool
    submitted_at: dt.datetime | None
    verified_at: dt.datetime | None
    approved_at: dt.datetime | None
    returned_reason: str
    steps: list[StepOut]


def _steps(steps: Any) -> list[dict[str, Any]]:
    return [{"level": s.level, "action": s.action, "actor": s.actor.full_name if s.actor else None,
             "role": s.role_label, "at": s.at, "note": s.note} for s in steps]


def _lpj_out(lpj: Lpj, *, steps: bool = True) -> dict[str, Any]:
    return {"id": lpj.pk, "kube": lpj.kube_id, "kube_name": lpj.kube.name, "period": lpj.code,
            "levels": lpj.levels, "reached": lpj.reached, "state": selectors.lpj_state_label(lpj),
            "next_level": lpj.next_level, "approved": lpj.approved, "submitted_at": lpj.submitted_at,
            "verified_at": lpj.verified_at, "approved_at": lpj.approved_at, "returned_reason": lpj.returned_reason,
            "steps": _steps(lpj.steps.select_related("actor")) if steps else []}


def _lpj(request: HttpRequest, lpj_id: Any, *, write: bool = False) -> Lpj:
    return access_child(request.user, Lpj.objects.select_related("kube"), lpj_id,
                        write=Kind.APPROVAL if write else None)


class ConfirmIn(Schema):
    period: Month
    note: str = Note


class NoteIn(Schema):
    note: str = Note


class FindingsIn(Schema):
    findings: str = Note


class ReasonIn(Schema):
    reason: str = Reason


class BulkIn(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=500)
    note: str = Note


class BulkOut(Schema):
    approved: list[int]
    refused: list[dict[str, Any]]


class ReopenIn(Schema):
    period: Month


class ReopenDecisionIn(Schema):
    grant: Flag
    note: str = Note


class ReopenOut(Schema):
    id: int
    lpj: int
    period: str
    reason: str
    status: str
    decided_at: dt.datetime | None
    decision_note: str


def _reopen_out(r: ReopenRequest) -> dict[str, Any]:
    return {"id": r.pk, "lpj": r.lpj_id, "period": r.lpj.code, "reason": r.reason, "status": r.status,
            "decided_at": r.decided_at, "decision_note": r.decision_note}


def _month(code: str) -> int:
    parsed = parse_period(code)
    return parsed.months[0]


@router.get("/groups/{kube_id}/lpj-approvals", response=Page[LpjOut], summary="LPJ kelompok di rantai pelaporan")
def list_group_lpjs(request: HttpRequest, kube_id: ObjectId, pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    page = paginate(Lpj.objects.filter(kube=kube).select_related("kube"), pages, order=("-period", "-id"))
    page["items"] = [_lpj_out(x) for x in page["items"]]
    return page


@router.post("/groups/{kube_id}/lpj-approvals", response=LpjOut,
             summary="Konfirmasi LPJ bulan yang sudah ditutup (ketua dan bendahara; yang kedua mengajukan)")
def confirm_lpj(request: HttpRequest, kube_id: ObjectId, payload: ConfirmIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.APPROVAL)
    return _lpj_out(services.lpj_confirm(actor=request.user, kube=kube, period=_month(payload.period), note=payload.note))


@router.post("/groups/{kube_id}/reopen", response=list[str],
             summary="Buka kembali bulan buku yang belum disetujui (dan bulan sesudahnya)")
def reopen_month(request: HttpRequest, kube_id: ObjectId, payload: ReopenIn) -> list[str]:
    kube = access_kube(request.user, kube_id, write=Kind.APPROVAL)
    months = services.month_reopen(actor=request.user, kube=kube, period=_month(payload.period))
    return [f"{m // 100}-{m % 100:02d}" for m in months]


@router.get("/lpj-approvals/{lpj_id}", response=LpjOut, summary="Satu LPJ dengan riwayat langkahnya")
def get_lpj(request: HttpRequest, lpj_id: ObjectId) -> dict[str, Any]:
    return _lpj_out(_lpj(request, lpj_id))


@router.post("/approval/bulk-approve", response=BulkOut,
             summary="Setujui beberapa LPJ yang sudah diverifikasi sekaligus (masing-masing tercatat)")
def approve_many(request: HttpRequest, payload: BulkIn) -> dict[str, Any]:
    check_role(request.user, Kind.APPROVAL)
    lpjs = body_refs(request.user, selectors.lpjs_for_user(request.user).select_related("kube"), payload.ids,
                     field="ids", label="LPJ", error=ApprovalError)
    result = services.lpj_approve_many(actor=request.user, lpjs=lpjs, note=payload.note)
    return {"approved": [x.pk for x in result.approved],
            "refused": [{"id": x.pk, "message": message} for x, message in result.refused]}


@router.post("/lpj-approvals/{lpj_id}/verify", response=LpjOut, summary="Pendamping memverifikasi LPJ dengan temuannya")
def verify_lpj(request: HttpRequest, lpj_id: ObjectId, payload: FindingsIn) -> dict[str, Any]:
    return _lpj_out(services.lpj_verify(actor=request.user, lpj=_lpj(request, lpj_id, write=True),
                                        findings=payload.findings))


@router.post("/lpj-approvals/{lpj_id}/check", response=LpjOut, summary="Pemeriksaan tingkat kecamatan")
def check_lpj(request: HttpRequest, lpj_id: ObjectId, payload: NoteIn) -> dict[str, Any]:
    return _lpj_out(services.lpj_check(actor=request.user, lpj=_lpj(request, lpj_id, write=True), note=payload.note))


@router.post("/lpj-approvals/{lpj_id}/approve", response=LpjOut, summary="Dinas kabupaten/kota menyetujui LPJ")
def approve_lpj(request: HttpRequest, lpj_id: ObjectId, payload: NoteIn) -> dict[str, Any]:
    return _lpj_out(services.lpj_approve(actor=request.user, lpj=_lpj(request, lpj_id, write=True), note=payload.note))


@router.post("/lpj-approvals/{lpj_id}/return", response=LpjOut, summary="Kembalikan LPJ ke tingkat di bawah, dengan alasan")
def return_lpj(request: HttpRequest, lpj_id: ObjectId, payload: ReasonIn) -> dict[str, Any]:
    return _lpj_out(services.lpj_return(actor=request.user, lpj=_lpj(request, lpj_id, write=True), reason=payload.reason))


@router.post("/lpj-approvals/{lpj_id}/unapprove", response=LpjOut,
             summary="Tarik kembali tindakan terakhir (selama tingkat di atas belum menerima)")
def unapprove_lpj(request: HttpRequest, lpj_id: ObjectId, payload: NoteIn) -> dict[str, Any]:
    return _lpj_out(services.lpj_unapprove(actor=request.user, lpj=_lpj(request, lpj_id, write=True),
                                           note=payload.note))


@router.get("/lpj-approvals/{lpj_id}/reopen-requests", response=list[ReopenOut], summary="Permohonan buka kembali LPJ ini")
def list_reopens(request: HttpRequest, lpj_id: ObjectId) -> list[dict[str, Any]]:
    lpj = _lpj(request, lpj_id)
    return [_reopen_out(r) for r in lpj.reopen_requests.select_related("lpj")]


@router.post("/lpj-approvals/{lpj_id}/reopen-requests", response={201: ReopenOut},
             summary="Ajukan permohonan buka kembali bulan yang sudah disetujui")
def ask_reopen(request: HttpRequest, lpj_id: ObjectId, payload: ReasonIn) -> Reply[dict[str, Any]]:
    r = services.reopen_ask(actor=request.user, lpj=_lpj(request, lpj_id, write=True), reason=payload.reason)
    return Reply(201, _reopen_out(r))


@router.post("/reopen-requests/{request_id}/decision", response=ReopenOut,
             summary="Setujui atau tolak permohonan buka kembali (menolak perlu alasan)")
def decide_reopen(request: HttpRequest, request_id: ObjectId, payload: ReopenDecisionIn) -> dict[str, Any]:
    r = access_child(request.user, ReopenRequest.objects.select_related("lpj"), request_id, write=Kind.APPROVAL,
                     via="lpj__kube")
    return _reopen_out(services.reopen_decide(actor=request.user, request=r, grant=payload.grant, note=payload.note))


# --- the offices' reports --------------------------------------------------------------------------


class ReportOut(Schema):
    id: int
    region: str
    region_name: str
    period: str
    reached: int
    submitted_at: dt.datetime | None
    accepted_at: dt.datetime | None
    returned_reason: str
    snapshot: list[tuple[str, Any]] | None
    differences: list[dict[str, Any]]
    steps: list[StepOut]


def _report_out(r: Report, *, detail: bool = True) -> dict[str, Any]:
    return {"id": r.pk, "region": r.region_id, "region_name": r.region.name, "period": r.period, "reached": r.reached,
            "submitted_at": r.submitted_at, "accepted_at": r.accepted_at, "returned_reason": r.returned_reason,
            "snapshot": r.snapshot,
            "differences": [{"label": d.label, "accepted": d.accepted, "now": d.now}
                            for d in selectors.report_differences(r)] if detail else [],
            "steps": _steps(r.steps.select_related("actor")) if detail else []}


def _report(request: HttpRequest, report_id: Any, *, write: bool = False) -> Report:
    check_role(request.user, Kind.APPROVAL if write else None)
    return access_one(request.user, selectors.reports_for_user(request.user), report_id)


class ReportIn(Schema):
    region: str = Field(..., min_length=2, max_length=5, pattern=r"^[0-9]{2}(\.[0-9]{2})?$")
    period: Period
    note: str = Note


@router.get("/region-reports", response=Page[ReportOut], summary="Laporan berjenjang wilayah dalam jangkauan")
def list_reports(request: HttpRequest, pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    page = paginate(selectors.reports_for_user(request.user), pages, order=("-last_month", "region_id"))
    page["items"] = [_report_out(r, detail=False) for r in page["items"]]
    return page


@router.post("/region-reports", response=ReportOut, summary="Ajukan laporan periode wilayah kantor Anda ke tingkat di atas")
def submit_report(request: HttpRequest, payload: ReportIn) -> dict[str, Any]:
    check_role(request.user, Kind.APPROVAL)
    region = get_object_or_404(Region, pk=access_region(request.user, payload.region))
    return _report_out(services.report_submit(actor=request.user, region=region, period=payload.period,
                                              note=payload.note))


@router.get("/region-reports/{report_id}", response=ReportOut, summary="Satu laporan, dengan selisih terhadap angka saat diterima")
def get_report(request: HttpRequest, report_id: ObjectId) -> dict[str, Any]:
    return _report_out(_report(request, report_id))


@router.post("/region-reports/{report_id}/accept", response=ReportOut, summary="Terima laporan (angkanya disimpan)")
def accept_report(request: HttpRequest, report_id: ObjectId, payload: NoteIn) -> dict[str, Any]:
    return _report_out(services.report_accept(actor=request.user, report=_report(request, report_id, write=True),
                                              note=payload.note))


@router.post("/region-reports/{report_id}/return", response=ReportOut, summary="Kembalikan laporan untuk diperbaiki")
def return_report(request: HttpRequest, report_id: ObjectId, payload: ReasonIn) -> dict[str, Any]:
    return _report_out(services.report_return(actor=request.user, report=_report(request, report_id, write=True),
                                              reason=payload.reason))


@router.post("/region-reports/{report_id}/unapprove", response=ReportOut, summary="Tarik kembali pengajuan atau penerimaan")
def unapprove_report(request: HttpRequest, report_id: ObjectId, payload: NoteIn) -> dict[str, Any]:
    return _report_out(services.report_unapprove(actor=request.user, report=_report(request, report_id, write=True),
                                                 note=payload.note))


# --- work list and completeness ------------------------------------------------------------------


class CountsOut(Schema):
    expected: int
    submitted: int
    verified: int
    approved: int
    on_time: int


class ChildOut(CountsOut):
    region: str
    name: str


class LateOut(Schema):
    kube: int
    name: str
    desa: str
    days_late: int
    submitted: bool


class CompletenessOut(Schema):
    region: str
    period: str
    due: dt.date
    total: CountsOut
    children: list[ChildOut]
    late: list[LateOut]
    late_page: int
    late_more: bool


def _counts(c: selectors.Counts) -> dict[str, int]:
    return {"expected": c.expected, "submitted": c.submitted, "verified": c.verified, "approved": c.approved,
            "on_time": c.on_time}


@router.get("/approval/completeness", response=CompletenessOut,
            summary="Kelengkapan dan ketepatan waktu LPJ kelompok per wilayah dan bulan")
def completeness(request: HttpRequest, period: Month, region: str = Query("", max_length=13),
                 late_page: int = Query(1, ge=1, le=10_000)) -> dict[str, Any]:
    code = access_region(request.user, (region or region_root(request.user) or "").strip())
    board = selectors.completeness(code, _month(period), today=timezone.localdate(), late_page=late_page)
    return {"region": code, "period": period, "due": board.due, "total": _counts(board.total),
            "children": [{"region": r.code, "name": r.name, **_counts(c)} for r, c in board.children],
            "late": [{"kube": x.kube_id, "name": x.name, "desa": x.desa_code, "days_late": x.days_late,
                      "submitted": x.submitted} for x in board.late],
            "late_page": board.late_page, "late_more": board.late_more}


class WorkOut(Schema):
    count: int
    lpj_waiting: list[LpjOut]
    reports_waiting: list[ReportOut]
    reports_returned: list[ReportOut]
    lpj_returned: list[LpjOut]
    reopen_requests: list[ReopenOut]


@router.get("/approval/work", response=WorkOut, summary="Yang menunggu tindakan Anda di rantai pelaporan")
def work(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {"count": selectors.work_count(user),
            "lpj_waiting": [_lpj_out(x, steps=False) for x in selectors.waiting_lpjs(user)[:200]],
            "reports_waiting": [_report_out(r, detail=False) for r in selectors.waiting_reports(user)[:200]],
            "reports_returned": [_report_out(r, detail=False) for r in selectors.returned_reports(user)[:200]],
            "lpj_returned": [_lpj_out(x, steps=False) for x in selectors.returned_lpjs(user).select_related("kube")[:200]],
            "reopen_requests": [_reopen_out(r) for r in selectors.pending_reopens(user).select_related("lpj")[:200]]}
