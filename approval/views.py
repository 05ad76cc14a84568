"""Pages of the reporting chain (menu "Pelaporan"): each role's work list and actions, a dossier's
history, the completeness of a region's LPJ, the berita acara. Thin: reach through accounts.access,
every write through approval.services, refusals shown as the services word them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    Kind,
    access_child,
    access_kube,
    access_one,
    access_region,
    body_refs,
    check_role,
    kubes_for_user,
    region_root,
    report_office_level,
    require_office,
    role_of,
)
from accounts.models import Role
from approval import selectors, services
from approval.documents import berita_acara_lpj, berita_acara_report
from approval.errors import ApprovalError
from approval.models import Lpj, ReopenRequest, ReopenStatus, Report
from books.errors import BooksError
from books.lpj import parse_period
from books.models import PeriodClose
from lib.http import pdf_response
from lib.periods import period_of, shift
from regions.models import Region


def _last_month() -> int:
    return shift(period_of(timezone.localdate()), -1)


def _month_param(request: HttpRequest) -> int:
    """?periode=YYYY-MM, else last month (the month whose LPJ are being gathered now)."""
    text = request.GET.get("periode", "")
    if text:
        try:
            parsed = parse_period(text)
        except BooksError as exc:
            messages.error(request, exc.message)
        else:
            if parsed.kind == "month":
                return parsed.months[0]
    return _last_month()


def _code(period: int) -> str:
    return f"{period // 100}-{period % 100:02d}"


def _refused(request: HttpRequest, exc: ApprovalError | BooksError) -> None:
    messages.error(request, exc.message)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's work in the chain: what waits for them, and what they can start."""
    user = request.user
    role = role_of(user)
    context: dict[str, Any] = {"role": role}
    if role in (Role.PENGURUS, Role.ANGGOTA):
        kube = kubes_for_user(user).first()
        if kube is not None:
            return redirect("approval:kube", kube.pk)
    period = _month_param(request)
    context["period"] = period
    context["period_code"] = _code(period)
    context["waiting"] = list(selectors.waiting_lpjs(user).select_related("kube", "kube__desa")
                              .order_by("period", "kube__name")[:500])
    context["reopens"] = list(selectors.pending_reopens(user).select_related("lpj", "lpj__kube")[:200])
    context["reports_waiting"] = list(selectors.waiting_reports(user)[:200])
    context["reports_returned"] = list(selectors.returned_reports(user)[:50])
    root = region_root(user)
    if role in (Role.KABUPATEN, Role.PROVINSI) and root:
        context["own_region"] = Region.objects.filter(pk=root).first()
        context["own_reports"] = list(Report.objects.filter(region_id=root).order_by("-last_month")[:12])
    context["bulk"] = role == Role.KABUPATEN
    return render(request, "approval/home.html", context)


@login_required
def kube_months(request: HttpRequest, kube_id: int) -> HttpResponse:
    """A group's closed months and where each month's LPJ stands; the officers act here."""
    kube = access_kube(request.user, kube_id)
    closes = list(PeriodClose.objects.filter(kube=kube).order_by("-period")[:12])
    lpjs = {x.period: x for x in Lpj.objects.filter(kube=kube, period__in=[c.period for c in closes])}
    pending = set(ReopenRequest.objects.filter(lpj__kube=kube, status=ReopenStatus.PENDING)
                  .values_list("lpj__period", flat=True))
    position = services.officer_position(request.user, kube)
    rows = []
    for c in closes:
        lpj = lpjs.get(c.period)
        mine = bool(lpj and position and getattr(lpj, f"{position}_by_id") == request.user.pk)
        rows.append({"close": c, "lpj": lpj, "code": _code(c.period), "state": selectors.lpj_state_label(lpj),
                     "can_confirm": bool(position) and not c.locked and (lpj is None or lpj.reached == 0) and not mine,
                     "can_reopen": bool(position) and not c.locked,
                     "can_ask": bool(position) and c.locked and c.period not in pending,
                     "asked": c.period in pending})
    return render(request, "approval/kube.html", {"kube": kube, "rows": rows, "position": position})


@login_required
@require_POST
def kube_act(request: HttpRequest, kube_id: int) -> HttpResponse:
    """An officer confirms a month's LPJ, reopens a month or asks for its reopening."""
    kube = access_kube(request.user, kube_id, write=Kind.APPROVAL)
    action = request.POST.get("action", "")
    try:
        period = parse_period(request.POST.get("period", "")).months[0]
        if action == "confirm":
            lpj = services.lpj_confirm(actor=request.user, kube=kube, period=period, note=request.POST.get("note", ""))
            messages.success(request, _("LPJ bulan %(m)s diajukan ke pendamping.") % {"m": lpj.code} if lpj.reached
                             else _("Konfirmasi Anda tercatat; LPJ diajukan setelah pengurus kedua mengonfirmasi."))
        elif action == "reopen":
            services.month_reopen(actor=request.user, kube=kube, period=period)
            messages.success(request, _("Bulan %(m)s dibuka kembali; koreksi dengan pembalikan, lalu tutup buku lagi.")
                             % {"m": _code(period)})
        elif action == "ask":
            lpj = get_object_or_404(Lpj, kube=kube, period=period)
            services.reopen_ask(actor=request.user, lpj=lpj, reason=request.POST.get("reason", ""))
            messages.success(request, _("Permohonan buka kembali dikirim ke dinas."))
    except (ApprovalError, BooksError) as exc:
        _refused(request, exc)
    return redirect("approval:kube", kube.pk)


def _lpj(request: HttpRequest, lpj_id: int, *, write: bool = False) -> Lpj:
    return access_child(request.user, Lpj.objects.select_related("kube", "kube__desa"), lpj_id,
                        write=Kind.APPROVAL if write else None)


@login_required
def lpj_detail(request: HttpRequest, lpj_id: int) -> HttpResponse:
    lpj = _lpj(request, lpj_id)
    user = request.user
    return render(request, "approval/lpj.html", {
        "lpj": lpj, "state": selectors.lpj_state_label(lpj), "steps": lpj.steps.select_related("actor"),
        "can_next": services.can_act(user, lpj.next_level) and lpj.reached > 0,
        "next_level": lpj.next_level,
        "can_unapprove": services.can_act(user, lpj.last_level) and lpj.last_level != "pengurus",
        "reopens": lpj.reopen_requests.all()})


@login_required
@require_POST
def lpj_act(request: HttpRequest, lpj_id: int) -> HttpResponse:
    lpj = _lpj(request, lpj_id, write=True)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    try:
        if action == "next":
            level = lpj.next_level
            if level == "pendamping":
                services.lpj_verify(actor=request.user, lpj=lpj, findings=note)
                messages.success(request, _("LPJ diverifikasi dan diteruskan ke dinas."))
            elif level == "kecamatan":
                services.lpj_check(actor=request.user, lpj=lpj, note=note)
                messages.success(request, _("LPJ diperiksa untuk kecamatan."))
            else:
                services.lpj_approve(actor=request.user, lpj=lpj, note=note)
                messages.success(request, _("LPJ disetujui; bulan itu terkunci."))
        elif action == "return":
            services.lpj_return(actor=request.user, lpj=lpj, reason=request.POST.get("reason", ""))
            messages.success(request, _("LPJ dikembalikan untuk perbaikan."))
        elif action == "unapprove":
            services.lpj_unapprove(actor=request.user, lpj=lpj, note=note)
            messages.success(request, _("Tindakan Anda ditarik kembali."))
    except (ApprovalError, BooksError) as exc:
        _refused(request, exc)
    return redirect("approval:lpj", lpj.pk)


@login_required
@require_POST
def bulk_approve(request: HttpRequest) -> HttpResponse:
    """The district approves the ticked verified LPJ at once, each recorded one by one."""
    check_role(request.user, Kind.APPROVAL)
    ids = request.POST.getlist("lpj")
    if not ids:
        messages.error(request, _("Centang dulu LPJ yang akan disetujui."))
        return redirect("approval:home")
    try:
        lpjs = body_refs(request.user, selectors.lpjs_for_user(request.user).select_related("kube"), ids,
                         field="lpj", label="LPJ", error=ApprovalError)
    except ApprovalError as exc:
        _refused(request, exc)
        return redirect("approval:home")
    result = services.lpj_approve_many(actor=request.user, lpjs=lpjs, note=request.POST.get("note", ""))
    if result.approved:
        messages.success(request, _("%(n)d LPJ disetujui.") % {"n": len(result.approved)})
    for lpj, message in result.refused:
        messages.error(request, f"{lpj.kube.name} {lpj.code}: {message}")
    return redirect("approval:home")


@login_required
@require_POST
def reopen_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    ask = access_child(request.user, ReopenRequest.objects.select_related("lpj"), request_id, write=Kind.APPROVAL,
                       via="lpj__kube")
    grant = request.POST.get("grant") == "1"
    try:
        services.reopen_decide(actor=request.user, request=ask, grant=grant, note=request.POST.get("note", ""))
        messages.success(request, _("Bulan dibuka kembali untuk kelompok.") if grant else _("Permohonan ditolak."))
    except (ApprovalError, BooksError) as exc:
        _refused(request, exc)
    return redirect("approval:home")


# --- reports ---------------------------------------------------------------------------------------


def _report(request: HttpRequest, report_id: int, *, write: bool = False) -> Report:
    check_role(request.user, Kind.APPROVAL if write else None)
    return access_one(request.user, selectors.reports_for_user(request.user), report_id)


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    level = report_office_level(request.user, report.region_id)
    board = selectors.completeness(report.region_id, report.last_month, today=timezone.localdate(), late_limit=20)
    return render(request, "approval/report.html", {
        "report": report, "steps": report.steps.select_related("actor"), "office": level, "board": board,
        "differences": selectors.report_differences(report)})


@login_required
@require_POST
def report_act(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, write=True)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    try:
        if action == "accept":
            services.report_accept(actor=request.user, report=report, note=note)
            messages.success(request, _("Laporan diterima; angkanya disimpan."))
        elif action == "return":
            services.report_return(actor=request.user, report=report, reason=request.POST.get("reason", ""))
            messages.success(request, _("Laporan dikembalikan untuk perbaikan."))
        elif action == "unapprove":
            services.report_unapprove(actor=request.user, report=report, note=note)
            messages.success(request, _("Tindakan Anda ditarik kembali."))
    except (ApprovalError, BooksError) as exc:
        _refused(request, exc)
    return redirect("approval:report", report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest) -> HttpResponse:
    check_role(request.user, Kind.APPROVAL)
    region = get_object_or_404(Region, pk=access_region(request.user, request.POST.get("region", "")))
    try:
        report = services.report_submit(actor=request.user, region=region, period=request.POST.get("period", ""),
                                        note=request.POST.get("note", ""))
    except (ApprovalError, BooksError) as exc:
        _refused(request, exc)
        return redirect("approval:home")
    messages.success(request, _("Laporan %(r)s periode %(p)s diajukan.") % {"r": region.name, "p": report.period})
    return redirect("approval:report", report.pk)


# --- completeness ----------------------------------------------------------------------------------


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    """How many groups of a region submitted, had verified and approved the month's LPJ, on time."""
    root = require_office(request.user)
    code = access_region(request.user, request.GET.get("wilayah", root).strip() or root)
    period = _month_param(request)
    page = request.GET.get("page", "")
    board = selectors.completeness(code, period, today=timezone.localdate(),
                                   late_page=int(page) if page.isdigit() and 0 < int(page) <= 10_000 else 1)
    return render(request, "approval/completeness.html", {
        "board": board, "code": code, "period_code": _code(period),
        "previous": _code(shift(period, -1)), "next": _code(shift(period, 1)) if shift(period, 1) <= _last_month() else ""})


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    """The dashboard's block (loaded after the dashboard, which keeps its pinned queries): the
    completeness of the period's last month for the region shown."""
    root = require_office(request.user)
    code = access_region(request.user, request.GET.get("wilayah", root).strip() or root)
    try:
        period = parse_period(request.GET.get("periode", "")).months[-1]
    except BooksError:
        period = _last_month()
    board = selectors.completeness(code, period, today=timezone.localdate(), late_limit=0)
    return render(request, "approval/summary.html", {"board": board, "code": code, "period_code": _code(period)})


# --- the home pages' work list and the menu's count ---------------------------------------------------


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """The lines of the user's work list (fetched by the home pages once they have loaded, so a home
    page costs no query more)."""
    user = request.user
    lines = selectors.work_lines(user)
    kube = kubes_for_user(user).first() if role_of(user) == Role.PENGURUS else None
    return render(request, "approval/worklist.html", {"lines": lines, "kube": kube})


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    count = selectors.work_count(request.user)
    return HttpResponse(f'<span class="badge badge-warn" data-testid="approval-count">{count}</span>' if count else "")


# --- berita acara ----------------------------------------------------------------------------------


@login_required
def lpj_pdf(request: HttpRequest, lpj_id: int) -> HttpResponse:
    lpj = _lpj(request, lpj_id)
    content = berita_acara_lpj(lpj, printed_by=getattr(request.user, "username", ""))
    return pdf_response(content, filename=f"berita-acara-lpj-{lpj.kube.reg_number}-{lpj.code}.pdf")


@login_required
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    content = berita_acara_report(report, printed_by=getattr(request.user, "username", ""))
    return pdf_response(content, filename=f"berita-acara-laporan-{report.region_id}-{report.period}.pdf")
