"""Monitoring pages: the tiered dashboard with drill-down, a group's health and class, the rules,
and the period reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import Kind, access_kube, can_write
from assessments.instrument import DOMAINS
from books.errors import BooksError
from books.lpj import Period, parse_period
from front.tabs import book_context
from lib.charts import chart_json
from lib.http import pdf_response, xlsx_response
from monitoring import documents
from monitoring.classification import CRITERIA, ORDER
from monitoring.drain import drain_group
from monitoring.errors import MonitoringError
from monitoring.health import reasons_text
from monitoring.maps import map_spec
from monitoring.models import GroupState, Health, Klass
from monitoring.rules import rules, thresholds
from monitoring.selectors import (
    APPROVED_PARAM,
    APPROVED_VALUE,
    Scope,
    dashboard,
    default_period,
    freshness,
    groups_in,
    running_months,
    scope_for,
)
from monitoring.services import class_check_set
from monitoring.shareouts import share_out_figures


def period_param(request: HttpRequest, scope: Scope) -> Period:
    """?periode=2026-10 | 2026-Q3 | 2026; by default the region's last month with final books."""
    raw = request.GET.get("periode", "")
    if raw:
        try:
            return parse_period(raw)
        except BooksError:
            messages.warning(request, _("Periode tidak terbaca; yang ditampilkan bulan terakhir yang bukunya "
                                        "sudah ditutup."))
    return default_period(scope, today=timezone.localdate())


def approved_param(request: HttpRequest) -> bool:
    """?angka=disetujui: the flows of the approved group-months only ("hanya yang disetujui")."""
    return request.GET.get(APPROVED_PARAM, "") == APPROVED_VALUE


HEALTH_COLOURS = ["#0b7a53", "#d4a017", "#c0392b", "#9aa5ab"]


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user, request.GET.get("wilayah"))
    period = period_param(request, scope)
    approved_only = approved_param(request)
    board = dashboard(scope, period, approved_only=approved_only)
    today = timezone.localdate()
    running = running_months(period, today=today)
    t = board.total
    health_chart = chart_json("doughnut", [str(label) for label in Health.labels],
                         [(_("KUBE"), [t[f"health_{h}"] for h in Health.values])], colours=HEALTH_COLOURS)
    # A month still running is labelled so: its low figures are books not yet written, not a collapse.
    months = [date_format(date(p // 100, p % 100, 1), "M Y") + (" " + _("(berjalan)") if p >= today.year * 100 +
              today.month else "") for p, _row in board.trend]
    trend_chart = chart_json("line", months, [(_("Pendapatan"), [r["revenue"] for _p, r in board.trend]),
                                         (_("Laba"), [r["revenue"] - r["expense"] for _p, r in board.trend])])
    activity_chart = chart_json("bar", months, [(_("Kunjungan pendamping"), [r["visits"] for _p, r in board.trend]),
                                           (_("Pertemuan kelompok"), [r["meetings"] for _p, r in board.trend])])
    children_chart = chart_json("bar", [r.name for r, _f in board.children],
                           [(str(label), [f[f"health_{h}"] for _r, f in board.children])
                            for h, label in Health.choices], stacked=True, horizontal=True, colours=HEALTH_COLOURS,
                           height=90 + 30 * len(board.children))
    peka_chart = chart_json("radar", [str(i) for i in range(1, 8)], [(_("Rata-rata"), t.peka_means)], top=4) \
        if any(t.peka_means) else None
    breadcrumbs: list[Any] = []
    region = scope.region
    while region is not None:
        breadcrumbs.insert(0, region)
        region = region.parent
    return render(request, "monitoring/dashboard.html", {
        "board": board, "t": t, "fresh": freshness(scope),
        "period": period, "running": bool(running), "breadcrumbs": breadcrumbs, "health_chart": health_chart,
        "trend_chart": trend_chart, "activity_chart": activity_chart, "children_chart": children_chart,
        "peka_chart": peka_chart, "attention": [
            (s, reasons_text(s.reasons)[:3]) for s in groups_in(scope, attention_only=True, limit=15)],
        "groups": [(s, reasons_text(s.reasons)) for s in groups_in(scope, limit=300)] if scope.level >= 3 else [],
        "domains": _domains(), "klasses": [(k, label, t[f"class_{k}"]) for k, label in Klass.choices],
        "desils": [(n, t[f"desil_{n}"]) for n in range(1, 11)], "region_code": scope.code,
        "healths": [(h, label, t[f"health_{h}"]) for h, label in Health.choices],
        # The share-outs the meetings of the period's year decided: those of the book year before it.
        "shares": share_out_figures(scope, period.year - 1),
        "map_spec": map_spec(board, period_code=period.code),
        # Kept in every link of the page (drill-down, periods, downloads): "&angka=disetujui" or nothing.
        "angka": f"&{APPROVED_PARAM}={APPROVED_VALUE}" if approved_only else "", "approved_only": approved_only,
    })


def _domains() -> list[str]:
    return [name for name, _items in DOMAINS]


@login_required
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    scope = scope_for(request.user, request.GET.get("wilayah"))
    period = period_param(request, scope)
    approved_only = approved_param(request)
    name = f"laporan-kube-{scope.code or 'nasional'}-{period.code}" + ("-disetujui" if approved_only else "")
    if fmt == "xlsx":
        return xlsx_response(documents.report_xlsx(scope, period, approved_only=approved_only), filename=f"{name}.xlsx")
    return pdf_response(documents.report_pdf(scope, period, printed_by=request.user.get_username(),
                                             approved_only=approved_only), filename=f"{name}.pdf")


@login_required
def rules_view(request: HttpRequest) -> HttpResponse:
    attention, critical = thresholds()
    return render(request, "monitoring/rules.html", {"rules": list(rules().values()), "attention": attention,
                                                     "critical": critical, "criteria": CRITERIA, "order": ORDER})


@login_required
def group_view(request: HttpRequest, kube_id: int) -> HttpResponse:
    """A group's health with its reasons, and its class with the evidence for every criterion."""
    kube = access_kube(request.user, kube_id)
    can_tick = can_write(request.user, Kind.STAGE)
    if request.method == "POST":
        if not can_tick:
            raise PermissionDenied
        try:
            class_check_set(actor=request.user, kube=kube, code=request.POST.get("code", ""),
                            met=request.POST.get("met") == "1", evidence=request.POST.get("evidence", ""))
        except MonitoringError as exc:
            messages.error(request, exc.message)
        else:
            drain_group(kube.pk)
            messages.success(request, _("Kriteria diperbarui."))
        return redirect("monitoring:group", kube.pk)
    state = GroupState.objects.filter(kube=kube).first()
    ticks = {c.code: c for c in kube.class_checks.select_related("checked_by").order_by("checked_at", "id")}  # latest wins
    rows = [(c, (state.evidence or {}).get(c.code, False) if state else False, ticks.get(c.code)) for c in CRITERIA]
    return render(request, "monitoring/group.html", book_context(
        request, kube, "home", state=state, reasons=reasons_text(state.reasons) if state else [],
        reason_rows=list(zip(reasons_text(state.reasons), [r[1] for r in state.reasons], strict=True)) if state else [],
        rows=rows, order=ORDER, can_tick=can_tick, klass_labels=dict(Klass.choices)))
