"""Writes of the dtsen app: extracts previewed and applied, column mappings, duplicate pairs found
and resolved. Each one transaction, its audit row inside it. The member's DTSEN records themselves
are written by registry.services (dtsen_record_add, dtsen_records_apply), the one writer of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from accounts.access import check_region_in_reach, kubes_for_user, region_root
from audit.models import Action
from audit.services import audit_record
from dtsen.errors import DtsenError
from dtsen.extract import FIELDS, Table, read_extract
from dtsen.models import ColumnMapping, DuplicatePair, Extract
from lib.regioncode import within_q
from registry.choices import DtsenSource, DtsenStatus, LeaveReason
from registry.duplicates import PERSON_FIELDS, find_pairs_sorted, name_key, people
from registry.models import Member
from registry.rules import MemberData
from registry.services import DtsenChange, dtsen_record_add, dtsen_records_apply, member_leave, member_update

NAME_MATCHES = 80  # token-sort ratio under which the extract's name "disagrees" with the member's


def _by(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def scope_members(actor: Any, region_code: str) -> Any:
    """The active members an office's extract of `region_code` is matched against: in its reach and
    in that region. `actor` None is the system (a national pass, the benchmark)."""
    qs = Member.objects.filter(left_on__isnull=True)
    if actor is not None:
        qs = qs.filter(kube__in=kubes_for_user(actor).values("pk"))
    return qs.filter(within_q("kube__desa_id", region_code))


# --- column mapping ------------------------------------------------------------------------------


def mapping_for(actor: Any) -> dict[str, str]:
    root = region_root(actor) or ""
    row = ColumnMapping.objects.filter(region_code=root).first()
    return {k: str(v) for k, v in (row.columns if row else {}).items() if k in FIELDS}


def _mapping_remember(actor: Any, columns: dict[str, str]) -> None:
    root = region_root(actor) or ""
    row, _created = ColumnMapping.objects.get_or_create(region_code=root, defaults={"columns": columns,
                                                                                    "updated_by": _by(actor)})
    if row.columns != columns:
        row.columns, row.updated_by = columns, _by(actor)
        row.save(update_fields=["columns", "updated_by", "updated_at"])


# --- the preview ---------------------------------------------------------------------------------


@dataclass
class _Member:
    pk: int
    nik: str
    name: str
    status: str
    desil: int | None


def compute_preview(table: Table, members: list[_Member]) -> dict[str, Any]:
    """What applying the extract would change, as stored (member ids and row numbers, never a NIK):
    members with a new desil (or newly found), members not in the extract (not found), members whose
    name disagrees with the extract's (left for the office to check), NIKs the extract lists twice,
    and rows that cannot be read. Rows of people who are not members in scope only count."""
    good = [r for r in table.rows if not r.problem]
    rows_by_nik: dict[str, list[Any]] = defaultdict(list)
    for r in good:
        rows_by_nik[r.nik].append(r)
    member_niks = {m.nik: m for m in members}
    out: dict[str, Any] = {"new_desil": [], "not_found": [], "name_disagrees": [], "nik_twice": [],
                           "malformed": [{"row": r.row, "column": r.column, "problem": r.problem}
                                         for r in table.rows if r.problem],
                           "columns": table.columns}
    for nik, rows in rows_by_nik.items():
        if len(rows) > 1:
            member = member_niks.get(nik)
            out["nik_twice"].append({"rows": [r.row for r in rows], "member": member.pk if member else None})
    unchanged = 0
    for m in members:
        found = rows_by_nik.get(m.nik)
        if not found:
            if m.status != DtsenStatus.NOT_FOUND:
                out["not_found"].append({"member": m.pk, "old_status": m.status, "old_desil": m.desil})
            else:
                unchanged += 1
            continue
        if len(found) > 1:
            continue
        row = found[0]
        score = round(fuzz.token_sort_ratio(name_key(m.name), name_key(row.name)))
        if score < NAME_MATCHES:
            out["name_disagrees"].append({"member": m.pk, "row": row.row, "extract_name": row.name[:150],
                                          "score": score, "desil": row.desil})
        elif m.status != DtsenStatus.FOUND or m.desil != row.desil:
            out["new_desil"].append({"member": m.pk, "row": row.row, "old_status": m.status,
                                     "old_desil": m.desil, "desil": row.desil})
        else:
            unchanged += 1
    out["counts"] = {
        "rows": len(table.rows), "members": len(members), "unchanged": unchanged,
        "new_desil": len(out["new_desil"]), "not_found": len(out["not_found"]),
        "name_disagrees": len(out["name_disagrees"]), "nik_twice": len(out["nik_twice"]),
        "malformed": len(out["malformed"]),
        "not_members": len({r.nik for r in good} - set(member_niks)),
    }
    return out


@transaction.atomic
def extract_preview(*, actor: Any, data: bytes, file_name: str, region_code: str, data_date: date,
                    mapping: dict[str, str] | None = None, keep_file: bool = False) -> Extract:
    """Read an extract and record what it would change; nothing about any member is saved yet.

    The file is refused whole when it cannot be read (ExtractRefused). It is kept only with
    `keep_file`; otherwise only its name, size in rows and SHA-256 are recorded. The column headers
    used are remembered for the office's next upload."""
    check_region_in_reach(actor, region_code, label=_("Wilayah %(r)s") % {"r": region_code or _("nasional")},
                          field="region", error=DtsenError)
    if data_date > timezone.localdate():
        raise DtsenError(_("Tanggal data tidak boleh di masa depan."), field="data_date")
    given = {k: v.strip() for k, v in (mapping or {}).items() if k in FIELDS and v and v.strip()}
    table = read_extract(data, name=file_name, mapping={**mapping_for(actor), **given})
    members = [_Member(pk=pk, nik=nik, name=name, status=status, desil=desil) for pk, nik, name, status, desil in
               scope_members(actor, region_code).values_list("pk", "nik", "name", "dtsen_status", "dtsen_desil")]
    preview = compute_preview(table, members)
    extract = Extract.objects.create(region_code=region_code, file_name=file_name[:150], sha256=table.sha256,
                                     rows=len(table.rows), data_date=data_date, preview=preview,
                                     uploaded_by=_by(actor))
    if keep_file:
        extract.kept_file.save(f"{extract.pk}-{table.sha256[:12]}.bin", ContentFile(data), save=True)
    _mapping_remember(actor, table.columns)
    audit_record(actor=actor, action=Action.IMPORT, obj=extract, object_repr=_("Ekstrak DTSEN %(f)s") % {
        "f": extract.file_name}, changes={"file_name": extract.file_name, "sha256": table.sha256,
                                          "rows": extract.rows, "region": region_code, "kept": keep_file,
                                          "counts": preview["counts"]})
    return extract


def _changes(preview: dict[str, Any]) -> list[DtsenChange]:
    out = [DtsenChange(member_id=c["member"], status=DtsenStatus.FOUND, desil=c["desil"],
                       old_status=c["old_status"], old_desil=c["old_desil"]) for c in preview["new_desil"]]
    out += [DtsenChange(member_id=c["member"], status=DtsenStatus.NOT_FOUND, desil=None,
                        old_status=c["old_status"], old_desil=c["old_desil"]) for c in preview["not_found"]]
    return out


@transaction.atomic
def extract_apply(*, actor: Any, extract: Extract) -> int:
    """Save what the preview showed, all or nothing: a new record for each member with a new desil
    and each member not found. Rows whose name disagrees, NIKs listed twice and unreadable rows
    change nothing. If a member changed since the preview, nothing is saved."""
    extract = Extract.objects.select_for_update().get(pk=extract.pk)
    check_region_in_reach(actor, extract.region_code, label=_("Wilayah ekstrak"), field="region", error=DtsenError)
    if extract.state != Extract.State.PREVIEWED:
        raise DtsenError(_("Ekstrak ini sudah diterapkan pada %(d)s.")
                         % {"d": timezone.localtime(extract.applied_at).strftime("%d-%m-%Y %H:%M")
                            if extract.applied_at else "-"}, code="already_applied")
    changes = _changes(extract.preview)
    allowed = set(scope_members(actor, extract.region_code).filter(pk__in=[c.member_id for c in changes])
                  .values_list("pk", flat=True)) if len(changes) <= 900 else None
    if allowed is not None and len(allowed) != len(changes):
        raise DtsenError(_("Sebagian anggota dalam pratinjau tidak lagi dalam wilayah Anda atau sudah keluar. "
                           "Tidak ada yang disimpan; unggah berkasnya lagi untuk pratinjau baru."), code="stale_preview")
    count = dtsen_records_apply(actor=actor, changes=changes, source=DtsenSource.EXTRACT,
                                data_date=extract.data_date, extract_id=extract.pk,
                                note=_("Ekstrak %(f)s") % {"f": extract.file_name})
    extract.state, extract.applied_by, extract.applied_at = Extract.State.APPLIED, _by(actor), timezone.now()
    extract.save(update_fields=["state", "applied_by", "applied_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=extract, object_repr=_("Ekstrak DTSEN %(f)s") % {
        "f": extract.file_name}, changes={"state": [Extract.State.PREVIEWED, Extract.State.APPLIED],
                                          "records": count})
    return count


# --- duplicate people ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanResult:
    members: int
    pairs: int
    new: int


@transaction.atomic
def duplicates_scan(*, actor: Any, region_code: str) -> ScanResult:
    """Look for likely duplicates among the active members of a region (in the actor's reach) and list
    the pairs not listed before. `actor` None: the national pass of `manage.py dtsen_duplicates`."""
    if actor is not None:
        check_region_in_reach(actor, region_code, label=_("Wilayah %(r)s") % {"r": region_code or _("nasional")},
                              field="region", error=DtsenError)
    rows = (scope_members(actor, region_code).order_by("kk_number", "birth_date")
            .values_list(*PERSON_FIELDS).iterator(chunk_size=5000))
    listed = 0
    matches = []
    count = 0

    def counted(it: Any) -> Any:
        nonlocal count
        for row in it:
            count += 1
            yield row

    for match in find_pairs_sorted(people(counted(rows))):
        matches.append(match)
    listed = len(matches)
    existing: set[tuple[int, int]] = set()
    firsts = sorted({m.first for m in matches})
    for start in range(0, len(firsts), 500):
        existing |= set(DuplicatePair.objects.filter(first_id__in=firsts[start:start + 500])
                        .values_list("first_id", "second_id"))
    new = [DuplicatePair(first_id=m.first, second_id=m.second, kind=m.kind, name_score=m.name_score)
           for m in matches if (m.first, m.second) not in existing]
    DuplicatePair.objects.bulk_create(new, batch_size=500)
    audit_record(actor=actor, action=Action.CREATE, object_type="dtsen.duplicatepair",
                 object_repr=_("Pemeriksaan data ganda %(r)s") % {"r": region_code or _("nasional")},
                 changes={"region": region_code, "members": count, "pairs": listed, "new": len(new)})
    return ScanResult(members=count, pairs=listed, new=len(new))


class Decision:
    MERGE = "merge"
    DIFFERENT = "different"
    CORRECT = "correct"


DECISIONS = (Decision.MERGE, Decision.DIFFERENT, Decision.CORRECT)


def _member_data(member: Member, *, nik: str) -> MemberData:
    return MemberData(nik=nik, kk_number=member.kk_number, name=member.name, sex=member.sex,
                      birth_date=member.birth_date, address=member.address, phone=member.phone,
                      target_group=member.target_group, welfare_level=member.welfare_level,
                      skills=member.skills, task=member.task, joined_on=member.joined_on, accept_duplicate=True)


@transaction.atomic
def duplicate_resolve(*, actor: Any, pair: DuplicatePair, decision: str, member_id: int | None = None,
                      nik: str = "", note: str = "") -> DuplicatePair:
    """Resolve a pair: merge (keep `member_id`, end the other membership as a duplicate, carrying its
    DTSEN standing over if the kept one had none), different people (the pair is not listed again),
    or correct the NIK of `member_id` to `nik` (through the member service, so the NIK rules hold)."""
    pair = DuplicatePair.objects.select_for_update(of=("self",)).select_related("first", "second").get(pk=pair.pk)
    if pair.state != DuplicatePair.State.OPEN:
        raise DtsenError(_("Pasangan ini sudah diselesaikan: %(s)s.") % {"s": pair.get_state_display()},
                         code="already_resolved")
    if decision not in DECISIONS:
        raise DtsenError(_("Pilih: gabungkan, orang yang berbeda, atau betulkan NIK."), field="decision")
    members = {pair.first_id: pair.first, pair.second_id: pair.second}
    chosen = members.get(member_id) if member_id is not None else None
    if decision in (Decision.MERGE, Decision.CORRECT) and chosen is None:
        raise DtsenError(_("Pilih salah satu dari kedua anggota."), field="member")
    if decision == Decision.MERGE:
        assert chosen is not None
        if not chosen.is_active:
            raise DtsenError(_("%(name)s sudah keluar; pertahankan anggota yang masih aktif.") % {"name": chosen.name},
                             field="member")
        other = pair.second if chosen.pk == pair.first_id else pair.first
        if other.is_active:
            member_leave(actor=actor, member=other, left_on=max(timezone.localdate(), other.joined_on),
                         reason=LeaveReason.LAINNYA,
                         note=_("Data ganda: digabung dengan anggota %(id)s (%(name)s)") % {"id": chosen.pk,
                                                                                        "name": chosen.name})
        chosen.refresh_from_db()
        if chosen.dtsen_status == DtsenStatus.UNCHECKED and other.dtsen_status != DtsenStatus.UNCHECKED:
            dtsen_record_add(actor=actor, member=chosen, status=other.dtsen_status, desil=other.dtsen_desil,
                             source=DtsenSource.MANUAL,
                             note=_("Dari data ganda anggota %(id)s") % {"id": other.pk})
        pair.kept, pair.state = chosen, DuplicatePair.State.MERGED
    elif decision == Decision.CORRECT:
        assert chosen is not None
        if not nik.strip():
            raise DtsenError(_("Tulis NIK yang benar (16 digit) sesuai KTP."), field="nik")
        member_update(actor=actor, member=chosen, data=_member_data(chosen, nik=nik))
        pair.kept, pair.state = chosen, DuplicatePair.State.CORRECTED
    else:
        pair.state = DuplicatePair.State.DIFFERENT
    pair.note, pair.resolved_by, pair.resolved_at = note.strip()[:250], _by(actor), timezone.now()
    pair.save(update_fields=["kept", "state", "note", "resolved_by", "resolved_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=pair, object_repr=_("Data ganda %(a)s dan %(b)s") % {
        "a": pair.first.name, "b": pair.second.name}, kube_id=pair.first.kube_id,
        changes={"state": [DuplicatePair.State.OPEN, pair.state], "kept": pair.kept_id, "note": pair.note,
                 "second_kube": pair.second.kube_id})
    return pair


def record_by_hand(*, actor: Any, member: Member, status: str, desil: int | None, data_date: date | None,
                   reference: str = "", note: str = "") -> Any:
    """An office writes down a member's DTSEN standing it checked itself (in SIKS-NG, on paper)."""
    return dtsen_record_add(actor=actor, member=member, status=status, desil=desil, data_date=data_date,
                            source=DtsenSource.MANUAL, reference=reference, note=note)
