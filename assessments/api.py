"""/api/v1 for capacity assessment (PEKA): instruments, sessions, scores, results, priorities,
the follow-up plan (RTL), comparison and the regional roll-up. Same rules and reach as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Reply

from accounts.access import (
    Kind,
    WriteKinds,
    access_child,
    access_kube,
    body_ref,
    body_refs,
    can_write,
    not_in_reach,
)
from api.pagination import ObjectId, Page, PageParams, paginate
from api.types import Codes, Date
from assessments.errors import AssessmentError
from assessments.models import Assessment, Instrument, InstrumentVersion, Mode, RtlAction, RtlStatus
from assessments.selectors import (
    SessionView,
    comparison,
    priorities_of,
    region_groups,
    results,
    rollup,
    session_view,
    session_views,
)
from assessments.services import (
    assessment_details_save,
    assessment_start,
    instrument_version_publish,
    instrument_version_retire,
    priorities_set,
    rtl_action_add,
    rtl_action_status,
    rtl_link_activity,
    rtl_to_work_plan,
    scores_save,
)
from books.models import Activity

router = Router(tags=["PEKA"])


# --- instruments ---------------------------------------------------------------------------------

class ItemOut(Schema):
    id: int
    number: int
    text: str


class DomainOut(Schema):
    number: int
    name: str
    items: list[ItemOut]


class VersionOut(Schema):
    id: int
    number: int
    scale_min: int
    scale_max: int
    scale_labels: list[str]
    standard: Decimal
    published_on: dt.date
    retired_on: dt.date | None
    domains: list[DomainOut]


class InstrumentOut(Schema):
    id: int
    code: str
    name: str
    source: str
    versions: list[VersionOut]


def _version_out(v: InstrumentVersion) -> dict[str, Any]:
    return {"id": v.pk, "number": v.number, "scale_min": v.scale_min, "scale_max": v.scale_max,
            "scale_labels": v.scale_labels or [], "standard": v.standard, "published_on": v.published_on,
            "retired_on": v.retired_on,
            "domains": [{"number": d.number, "name": d.name,
                         "items": [{"id": i.pk, "number": i.number, "text": i.text} for i in d.items.all()]}
                        for d in v.domains.prefetch_related("items")]}


@router.get("/instruments", response=list[InstrumentOut], summary="Instrumen PEKA dengan versi, bidang, ciri, skala")
def list_instruments(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"id": i.pk, "code": i.code, "name": i.name, "source": i.source,
             "versions": [_version_out(v) for v in i.versions.order_by("-number")]}
            for i in Instrument.objects.order_by("name")]


class VersionIn(Schema):
    items_text: str = Field(..., max_length=50_000,
                            description="Baris yang diawali # adalah nama bidang; baris lain: nomor | ciri")
    scale_min: int = Field(..., ge=0, le=10, description="nilai terendah, misalnya 1")
    scale_max: int = Field(..., ge=0, le=10, description="nilai tertinggi, misalnya 4")
    scale_labels: list[str] = Field(default_factory=list, max_length=11,
                                    description="arti tiap nilai dari yang terendah, atau kosong")
    standard: Decimal = Field(..., ge=0, le=10, max_digits=4, decimal_places=2,
                              description="ciri dengan rata-rata di bawahnya lemah, misalnya 2.50")
    published_on: Date | None = Field(None, description="berlaku sejak; kosong untuk hari ini")
    note: str = Field("", max_length=300)


@router.post("/instruments/{instrument_id}/versions", response={201: VersionOut},
             summary="Terbitkan versi baru instrumen; versi sebelumnya tidak dipakai lagi")
def publish_version(request: HttpRequest, instrument_id: ObjectId, payload: VersionIn) -> Reply[dict[str, Any]]:
    if not can_write(request.user, Kind.SYSTEM):
        raise PermissionDenied
    instrument = get_object_or_404(Instrument, pk=instrument_id)
    try:
        version = instrument_version_publish(
            actor=request.user, instrument=instrument, items_text=payload.items_text, scale_min=payload.scale_min,
            scale_max=payload.scale_max, scale_labels=payload.scale_labels, standard=payload.standard,
            published_on=payload.published_on or timezone.localdate(), note=payload.note)
    except AssessmentError as exc:
        if exc.field == "items":  # the service names the text by what it holds; the payload calls it items_text
            exc.field = "items_text"
        raise
    return Reply(201, _version_out(version))


@router.post("/instrument-versions/{version_id}/retire", response=VersionOut,
             summary="Hentikan pemakaian versi instrumen untuk penilaian baru")
def retire_version(request: HttpRequest, version_id: ObjectId) -> dict[str, Any]:
    if not can_write(request.user, Kind.SYSTEM):
        raise PermissionDenied
    version = get_object_or_404(InstrumentVersion, pk=version_id)
    return _version_out(instrument_version_retire(actor=request.user, version=version, on=timezone.localdate()))


# --- sessions -----------------------------------------------------------------------------------

class HistoryIn(Schema):
    when: str = Field(..., max_length=40)
    event: str = Field(..., max_length=400)


class AssessmentIn(Schema):
    version: int = Field(..., ge=1, le=2**63 - 1, description="id versi instrumen")
    date: Date
    mode: Annotated[str, Codes(Mode)] = Mode.PARTICIPANTS.value
    participants: list[int] = Field(..., max_length=200, description="id anggota yang hadir")
    facilitator_name: str = Field("", max_length=150)
    place: str = Field("", max_length=200)
    reflection: str = Field("", max_length=8000)
    history: list[HistoryIn] = Field(default_factory=list, max_length=100)


class ParticipantOut(Schema):
    id: int
    member: int
    name: str


class AssessmentOut(Schema):
    id: int
    kube: int
    version: int
    instrument: str
    date: dt.date
    mode: str
    place: str
    facilitator_name: str
    reflection: str
    participants: list[ParticipantOut]
    history: list[HistoryIn]


def _assessment(request: HttpRequest, assessment_id: int, *, write: bool = False) -> Assessment:
    return access_child(request.user, Assessment.objects.select_related("version__instrument", "kube"),
                        assessment_id, write=Kind.ASSESSMENT if write else None)


@router.get("/groups/{kube_id}/assessments", response=Page[AssessmentOut], summary="Penilaian kapasitas KUBE")
def list_assessments(request: HttpRequest, kube_id: ObjectId,
                     pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    page = paginate(kube.assessments.select_related("version__instrument"), pages, order=("-date", "-id"))
    page["items"] = session_views(page["items"])
    return page


@router.post("/groups/{kube_id}/assessments", response={201: AssessmentOut},
             summary="Mulai penilaian dengan peserta, alur sejarah dan refleksi")
def create_assessment(request: HttpRequest, kube_id: ObjectId, payload: AssessmentIn) -> Reply[SessionView]:
    kube = access_kube(request.user, kube_id, write=Kind.ASSESSMENT)
    version = get_object_or_404(InstrumentVersion, pk=payload.version)
    participants = body_refs(request.user, kube.members.all(), payload.participants, field="participants",
                             label=_("Peserta"), error=AssessmentError)
    assessment = assessment_start(
        actor=request.user, kube=kube, version=version, date=payload.date, mode=payload.mode,
        participants=participants, facilitator_name=payload.facilitator_name,
        place=payload.place, reflection=payload.reflection, history=[(h.when, h.event) for h in payload.history])
    return Reply(201, session_view(assessment))


@router.get("/assessments/{assessment_id}", response=AssessmentOut, summary="Satu penilaian")
def get_assessment(request: HttpRequest, assessment_id: ObjectId) -> SessionView:
    return session_view(_assessment(request, assessment_id))


class AssessmentDetailsIn(Schema):
    participants: list[int] = Field(..., max_length=200, description="id anggota yang hadir")
    facilitator_name: str = Field(..., max_length=150)
    place: str = Field("", max_length=200)
    reflection: str = Field("", max_length=8000)
    history: list[HistoryIn] = Field(default_factory=list, max_length=100)


@router.put("/assessments/{assessment_id}", response=AssessmentOut,
            summary="Ubah data penilaian: peserta, fasilitator, tempat, alur sejarah dan refleksi")
def update_assessment(request: HttpRequest, assessment_id: ObjectId, payload: AssessmentDetailsIn) -> SessionView:
    assessment = _assessment(request, assessment_id, write=True)
    participants = body_refs(request.user, assessment.kube.members.all(), payload.participants,
                             field="participants", label=_("Peserta"), error=AssessmentError)
    assessment = assessment_details_save(
        actor=request.user, assessment=assessment, participants=participants,
        place=payload.place, reflection=payload.reflection, history=[(h.when, h.event) for h in payload.history],
        facilitator_name=payload.facilitator_name)
    return session_view(assessment)


# --- scores and results --------------------------------------------------------------------------

class ScoreIn(Schema):
    member: int | None = Field(None, ge=1, le=2**63 - 1,
                               description="id anggota peserta; kosong untuk nilai kesepakatan")
    item: int = Field(..., ge=1, le=10_000, description="nomor ciri")
    value: int | None = Field(None, ge=-1000, le=1000, description="nilai; kosong untuk menghapus")


class ScoresIn(Schema):
    scores: list[ScoreIn] = Field(..., max_length=10_000)


class ScoreOut(Schema):
    member: int | None
    item: int
    value: int


class ScoresOut(Schema):
    changed: int
    scores: list[ScoreOut]


def _scores_out(a: Assessment, changed: int = 0) -> dict[str, Any]:
    return {"changed": changed, "scores": [
        {"member": s.participant.member_id if s.participant else None, "item": s.item.number, "value": s.value}
        for s in a.scores.select_related("participant", "item").order_by("item__number", "participant_id")]}


@router.get("/assessments/{assessment_id}/scores", response=ScoresOut, summary="Semua nilai")
def get_scores(request: HttpRequest, assessment_id: ObjectId) -> dict[str, Any]:
    return _scores_out(_assessment(request, assessment_id))


@router.put("/assessments/{assessment_id}/scores", response=ScoresOut,
            summary="Isi nilai per peserta per ciri, atau satu nilai kesepakatan per ciri")
def put_scores(request: HttpRequest, assessment_id: ObjectId, payload: ScoresIn) -> dict[str, Any]:
    assessment = _assessment(request, assessment_id, write=True)
    participants = dict(assessment.participants.values_list("member_id", "pk"))
    items = dict(assessment.version.items.values_list("number", "pk"))
    entries: dict[tuple[int | None, int], int | None] = {}
    for i, s in enumerate(payload.scores, start=1):
        if s.item not in items:
            raise AssessmentError(_("Nilai ke-%(n)s: ciri %(i)s tidak ada di instrumen ini.") % {"n": i, "i": s.item},
                                  field="scores")
        if s.member is not None and s.member not in participants:
            raise not_in_reach(AssessmentError, field="scores", label=_("Nilai ke-%(n)s: peserta") % {"n": i},
                               ident=s.member)
        entries[(participants[s.member] if s.member is not None else None, items[s.item])] = s.value
    changed = scores_save(actor=request.user, assessment=assessment, scores=entries)
    return _scores_out(assessment, changed)


class ItemResultOut(Schema):
    number: int
    text: str
    domain: int
    scores: int
    mean: Decimal | None
    weak: bool


class DomainResultOut(Schema):
    number: int
    name: str
    mean: Decimal | None


class ResultsOut(Schema):
    participants: int
    standard: Decimal
    complete: bool
    domains: list[DomainResultOut]
    items: list[ItemResultOut]
    weak: list[ItemResultOut] = Field(..., description="ciri lemah, terlemah dahulu")
    strong: list[ItemResultOut] = Field(..., description="ciri kuat, terkuat dahulu")


def _item_out(r: Any) -> dict[str, Any]:
    return {"number": r.item.number, "text": r.item.text, "domain": r.item.domain.number, "scores": r.scores,
            "mean": r.mean, "weak": r.weak}


@router.get("/assessments/{assessment_id}/results", response=ResultsOut,
            summary="Rata-rata per ciri dan per bidang; ciri lemah dan kuat berurutan")
def get_results(request: HttpRequest, assessment_id: ObjectId) -> dict[str, Any]:
    assessment = _assessment(request, assessment_id)
    res = results(assessment)
    return {"participants": res.participants, "standard": assessment.version.standard, "complete": res.complete,
            "domains": [{"number": d.domain.number, "name": d.domain.name, "mean": d.mean} for d in res.domains],
            "items": [_item_out(r) for r in res.items], "weak": [_item_out(r) for r in res.weak],
            "strong": [_item_out(r) for r in res.strong]}


# --- priorities and RTL --------------------------------------------------------------------------

class PrioritiesIn(Schema):
    items: list[int] = Field(..., max_length=100, description="nomor ciri lemah, yang paling mendesak dahulu")


@router.put("/assessments/{assessment_id}/priorities", response=list[int], summary="Urutan prioritas (nomor ciri)")
def put_priorities(request: HttpRequest, assessment_id: ObjectId, payload: PrioritiesIn) -> list[int]:
    assessment = _assessment(request, assessment_id, write=True)
    items = {i.number: i for i in assessment.version.items.all()}
    unknown = [n for n in payload.items if n not in items]
    if unknown:
        raise AssessmentError(_("Ciri %(n)s tidak ada di instrumen ini.") % {"n": ", ".join(map(str, unknown))},
                              field="items")
    priorities_set(actor=request.user, assessment=assessment, items=[items[n] for n in payload.items])
    return [p.item.number for p in priorities_of(assessment)]


class RtlIn(Schema):
    item: int = Field(..., ge=1, le=10_000, description="nomor ciri prioritas")
    activity: str = Field(..., max_length=200)
    aim: str = Field(..., max_length=250)
    person: int | None = Field(None, ge=1, le=2**63 - 1, description="id anggota penanggung jawab")
    due_on: Date | None = None
    indicator: str = Field(..., max_length=300)
    target: str = Field("", max_length=200)


class RtlOut(Schema):
    id: int
    item: int
    activity: str
    aim: str
    person: int
    person_name: str
    due_on: dt.date
    indicator: str
    target: str
    status: str
    status_note: str
    work_plan_item: int | None
    agenda_activity: int | None


class RtlStatusIn(Schema):
    status: Annotated[str, Codes(RtlStatus)]
    note: str = Field("", max_length=300)


def _rtl_out(a: RtlAction) -> dict[str, Any]:
    return {"id": a.pk, "item": a.item.number, "activity": a.activity, "aim": a.aim, "person": a.person_id,
            "person_name": a.person.name, "due_on": a.due_on, "indicator": a.indicator, "target": a.target,
            "status": a.status, "status_note": a.status_note, "work_plan_item": a.work_plan_item_id,
            "agenda_activity": a.agenda_activity_id}


@router.get("/assessments/{assessment_id}/rtl", response=Page[RtlOut], summary="Rencana tindak lanjut")
def list_rtl(request: HttpRequest, assessment_id: ObjectId,
             pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    assessment = _assessment(request, assessment_id)
    page = paginate(assessment.actions.select_related("item", "person"), pages, order=("due_on", "id"))
    page["items"] = [_rtl_out(a) for a in page["items"]]
    return page


@router.post("/assessments/{assessment_id}/rtl", response={201: RtlOut}, summary="Tambah aksi RTL")
def add_rtl(request: HttpRequest, assessment_id: ObjectId, payload: RtlIn) -> Reply[dict[str, Any]]:
    assessment = _assessment(request, assessment_id, write=True)
    item = assessment.version.items.filter(number=payload.item).first()
    if item is None:
        raise AssessmentError(_("Ciri %(n)s tidak ada di instrumen ini.") % {"n": payload.item}, field="item")
    person = None if payload.person is None else body_ref(
        request.user, assessment.kube.members.all(), payload.person, field="person", label=_("Penanggung jawab"),
        error=AssessmentError)
    action = rtl_action_add(actor=request.user, assessment=assessment, item=item, activity=payload.activity,
                            aim=payload.aim, person=person, due_on=payload.due_on, indicator=payload.indicator,
                            target=payload.target)
    return Reply(201, _rtl_out(action))


def _action(request: HttpRequest, action_id: int, *, write: WriteKinds) -> RtlAction:
    return access_child(request.user, RtlAction.objects.select_related("assessment", "item", "person"), action_id,
                        write=write, via="assessment__kube")


@router.post("/rtl/{action_id}/status", response=RtlOut, summary="Perbarui status aksi RTL")
def rtl_status(request: HttpRequest, action_id: ObjectId, payload: RtlStatusIn) -> dict[str, Any]:
    action = _action(request, action_id, write=(Kind.ASSESSMENT, Kind.BOOKS))
    return _rtl_out(rtl_action_status(actor=request.user, action=action, status=payload.status, note=payload.note))


@router.post("/rtl/{action_id}/work-plan", response=RtlOut, summary="Catat aksi RTL di Buku Rencana Kerja")
def rtl_work_plan(request: HttpRequest, action_id: ObjectId) -> dict[str, Any]:
    action = _action(request, action_id, write=Kind.ASSESSMENT)
    return _rtl_out(rtl_to_work_plan(actor=request.user, action=action))


class RtlActivityIn(Schema):
    activity: int | None = Field(..., ge=1, le=2**63 - 1,
                                 description="id kegiatan Buku Agenda yang melaksanakan aksi; null untuk melepas")


@router.put("/rtl/{action_id}/activity", response=RtlOut, summary="Kegiatan Buku Agenda yang melaksanakan aksi RTL")
def rtl_activity(request: HttpRequest, action_id: ObjectId, payload: RtlActivityIn) -> dict[str, Any]:
    action = _action(request, action_id, write=Kind.ASSESSMENT)
    activity = None
    if payload.activity is not None:
        activity = body_ref(request.user, Activity.objects.filter(kube_id=action.assessment.kube_id), payload.activity,
                            field="activity", label=_("Kegiatan Buku Agenda"), error=AssessmentError)
    return _rtl_out(rtl_link_activity(actor=request.user, action=action, activity=activity))


# --- comparison and roll-up ------------------------------------------------------------------------

class CompareRowOut(Schema):
    number: int
    text: str
    before: Decimal | None
    after: Decimal | None
    change: Decimal | None
    weak_before: bool
    weak_after: bool


class CompareOut(Schema):
    earlier: int
    later: int
    participants_before: int
    participants_after: int
    domains: list[CompareRowOut]
    items: list[CompareRowOut]
    left_weak: list[int] = Field(..., description="nomor ciri yang tidak lemah lagi")


def _row(r: Any) -> dict[str, Any]:
    return {"number": r.number, "text": r.text, "before": r.before, "after": r.after, "change": r.change,
            "weak_before": r.weak_before, "weak_after": r.weak_after}


@router.get("/assessments/{assessment_id}/compare/{earlier_id}", response=CompareOut,
            summary="Sebelum dan sesudah: per ciri, per bidang, peserta")
def compare(request: HttpRequest, assessment_id: ObjectId, earlier_id: ObjectId) -> dict[str, Any]:
    later = _assessment(request, assessment_id)
    earlier = _assessment(request, earlier_id)
    if earlier.kube_id != later.kube_id or earlier.version.instrument_id != later.version.instrument_id:
        raise AssessmentError(_("Bandingkan dua penilaian KUBE yang sama dengan instrumen yang sama."))
    comp = comparison(later, earlier)
    return {"earlier": earlier.pk, "later": later.pk, "participants_before": comp.participants_before,
            "participants_after": comp.participants_after, "domains": [_row(r) for r in comp.domains],
            "items": [_row(r) for r in comp.items], "left_weak": [r.number for r in comp.left_weak]}


class RollupOut(Schema):
    region: str
    groups: int
    domains: list[DomainResultOut]
    weak_items: list[dict[str, Any]]


@router.get("/assessment-rollup", response=RollupOut,
            summary="Rata-rata bidang dari penilaian terakhir tiap KUBE di wilayah, dan ciri yang paling sering lemah")
def assessment_rollup(request: HttpRequest, region: str = Query("", max_length=13)) -> dict[str, Any]:
    code, kubes, instrument = region_groups(request.user, region)
    summary = rollup(kubes, instrument.pk)
    return {"region": code, "groups": summary.groups,
            "domains": [{"number": n, "name": name, "mean": m} for n, name, m in summary.domains],
            "weak_items": [{"number": n, "text": t, "groups": c} for n, t, c in summary.weak_items]}
