"""/api/v1 for the register books: inventory, guests, agenda (with attendance), work plan, rules.

Same reach and services as the pages (accounts.access, books/services/registers.py): reads
need the group in reach, writes need its officers (Kind.BOOKS). Money is whole Rupiah.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Reply

from accounts.access import Kind, access_child, access_kube, body_ref, body_refs
from api.pagination import ObjectId, Page, PageParams, paginate
from api.types import Codes, Date, Flag, MoneyOrZero, Percent10
from books.errors import BooksError
from books.models import (
    Activity,
    ActivityKind,
    Condition,
    GuestEntry,
    InventoryItem,
    ItemSource,
    RuleVersion,
    WorkPlanItem,
    WorkPlanStatus,
)
from books.services.registers import (
    MAX_QUANTITY,
    activity_record,
    guest_record,
    inventory_add,
    inventory_event,
    rules_adopt,
    workplan_save,
)
from registry.models import Kube

router = Router(tags=["buku: register"])

MemberId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _by(user: Any) -> str | None:
    return user.username if user is not None else None


# --- Buku Inventaris -----------------------------------------------------------------------


class InventoryEventOut(Schema):
    id: int
    date: dt.date
    condition: str
    disposed: bool
    note: str
    recorded_by: str | None


class InventoryOut(Schema):
    id: int
    kube: int
    code: str
    name: str
    quantity: int
    unit: str
    acquired_on: dt.date
    source: str
    value: int
    condition: str
    location: str
    grant: int | None
    disposed_on: dt.date | None
    disposal_reason: str
    events: list[InventoryEventOut]


class InventoryIn(Schema):
    name: str = Field(..., max_length=150)
    quantity: int = Field(1, ge=1, le=MAX_QUANTITY)
    unit: str = Field("unit", max_length=20)
    acquired_on: Date
    source: Annotated[str, Codes(ItemSource)]
    value: MoneyOrZero = Field(..., description="Nilai perolehan, Rupiah")
    location: str = Field("", max_length=150)
    code: str = Field("", max_length=20, description="Kosongkan: otomatis INV-001, INV-002, …")


class InventoryEventIn(Schema):
    date: Date
    condition: Annotated[str, Codes(Condition, blank=True)] = Field("", description="kosong: tidak berubah")
    disposed: Flag = False
    note: str = Field("", max_length=200, description="Wajib bila barang dihapus: alasannya")


def _inventory_out(item: InventoryItem) -> dict[str, Any]:
    return {
        "id": item.pk, "kube": item.kube_id, "code": item.code, "name": item.name, "quantity": item.quantity,
        "unit": item.unit, "acquired_on": item.acquired_on, "source": item.source, "value": item.value,
        "condition": item.condition, "location": item.location, "grant": item.grant_id,
        "disposed_on": item.disposed_on, "disposal_reason": item.disposal_reason,
        "events": [{"id": e.pk, "date": e.date, "condition": e.condition, "disposed": e.disposed, "note": e.note,
                    "recorded_by": _by(e.recorded_by)}
                   for e in sorted(item.events.all(), key=lambda e: (e.date, e.pk))],
    }


def _inventory_qs(kube: Kube) -> QuerySet[InventoryItem]:
    return InventoryItem.objects.filter(kube=kube).prefetch_related("events__recorded_by")


@router.get("/groups/{kube_id}/inventory", response=Page[InventoryOut], summary="Buku Inventaris")
def list_inventory(request: HttpRequest, kube_id: ObjectId,
                   pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    page = paginate(_inventory_qs(kube), pages, order=("code", "id"))
    page["items"] = [_inventory_out(i) for i in page["items"]]
    return page


@router.post("/groups/{kube_id}/inventory", response={201: InventoryOut}, summary="Catat barang inventaris")
def add_inventory(request: HttpRequest, kube_id: ObjectId, payload: InventoryIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    item = inventory_add(actor=request.user, kube=kube, name=payload.name, quantity=payload.quantity,
                         unit=payload.unit, acquired_on=payload.acquired_on, source=payload.source,
                         value=payload.value, location=payload.location, code=payload.code)
    return Reply(201, _inventory_out(_inventory_qs(kube).get(pk=item.pk)))


@router.post("/groups/{kube_id}/inventory/{item_id}/events", response={201: InventoryOut},
             summary="Catat perubahan kondisi atau penghapusan barang")
def add_inventory_event(request: HttpRequest, kube_id: ObjectId, item_id: ObjectId,
                        payload: InventoryEventIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    item = access_child(request.user, InventoryItem.objects.filter(kube=kube), item_id)
    inventory_event(actor=request.user, item=item, date=payload.date, condition=payload.condition,
                    disposed=payload.disposed, note=payload.note)
    return Reply(201, _inventory_out(_inventory_qs(kube).get(pk=item.pk)))


# --- Buku Tamu -----------------------------------------------------------------------------


class GuestOut(Schema):
    id: int
    kube: int
    date: dt.date
    name: str
    institution: str
    purpose: str
    remarks: str
    recorded_by: str | None


class GuestIn(Schema):
    date: Date
    name: str = Field(..., max_length=150)
    institution: str = Field("", max_length=200)
    purpose: str = Field(..., max_length=250)
    remarks: str = Field("", max_length=250)


def _guest_out(g: GuestEntry) -> dict[str, Any]:
    return {"id": g.pk, "kube": g.kube_id, "date": g.date, "name": g.name, "institution": g.institution,
            "purpose": g.purpose, "remarks": g.remarks, "recorded_by": _by(g.recorded_by)}


@router.get("/groups/{kube_id}/guests", response=Page[GuestOut], summary="Buku Tamu (terbaru dahulu)")
def list_guests(request: HttpRequest, kube_id: ObjectId,
                pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    page = paginate(kube.guests.select_related("recorded_by"), pages, order=("-date", "-id"))
    page["items"] = [_guest_out(g) for g in page["items"]]
    return page


@router.post("/groups/{kube_id}/guests", response={201: GuestOut}, summary="Catat tamu")
def add_guest(request: HttpRequest, kube_id: ObjectId, payload: GuestIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    entry = guest_record(actor=request.user, kube=kube, date=payload.date, name=payload.name,
                         purpose=payload.purpose, institution=payload.institution, remarks=payload.remarks)
    return Reply(201, _guest_out(entry))


# --- Buku Agenda Kegiatan ------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    kube: int
    date: dt.date
    kind: str
    place: str
    agenda: str
    minutes: str
    follow_ups: str
    present_count: int
    recorded_count: int = Field(..., description="Anggota aktif pada tanggal kegiatan")
    attendance_percent: int | None
    recorded_by: str | None


class AttendanceOut(Schema):
    member: int
    name: str
    present: bool


class ActivityDetailOut(ActivityOut):
    attendance: list[AttendanceOut]


class ActivityIn(Schema):
    date: Date
    kind: Annotated[str, Codes(ActivityKind)]
    place: str = Field(..., max_length=150)
    agenda: str = Field(..., max_length=4000)
    present: list[MemberId] = Field(default_factory=list, max_length=500,
                                    description="id anggota KUBE ini yang hadir")
    minutes: str = Field("", max_length=8000)
    follow_ups: str = Field("", max_length=4000)


def _activities(kube: Kube) -> QuerySet[Activity]:
    return (kube.activities.select_related("recorded_by")
            .annotate(n_recorded=Count("attendance"),
                      n_present=Count("attendance", filter=Q(attendance__present=True))))


def _activity_out(a: Activity, *, detail: bool = False) -> dict[str, Any]:
    recorded, present = a.n_recorded, a.n_present  # type: ignore[attr-defined]
    out = {"id": a.pk, "kube": a.kube_id, "date": a.date, "kind": a.kind, "place": a.place, "agenda": a.agenda,
           "minutes": a.minutes, "follow_ups": a.follow_ups, "present_count": present, "recorded_count": recorded,
           "attendance_percent": round(100 * present / recorded) if recorded else None,
           "recorded_by": _by(a.recorded_by)}
    if detail:
        out["attendance"] = [{"member": r.member_id, "name": r.member.name, "present": r.present}
                             for r in a.attendance.select_related("member").order_by("member__name", "member_id")]
    return out


@router.get("/groups/{kube_id}/agenda", response=Page[ActivityOut], summary="Buku Agenda Kegiatan (terbaru dahulu)")
def list_agenda(request: HttpRequest, kube_id: ObjectId,
                pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    page = paginate(_activities(kube), pages, order=("-date", "-id"))
    page["items"] = [_activity_out(a) for a in page["items"]]
    return page


@router.post("/groups/{kube_id}/agenda", response={201: ActivityDetailOut}, summary="Catat kegiatan dan daftar hadir")
def add_activity(request: HttpRequest, kube_id: ObjectId, payload: ActivityIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    # The group's members (the service checks again that each was active that day).
    present = body_refs(request.user, kube.members.all(), payload.present, field="present", label=_("Peserta hadir"),
                        error=BooksError)
    act = activity_record(actor=request.user, kube=kube, date=payload.date, kind=payload.kind, place=payload.place,
                          agenda=payload.agenda, present=present, minutes=payload.minutes,
                          follow_ups=payload.follow_ups)
    return Reply(201, _activity_out(_activities(kube).get(pk=act.pk), detail=True))


@router.get("/groups/{kube_id}/agenda/{activity_id}", response=ActivityDetailOut,
            summary="Satu kegiatan dengan daftar hadirnya")
def get_activity(request: HttpRequest, kube_id: ObjectId, activity_id: ObjectId) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id)
    return _activity_out(access_child(request.user, _activities(kube), activity_id), detail=True)


# --- Buku Rencana Kerja --------------------------------------------------------------------


class WorkPlanOut(Schema):
    id: int
    kube: int
    activity: str
    aim: str
    target: str
    start_on: dt.date
    end_on: dt.date
    person: int | None
    person_name: str | None
    budget: int
    budget_source: str
    realisation: str
    percent_done: int
    status: str


class WorkPlanIn(Schema):
    activity: str = Field(..., max_length=200)
    aim: str = Field(..., max_length=250)
    target: str = Field(..., max_length=250)
    start_on: Date
    end_on: Date
    person: int | None = Field(None, ge=1, le=2**63 - 1, description="id anggota penanggung jawab")
    budget: MoneyOrZero = Field(0)
    budget_source: str = Field("", max_length=100)
    realisation: str = Field("", max_length=4000)
    percent_done: int = Field(0, ge=0, le=100)
    status: Annotated[str, Codes(WorkPlanStatus)] = WorkPlanStatus.PLANNED.value


def _workplan_out(i: WorkPlanItem) -> dict[str, Any]:
    return {"id": i.pk, "kube": i.kube_id, "activity": i.activity, "aim": i.aim, "target": i.target,
            "start_on": i.start_on, "end_on": i.end_on, "person": i.person_id,
            "person_name": i.person.name if i.person else None, "budget": i.budget, "budget_source": i.budget_source,
            "realisation": i.realisation, "percent_done": i.percent_done, "status": i.status}


def _workplan_write(request: HttpRequest, kube: Kube, item: WorkPlanItem | None, payload: WorkPlanIn) -> WorkPlanItem:
    person = None
    if payload.person is not None:
        person = body_ref(request.user, kube.members.all(), payload.person, field="person",
                          label=_("Penanggung jawab"), error=BooksError)
    return workplan_save(actor=request.user, kube=kube, item=item, activity=payload.activity, aim=payload.aim,
                         target=payload.target, start_on=payload.start_on, end_on=payload.end_on, person=person,
                         budget=payload.budget, budget_source=payload.budget_source,
                         realisation=payload.realisation, percent_done=payload.percent_done, status=payload.status)


@router.get("/groups/{kube_id}/work-plan", response=Page[WorkPlanOut], summary="Buku Rencana Kerja")
def list_workplan(request: HttpRequest, kube_id: ObjectId,
                  pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    page = paginate(kube.work_plan.select_related("person"), pages, order=("start_on", "id"))
    page["items"] = [_workplan_out(i) for i in page["items"]]
    return page


@router.post("/groups/{kube_id}/work-plan", response={201: WorkPlanOut}, summary="Tambah rencana kerja")
def add_workplan(request: HttpRequest, kube_id: ObjectId, payload: WorkPlanIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    return Reply(201, _workplan_out(_workplan_write(request, kube, None, payload)))


@router.put("/groups/{kube_id}/work-plan/{item_id}", response=WorkPlanOut,
            summary="Perbarui rencana kerja (persen terlaksana, status, realisasi …)")
def update_workplan(request: HttpRequest, kube_id: ObjectId, item_id: ObjectId, payload: WorkPlanIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    item = access_child(request.user, WorkPlanItem.objects.filter(kube=kube), item_id)
    return _workplan_out(_workplan_write(request, kube, item, payload))


# --- Buku Peraturan KUBE -------------------------------------------------------------------


class RulesOut(Schema):
    id: int
    kube: int
    version: int
    text: str
    adopted_on: dt.date
    loan_fee_percent_month: Decimal | None
    current: bool
    recorded_by: str | None


class RulesIn(Schema):
    text: str = Field(..., max_length=20000)
    adopted_on: Date
    loan_fee_percent_month: Percent10 | None = Field(None, description="Kosongkan bila KUBE tidak memungut "
                                                                       "jasa pinjaman")


def _rules_out(v: RuleVersion, current: int | None) -> dict[str, Any]:
    return {"id": v.pk, "kube": v.kube_id, "version": v.version, "text": v.text, "adopted_on": v.adopted_on,
            "loan_fee_percent_month": v.loan_fee_percent_month, "current": v.version == current,
            "recorded_by": _by(v.recorded_by)}


def _current_version(kube: Kube) -> int | None:
    return kube.rule_versions.order_by("-version").values_list("version", flat=True).first()


@router.get("/groups/{kube_id}/rules", response=Page[RulesOut],
            summary="Buku Peraturan KUBE: semua versi, terbaru dahulu")
def list_rules(request: HttpRequest, kube_id: ObjectId,
               pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    current = _current_version(kube)
    page = paginate(kube.rule_versions.select_related("recorded_by"), pages, order=("-version", "-id"))
    page["items"] = [_rules_out(v, current) for v in page["items"]]
    return page


@router.post("/groups/{kube_id}/rules", response={201: RulesOut}, summary="Sahkan versi baru peraturan KUBE")
def adopt_rules(request: HttpRequest, kube_id: ObjectId, payload: RulesIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    version = rules_adopt(actor=request.user, kube=kube, text=payload.text, adopted_on=payload.adopted_on,
                          loan_fee_percent_month=payload.loan_fee_percent_month)
    return Reply(201, _rules_out(version, version.version))
