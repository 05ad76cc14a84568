"""The register books' pages: Buku Inventaris, Buku Tamu, Buku Agenda Kegiatan, Buku Rencana Kerja and
Buku Peraturan KUBE, with their Excel exports.

They hold no money, so each page is a list with a short form; every write goes through
books/services/registers.py (rules and the audit trail live there, not here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.access import Kind, access_child, can_write
from books.errors import BooksError
from books.forms import ActivityForm, GuestForm, InventoryEventForm, InventoryForm, RulesForm, WorkPlanForm
from books.models import Activity, ActivityAttendance, InventoryItem, RuleVersion, WorkPlanItem
from books.services.registers import (
    activity_record,
    guest_record,
    inventory_add,
    inventory_event,
    rules_adopt,
    workplan_save,
)
from books.views.common import book_kube
from front.tabs import book_context
from lib.forms import apply_error
from lib.http import xlsx_response
from lib.xlsx import Workbook
from registry.models import Kube

PAGE_SIZE = 50


def _percent(part: int, whole: int) -> int | None:
    """A whole percentage, or None when there is nothing to divide by (no member recorded)."""
    return round(100 * part / whole) if whole else None


# --- Buku Inventaris -----------------------------------------------------------------------


@login_required
def inventory(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    items = list(InventoryItem.objects.filter(kube=kube).order_by("code", "id"))
    held = [i for i in items if i.disposed_on is None]
    return render(request, "books/registers/inventory.html", book_context(
        request, kube, "inventory", items=items, held_count=len(held), total_value=sum(i.value for i in held)))


@login_required
def inventory_new(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id, write=True)
    form = InventoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = inventory_add(actor=request.user, kube=kube, name=d["name"], quantity=d["quantity"],
                                 unit=d["unit"], acquired_on=d["acquired_on"], source=d["source"], value=d["value"],
                                 location=d["location"], code=d["code"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Barang %(c)s %(n)s dicatat di Buku Inventaris.")
                             % {"c": item.code, "n": item.name})
            return redirect("books:inventory", kube.pk)
    return render(request, "books/registers/inventory_form.html", book_context(request, kube, "inventory", form=form))


@login_required
def inventory_item(request: HttpRequest, kube_id: int, item_id: int) -> HttpResponse:
    """One item with its history; officers record a change of condition or a disposal here."""
    kube = book_kube(request, kube_id)
    item = access_child(request.user, InventoryItem.objects.select_related("created_by").filter(kube=kube), item_id)
    form = InventoryEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            inventory_event(actor=request.user, item=item, date=d["date"], condition=d["condition"],
                            disposed=d["disposed"], note=d["note"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            if d["disposed"]:
                messages.success(request, _("Barang %(c)s dihapus dari inventaris.") % {"c": item.code})
            else:
                item.refresh_from_db()
                messages.success(request, _("Kondisi barang %(c)s dicatat: %(k)s.")
                                 % {"c": item.code, "k": item.get_condition_display()})
            return redirect("books:inventory_item", kube.pk, item.pk)
    return render(request, "books/registers/inventory_item.html", book_context(
        request, kube, "inventory", item=item, events=item.events.select_related("recorded_by").order_by("date", "id"),
        form=form))


@login_required
def inventory_xlsx(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    items = InventoryItem.objects.filter(kube=kube).order_by("code", "id")
    wb = Workbook()
    wb.sheet(_("Buku Inventaris"),
             [_("Kode"), _("Nama barang"), pgettext("banyaknya", "Jumlah"), _("Satuan"), _("Tanggal perolehan"), _("Asal"),
              _("Nilai perolehan (Rp)"), _("Kondisi"), _("Lokasi"), _("Tanggal dihapus"), _("Alasan penghapusan")],
             [[i.code, i.name, i.quantity, i.unit, i.acquired_on, i.get_source_display(), i.value,
               i.get_condition_display(), i.location, i.disposed_on, i.disposal_reason] for i in items],
             widths=[10, 32, 8, 10, 12, 18, 16, 12, 20, 12, 30], text_columns=[0], money_columns=[6])
    return xlsx_response(wb.close(), filename=f"buku-inventaris-{kube.reg_number}.xlsx")


# --- Buku Tamu -----------------------------------------------------------------------------


@login_required
def guests(request: HttpRequest, kube_id: int) -> HttpResponse:
    """The guest book and, for officers, the form to add a visit on the same page."""
    kube = book_kube(request, kube_id)
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = guest_record(actor=request.user, kube=kube, date=d["date"], name=d["name"],
                                 purpose=d["purpose"], institution=d["institution"], remarks=d["remarks"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Kunjungan %(n)s dicatat di Buku Tamu.") % {"n": entry.name})
            return redirect("books:guests", kube.pk)
    page = Paginator(kube.guests.select_related("recorded_by").order_by("-date", "-id"), PAGE_SIZE) \
        .get_page(request.GET.get("page"))
    return render(request, "books/registers/guests.html", book_context(request, kube, "guests", page=page, form=form))


@login_required
def guests_xlsx(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    wb = Workbook()
    wb.sheet(_("Buku Tamu"), [_("Tanggal"), _("Nama tamu"), _("Instansi/alamat"), _("Keperluan"), _("Keterangan")],
             [[g.date, g.name, g.institution, g.purpose, g.remarks] for g in kube.guests.order_by("date", "id")],
             widths=[12, 28, 30, 40, 30])
    return xlsx_response(wb.close(), filename=f"buku-tamu-{kube.reg_number}.xlsx")


# --- Buku Agenda Kegiatan ------------------------------------------------------------------


def _with_attendance(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """Each activity with how many members were recorded and how many of them came."""
    return qs.annotate(recorded=Count("attendance"),
                       present_count=Count("attendance", filter=Q(attendance__present=True)))


@login_required
def agenda(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    page = Paginator(_with_attendance(kube.activities.order_by("-date", "-id")), PAGE_SIZE) \
        .get_page(request.GET.get("page"))
    for a in page:
        a.rate = _percent(a.present_count, a.recorded)  # type: ignore[attr-defined]
    return render(request, "books/registers/agenda.html", book_context(request, kube, "agenda", page=page))


@login_required
def activity_new(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id, write=True)
    form = ActivityForm(request.POST or None, kube=kube)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            act = activity_record(actor=request.user, kube=kube, date=d["date"], kind=d["kind"], place=d["place"],
                                  agenda=d["agenda"], present=d["present"], minutes=d["minutes"],
                                  follow_ups=d["follow_ups"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            present = act.attendance.filter(present=True).count()
            messages.success(request, _("Kegiatan %(k)s tanggal %(d)s dicatat; hadir %(p)s dari %(n)s anggota.")
                             % {"k": act.get_kind_display(), "d": act.date.strftime("%d-%m-%Y"), "p": present,
                                "n": act.attendance.count()})
            return redirect("books:activity", kube.pk, act.pk)
    return render(request, "books/registers/activity_form.html", book_context(request, kube, "agenda", form=form))


@login_required
def activity(request: HttpRequest, kube_id: int, activity_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    act = access_child(request.user, Activity.objects.select_related("recorded_by").filter(kube=kube), activity_id)
    rows = list(act.attendance.select_related("member").order_by("member__name", "member_id"))
    present = [r.member for r in rows if r.present]
    absent = [r.member for r in rows if not r.present]
    return render(request, "books/registers/activity.html", book_context(
        request, kube, "agenda", act=act, present=present, absent=absent, recorded=len(rows),
        rate=_percent(len(present), len(rows)), evaluations=act.evaluations.prefetch_related("targets"),
        can_evaluate=can_write(request.user, Kind.VISIT) or can_write(request.user, Kind.BOOKS)))


@login_required
def agenda_xlsx(request: HttpRequest, kube_id: int) -> HttpResponse:
    """The agenda and, on a second sheet, the attendance list (daftar hadir) of every activity."""
    kube = book_kube(request, kube_id)
    acts = list(_with_attendance(kube.activities.order_by("date", "id")))
    wb = Workbook()
    wb.sheet(_("Buku Agenda Kegiatan"),
             [_("Tanggal"), _("Jenis kegiatan"), _("Tempat"), _("Acara"), _("Hadir"), _("Anggota tercatat"),
              _("Kehadiran (%)"), _("Hasil/notulen"), _("Tindak lanjut")],
             [[a.date, a.get_kind_display(), a.place, a.agenda, a.present_count,  # type: ignore[attr-defined]
               a.recorded, _percent(a.present_count, a.recorded),  # type: ignore[attr-defined]
               a.minutes, a.follow_ups] for a in acts],
             widths=[12, 22, 22, 40, 8, 10, 10, 40, 30])
    attendance = (ActivityAttendance.objects.filter(activity__kube=kube).select_related("activity", "member")
                  .order_by("activity__date", "activity_id", "member__name", "member_id"))
    wb.sheet(_("Daftar hadir"), [_("Tanggal"), _("Jenis kegiatan"), _("Nama anggota"), _("Hadir")],
             [[r.activity.date, r.activity.get_kind_display(), r.member.name, _("Ya") if r.present else _("Tidak")]
              for r in attendance],
             widths=[12, 22, 30, 8])
    return xlsx_response(wb.close(), filename=f"buku-agenda-{kube.reg_number}.xlsx")


# --- Buku Rencana Kerja --------------------------------------------------------------------


@login_required
def workplan(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    items = list(kube.work_plan.select_related("person").order_by("start_on", "id"))
    live = [i for i in items if i.status != "batal"]
    return render(request, "books/registers/workplan.html", book_context(
        request, kube, "workplan", items=items, total_budget=sum(i.budget for i in live)))


def _workplan_initial(item: WorkPlanItem) -> dict[str, Any]:
    return {"activity": item.activity, "aim": item.aim, "target": item.target, "start_on": item.start_on,
            "end_on": item.end_on, "person": item.person_id, "budget": item.budget,
            "budget_source": item.budget_source, "realisation": item.realisation,
            "percent_done": item.percent_done, "status": item.status}


@login_required
def workplan_edit(request: HttpRequest, kube_id: int, item_id: int | None = None) -> HttpResponse:
    """A new work-plan item (item_id None) or one item: its detail for everyone, its form for officers."""
    kube = book_kube(request, kube_id, write=item_id is None or request.method == "POST")
    item = None if item_id is None else access_child(
        request.user, WorkPlanItem.objects.select_related("person", "recorded_by").filter(kube=kube), item_id)
    form = WorkPlanForm(request.POST or None, kube=kube, initial=_workplan_initial(item) if item else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = workplan_save(actor=request.user, kube=kube, item=item, activity=d["activity"], aim=d["aim"],
                                  target=d["target"], start_on=d["start_on"], end_on=d["end_on"], person=d["person"],
                                  budget=d["budget"] or 0, budget_source=d["budget_source"],
                                  realisation=d["realisation"], percent_done=d["percent_done"], status=d["status"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            if item is None:
                messages.success(request, _("Rencana kegiatan \"%(a)s\" ditambahkan.") % {"a": saved.activity})
            else:
                messages.success(request, _("Rencana kegiatan \"%(a)s\" diperbarui: %(p)s %% terlaksana, %(s)s.")
                                 % {"a": saved.activity, "p": saved.percent_done, "s": saved.get_status_display()})
            return redirect("books:workplan", kube.pk)
    return render(request, "books/registers/workplan_form.html", book_context(
        request, kube, "workplan", item=item, form=form))


@login_required
def workplan_xlsx(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    items = kube.work_plan.select_related("person").order_by("start_on", "id")
    wb = Workbook()
    wb.sheet(_("Buku Rencana Kerja"),
             [_("Kegiatan"), _("Tujuan"), _("Sasaran/target"), _("Mulai"), pgettext("tanggal", "Selesai"), _("Penanggung jawab"),
              _("Anggaran (Rp)"), _("Sumber dana"), _("Persen terlaksana"), _("Status"), pgettext("rencana kerja", "Realisasi")],
             [[i.activity, i.aim, i.target, i.start_on, i.end_on, i.person.name if i.person else "", i.budget,
               i.budget_source, i.percent_done, i.get_status_display(), i.realisation] for i in items],
             widths=[30, 28, 28, 12, 12, 22, 14, 16, 10, 12, 36], money_columns=[6])
    return xlsx_response(wb.close(), filename=f"buku-rencana-kerja-{kube.reg_number}.xlsx")


# --- Buku Peraturan KUBE -------------------------------------------------------------------


@dataclass(frozen=True)
class RulesView:
    shown: RuleVersion | None
    current: RuleVersion | None
    versions: list[RuleVersion]


def _rules_view(kube: Kube, wanted: str | None) -> RulesView:
    """The version asked for by ?versi=N (404 when the group has none by that number), else the current one."""
    versions = list(kube.rule_versions.select_related("recorded_by").order_by("-version"))
    current = versions[0] if versions else None
    if not wanted:
        return RulesView(current, current, versions)
    try:
        number = int(wanted)
    except ValueError:
        number = 0
    shown = next((v for v in versions if v.version == number), None)
    if shown is None:
        raise Http404  # an unknown version is "not found", like any id
    return RulesView(shown, current, versions)


@login_required
def rules(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    view = _rules_view(kube, request.GET.get("versi"))
    current = view.current
    form = RulesForm(request.POST or None, initial={
        "text": current.text if current else "",
        "loan_fee_percent_month": current.loan_fee_percent_month if current else None})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            adopted = rules_adopt(actor=request.user, kube=kube, text=d["text"], adopted_on=d["adopted_on"],
                                  loan_fee_percent_month=d["loan_fee_percent_month"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Peraturan KUBE versi %(v)s disahkan dan berlaku mulai %(d)s.")
                             % {"v": adopted.version, "d": adopted.adopted_on.strftime("%d-%m-%Y")})
            return redirect("books:rules", kube.pk)
    return render(request, "books/registers/rules.html", book_context(
        request, kube, "rules", shown=view.shown, current=current, versions=view.versions, form=form))
