"""/api/v1 for monitoring: a group's health and class, a region's dashboard figures, period reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from accounts.access import access_kube
from api.pagination import ObjectId
from books.lpj import parse_period
from lib.http import pdf_response, xlsx_response
from monitoring import documents
from monitoring.classification import CRITERIA
from monitoring.errors import MonitoringError
from monitoring.health import reason_text
from monitoring.models import GroupState
from monitoring.selectors import Figures, dashboard, scope_for

router = Router(tags=["pemantauan"])

NATIONAL = "nasional"


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
    kube = access_kube(request.user, kube_id)
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


class CriterionOut(Schema):
    klass: str
    code: str
    text: str
    met: bool
    source: str = Field(..., description="records (dari catatan) | mentor (dicentang pendamping)")


class ClassOut(Schema):
    kube: int
    klass: str
    criteria: list[CriterionOut]


@router.get("/groups/{kube_id}/class", response=ClassOut, summary="Kelas KUBE dan bukti tiap kriteria")
def group_class(request: HttpRequest, kube_id: ObjectId) -> dict[str, Any]:
    state = _state(request, kube_id)
    met = state.evidence or {}
    return {"kube": state.kube_id, "klass": state.klass, "criteria": [
        {"klass": c.klass, "code": c.code, "text": str(c.text), "met": bool(met.get(c.code)),
         "source": "records" if c.from_records else "mentor"} for c in CRITERIA]}


class FiguresOut(Schema):
    region: str
    name: str
    values: dict[str, int]
    profit: int
    attendance_percent: Decimal | None
    par30_percent: Decimal | None
    capital_vs_grant_percent: Decimal | None
    peka_means: list[Decimal | None]


class DashboardOut(Schema):
    region: str
    period: str
    total: FiguresOut
    children: list[FiguresOut]
    trend: list[dict[str, int]]


def _figures(code: str, name: str, f: Figures) -> dict[str, Any]:
    return {"region": code, "name": name, "values": dict(f.values), "profit": f.profit,
            "attendance_percent": f.attendance, "par30_percent": f.par30, "capital_vs_grant_percent": f.capital_vs_grant,
            "peka_means": f.peka_means}


def _scope_and_period(request: HttpRequest, region_code: str, period: str) -> tuple[Any, Any]:
    from books.errors import BooksError

    try:
        parsed = parse_period(period)
    except BooksError as exc:
        raise MonitoringError(exc.message, field="period", code="bad_period") from exc
    return scope_for(request.user, "" if region_code == NATIONAL else region_code), parsed


@router.get("/dashboard/{region_code}", response=DashboardOut,
            summary="Angka pemantauan suatu wilayah (kode wilayah, atau 'nasional') dan tiap wilayah di bawahnya")
def region_dashboard(request: HttpRequest, region_code: str, period: str = Query(..., max_length=7)) -> dict[str, Any]:
    scope, parsed = _scope_and_period(request, region_code, period)
    board = dashboard(scope, parsed)
    name = scope.region.label if scope.region else _("Nasional")
    return {"region": scope.code or NATIONAL, "period": parsed.code, "total": _figures(scope.code, name, board.total),
            "children": [_figures(r.code, r.name, f) for r, f in board.children],
            "trend": [{"period": p, **row} for p, row in board.trend]}


@router.get("/reports/{region_code}", summary="Laporan periode (xlsx atau pdf)", response={200: None})
def region_report(request: HttpRequest, region_code: str, period: str = Query(..., max_length=7),
                  format: str = Query("xlsx", pattern="^(xlsx|pdf)$")) -> HttpResponse:
    scope, parsed = _scope_and_period(request, region_code, period)
    name = f"laporan-kube-{scope.code or NATIONAL}-{parsed.code}"
    if format == "pdf":
        return pdf_response(documents.report_pdf(scope, parsed, printed_by=request.user.get_username()),
                            filename=f"{name}.pdf")
    return xlsx_response(documents.report_xlsx(scope, parsed), filename=f"{name}.xlsx")
