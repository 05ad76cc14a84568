"""/api/v1 for monitoring: a group's health and class, a region's dashboard figures, period reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from accounts.access import Kind, access_kube
from api.pagination import ObjectId, Page, PageParams, paginate
from api.types import Flag, file_answers
from books.errors import BooksError
from books.lpj import parse_period
from lib.http import XLSX, pdf_response, xlsx_response
from monitoring import documents
from monitoring.classification import CRITERIA
from monitoring.drain import drain_group
from monitoring.errors import MonitoringError
from monitoring.health import reason_text, reasons_text
from monitoring.models import GroupState, Health
from monitoring.selectors import Figures, Scope, dashboard, default_period, freshness, running_months, scope_for
from monitoring.services import class_check_set
from monitoring.shareouts import share_out_figures
from registry.models import Kube

router = Router(tags=["pemantauan"])

NATIONAL = "nasional"
APPROVED_HELP = ("true: arus dalam periode (pendapatan, beban, simpanan, IKS, kunjungan, pertemuan, baris buku) hanya "
                 "dari bulan KUBE yang LPJ-nya disetujui Dinas Sosial kabupaten/kota (\"hanya yang disetujui\"); "
                 "jumlah KUBE, anggota, saldo sekarang, kesehatan dan kelas tetap dari semua kelompok. false (bawaan): "
                 "semua kelompok")
APPROVED_ONLY = Query(False, description=APPROVED_HELP)
PERIOD_HELP = ("2026-10, 2026-Q4 atau 2026; tanpa periode: bulan terakhir yang bukunya sudah ditutup di wilayah itu "
               "(bukan bulan berjalan)")


class ReasonOut(Schema):
    code: str
    points: int
    text: str


class HealthOut(Schema):
    kube: int
    health: str
    score: int
    reasons: list[ReasonOut]
    computed_on: dt.date | None


def _state(request: HttpRequest, kube_id: int) -> GroupState:
    return _state_of(access_kube(request.user, kube_id))


def _state_of(kube: Kube) -> GroupState:
    state = GroupState.objects.filter(kube=kube).first()
    if state is None:
        raise MonitoringError(_("Keadaan KUBE ini belum dihitung."), code="not_computed")
    return state


@router.get("/groups/{kube_id}/health", response=HealthOut, summary="Kesehatan KUBE dan alasannya")
def group_health(request: HttpRequest, kube_id: ObjectId) -> dict[str, Any]:
    state = _state(request, kube_id)
    return {"kube": state.kube_id, "health": state.health, "score": state.health_score,
            "reasons": [{"code": c, "points": p, "text": reason_text(c, params)} for c, p, params in state.reasons],
            "computed_on": state.refreshed_on}


class ClassCriterionOut(Schema):
    klass: str
    code: str
    text: str
    met: bool
    source: str = Field(..., description="records (dari catatan) | mentor (dicentang pendamping)")
    evidence: str | None = Field(None, description="bukti centang terakhir (kriteria yang dicentang pendamping)")
    checked_by: str | None = Field(None, description="nama yang mencentang terakhir")
    checked_at: dt.datetime | None = None


class ClassOut(Schema):
    kube: int
    klass: str
    criteria: list[ClassCriterionOut]


class ClassCheckIn(Schema):
    code: str = Field(..., max_length=30, description="kode kriteria yang dicentang pendamping, misalnya name_board")
    met: Flag
    evidence: str = Field("", max_length=300)


def _class_out(kube: Kube, state: GroupState) -> dict[str, Any]:
    met = state.evidence or {}
    # The latest tick per criterion, as the group's page shows it.
    ticks = {c.code: c for c in kube.class_checks.select_related("checked_by").order_by("checked_at", "id")}
    rows = []
    for c in CRITERIA:
        tick = None if c.from_records else ticks.get(c.code)
        rows.append({"klass": c.klass, "code": c.code, "text": str(c.text), "met": bool(met.get(c.code)),
                     "source": "records" if c.from_records else "mentor",
                     "evidence": tick.evidence if tick else None,
                     "checked_by": tick.checked_by.full_name if tick and tick.checked_by else None,
                     "checked_at": tick.checked_at if tick else None})
    return {"kube": state.kube_id, "klass": state.klass, "criteria": rows}


@router.get("/groups/{kube_id}/class", response=ClassOut, summary="Kelas KUBE dan bukti tiap kriteria")
def group_class(request: HttpRequest, kube_id: ObjectId) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id)
    return _class_out(kube, _state_of(kube))


@router.post("/groups/{kube_id}/class/checks", response=ClassOut,
             summary="Centang kriteria kelas yang tidak terbaca dari catatan, dengan bukti")
def check_class(request: HttpRequest, kube_id: ObjectId, payload: ClassCheckIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.STAGE)
    class_check_set(actor=request.user, kube=kube, code=payload.code, met=payload.met, evidence=payload.evidence)
    drain_group(kube.pk)  # the answer shows the class the tick gives
    return _class_out(kube, _state_of(kube))


class FiguresOut(Schema):
    region: str
    name: str
    values: dict[str, int]
    profit: int
    attendance_percent: Decimal | None
    par30_percent: Decimal | None
    capital_vs_grant_percent: Decimal | None
    peka_means: list[Decimal | None]


class ShareOutRegionOut(Schema):
    region: str
    name: str
    groups: int
    paid_to_members: int
    kept_as_capital: int


class ShareOutFlagOut(Schema):
    kube: int
    name: str
    reasons: list[str]


class ShareOutsOut(Schema):
    year: int = Field(..., description="tahun buku yang dibagi (tahun sebelum periode)")
    total: ShareOutRegionOut
    children: list[ShareOutRegionOut]
    flagged: list[ShareOutFlagOut]


class DashboardOut(Schema):
    region: str
    period: str
    running_months: list[int] = Field(..., description="bulan periode yang belum berakhir (YYYYMM): buku belum lengkap")
    total: FiguresOut
    children: list[FiguresOut]
    trend: list[dict[str, int]]
    as_of: dt.datetime | None = Field(..., description="waktu ringkasan wilayah ini terakhir dihitung ulang")
    pending_changes: int = Field(..., description="perubahan di wilayah ini yang sudah tersimpan tetapi belum "
                                                  "dihitung ke ringkasan (biasanya kurang dari satu detik)")
    share_outs: ShareOutsOut
    figures: str = Field(..., description="semua (semua kelompok) | disetujui (hanya yang disetujui)")
    basis: str = Field(..., description="kalimat yang dicetak halaman dan laporan: angka yang mana")
    approved_groups: int | None = Field(..., description="dengan approved_only: KUBE wilayah ini yang punya "
                                                         "setidaknya satu bulan periode yang LPJ-nya disetujui")


def _figures(code: str, name: str, f: Figures) -> dict[str, Any]:
    return {"region": code, "name": name, "values": dict(f.values), "profit": f.profit,
            "attendance_percent": f.attendance, "par30_percent": f.par30, "capital_vs_grant_percent": f.capital_vs_grant,
            "peka_means": f.peka_means}


def _scope_and_period(request: HttpRequest, region_code: str, period: str) -> tuple[Any, Any]:
    scope = scope_for(request.user, "" if region_code == NATIONAL else region_code)
    if not period:
        return scope, default_period(scope, today=timezone.localdate())
    try:
        parsed = parse_period(period)
    except BooksError as exc:
        raise MonitoringError(exc.message, field="period", code="bad_period") from exc
    return scope, parsed


@router.get("/dashboard/{region_code}", response=DashboardOut,
            summary="Angka pemantauan suatu wilayah (kode wilayah, atau 'nasional') dan tiap wilayah di bawahnya")
def region_dashboard(request: HttpRequest, region_code: str,
                     period: str = Query("", max_length=7, description=PERIOD_HELP),
                     approved_only: Flag = APPROVED_ONLY) -> dict[str, Any]:
    scope, parsed = _scope_and_period(request, region_code, period)
    board = dashboard(scope, parsed, approved_only=approved_only)
    name = scope.region.label if scope.region else _("Nasional")
    fresh = freshness(scope)
    return {"as_of": fresh.as_of, "pending_changes": fresh.pending,"region": scope.code or NATIONAL, "period": parsed.code,
            "running_months": running_months(parsed, today=timezone.localdate()), "total": _figures(scope.code, name, board.total),
            "children": [_figures(r.code, r.name, f) for r, f in board.children],
            "trend": [{"period": p, **row} for p, row in board.trend],
            "share_outs": _share_outs(scope, parsed.year - 1, name),
            "figures": "disetujui" if approved_only else "semua", "basis": board.basis,
            "approved_groups": board.approved_groups}


def _share_outs(scope: Scope, year: int, name: str) -> dict[str, Any]:
    shares = share_out_figures(scope, year)

    def region(code: str, label: str, t: Any) -> dict[str, Any]:
        return {"region": code, "name": label, "groups": t.groups, "paid_to_members": t.paid,
                "kept_as_capital": t.capital}

    return {"year": year, "total": region(scope.code or NATIONAL, name, shares.total),
            "children": [region(r.code, r.name, t) for r, t in shares.children],
            "flagged": [{"kube": k.pk, "name": k.name, "reasons": reasons} for k, reasons in shares.flagged]}


@router.get("/reports/{region_code}", summary="Laporan periode (xlsx atau pdf)", response={200: None},
            openapi_extra=file_answers(XLSX, "application/pdf", description="Laporan periode"))
def region_report(request: HttpRequest, region_code: str, period: str = Query("", max_length=7, description=PERIOD_HELP),
                  format: str = Query("xlsx", pattern="^(xlsx|pdf)$"),
                  approved_only: Flag = APPROVED_ONLY) -> HttpResponse:
    scope, parsed = _scope_and_period(request, region_code, period)
    name = f"laporan-kube-{scope.code or NATIONAL}-{parsed.code}" + ("-disetujui" if approved_only else "")
    if format == "pdf":
        return pdf_response(documents.report_pdf(scope, parsed, printed_by=request.user.get_username(),
                                                 approved_only=approved_only), filename=f"{name}.pdf")
    return xlsx_response(documents.report_xlsx(scope, parsed, approved_only=approved_only), filename=f"{name}.xlsx")


class GroupHealthOut(Schema):
    kube: int
    name: str
    desa: str
    desa_name: str
    health: str
    klass: str
    score: int
    reasons: list[str]


def _groups_in(scope: Scope, *, attention_only: bool) -> tuple[QuerySet[GroupState], tuple[str, ...]]:
    """The order of monitoring.selectors.groups_in (those needing attention first: health rises with
    the score), with the group's id last so that pages do not shift between calls."""
    qs = scope.filter(GroupState.objects.all())
    if attention_only:
        qs = qs.filter(health__in=(Health.ATTENTION, Health.CRITICAL))
    return qs, (("-health_score", "kube__name", "kube_id") if scope.level >= 2 else ("-health_score", "-kube_id"))


@router.get("/dashboard/{region_code}/groups", response=Page[GroupHealthOut],
            summary="KUBE suatu wilayah dengan kesehatan dan alasannya, yang perlu perhatian lebih dulu")
def region_groups(request: HttpRequest, region_code: str, attention_only: Flag = False,
                  pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    scope = scope_for(request.user, "" if region_code == NATIONAL else region_code)
    qs, order = _groups_in(scope, attention_only=attention_only)
    page = paginate(qs, pages, order=order)
    kubes = Kube.objects.select_related("desa").in_bulk([s.kube_id for s in page["items"]])
    page["items"] = [{"kube": s.kube_id, "name": kubes[s.kube_id].name, "desa": kubes[s.kube_id].desa_id,
                      "desa_name": kubes[s.kube_id].desa.label, "health": s.health, "klass": s.klass,
                      "score": s.health_score, "reasons": reasons_text(s.reasons)} for s in page["items"]]
    return page
