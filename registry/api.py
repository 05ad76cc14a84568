"""/api/v1 for the registry: groups, members, officers, stage, status, mentor, programmes.

Same reach and services as the pages (accounts.access, registry.services).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Reply
from pydantic import ConfigDict

from accounts.access import (
    Kind,
    access_kube,
    access_member,
    body_ref,
    can_write,
    check_role,
    mentors_for_user,
    require,
)
from accounts.models import User
from api.pagination import ObjectId, Page, PageParams, paginate
from api.types import (
    NIK_PATTERN,
    NOT_BLANK,
    SLUG_PATTERN,
    USERNAME_PATTERN,
    Codes,
    Date,
    Filled,
    Flag,
    Matching,
    file_answers,
)
from lib.http import XLSX, xlsx_response
from lib.regioncode import normalize
from monitoring.models import Health
from regions.models import Region
from registry import services
from registry.choices import (
    BusinessMode,
    BusinessType,
    DtsenStatus,
    LeaveReason,
    Position,
    Sex,
    Stage,
    Status,
    TargetGroup,
    WelfareLevel,
)
from registry.errors import ImportRefused, RegistryError
from registry.models import Kube, LifecycleChange, Member, Officer, PendampingAssignment, Programme
from registry.rules import MemberData
from registry.selectors import (
    KubeFilters,
    MemberRow,
    active_member_counts,
    current_officers,
    kube_search,
    member_rows,
    nik_lookup,
)

router = Router(tags=["KUBE"])


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    legal_basis: str
    min_members: int
    max_members: int
    size_exempt_targets: list[str]
    min_age: int | None
    max_age: int | None
    target_desil_max: int | None
    grant_per_member: int | None
    is_active: bool


class KubeOut(Schema):
    id: int
    reg_number: str
    name: str
    desa: str
    desa_path: str
    address: str
    rt: str
    rw: str
    formed_on: date
    programme: str
    target_group: str
    business_type: str
    business_description: str
    business_mode: str
    bonds: list[str]
    bond_note: str
    pendamping: int | None
    stage: str
    status: str
    status_reason: str
    active_members: int
    version: int = Field(..., description="Versi data identitas; kirim kembali di `PUT` sebagai `version`")


class MemberOut(Schema):
    id: int
    kube: int
    nik: str
    kk_number: str
    name: str
    sex: str
    birth_date: date
    address: str
    phone: str
    target_group: str
    welfare_level: str
    dtsen_status: Annotated[str, Codes(DtsenStatus)]
    dtsen_desil: int | None
    skills: str
    task: str
    position: str
    joined_on: date
    left_on: date | None
    left_reason: str
    personal_data_masked: bool
    version: int = Field(..., description="Versi data anggota; kirim kembali di `PUT` sebagai `version`")


class MemberIn(Schema):
    nik: str = Field(..., max_length=20)
    kk_number: str = Field(..., max_length=20)
    name: str = Field(..., max_length=150)
    sex: Annotated[str, Codes(Sex)] = Field(..., description="L (laki-laki) atau P (perempuan)")
    birth_date: Date
    address: str = Field("", max_length=250)
    phone: str = Field("", max_length=20)
    target_group: Annotated[str, Codes(TargetGroup)] = TargetGroup.FAKIR_MISKIN.value
    welfare_level: Annotated[str, Codes(WelfareLevel)] = WelfareLevel.MISKIN.value
    dtsen_desil: int | None = Field(None, ge=1, le=10, description="Desil DTSEN yang dicatat petugas (1–10)")
    dtsen_number: str = Field("", max_length=30)
    skills: str = Field("", max_length=250)
    task: str = Field("", max_length=150)
    joined_on: Date | None = None
    accept_duplicate: Flag = Field(False, description="Sudah diperiksa: bukan orang yang sama dengan anggota "
                                                      "yang mirip (KK, tanggal lahir, nama sama; NIK beda satu digit)")

    def data(self) -> MemberData:
        return MemberData(**self.dict())


VERSION_FIELD = Field(None, ge=1, le=2**31 - 1, description=(
    "Versi yang dibaca sebelum mengubah (`version` dari GET). Bila data sudah diubah orang lain sejak itu, "
    "perubahan ditolak dengan 409 `stale_version`; `details` memuat kedua versi dan isian yang tersimpan "
    "sekarang. Tanpa `version`: disimpan tanpa pemeriksaan ini."))
STALE_ANSWER = {"responses": {"409": {
    "description": "Data sudah diubah orang lain sejak versi yang dikirim (`stale_version`; `details`: "
                   "`your_version`, `current_version`, `current`), atau permintaan dengan Idempotency-Key "
                   "yang sama masih diproses",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}


class MemberUpdateIn(MemberIn):
    version: int | None = VERSION_FIELD

    def data(self) -> MemberData:
        return MemberData(**self.dict(exclude={"version"}))


class FoundingMemberIn(MemberIn):
    position: Annotated[str, Codes(Position, blank=True)] = Field("", description="kosong: anggota biasa")


class KubeFields(Schema):
    name: str = Field(..., max_length=150)
    desa: str = Field(..., max_length=13, description="Kode desa/kelurahan Kemendagri")
    formed_on: Date
    programme: str = Field(..., max_length=30, description="Kode program")
    business_type: Annotated[str, Codes(BusinessType)]
    target_group: Annotated[str, Codes(TargetGroup)] = TargetGroup.FAKIR_MISKIN.value
    business_mode: Annotated[str, Codes(BusinessMode)] = BusinessMode.KELOMPOK.value
    business_description: str = Field("", max_length=250)
    bonds: list[str] = Field(default_factory=list, max_length=10)
    bond_note: str = Field("", max_length=250)
    address: str = Field("", max_length=250)
    rt: str = Field("", max_length=3)
    rw: str = Field("", max_length=3)


class KubeUpdateIn(KubeFields):
    version: int | None = VERSION_FIELD


class KubeIn(KubeFields):
    pendamping: int | None = Field(None, ge=1, le=2**63 - 1)
    officers_chosen_on: Date | None = None
    members: list[FoundingMemberIn] = Field(..., max_length=500)


class KubeListParams(Schema):
    q: str = Field("", max_length=100, description="Nama KUBE atau nama anggota")
    region: str = Field("", max_length=13, description="Kode wilayah (tingkat mana pun)")
    stage: Annotated[str, Codes(Stage, blank=True)] = ""
    status: Annotated[str, Codes(Status, blank=True)] = ""
    programme: str = Field("", max_length=30, description="Kode program")
    business_type: Annotated[str, Codes(BusinessType, blank=True)] = ""
    pendamping: int | None = Field(None, ge=1, le=2**63 - 1)
    health: str = Field("", max_length=9, description="sehat, perhatian, kritis atau bubar")
    order: Annotated[str, Codes(["name", "attention"])] = Field(
        "name", description="name (menurut nama) atau attention (paling perlu perhatian dulu)")


class LifecycleIn(Schema):
    effective_on: Date
    reason: str = Field(..., max_length=250)


class StageIn(LifecycleIn):
    stage: Annotated[str, Codes(Stage)]


class StatusIn(LifecycleIn):
    status: Annotated[str, Codes(Status)]


class AssignIn(Schema):
    pendamping: int | None = Field(None, ge=1, le=2**63 - 1)
    start_on: Date


class LeaveIn(Schema):
    # "lainnya" needs a note: the document says it as JSON Schema's if/then.
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"reason": {"const": LeaveReason.LAINNYA.value}}, "required": ["reason"]},
        "then": {"properties": {"note": {"pattern": NOT_BLANK}}, "required": ["note"]}})

    left_on: Date
    reason: Annotated[str, Codes(LeaveReason)]
    note: str = Field("", max_length=250, description="Wajib bila alasannya lainnya")


class OfficersIn(Schema):
    ketua: int = Field(..., ge=1, le=2**63 - 1, description="id anggota")
    sekretaris: int = Field(..., ge=1, le=2**63 - 1)
    bendahara: int = Field(..., ge=1, le=2**63 - 1)
    chosen_on: Date
    term_start: Date | None = None
    term_end: Date | None = None


class OfficerOut(Schema):
    position: str
    member: int
    name: str
    chosen_on: date
    term_start: date
    term_end: date
    ended_on: date | None
    end_reason: str


class ProgrammeIn(Schema):
    code: Annotated[str, Matching(SLUG_PATTERN, "slug_type", max_length=30,
                                  description="Huruf, angka, tanda hubung dan garis bawah")]
    name: Annotated[str, Filled(150)]
    legal_basis: str = Field("", max_length=250)
    min_members: int = Field(..., ge=1, le=500)
    max_members: int = Field(..., ge=1, le=500)
    size_exempt_targets: list[Annotated[str, Codes(TargetGroup)]] = Field(default_factory=list, max_length=20,
                                           description="Kode sasaran tanpa batas jumlah anggota")
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    target_desil_max: int | None = Field(None, ge=1, le=10, description="Desil DTSEN sasaran: 4 berarti desil 1–4")
    grant_per_member: int | None = Field(None, ge=0, le=10**12)
    is_active: Flag = True


class NikIn(Schema):
    nik: Annotated[str, Matching(NIK_PATTERN, "nik_type", max_length=20,
                                 description="NIK lengkap 16 digit (spasi atau titik di antaranya boleh)")]


class MembershipOut(MemberOut):
    kube_name: str
    kube_reg_number: str
    desa_path: str


class AccountIn(Schema):
    username: Annotated[str, Matching(USERNAME_PATTERN, "username_type", max_length=150,
                                      description="Huruf, angka, titik, garis bawah, tanda hubung")]
    password: str = Field(..., max_length=128, description="Kata sandi awal")


class AccountOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    member: int


class LifecycleChangeOut(Schema):
    id: int
    field: str
    old_value: str
    new_value: str
    old_label: str
    new_label: str
    effective_on: date
    reason: str
    decided_by: int | None
    decided_by_name: str
    recorded_at: datetime


class AssignmentOut(Schema):
    id: int
    pendamping: int
    pendamping_name: str
    start_on: date
    end_on: date | None
    recorded_at: datetime


class HistoryOut(Schema):
    changes: list[LifecycleChangeOut]
    assignments: list[AssignmentOut]


def _kube_out(kube: Kube, count: int | None = None) -> dict[str, Any]:
    return {
        "id": kube.pk, "reg_number": kube.reg_number, "name": kube.name, "desa": kube.desa_id,
        "desa_path": kube.desa.path, "address": kube.address, "rt": kube.rt, "rw": kube.rw,
        "formed_on": kube.formed_on, "programme": kube.programme.code,
        "target_group": kube.target_group, "business_type": kube.business_type,
        "business_description": kube.business_description, "business_mode": kube.business_mode,
        "bonds": kube.bonds, "bond_note": kube.bond_note, "pendamping": kube.pendamping_id,
        "stage": kube.stage, "status": kube.status, "status_reason": kube.status_reason,
        "active_members": count if count is not None
        else kube.members.filter(left_on__isnull=True).count(), "version": kube.version,
    }


def _member_out(row: MemberRow) -> dict[str, Any]:
    m = row.member
    return {
        "id": m.pk, "kube": m.kube_id, "nik": row.nik, "kk_number": row.kk_number, "name": m.name,
        "sex": m.sex, "birth_date": m.birth_date, "address": m.address, "phone": row.phone,
        "target_group": m.target_group, "welfare_level": m.welfare_level,
        "dtsen_status": m.dtsen_status, "dtsen_desil": m.dtsen_desil, "skills": m.skills,
        "task": m.task, "position": row.position, "joined_on": m.joined_on, "left_on": m.left_on,
        "left_reason": m.left_reason, "personal_data_masked": row.nik != m.nik, "version": m.version,
    }


def _region(code: str, *, field: str) -> Region:
    region = Region.objects.filter(pk=normalize(code), is_active=True).first() if code else None
    if region is None:
        raise RegistryError(_("Kode wilayah %(c)s tidak dikenal.") % {"c": code[:20]}, field=field)
    return region


def _programme(code: str) -> Programme:
    programme = Programme.objects.filter(code=code.strip().lower()).first()
    if programme is None:
        raise RegistryError(_("Kode program %(c)s tidak dikenal.") % {"c": code[:30]}, field="programme")
    return programme


def _pendamping(request: HttpRequest, user_id: int | None) -> User | None:
    """A mentor named in the body: among the office's own (the service checks it again, with the
    group's region); a missing one and another office's answer alike."""
    if user_id is None:
        return None
    return body_ref(request.user, mentors_for_user(request.user), user_id, field="pendamping",
                    label=_("Pendamping"), error=RegistryError)


def _member_row(request: HttpRequest, member: Member) -> MemberRow:
    rows = member_rows(request.user, member.kube, on=timezone.localdate(), include_left=True)
    return next(r for r in rows if r.member.pk == member.pk)


@router.get("/programmes", response=list[ProgrammeOut], summary="Program dan aturannya")
def list_programmes(request: HttpRequest) -> Any:
    return Programme.objects.order_by("name", "id")


def _programme_values(payload: ProgrammeIn) -> dict[str, Any]:
    values = payload.dict()
    # The page's form takes a slug (ProgrammeForm.code); the service lower-cases and checks it is free.
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", values["code"].strip()):
        raise RegistryError(_("Kode program hanya boleh berisi huruf, angka, tanda hubung dan garis bawah."),
                            field="code")
    return values


@router.post("/programmes", response={201: ProgrammeOut}, summary="Tambah program")
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Reply[Programme]:
    require(request.user, Kind.SYSTEM, write=True)
    programme = services.programme_save(actor=request.user, programme=None, **_programme_values(payload))
    return Reply(201, programme)


@router.put("/programmes/{programme_id}", response=ProgrammeOut, summary="Ubah aturan program")
def update_programme(request: HttpRequest, programme_id: ObjectId, payload: ProgrammeIn) -> Programme:
    require(request.user, Kind.SYSTEM, write=True)
    programme = get_object_or_404(Programme, pk=programme_id)
    return services.programme_save(actor=request.user, programme=programme, **_programme_values(payload))


class KubePage(Page[KubeOut]):
    count: int = Field(..., description="Banyaknya KUBE; pencarian nama (`q`) berhenti menghitung "
                                        "pada 1.000: lihat `more`")
    more: bool = Field(False, description="true: pencarian nama menemukan lebih dari `count` (1.000) "
                                          "KUBE dan tidak menghitung lebih jauh; halamannya berakhir pada "
                                          "KUBE ke-1.000 (persempit dengan wilayah, tahap, status ...)")


@router.get("/groups", response=KubePage, summary="Daftar KUBE dalam jangkauan")
def list_groups(request: HttpRequest, filters: KubeListParams = Query(...),  # noqa: B008
                pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    programme_id = None
    if filters.programme:
        programme_id = _programme(filters.programme).pk
    region = normalize(filters.region) if filters.region else ""
    if filters.region and not Region.objects.filter(pk=region).exists():
        raise RegistryError(_("Kode wilayah %(c)s tidak dikenal.") % {"c": filters.region}, field="region")
    if filters.health and filters.health not in Health.values:
        raise RegistryError(_("Kesehatan %(h)s tidak dikenal; pilih sehat, perhatian, kritis atau bubar.")
                            % {"h": filters.health}, field="health")
    if filters.order not in ("name", "attention"):
        raise RegistryError(_("Urutan %(o)s tidak dikenal; pilih name atau attention.") % {"o": filters.order},
                            field="order")
    found = kube_search(request.user, KubeFilters(
        q=filters.q, region=region, stage=filters.stage if filters.stage in Stage.values else "",
        status=filters.status if filters.status in Status.values else "", programme=programme_id,
        business_type=filters.business_type, pendamping=filters.pendamping, health=filters.health,
        by_attention=filters.order == "attention",
    ))
    # kube_search orders (by name, or most in need of attention first) and ends with the id: keep it.
    # A name search counted as it searched, up to its cap (registry/search.py), as the page shows it.
    page = paginate(found.kubes.select_related("desa", "programme"), pages, count=found.count,
                    cap=found.cap if found.more else None)
    counts = active_member_counts([k.pk for k in page["items"]])
    page["items"] = [_kube_out(k, counts.get(k.pk, 0)) for k in page["items"]]
    return page


@router.post("/groups", response={201: KubeOut}, summary="Daftarkan KUBE dengan anggota dan pengurusnya")
def create_group(request: HttpRequest, payload: KubeIn) -> Reply[dict[str, Any]]:
    check_role(request.user, Kind.KUBE)
    desa = _region(payload.desa, field="desa")
    services.kube_desa_check(request.user, desa)
    kube = services.kube_register(
        actor=request.user, name=payload.name, desa=desa, formed_on=payload.formed_on,
        programme=_programme(payload.programme), business_type=payload.business_type,
        target_group=payload.target_group, business_mode=payload.business_mode,
        business_description=payload.business_description, bonds=payload.bonds,
        bond_note=payload.bond_note, address=payload.address, rt=payload.rt, rw=payload.rw,
        pendamping=_pendamping(request, payload.pendamping), officers_chosen_on=payload.officers_chosen_on,
        members=[m.data() for m in payload.members],
    )
    return Reply(201, _kube_out(kube))


@router.get("/groups/{kube_id}", response=KubeOut, summary="Satu KUBE")
def get_group(request: HttpRequest, kube_id: ObjectId) -> dict[str, Any]:
    return _kube_out(access_kube(request.user, kube_id))


@router.put("/groups/{kube_id}", response=KubeOut, summary="Ubah identitas KUBE", openapi_extra=STALE_ANSWER)
def update_group(request: HttpRequest, kube_id: ObjectId, payload: KubeUpdateIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.KUBE)
    desa = _region(payload.desa, field="desa")
    services.kube_desa_check(request.user, desa)
    kube = services.kube_update(
        actor=request.user, kube=kube, name=payload.name, desa=desa, formed_on=payload.formed_on,
        programme=_programme(payload.programme), business_type=payload.business_type,
        target_group=payload.target_group, business_mode=payload.business_mode,
        business_description=payload.business_description, bonds=payload.bonds,
        bond_note=payload.bond_note, address=payload.address, rt=payload.rt, rw=payload.rw,
        version=payload.version)
    return _kube_out(kube)


@router.post("/groups/{kube_id}/stage/correction", response=KubeOut,
             summary="Koreksi tahap KUBE oleh Dinas Sosial (tanpa daftar kriteria)")
def change_stage(request: HttpRequest, kube_id: ObjectId, payload: StageIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.KUBE)
    kube = services.kube_stage_change(actor=request.user, kube=kube, stage=payload.stage,
                                      effective_on=payload.effective_on, reason=payload.reason)
    return _kube_out(kube)


@router.post("/groups/{kube_id}/status", response=KubeOut, summary="Ubah status KUBE")
def change_status(request: HttpRequest, kube_id: ObjectId, payload: StatusIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.KUBE)
    kube = services.kube_status_change(actor=request.user, kube=kube, status=payload.status,
                                       effective_on=payload.effective_on, reason=payload.reason)
    return _kube_out(kube)


@router.post("/groups/{kube_id}/pendamping", response=KubeOut, summary="Tugaskan pendamping")
def assign_pendamping(request: HttpRequest, kube_id: ObjectId, payload: AssignIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.KUBE)
    kube = services.kube_assign_pendamping(actor=request.user, kube=kube,
                                           pendamping=_pendamping(request, payload.pendamping),
                                           start_on=payload.start_on)
    return _kube_out(kube)


@router.get("/groups/{kube_id}/history", response=HistoryOut,
            summary="Riwayat tahap, status dan pendamping KUBE")
def group_history(request: HttpRequest, kube_id: ObjectId) -> dict[str, Any]:
    """Dua daftar, terbaru dulu: perubahan tahap/status dan penugasan pendamping."""
    kube = access_kube(request.user, kube_id)
    changes: list[LifecycleChange] = list(
        kube.lifecycle_changes.select_related("decided_by").order_by("-effective_on", "-id"))
    assignments: list[PendampingAssignment] = list(
        kube.assignments.select_related("pendamping").order_by("-start_on", "-id"))
    return {
        "changes": [{"id": c.pk, "field": c.field, "old_value": c.old_value, "new_value": c.new_value,
                     "old_label": c.old_label, "new_label": c.new_label, "effective_on": c.effective_on,
                     "reason": c.reason, "decided_by": c.decided_by_id,
                     "decided_by_name": c.decided_by.full_name if c.decided_by else "",
                     "recorded_at": c.recorded_at} for c in changes],
        "assignments": [{"id": a.pk, "pendamping": a.pendamping_id, "pendamping_name": a.pendamping.full_name,
                         "start_on": a.start_on, "end_on": a.end_on, "recorded_at": a.recorded_at}
                        for a in assignments],
    }


@router.get("/groups/{kube_id}/members", response=Page[MemberOut], summary="Anggota KUBE")
def list_members(request: HttpRequest, kube_id: ObjectId, include_left: Flag = False,
                 pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    qs = kube.members.all() if include_left else kube.members.filter(left_on__isnull=True)
    page = paginate(qs, pages, order=("joined_on", "id"))
    # member_rows decides what this viewer sees unmasked; a group has at most a few hundred members.
    rows = {r.pk: r for r in member_rows(request.user, kube, on=timezone.localdate(),
                                         include_left=include_left)}
    page["items"] = [_member_out(rows[m.pk]) for m in page["items"]]
    return page


@router.post("/groups/{kube_id}/members", response={201: MemberOut}, summary="Tambah anggota")
def add_member(request: HttpRequest, kube_id: ObjectId, payload: MemberIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.MEMBER)
    member = services.member_add(actor=request.user, kube=kube, data=payload.data())
    return Reply(201, _member_out(_member_row(request, member)))


@router.post("/members/search", response=list[MembershipOut], summary="Cari keanggotaan menurut NIK")
def search_members(request: HttpRequest, payload: NikIn) -> list[dict[str, Any]]:
    """NIK persis, dikirim di badan permintaan, tidak pernah di URL (dan karena itu tidak di log).
    Hanya keanggotaan di KUBE dalam jangkauan Anda, terbaru dulu; NIK orang lain tersamar bagi
    peran yang tidak boleh melihatnya."""
    nik = "".join(ch for ch in payload.nik if ch.isdigit())
    if len(nik) != 16:
        raise RegistryError(_("Tulis NIK lengkap 16 digit."), field="nik")
    found = sorted(nik_lookup(request.user, nik), key=lambda m: (-m.joined_on.toordinal(), -m.pk))
    out = []
    for member in found:
        row = _member_row(request, member)
        out.append({**_member_out(row), "kube_name": member.kube.name,
                    "kube_reg_number": member.kube.reg_number, "desa_path": member.kube.desa.path})
    return out


@router.get("/members/{member_id}", response=MemberOut, summary="Satu anggota")
def get_member(request: HttpRequest, member_id: ObjectId) -> dict[str, Any]:
    return _member_out(_member_row(request, access_member(request.user, member_id)))


@router.put("/members/{member_id}", response=MemberOut, summary="Ubah data anggota", openapi_extra=STALE_ANSWER)
def update_member(request: HttpRequest, member_id: ObjectId, payload: MemberUpdateIn) -> dict[str, Any]:
    member = access_member(request.user, member_id, write=True)
    member = services.member_update(actor=request.user, member=member, data=payload.data(),
                                    version=payload.version)
    return _member_out(_member_row(request, member))


@router.post("/members/{member_id}/leave", response=MemberOut, summary="Anggota keluar")
def leave_member(request: HttpRequest, member_id: ObjectId, payload: LeaveIn) -> dict[str, Any]:
    member = access_member(request.user, member_id, write=True)
    member = services.member_leave(actor=request.user, member=member, left_on=payload.left_on,
                                   reason=payload.reason, note=payload.note)
    return _member_out(_member_row(request, member))


@router.post("/members/{member_id}/account", response={201: AccountOut},
             summary="Buat akun masuk untuk anggota")
def create_member_account(request: HttpRequest, member_id: ObjectId, payload: AccountIn) -> Reply[dict[str, Any]]:
    """Peran akun mengikuti jabatan: Pengurus bila memegang jabatan, selain itu Anggota."""
    member = access_member(request.user, member_id)
    if not can_write(request.user, Kind.PERSONAL):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    user = services.member_account_create(actor=request.user, member=member, username=payload.username,
                                          password=payload.password)
    return Reply(201, {"id": user.pk, "username": user.username, "full_name": user.full_name,
                       "role": user.role, "member": member.pk})


def _officer_out(o: Officer) -> dict[str, Any]:
    return {"position": o.position, "member": o.member_id, "name": o.member.name,
            "chosen_on": o.chosen_on, "term_start": o.term_start, "term_end": o.term_end,
            "ended_on": o.ended_on, "end_reason": o.end_reason}


POSITION_ORDER = {"ketua": 0, "sekretaris": 1, "bendahara": 2}


@router.get("/groups/{kube_id}/officers", response=list[OfficerOut],
            summary="Pengurus sekarang, dengan include_past=true juga pengurus lama")
def get_officers(request: HttpRequest, kube_id: ObjectId, include_past: Flag = False) -> list[dict[str, Any]]:
    """Pengurus lama membawa tanggal berhenti (`ended_on`) dan alasannya, seperti riwayat pengurus
    di Daftar Pengurus. Urutan: masa jabatan terbaru dulu, lalu Ketua, Sekretaris, Bendahara."""
    kube = access_kube(request.user, kube_id)
    if not include_past:
        return [_officer_out(o) for o in current_officers(kube)]
    officers = sorted(kube.officers.select_related("member"),
                      key=lambda o: (-o.term_start.toordinal(), POSITION_ORDER.get(o.position, 9), -o.pk))
    return [_officer_out(o) for o in officers]


@router.put("/groups/{kube_id}/officers", response=list[OfficerOut], summary="Tetapkan pengurus baru")
def set_officers(request: HttpRequest, kube_id: ObjectId, payload: OfficersIn) -> list[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.MEMBER)

    def pick(member_id: int, position: str) -> Member:
        return body_ref(request.user, kube.members.all(), member_id, field=position,
                        label=_("%(pos)s (anggota KUBE ini)") % {"pos": position.capitalize()}, error=RegistryError)

    services.officers_set(actor=request.user, kube=kube, ketua=pick(payload.ketua, "ketua"),
                          sekretaris=pick(payload.sekretaris, "sekretaris"),
                          bendahara=pick(payload.bendahara, "bendahara"), chosen_on=payload.chosen_on,
                          term_start=payload.term_start, term_end=payload.term_end)
    return [_officer_out(o) for o in current_officers(kube)]


class ImportWarning(Schema):
    sheet: str
    row: int
    column: str
    problem: str


class ImportOut(Schema):
    kubes: int
    members: int
    warnings: list[ImportWarning] = Field(default_factory=list,
                                          description="Tersimpan, tetapi anggota di luar desil sasaran program")


@router.get("/imports/template", response={200: None}, summary="Templat impor Excel (xlsx)",
            openapi_extra=file_answers(XLSX, description="Templat impor"))
def import_template(request: HttpRequest) -> HttpResponse:
    from registry.importer import template_workbook

    require(request.user, Kind.IMPORT)
    return xlsx_response(template_workbook(), filename="templat-impor-kube.xlsx")


@router.post("/imports", response={201: ImportOut}, summary="Impor KUBE dan anggota dari Excel (templat impor)")
def import_groups(request: HttpRequest, file: UploadedFile = File(...),  # noqa: B008
                  accept_duplicates: Flag = False) -> Reply[dict[str, Any]]:
    """Seluruh berkas tersimpan atau tidak sama sekali. Bila ada masalah: 422 dengan `details`
    berisi sheet, baris, kolom, masalah dan cara memperbaikinya (paling banyak 200)."""
    from django.core.exceptions import PermissionDenied

    from lib.xlsx import SpreadsheetError
    from registry.importer import import_workbook

    if not can_write(request.user, Kind.IMPORT):
        raise PermissionDenied
    assert isinstance(request.user, User)
    try:
        result = import_workbook(actor=request.user, upload=file, accept_duplicates=accept_duplicates)
    except SpreadsheetError as exc:
        raise RegistryError(exc.message, field="file") from exc
    if not result.ok:
        raise ImportRefused(
            _("Berkas tidak diimpor: %(n)s masalah. Perbaiki lalu unggah lagi; tidak ada yang tersimpan.")
            % {"n": len(result.issues)}, field="file",
            details=[{"sheet": i.sheet, "row": i.row, "column": i.column, "problem": i.problem, "fix": i.fix}
                     for i in result.issues[:200]])
    return Reply(201, {"kubes": result.kubes, "members": result.members,
                       "warnings": [{"sheet": w.sheet, "row": w.row, "column": w.column, "problem": w.problem}
                                    for w in result.warnings[:200]]})
