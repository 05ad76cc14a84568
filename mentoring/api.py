"""/api/v1 for mentoring: visits (with attendance, audit, follow-ups, photos), events, evaluations,
the stage checklist and promotion, and a mentor's workspace. Same reach and services as the pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Reply
from pydantic import ConfigDict

from accounts.access import (
    Kind,
    access_child,
    access_kube,
    access_mentor_workspace,
    access_one,
    body_ref,
    body_refs,
    check_role,
    kube_scope_q,
    kubes_for_user,
    mentors_for_user,
    require_office,
)
from api.idempotency import before_lock
from api.pagination import ObjectId, Page, PageParams, paginate
from api.types import NOT_BLANK, Codes, Date, Flag, LocalTime, Percent100, file_answers
from books.models import Activity
from lib.http import private_image_response
from lib.regioncode import normalize
from mentoring.errors import MentoringError
from mentoring.models import AssistanceEvent, Book, Evaluation, FollowUp, StageCriterion, Visit, VisitKind
from mentoring.selectors import (
    event_participants,
    event_participations,
    event_scope_prefetches,
    events_in_reach,
    mentor_loads,
    workspace,
)
from mentoring.services import (
    NEXT_STAGE,
    AuditLine,
    NewFollowUp,
    evaluation_record,
    event_record,
    follow_up_close,
    latest_checks,
    mentor_assign_kecamatan,
    photo_prepare_upload,
    stage_check_set,
    stage_promote,
    visit_log,
    visit_photo_add,
)
from regions.models import Region
from registry.choices import Stage

router = Router(tags=["pendampingan"])


class AuditIn(Schema):
    book: Annotated[str, Codes(Book)]
    checked: Flag = False
    in_order: Flag = False
    findings: str = Field("", max_length=300)


class FollowUpIn(Schema):
    action: str = Field(..., max_length=300)
    person: int | None = Field(None, ge=1, le=2**63 - 1, description="id anggota penanggung jawab")
    due_on: Date | None = None


class VisitIn(Schema):
    kube: int = Field(..., ge=1, le=2**63 - 1)
    date: Date
    kind: Annotated[str, Codes(VisitKind)] = VisitKind.MONTHLY.value
    place: str = Field(..., max_length=200)
    start_time: LocalTime | None = None
    end_time: LocalTime | None = None
    problems: str = Field(..., max_length=8000)
    solutions: str = Field("", max_length=8000)
    treasurer_report_reviewed: Flag = False
    present: list[int] = Field(default_factory=list, max_length=500)
    audits: list[AuditIn] = Field(default_factory=list, max_length=20)
    follow_ups: list[FollowUpIn] = Field(default_factory=list, max_length=20)
    close_follow_ups: list[int] = Field(default_factory=list, max_length=50)


class AuditOut(Schema):
    book: str
    checked: bool
    in_order: bool
    findings: str


class FollowUpOut(Schema):
    id: int
    kube: int
    visit: int | None
    action: str
    person: int
    person_name: str
    due_on: dt.date
    closed_on: dt.date | None
    closing_note: str


class PhotoOut(Schema):
    id: int
    width: int
    height: int
    url: str
    thumbnail_url: str


class VisitOut(Schema):
    id: int
    kube: int
    pendamping: int
    kind: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    place: str
    treasurer_report_reviewed: bool
    cash_balance: int | None
    problems: str
    solutions: str
    members_active: int
    members_present: int
    attendance_percent: int | None
    present: list[int]
    audits: list[AuditOut]
    follow_ups: list[FollowUpOut]
    photos: list[PhotoOut]


def _follow_up_out(f: FollowUp) -> dict[str, Any]:
    return {"id": f.pk, "kube": f.kube_id, "visit": f.visit_id, "action": f.action, "person": f.person_id,
            "person_name": f.person.name, "due_on": f.due_on, "closed_on": f.closed_on, "closing_note": f.closing_note}


def _photo_url(visit_id: int, photo_id: int, size: str) -> str:
    url = reverse("api:get_visit_photo", kwargs={"visit_id": visit_id, "photo_id": photo_id})
    return f"{url}?size={size}"


def _visit_out(v: Visit) -> dict[str, Any]:
    return {
        "id": v.pk, "kube": v.kube_id, "pendamping": v.pendamping_id, "kind": v.kind, "date": v.date,
        "start_time": v.start_time, "end_time": v.end_time, "place": v.place,
        "treasurer_report_reviewed": v.treasurer_report_reviewed, "cash_balance": v.cash_balance,
        "problems": v.problems, "solutions": v.solutions, "members_active": v.members_active,
        "members_present": v.members_present, "attendance_percent": v.attendance_percent,
        "present": [a.member_id for a in v.attendance.all() if a.present],
        "audits": [{"book": a.book, "checked": a.checked, "in_order": a.in_order, "findings": a.findings}
                   for a in v.audits.all()],
        "follow_ups": [_follow_up_out(f) for f in v.follow_ups.all()],
        "photos": [{"id": p.pk, "width": p.width, "height": p.height, "url": _photo_url(v.pk, p.pk, "large"),
                    "thumbnail_url": _photo_url(v.pk, p.pk, "small")} for p in v.photos.all()],
    }


# A visit's follow-ups with the member each names, read for a whole page at once.
_FOLLOW_UPS = Prefetch("follow_ups", queryset=FollowUp.objects.select_related("person").order_by("id"))


def _visits(request: HttpRequest) -> Any:
    return Visit.objects.filter(kube_scope_q(request.user))


class VisitFilters(Schema):
    kube: int | None = Field(None, ge=1, le=2**63 - 1)
    pendamping: int | None = Field(None, ge=1, le=2**63 - 1)
    date_from: Date | None = None
    date_to: Date | None = None


@router.get("/visits", response=Page[VisitOut], summary="Kunjungan dalam jangkauan")
def list_visits(request: HttpRequest, filters: VisitFilters = Query(...),  # noqa: B008
                pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    qs = _visits(request).prefetch_related("attendance", "audits", "photos", _FOLLOW_UPS)
    if filters.kube:
        qs = qs.filter(kube_id=filters.kube)
    if filters.pendamping:
        qs = qs.filter(pendamping_id=filters.pendamping)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    page = paginate(qs, pages, order=("-date", "-id"))
    page["items"] = [_visit_out(v) for v in page["items"]]
    return page


@router.post("/visits", response={201: VisitOut}, summary="Catat kunjungan dengan kehadiran, pemeriksaan buku, tindak lanjut")
def create_visit(request: HttpRequest, payload: VisitIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, payload.kube, write=Kind.VISIT)
    present = body_refs(request.user, kube.members.all(), payload.present, field="present",
                        label=_("Anggota yang hadir"), error=MentoringError)
    follow_ups = []
    for item in payload.follow_ups:
        person = None if item.person is None else body_ref(
            request.user, kube.members.all(), item.person, field="follow_ups", label=_("Penanggung jawab"),
            error=MentoringError)
        follow_ups.append(NewFollowUp(item.action, person, item.due_on))
    close = [(follow_up, "") for follow_up in body_refs(
        request.user, kube.follow_ups.all(), payload.close_follow_ups, field="close_follow_ups",
        label=_("Tindak lanjut"), error=MentoringError)]
    visit = visit_log(actor=request.user, kube=kube, date=payload.date, kind=payload.kind, place=payload.place,
                      start_time=payload.start_time, end_time=payload.end_time, problems=payload.problems,
                      solutions=payload.solutions, treasurer_report_reviewed=payload.treasurer_report_reviewed,
                      present=present,
                      audits=[AuditLine(a.book, a.checked, a.in_order, a.findings) for a in payload.audits],
                      follow_ups=follow_ups, close=close)
    return Reply(201, _visit_out(visit))


@router.get("/visits/{visit_id}", response=VisitOut, summary="Satu kunjungan")
def get_visit(request: HttpRequest, visit_id: ObjectId) -> dict[str, Any]:
    return _visit_out(access_child(request.user, Visit.objects.prefetch_related(_FOLLOW_UPS), visit_id))


PHOTO_UPLOAD = re.compile(r"^/api/v1/visits/\d+/photos/?$")


@before_lock
def _photos_before_lock(request: HttpRequest) -> None:
    """A photo sent with an Idempotency-Key is decoded before the key's transaction opens, as one
    sent without a key is (visit_photo_add), so the write lock is held only for the inserts."""
    if request.method == "POST" and PHOTO_UPLOAD.match(request.path):
        for upload in request.FILES.values():
            photo_prepare_upload(upload)


@router.post("/visits/{visit_id}/photos", response={201: PhotoOut}, summary="Unggah foto kunjungan")
def upload_photo(request: HttpRequest, visit_id: ObjectId, photo: UploadedFile = File(...)) -> Reply[dict[str, Any]]:  # noqa: B008
    visit = access_child(request.user, Visit, visit_id, write=Kind.VISIT)
    saved = visit_photo_add(actor=request.user, visit=visit, upload=photo)
    out = next(p for p in _visit_out(visit)["photos"] if p["id"] == saved.pk)
    return Reply(201, out)


@router.get("/visits/{visit_id}/photos/{photo_id}", response={200: None},
            openapi_extra=file_answers("image/jpeg", description="Foto (JPEG)"),
            summary="Berkas foto kunjungan (JPEG): besar (large) atau kecil (small)")
def get_visit_photo(request: HttpRequest, visit_id: ObjectId, photo_id: ObjectId,
                    size: str = Query("large", pattern="^(small|large)$")) -> FileResponse:
    """Photos are personal: served only through the group's reach, never from a public folder."""
    visit = access_child(request.user, Visit, visit_id)
    photo = access_child(request.user, visit.photos.all(), photo_id, via="visit__kube")
    return private_image_response(photo.thumbnail if size == "small" else photo.image)


@router.get("/groups/{kube_id}/follow-ups", response=Page[FollowUpOut], summary="Tindak lanjut KUBE")
def list_follow_ups(request: HttpRequest, kube_id: ObjectId, open_only: Flag = True,
                    pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    qs = kube.follow_ups.select_related("person")
    if open_only:
        qs = qs.filter(closed_on__isnull=True)
    page = paginate(qs, pages, order=("due_on", "id"))
    page["items"] = [_follow_up_out(f) for f in page["items"]]
    return page


class FollowUpCloseIn(Schema):
    note: str = Field("", max_length=300)
    closed_on: Date | None = None


@router.post("/follow-ups/{follow_up_id}/close", response=FollowUpOut, summary="Tandai tindak lanjut selesai")
def close_follow_up(request: HttpRequest, follow_up_id: ObjectId, payload: FollowUpCloseIn) -> dict[str, Any]:
    follow_up = access_child(request.user, FollowUp.objects.select_related("person"), follow_up_id,
                             write=(Kind.VISIT, Kind.BOOKS))
    follow_up = follow_up_close(actor=request.user, follow_up=follow_up,
                                closed_on=payload.closed_on or timezone.localdate(), note=payload.note)
    return _follow_up_out(follow_up)


# --- events -----------------------------------------------------------------------------------

class EventKubeIn(Schema):
    kube: int = Field(..., ge=1, le=2**63 - 1)
    people: int = Field(0, ge=0, le=500)


class ParticipantIn(Schema):
    kube: int = Field(..., ge=1, le=2**63 - 1)
    member: int | None = Field(None, ge=1, le=2**63 - 1, description="id anggota, bila peserta anggota KUBE itu")
    name: str = Field("", max_length=150, description="nama; diambil dari data anggota bila `member` diisi")


class EventParticipantOut(Schema):
    kube: int
    member: int | None
    name: str


class EventIn(Schema):
    title: str = Field(..., max_length=200)
    date: Date
    kabupaten: str = Field(..., max_length=5, description="Kode kabupaten/kota, misalnya 32.04")
    place: str = Field("", max_length=200)
    topic: str = Field(..., max_length=14)
    method: str = Field("", max_length=200)
    speakers: str = Field(..., max_length=2000)
    moderator: str = Field("", max_length=200)
    committee: str = Field("", max_length=2000)
    kubes: list[EventKubeIn] = Field(..., max_length=500)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=2000)
    problems_raised: str = Field("", max_length=8000)
    results: str = Field("", max_length=8000)


class EventOut(Schema):
    id: int
    title: str
    date: dt.date
    kabupaten: str
    place: str
    topic: str
    method: str
    speakers: str
    moderator: str
    committee: str
    problems_raised: str
    results: str
    kubes: list[dict[str, int]]
    participants: list[EventParticipantOut]


def _event_out(e: AssistanceEvent, viewer: Any) -> dict[str, Any]:
    """The groups and named participants only of the groups `viewer` may see."""
    return {"id": e.pk, "title": e.title, "date": e.date, "kabupaten": e.kabupaten_id, "place": e.place,
            "topic": e.topic, "method": e.method, "speakers": e.speakers, "moderator": e.moderator,
            "committee": e.committee, "problems_raised": e.problems_raised, "results": e.results,
            "kubes": [{"kube": p.kube_id, "people": p.people} for p in _seen(e, "seen_participations", viewer)],
            "participants": [{"kube": p.kube_id, "member": p.member_id, "name": p.name}
                             for p in _seen(e, "seen_participants", viewer)]}


def _seen(event: AssistanceEvent, attr: str, viewer: Any) -> Any:
    """What event_scope_prefetches read for a page of events, or the same read for one event."""
    seen = getattr(event, attr, None)
    if seen is not None:
        return seen
    return event_participations(event, viewer) if attr == "seen_participations" else event_participants(event, viewer)


@router.get("/events", response=Page[EventOut], summary="Asistensi dalam jangkauan")
def list_events(request: HttpRequest, pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    page = paginate(events_in_reach(request.user), pages, order=("-date", "-id"))
    prefetch_related_objects(page["items"], *event_scope_prefetches(request.user))
    page["items"] = [_event_out(e, request.user) for e in page["items"]]
    return page


@router.post("/events", response={201: EventOut}, summary="Catat asistensi")
def create_event(request: HttpRequest, payload: EventIn) -> Reply[dict[str, Any]]:
    check_role(request.user, Kind.EVENT)
    kabupaten = Region.objects.filter(pk=payload.kabupaten, level=2).first()
    if kabupaten is None:
        raise MentoringError(_("Kode kabupaten/kota %(c)s tidak dikenal.") % {"c": payload.kabupaten}, field="kabupaten")
    kubes = [(access_kube(request.user, k.kube), k.people) for k in payload.kubes]
    by_id = {k.pk: k for k, _n in kubes}
    people = []
    for i, p in enumerate(payload.participants, start=1):
        kube = by_id.get(p.kube)
        if kube is None:
            raise MentoringError(_("Peserta ke-%(n)s: KUBE-nya tidak termasuk KUBE peserta.") % {"n": i},
                                 field="participants")
        member = None if p.member is None else body_ref(
            request.user, kube.members.all(), p.member, field="participants",
            label=_("Peserta ke-%(n)s") % {"n": i}, error=MentoringError)
        if member is None and not p.name.strip():
            raise MentoringError(_("Peserta ke-%(n)s: tulis namanya.") % {"n": i}, field="participants")
        people.append((kube, member, p.name))
    event = event_record(actor=request.user, title=payload.title, date=payload.date, kabupaten=kabupaten,
                         place=payload.place, topic=payload.topic, method=payload.method, speakers=payload.speakers,
                         moderator=payload.moderator, committee=payload.committee, kubes=kubes, participants=people,
                         problems_raised=payload.problems_raised, results=payload.results)
    return Reply(201, _event_out(event, request.user))


@router.get("/events/{event_id}", response=EventOut, summary="Satu asistensi")
def get_event(request: HttpRequest, event_id: ObjectId) -> dict[str, Any]:
    return _event_out(access_one(request.user, events_in_reach(request.user), event_id), request.user)


# --- evaluations ------------------------------------------------------------------------------

class TargetIn(Schema):
    description: str = Field(..., max_length=250)
    target_percent: Percent100
    reached_percent: Percent100 | None = None


class EvaluationIn(Schema):
    visit: int | None = Field(None, ge=1, le=2**63 - 1)
    event: int | None = Field(None, ge=1, le=2**63 - 1)
    activity: int | None = Field(None, ge=1, le=2**63 - 1)
    title: str = Field(..., max_length=200)
    date: Date
    indicators: str = Field(..., max_length=8000)
    results: str = Field(..., max_length=8000)
    supporting: str = Field("", max_length=8000)
    inhibiting: str = Field("", max_length=8000)
    targets: list[TargetIn] = Field(..., max_length=20)


class TargetOut(Schema):
    description: str
    target_percent: Decimal
    reached_percent: Decimal | None
    met: bool | None


class EvaluationOut(Schema):
    id: int
    visit: int | None
    event: int | None
    activity: int | None
    title: str
    date: dt.date
    indicators: str
    results: str
    supporting: str
    inhibiting: str
    targets: list[TargetOut]


def _evaluation_out(e: Evaluation) -> dict[str, Any]:
    return {"id": e.pk, "visit": e.visit_id, "event": e.event_id, "activity": e.activity_id, "title": e.title,
            "date": e.date, "indicators": e.indicators, "results": e.results, "supporting": e.supporting,
            "inhibiting": e.inhibiting,
            "targets": [{"description": t.description, "target_percent": t.target_percent,
                         "reached_percent": t.reached_percent, "met": t.met} for t in e.targets.all()]}


@router.get("/evaluations", response=Page[EvaluationOut], summary="Evaluasi dalam jangkauan")
def list_evaluations(request: HttpRequest, kube: int | None = Query(None, ge=1, le=2**63 - 1),
                     pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kubes = kubes_for_user(request.user)
    if kube is not None:
        kubes = kubes.filter(pk=kube)
    reach = kubes.values("pk")
    qs = Evaluation.objects.filter(Q(visit__kube__in=reach) | Q(activity__kube__in=reach)
                                   | Q(event__in=events_in_reach(request.user).values("pk"))).distinct().prefetch_related("targets")
    page = paginate(qs, pages, order=("-date", "-id"))
    page["items"] = [_evaluation_out(e) for e in page["items"]]
    return page


@router.post("/evaluations", response={201: EvaluationOut}, summary="Catat evaluasi (bentuk Tabel 5)")
def create_evaluation(request: HttpRequest, payload: EvaluationIn) -> Reply[dict[str, Any]]:
    subject: dict[str, Any] = {}
    if payload.visit is not None:
        subject["visit"] = access_child(request.user, Visit, payload.visit, write=Kind.VISIT)
    if payload.event is not None:
        check_role(request.user, Kind.EVENT)
        subject["event"] = access_one(request.user, events_in_reach(request.user), payload.event)
    if payload.activity is not None:
        subject["activity"] = access_child(request.user, Activity, payload.activity, write=(Kind.VISIT, Kind.BOOKS))
    evaluation = evaluation_record(
        actor=request.user, title=payload.title, date=payload.date, indicators=payload.indicators,
        results=payload.results, supporting=payload.supporting, inhibiting=payload.inhibiting,
        targets=[(t.description, t.target_percent, t.reached_percent) for t in payload.targets], **subject)
    return Reply(201, _evaluation_out(evaluation))


# --- stage ------------------------------------------------------------------------------------

class CriterionOut(Schema):
    id: int
    code: str
    text: str
    met: bool
    evidence: str
    checked_by: str | None
    checked_at: Any


class StageOut(Schema):
    stage: str
    next_stage: str | None
    ready: bool
    criteria: list[CriterionOut]


class CheckIn(Schema):
    # A criterion ticked as met needs its evidence: the document says it as JSON Schema's if/then.
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"met": {"const": True}}, "required": ["met"]},
        "then": {"properties": {"evidence": {"pattern": NOT_BLANK}}, "required": ["evidence"]}})

    criterion: int = Field(..., ge=1, le=2**63 - 1)
    met: Flag
    evidence: str = Field("", max_length=300)


class PromoteIn(Schema):
    reason: str = Field(..., max_length=250)
    effective_on: Date | None = None


def _stage_out(kube: Any) -> dict[str, Any]:
    target = NEXT_STAGE.get(Stage(kube.stage))
    checks = latest_checks(kube)
    rows = []
    for c in StageCriterion.objects.filter(stage=target, is_active=True) if target else []:
        ch = checks.get(c.pk)
        rows.append({"id": c.pk, "code": c.code, "text": c.text, "met": bool(ch and ch.met),
                     "evidence": ch.evidence if ch else "",
                     "checked_by": ch.checked_by.username if ch and ch.checked_by else None,
                     "checked_at": ch.checked_at if ch else None})
    return {"stage": kube.stage, "next_stage": target, "ready": bool(rows) and all(r["met"] for r in rows),
            "criteria": rows}


@router.get("/groups/{kube_id}/stage", response=StageOut, summary="Tahap, kriteria tahap berikut dan centangnya")
def get_stage(request: HttpRequest, kube_id: ObjectId) -> dict[str, Any]:
    return _stage_out(access_kube(request.user, kube_id))


@router.post("/groups/{kube_id}/stage/checks", response=StageOut, summary="Centang kriteria dengan bukti")
def check_stage(request: HttpRequest, kube_id: ObjectId, payload: CheckIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.STAGE)
    criterion = get_object_or_404(StageCriterion, pk=payload.criterion)
    stage_check_set(actor=request.user, kube=kube, criterion=criterion, met=payload.met, evidence=payload.evidence)
    return _stage_out(kube)


@router.post("/groups/{kube_id}/stage/promote", response=StageOut, summary="Naikkan tahap (semua kriteria terpenuhi)")
def promote(request: HttpRequest, kube_id: ObjectId, payload: PromoteIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.STAGE)
    kube = stage_promote(actor=request.user, kube=kube, reason=payload.reason, effective_on=payload.effective_on)
    return _stage_out(kube)


# --- workspace --------------------------------------------------------------------------------

class WorkspaceRowOut(Schema):
    kube: int
    name: str
    desa: str
    last_visit: dt.date | None
    next_due: dt.date
    overdue_days: int
    last_audit: dt.date | None
    open_follow_ups: int
    overdue_follow_ups: int
    attention: int = Field(..., description="urutan dalam keadaan yang sama (kunjungan dan tindak lanjut terlambat)")
    health: str = Field(..., description="sehat, perhatian, kritis atau bubar: peringatan dini yang sama dengan dasbor")
    reasons: list[str]


@router.get("/mentors/{mentor_id}/workspace", response=list[WorkspaceRowOut],
            summary="Daftar KUBE dampingan, yang perlu perhatian lebih dulu")
def mentor_workspace(request: HttpRequest, mentor_id: ObjectId) -> list[dict[str, Any]]:
    _mentor, groups = access_mentor_workspace(request.user, mentor_id)
    rows = workspace(groups, today=timezone.localdate())
    rows.sort(key=lambda r: r.order)  # the selector's order (its last key is the id)
    return [{"kube": r.kube.pk, "name": r.kube.name, "desa": r.kube.desa_id, "last_visit": r.last_visit,
             "next_due": r.next_due, "overdue_days": r.overdue_days, "last_audit": r.last_audit,
             "open_follow_ups": r.open_follow_ups, "overdue_follow_ups": r.overdue_follow_ups,
             "attention": r.attention, "health": r.health, "reasons": r.reasons} for r in rows]


class MentorOut(Schema):
    id: int
    username: str
    full_name: str
    groups: int = Field(..., description="KUBE dampingan dalam jangkauan (yang belum bubar)")
    attention: int = Field(..., description="KUBE dampingan yang perlu perhatian atau kritis (peringatan dini)")


class MentorPage(Page[MentorOut]):
    unassigned: int = Field(..., description="KUBE dalam jangkauan yang belum punya pendamping")


@router.get("/mentors", response=MentorPage, summary="Pendamping kantor dan keadaan KUBE dampingannya")
def list_mentors(request: HttpRequest, pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    require_office(request.user)  # an office's overview: 404 for anyone else, as on the page
    kubes = kubes_for_user(request.user)
    # The office's own mentors (home region within its reach), also one who holds no group yet.
    page = paginate(mentors_for_user(request.user), pages, order=("full_name", "id"))
    page["items"] = mentor_loads(list(page["items"]), kubes)
    page["unassigned"] = kubes.filter(pendamping__isnull=True).exclude(status="bubar").count()
    return page


class KecamatanAssignmentIn(Schema):
    kecamatan: str = Field(..., max_length=13, description="Kode kecamatan, misalnya 32.04.06")
    start_on: Date | None = Field(None, description="mulai bertugas; kosong untuk hari ini")


class KecamatanAssignmentOut(Schema):
    count: int = Field(..., description="KUBE yang kini didampingi pendamping ini")


@router.post("/mentors/{mentor_id}/assignments", response=KecamatanAssignmentOut,
             summary="Tugaskan pendamping ke setiap KUBE aktif suatu kecamatan")
def assign_kecamatan(request: HttpRequest, mentor_id: ObjectId, payload: KecamatanAssignmentIn) -> dict[str, Any]:
    check_role(request.user, Kind.KUBE)
    require_office(request.user)
    mentor = access_one(request.user, mentors_for_user(request.user), mentor_id)
    kecamatan = Region.objects.filter(pk=normalize(payload.kecamatan), is_active=True).first()
    if kecamatan is None:
        raise MentoringError(_("Kode wilayah %(c)s tidak dikenal.") % {"c": payload.kecamatan}, field="kecamatan")
    count = mentor_assign_kecamatan(actor=request.user, kecamatan=kecamatan, pendamping=mentor,
                                    start_on=payload.start_on or timezone.localdate())
    return {"count": count}

