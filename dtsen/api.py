"""/api/v1 for DTSEN: a member's record and its history, extracts (upload with preview, apply), the
duplicate people (list, scan, resolve) and the counts by desil and status.

Same reach and services as the pages: the counts for every office, the rest (NIK in full) only for
the district office and the administrator (Kind.DTSEN writers); a NIK is never in a path or query."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Reply

from accounts.access import Kind, access_member, access_region, as_id, not_in_reach, refused, region_root, require
from api.pagination import ObjectId, Page, PageParams, paginate
from api.types import Codes, Date, Flag
from dtsen import selectors, services
from dtsen.errors import DtsenError
from dtsen.models import DuplicatePair, Extract
from lib.regioncode import normalize
from registry.choices import DtsenSource, DtsenStatus
from registry.rules import dtsen_flag

router = Router(tags=["DTSEN"])


class RecordOut(Schema):
    id: int
    status: Annotated[str, Codes(DtsenStatus)]
    desil: int | None
    data_date: date | None
    source: Annotated[str, Codes(DtsenSource)]
    reference: str
    extract: int | None
    note: str
    recorded_by: int | None
    recorded_at: datetime


class MemberDtsenOut(Schema):
    member: int
    status: Annotated[str, Codes(DtsenStatus)]
    desil: int | None
    flag: str | None = Field(None, description="Alasan anggota di luar desil sasaran program, bila ada")
    history: list[RecordOut]


class RecordIn(Schema):
    status: Annotated[str, Codes(DtsenStatus)]
    desil: int | None = Field(None, ge=1, le=10)
    data_date: Date | None = None
    reference: str = Field("", max_length=30)
    note: str = Field("", max_length=250)


def _record_out(r: Any) -> dict[str, Any]:
    return {"id": r.pk, "status": r.status, "desil": r.desil, "data_date": r.data_date, "source": r.source,
            "reference": r.reference, "extract": r.extract_id, "note": r.note, "recorded_by": r.recorded_by_id,
            "recorded_at": r.recorded_at}


def _member_out(member: Any) -> dict[str, Any]:
    return {"member": member.pk, "status": member.dtsen_status, "desil": member.dtsen_desil,
            "flag": dtsen_flag(member.kube.programme, member.dtsen_status, member.dtsen_desil),
            "history": [_record_out(r) for r in member.dtsen_records.order_by("-recorded_at", "-id")]}


@router.get("/members/{member_id}/dtsen", response=MemberDtsenOut, summary="Status DTSEN anggota dan riwayatnya")
def member_dtsen(request: HttpRequest, member_id: ObjectId) -> dict[str, Any]:
    require(request.user, Kind.DTSEN, write=True)
    return _member_out(access_member(request.user, member_id))


@router.post("/members/{member_id}/dtsen", response={201: MemberDtsenOut},
             summary="Catat status DTSEN anggota (pemeriksaan petugas)")
def member_dtsen_record(request: HttpRequest, member_id: ObjectId, payload: RecordIn) -> Reply[dict[str, Any]]:
    require(request.user, Kind.DTSEN, write=True)
    member = access_member(request.user, member_id)
    services.record_by_hand(actor=request.user, member=member, status=payload.status, desil=payload.desil,
                            data_date=payload.data_date, reference=payload.reference, note=payload.note)
    member.refresh_from_db()
    return Reply(201, _member_out(member))


class Counts(Schema):
    rows: int
    members: int
    unchanged: int
    new_desil: int
    not_found: int
    name_disagrees: int
    nik_twice: int
    malformed: int
    not_members: int


class PreviewMember(Schema):
    member: int | None
    name: str
    kube: int | None
    nik: str
    row: int | None
    old_status: str | None = None
    old_desil: int | None = None
    desil: int | None = None
    extract_name: str | None = None
    rows: list[int] | None = None


class Malformed(Schema):
    row: int
    column: str
    problem: str


class ExtractOut(Schema):
    id: int
    file_name: str
    sha256: str
    region: str
    data_date: date
    state: Annotated[str, Codes(Extract.State)]
    file_kept: bool
    uploaded_by: int | None
    uploaded_at: datetime
    applied_at: datetime | None
    counts: Counts
    new_desil: list[PreviewMember]
    not_found: list[PreviewMember]
    name_disagrees: list[PreviewMember]
    nik_twice: list[PreviewMember]
    malformed: list[Malformed]


class ExtractIn(Schema):
    region: str = Field(..., max_length=13, description="Kode kabupaten/kota atau kecamatan yang dicakup ekstrak")
    data_date: Date
    keep_file: Flag = False
    col_nik: str = Field("", max_length=60, description="Judul kolom NIK bila bukan NIK")
    col_kk_number: str = Field("", max_length=60)
    col_name: str = Field("", max_length=60)
    col_desil: str = Field("", max_length=60)


def _extract_out(request: HttpRequest, extract: Extract) -> dict[str, Any]:
    lines = selectors.preview_lines(request.user, extract)

    def line(x: Any) -> dict[str, Any]:
        return {"member": x.member.pk if x.member else None, "name": x.member.name if x.member else "",
                "kube": x.member.kube_id if x.member else None, "nik": x.nik, "row": x.row,
                **{k: x.detail.get(k) for k in ("old_status", "old_desil", "desil", "extract_name", "rows")}}

    return {"id": extract.pk, "file_name": extract.file_name, "sha256": extract.sha256,
            "region": extract.region_code, "data_date": extract.data_date, "state": extract.state,
            "file_kept": bool(extract.kept_file), "uploaded_by": extract.uploaded_by_id,
            "uploaded_at": extract.uploaded_at, "applied_at": extract.applied_at,
            "counts": extract.preview["counts"],
            **{k: [line(x) for x in lines[k]] for k in ("new_desil", "not_found", "name_disagrees", "nik_twice")},
            "malformed": [x.detail for x in lines["malformed"]]}


@router.post("/dtsen/extracts", response={201: ExtractOut},
             summary="Unggah ekstrak DTSEN/SIKS-NG: pratinjau, belum menyimpan apa pun pada anggota")
def extract_upload(request: HttpRequest, details: Form[ExtractIn],
                   file: UploadedFile = File(...)) -> Reply[dict[str, Any]]:  # noqa: B008
    """Berkas .xlsx atau CSV dengan kolom NIK, nomor KK, nama dan desil. Berkas yang tidak dapat
    dibaca ditolak (422) dengan pesan yang menyebut baris dan kolomnya."""
    require(request.user, Kind.DTSEN, write=True)
    extract = services.extract_preview(
        actor=request.user, data=file.read(), file_name=file.name or "ekstrak", region_code=normalize(details.region),
        data_date=details.data_date, keep_file=details.keep_file,
        mapping={"nik": details.col_nik, "kk_number": details.col_kk_number, "name": details.col_name,
                 "desil": details.col_desil})
    return Reply(201, _extract_out(request, extract))


def _extract(request: HttpRequest, extract_id: int) -> Extract:
    extract = selectors.extracts_for_user(request.user).filter(pk=as_id(extract_id)).first()
    if extract is None:
        refused(request.user, "dtsen extract (not found or outside reach)", extract_id)
        raise Http404
    return extract


@router.get("/dtsen/extracts/{extract_id}", response=ExtractOut, summary="Pratinjau ekstrak DTSEN")
def extract_get(request: HttpRequest, extract_id: ObjectId) -> dict[str, Any]:
    require(request.user, Kind.DTSEN, write=True)
    return _extract_out(request, _extract(request, extract_id))


@router.post("/dtsen/extracts/{extract_id}/apply", response=ExtractOut,
             summary="Terapkan pratinjau: semua atau tidak sama sekali")
def extract_apply(request: HttpRequest, extract_id: ObjectId) -> dict[str, Any]:
    require(request.user, Kind.DTSEN, write=True)
    extract = _extract(request, extract_id)
    services.extract_apply(actor=request.user, extract=extract)
    extract.refresh_from_db()
    return _extract_out(request, extract)


class Side(Schema):
    member: int
    kube: int
    kube_name: str
    name: str
    nik: str
    kk_number: str
    birth_date: date
    sex: str
    joined_on: date
    dtsen_status: str
    dtsen_desil: int | None


class PairOut(Schema):
    id: int
    kind: Annotated[str, Codes(DuplicatePair.Kind)]
    kind_label: str
    name_score: int
    differing_digits: list[int]
    state: Annotated[str, Codes(DuplicatePair.State)]
    first: Side
    second: Side
    kept: int | None
    note: str
    found_at: datetime
    resolved_at: datetime | None
    resolved_by: int | None


def _side(s: Any) -> dict[str, Any]:
    m = s.member
    return {"member": m.pk, "kube": m.kube_id, "kube_name": m.kube.name, "name": m.name, "nik": s.nik,
            "kk_number": s.kk_number, "birth_date": m.birth_date, "sex": m.sex, "joined_on": m.joined_on,
            "dtsen_status": m.dtsen_status, "dtsen_desil": m.dtsen_desil}


def _pair_out(v: Any) -> dict[str, Any]:
    p = v.pair
    return {"id": p.pk, "kind": p.kind, "kind_label": v.kind_label, "name_score": p.name_score,
            "differing_digits": v.differing_positions, "state": p.state, "first": _side(v.first),
            "second": _side(v.second), "kept": p.kept_id, "note": p.note, "found_at": p.found_at,
            "resolved_at": p.resolved_at, "resolved_by": p.resolved_by_id}


class PairFilters(Schema):
    state: Annotated[str, Codes(DuplicatePair.State)] = DuplicatePair.State.OPEN.value


@router.get("/dtsen/duplicates", response=Page[PairOut], summary="Kemungkinan data ganda dalam jangkauan")
def duplicates(request: HttpRequest, filters: PairFilters = Query(...),  # noqa: B008
               pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    require(request.user, Kind.DTSEN, write=True)
    page = paginate(selectors.pairs_for_user(request.user).filter(state=filters.state), pages,
                    order=("-found_at", "id"))
    views = {v.pair.pk: v for v in selectors.pair_views(
        request.user, DuplicatePair.objects.filter(pk__in=[p.pk for p in page["items"]]))}
    page["items"] = [_pair_out(views[p.pk]) for p in page["items"]]
    return page


class ScanOut(Schema):
    members: int
    pairs: int
    new: int


class ScanIn(Schema):
    region: str = Field(..., max_length=13, description="Kode wilayah yang diperiksa; \"\": wilayah kerja sendiri")


@router.post("/dtsen/duplicates/scan", response=ScanOut, summary="Periksa data ganda di wilayah kerja sendiri")
def duplicates_scan(request: HttpRequest, payload: ScanIn) -> dict[str, Any]:
    require(request.user, Kind.DTSEN, write=True)
    region = normalize(payload.region) if payload.region else (region_root(request.user) or "")
    result = services.duplicates_scan(actor=request.user, region_code=region)
    return {"members": result.members, "pairs": result.pairs, "new": result.new}


class ResolveIn(Schema):
    decision: Annotated[str, Codes(["merge", "different", "correct"])] = Field(
        ..., description="merge: gabungkan; different: orang yang berbeda; correct: betulkan NIK")
    member: int | None = Field(None, ge=1, le=2**63 - 1,
                               description="Anggota yang dipertahankan (merge) atau dibetulkan NIK-nya (correct)")
    nik: str = Field("", max_length=20, description="NIK yang benar (correct)")
    note: str = Field("", max_length=250)


@router.post("/dtsen/duplicates/{pair_id}/resolve", response=PairOut, summary="Selesaikan kemungkinan data ganda")
def duplicate_resolve(request: HttpRequest, pair_id: ObjectId, payload: ResolveIn) -> dict[str, Any]:
    require(request.user, Kind.DTSEN, write=True)
    pair = selectors.pairs_for_user(request.user).filter(pk=pair_id).first()
    if pair is None:
        refused(request.user, "duplicate pair (not found or outside reach)", pair_id)
        raise Http404
    if payload.member is not None and payload.member not in (pair.first_id, pair.second_id):
        refused(request.user, "member in body (not of this pair)", payload.member)
        raise not_in_reach(DtsenError, field="member", label=_("Anggota"), ident=payload.member)
    services.duplicate_resolve(actor=request.user, pair=pair, decision=payload.decision, member_id=payload.member,
                               nik=payload.nik, note=payload.note)
    return _pair_out(selectors.pair_views(request.user, DuplicatePair.objects.filter(pk=pair.pk))[0])


class DesilRowOut(Schema):
    region: str
    name: str
    members: int
    found: int
    not_found: int
    unchecked: int
    desil: list[int] = Field(..., description="Anggota ditemukan per desil 1–10")
    outside_target: int


class GroupOutside(Schema):
    kube: int
    name: str
    members_outside_target: int


class SummaryOut(Schema):
    region: str
    total: DesilRowOut
    children: list[DesilRowOut]
    groups_outside_target: list[GroupOutside]
    open_duplicates: int


def _row_out(r: Any) -> dict[str, Any]:
    return {"region": r.code, "name": r.name, "members": r.members, "found": r.found, "not_found": r.not_found,
            "unchecked": r.unchecked, "desil": r.desil_cells, "outside_target": r.outside_target}


class SummaryQuery(Schema):
    region: str = Field("", max_length=13, description="Kode wilayah; kosong: wilayah kerja sendiri")


@router.get("/dtsen/summary", response=SummaryOut, summary="Anggota menurut desil dan status DTSEN per wilayah")
def summary(request: HttpRequest, q: SummaryQuery = Query(...)) -> dict[str, Any]:  # noqa: B008
    require(request.user, Kind.DTSEN)
    region = access_region(request.user, normalize(q.region)) if q.region else (region_root(request.user) or "")
    s = selectors.desil_summary(request.user, region)
    return {"region": s.region, "total": _row_out(s.total), "children": [_row_out(c) for c in s.children],
            "groups_outside_target": [{"kube": k.pk, "name": k.name, "members_outside_target": n}
                                      for k, n in s.outside_groups],
            "open_duplicates": s.open_pairs}
