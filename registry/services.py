"""Writes on the registry. Every function: keyword-only, one transaction, rules checked
before anything is saved, one audit row per record changed, inside the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import check_mentor_assignable, check_region_in_reach, kubes_for_user, same_group
from accounts.models import GROUP_ROLES, Role, User
from audit.models import Action
from audit.services import audit_record, diff, snapshot
from lib.regioncode import is_within
from outbox import services as outbox
from regions.models import Region
from registry.choices import (
    Bond,
    BusinessMode,
    BusinessType,
    DtsenSource,
    DtsenStatus,
    LeaveReason,
    Position,
    Stage,
    Status,
    TargetGroup,
)
from registry.duplicates import KIND_LABELS, likely_duplicates
from registry.errors import RegistryError, StaleEdit
from registry.models import (
    DtsenRecord,
    Kube,
    LifecycleChange,
    Member,
    Officer,
    PendampingAssignment,
    Programme,
    RegistrationCounter,
)
from registry.rules import (
    MemberData,
    Problem,
    active_membership_problem,
    duplicate_nik_problems,
    kube_name_problem,
    member_problems,
    officer_problems,
    size_problem,
)
from registry.search import kube_name_index, member_name_index

DEFAULT_TERM_YEARS = 3

KUBE_FIELDS = ["name", "desa_id", "address", "rt", "rw", "formed_on", "programme_id",
               "target_group", "business_type", "business_description", "business_mode",
               "bonds", "bond_note"]
MEMBER_FIELDS = ["nik", "kk_number", "name", "sex", "birth_date", "address", "phone",
                 "target_group", "welfare_level", "skills", "task", "joined_on"]


def check_version(obj: Kube | Member, version: int | None, fields: list[str]) -> None:
    """Refuse an edit that started from another version than the one saved (`obj`, read under
    its row lock): someone saved in between, and saving now would silently overwrite their
    change. Both versions go back to the form or the client, which shows them side by side.
    No version given (an older client) saves as before."""
    if version is None or version == obj.version:
        return
    raise StaleEdit(
        _("Data ini sudah diubah orang lain (versi %(current)s) sejak Anda mulai mengubahnya (versi %(yours)s). "
          "Bandingkan isian Anda dengan data yang tersimpan sekarang, lalu simpan lagi bila perlu.")
        % {"current": obj.version, "yours": version},
        field="version",
        details={"your_version": version, "current_version": obj.version, "current": snapshot(obj, fields)})


def _raise(problem: Problem | None, *, details: Any = None) -> None:
    if problem is not None:
        raise RegistryError(problem.message, field=problem.field, details=details)


def _today() -> date:
    return timezone.localdate()


def _check_kube_fields(*, name: str, desa: Region, formed_on: date, programme: Programme,
                       target_group: str, business_type: str, business_mode: str,
                       bonds: Sequence[str], exclude: int | None = None) -> None:
    if desa.level != 4 or not desa.is_active:
        raise RegistryError(_("Pilih desa/kelurahan tempat KUBE berada."), field="desa")
    _raise(kube_name_problem(name, desa.code, exclude=exclude))
    if formed_on > _today():
        raise RegistryError(_("Tanggal dibentuk tidak boleh di masa depan."), field="formed_on")
    if not programme.is_active and exclude is None:
        raise RegistryError(_("Program %(p)s sudah tidak dipakai untuk KUBE baru.")
                            % {"p": programme.name}, field="programme")
    if target_group not in TargetGroup.values:
        raise RegistryError(_("Sasaran tidak dikenal."), field="target_group")
    if business_type not in BusinessType.values:
        raise RegistryError(_("Jenis usaha tidak dikenal."), field="business_type")
    if business_mode not in BusinessMode.values:
        raise RegistryError(_("Pengelolaan usaha tidak dikenal."), field="business_mode")
    unknown = [b for b in bonds if b not in Bond.values]
    if unknown:
        raise RegistryError(_("Ikatan pemersatu tidak dikenal: %(b)s.") % {"b": ", ".join(unknown)},
                            field="bonds")


def _next_reg_number(desa: Region, year: int) -> str:
    kabupaten = desa.code[:5]
    counter, _created = RegistrationCounter.objects.select_for_update().get_or_create(
        kabupaten_code=kabupaten, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"KUBE-{kabupaten.replace('.', '')}-{year}-{counter.last:04d}"


def kube_desa_check(actor: Any, desa: Region) -> None:
    """A group is registered in, or moved to, a desa inside the office's own area; outside it the
    desa does not exist for them (404). kube_register and kube_update check it first, so page, API
    and import refuse alike; the API and the import also call it as soon as they know the desa, so
    that an out-of-reach desa is refused before the rest of the request is read."""
    check_region_in_reach(actor, desa.code, label=_("Desa %(d)s") % {"d": desa.path}, field="desa",
                          error=RegistryError)


def _check_pendamping(actor: Any, pendamping: User | None, desa: Region) -> None:
    """Only a mentor of the assigning office's own (home region in its reach) and of the group's
    region: a mentor reads the group's members unmasked. Page, API and import all land here."""
    check_mentor_assignable(actor, pendamping, region_code=desa.code, error=RegistryError)


def _member_row(kube: Kube, data: MemberData, joined_on: date) -> Member:
    return Member(
        kube=kube, nik=data.nik, kk_number=data.kk_number, name=data.name, sex=data.sex,
        birth_date=data.birth_date, address=data.address, phone=data.phone,
        target_group=data.target_group, welfare_level=data.welfare_level, skills=data.skills,
        task=data.task, joined_on=joined_on,
    )


def _save_member(member: Member) -> None:
    """Every member row is saved here (registration, adding, editing, the import), and its name
    indexed for the search in the same transaction (registry/search.py)."""
    try:
        with transaction.atomic():
            member.save()
            member_name_index([member])
    except IntegrityError:
        # Lost a race with another registration of the same NIK.
        raise RegistryError(_("NIK %(nik)s baru saja didaftarkan di KUBE lain.")
                            % {"nik": member.nik}, field="nik") from None


def duplicate_problem(data: MemberData, *, viewer: Any, exclude: int | None = None) -> Problem | None:
    """The warning before a likely duplicate is saved: someone already active with the same KK and
    birth date, a name that agrees and a NIK one typo or one swap away (registry.duplicates). It is
    a refusal until the person who registers says it is someone else (`data.accept_duplicate`).
    The message names the other group only when the viewer may see it, and never a NIK."""
    if data.accept_duplicate or not data.kk_number or not data.nik:
        return None
    found = likely_duplicates(nik=data.nik, kk_number=data.kk_number, name=data.name,
                              birth_date=data.birth_date, sex=data.sex, exclude=exclude)
    if not found:
        return None
    other, kind = found[0]
    where = (_("%(kube)s (%(reg)s)") % {"kube": other.kube.name, "reg": other.kube.reg_number}
             if kubes_for_user(viewer).filter(pk=other.kube_id).exists() else _("KUBE lain di luar wilayah Anda"))
    return Problem("nik", _("Kemungkinan orang yang sama dengan %(name)s, anggota aktif %(where)s (%(how)s). "
                            "Periksa NIK pada KTP; bila memang orang lain, pilih \"Tetap daftarkan, bukan orang "
                            "yang sama\".") % {"name": other.name, "where": where, "how": KIND_LABELS[kind]})


def _initial_dtsen(*, actor: Any, member: Member, data: MemberData) -> None:
    """An office that registers a member may write down what it knows of them in DTSEN (a desil,
    a number): that is the member's first record, entered by hand."""
    if data.dtsen_desil is None and not data.dtsen_number:
        return
    dtsen_record_add(actor=actor, member=member,
                     status=DtsenStatus.FOUND if data.dtsen_desil is not None else DtsenStatus.UNCHECKED,
                     desil=data.dtsen_desil, source=DtsenSource.MANUAL, reference=data.dtsen_number)


def _check_dtsen(*, status: str, desil: int | None, data_date: date | None) -> None:
    if status not in DtsenStatus.values:
        raise RegistryError(_("Status DTSEN tidak dikenal."), field="status")
    if status == DtsenStatus.FOUND and desil is None:
        raise RegistryError(_("Isi desil (1–10) untuk anggota yang ditemukan di DTSEN."), field="desil")
    if desil is not None and not 1 <= desil <= 10:
        raise RegistryError(_("Desil DTSEN harus angka 1 sampai 10."), field="desil")
    if status != DtsenStatus.FOUND and desil is not None:
        raise RegistryError(_("Desil hanya diisi untuk anggota yang ditemukan di DTSEN."), field="desil")
    if data_date is not None and data_date > _today():
        raise RegistryError(_("Tanggal data tidak boleh di masa depan."), field="data_date")


@transaction.atomic
def dtsen_record_add(*, actor: Any, member: Member, status: str, desil: int | None, source: str,
                     data_date: date | None = None, reference: str = "", note: str = "",
                     extract_id: int | None = None) -> DtsenRecord:
    """A new record of the member's standing in DTSEN; the member shows it from now on. The one
    writer of `Member.dtsen_status`/`dtsen_desil` (the extract's apply writes through it too)."""
    _check_dtsen(status=status, desil=desil, data_date=data_date)
    if source not in DtsenSource.values:
        raise RegistryError(_("Sumber data DTSEN tidak dikenal."), field="source")
    member = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if not member.is_active:
        raise RegistryError(_("Anggota ini sudah keluar."))
    record = DtsenRecord.objects.create(
        member=member, status=status, desil=desil, data_date=data_date, source=source,
        reference=reference.strip()[:30], note=note.strip()[:250], extract_id=extract_id,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
    old = [member.dtsen_status, member.dtsen_desil]
    member.dtsen_status, member.dtsen_desil = status, desil
    member.save(update_fields=["dtsen_status", "dtsen_desil"])
    audit_record(actor=actor, action=Action.CREATE, obj=record, kube_id=member.kube_id,
                 object_repr=_("DTSEN %(name)s") % {"name": member.name},
                 changes={"member_id": member.pk, "status": [old[0], status], "desil": [old[1], desil],
                          "source": source, "data_date": data_date.isoformat() if data_date else None,
                          "extract_id": extract_id})
    outbox.record(member.kube_id)
    return record


@dataclass(frozen=True)
class DtsenChange:
    """One member's new standing, and the standing it replaces as the caller saw it."""

    member_id: int
    status: str
    desil: int | None
    old_status: str
    old_desil: int | None


@transaction.atomic
def dtsen_records_apply(*, actor: Any, changes: Sequence[DtsenChange], source: str, data_date: date | None,
                        extract_id: int | None = None, note: str = "") -> int:
    """Many new records at once (an extract applied): all or none. Every member must still be active
    and stand where the caller saw them (the preview); if one does not, nothing is saved and the
    caller is told to look again. One audit row per group, naming each member changed."""
    if source not in DtsenSource.values:
        raise RegistryError(_("Sumber data DTSEN tidak dikenal."), field="source")
    for change in changes:
        _check_dtsen(status=change.status, desil=change.desil, data_date=data_date)
    ids = [c.member_id for c in changes]
    current: dict[int, tuple[str, int | None, date | None, int]] = {}
    for start in range(0, len(ids), 500):
        for pk, status, desil, left_on, kube_id in (Member.objects.select_for_update()
                                                    .filter(pk__in=ids[start:start + 500])
                                                    .values_list("pk", "dtsen_status", "dtsen_desil", "left_on",
                                                                 "kube_id")):
            current[pk] = (status, desil, left_on, kube_id)
    stale = [c for c in changes if c.member_id not in current or current[c.member_id][2] is not None
             or current[c.member_id][:2] != (c.old_status, c.old_desil)]
    if stale:
        raise RegistryError(_("%(n)s anggota berubah sejak pratinjau (keluar, atau data DTSEN-nya sudah dicatat lagi). "
                              "Tidak ada yang disimpan; unggah berkasnya lagi untuk pratinjau baru.") % {"n": len(stale)},
                            code="stale_preview")
    by = actor if getattr(actor, "is_authenticated", False) else None
    DtsenRecord.objects.bulk_create([
        DtsenRecord(member_id=c.member_id, status=c.status, desil=c.desil, data_date=data_date, source=source,
                    extract_id=extract_id, note=note[:250], recorded_by=by) for c in changes], batch_size=500)
    same: dict[tuple[str, int | None], list[int]] = {}
    per_kube: dict[int, dict[str, Any]] = {}
    for c in changes:
        same.setdefault((c.status, c.desil), []).append(c.member_id)
        per_kube.setdefault(current[c.member_id][3], {})[str(c.member_id)] = [
            [c.old_status, c.old_desil], [c.status, c.desil]]
    for (status, desil), pks in same.items():
        for start in range(0, len(pks), 500):
            Member.objects.filter(pk__in=pks[start:start + 500]).update(dtsen_status=status, dtsen_desil=desil)
    for kube_id, members in sorted(per_kube.items()):
        audit_record(actor=actor, action=Action.UPDATE, object_type="registry.dtsenrecord", object_id=extract_id,
                     object_repr=_("DTSEN dari ekstrak"), kube_id=kube_id,
                     changes={"members": members, "source": source, "extract_id": extract_id,
                              "data_date": data_date.isoformat() if data_date else None})
        outbox.record(kube_id)
    return len(changes)


def registration_problems(*, actor: Any, programme: Programme, target_group: str,
                          members: list[MemberData], on: date) -> list[tuple[int | None, Problem]]:
    """Every problem with a registration's members: (member index or None, problem)."""
    out: list[tuple[int | None, Problem]] = []
    for i, m in enumerate(members):
        out += [(i, p) for p in member_problems(m, programme=programme, on=on)]
        problem = active_membership_problem(m.nik, viewer=actor)
        if problem:
            out.append((i, problem))
        problem = duplicate_problem(m, viewer=actor)
        if problem:
            out.append((i, problem))
    out += duplicate_nik_problems(members)
    size = size_problem(programme=programme, target_group=target_group, count=len(members))
    if size:
        out.append((None, size))
    out += [(None, p) for p in officer_problems(members)]
    return out


@transaction.atomic
def kube_register(*, actor: Any, name: str, desa: Region, formed_on: date, programme: Programme,
                  business_type: str, members: list[MemberData],
                  target_group: str = TargetGroup.FAKIR_MISKIN,
                  business_mode: str = BusinessMode.KELOMPOK, business_description: str = "",
                  bonds: Sequence[str] = (), bond_note: str = "", address: str = "",
                  rt: str = "", rw: str = "", pendamping: User | None = None,
                  officers_chosen_on: date | None = None,
                  term_years: int = DEFAULT_TERM_YEARS) -> Kube:
    """Register a group with its founding members and its three officers, all or nothing."""
    name = " ".join(name.split())
    kube_desa_check(actor, desa)
    _check_kube_fields(name=name, desa=desa, formed_on=formed_on, programme=programme,
                       target_group=target_group, business_type=business_type,
                       business_mode=business_mode, bonds=bonds)
    _check_pendamping(actor, pendamping, desa)
    members = [m.normalized() for m in members]
    problems = registration_problems(actor=actor, programme=programme, target_group=target_group,
                                     members=members, on=formed_on)
    if problems:
        index, first = problems[0]
        message = first.message if index is None else _("Anggota ke-%(n)s (%(name)s): %(msg)s") % {
            "n": index + 1, "name": members[index].name or "?", "msg": first.message}
        raise RegistryError(message, field=first.field, details=[
            {"member": i, "field": p.field, "message": p.message} for i, p in problems])

    kube = Kube.objects.create(
        name=name, reg_number=_next_reg_number(desa, formed_on.year), desa=desa,
        address=address.strip(), rt=rt.strip(), rw=rw.strip(), formed_on=formed_on,
        programme=programme, target_group=target_group, business_type=business_type,
        business_description=business_description.strip(), business_mode=business_mode,
        bonds=list(dict.fromkeys(bonds)), bond_note=bond_note.strip(), pendamping=pendamping,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    kube_name_index([kube])  # found by its name on the list's search (registry/search.py)
    audit_record(actor=actor, action=Action.CREATE, obj=kube, kube_id=kube.pk,
                 changes={k: [None, v] for k, v in snapshot(kube, KUBE_FIELDS).items()})
    LifecycleChange.objects.create(kube=kube, field=LifecycleChange.Field.STAGE, old_value="",
                                   new_value=Stage.PEMBENTUKAN, effective_on=formed_on,
                                   reason=_("KUBE didaftarkan"), decided_by=kube.created_by)
    if pendamping is not None:
        PendampingAssignment.objects.create(kube=kube, pendamping=pendamping, start_on=formed_on,
                                            assigned_by=kube.created_by)

    saved: dict[str, Member] = {}
    for data in members:
        member = _member_row(kube, data, data.joined_on or formed_on)
        if member.joined_on < formed_on:
            member.joined_on = formed_on
        _save_member(member)
        audit_record(actor=actor, action=Action.CREATE, obj=member, kube_id=kube.pk,
                     changes={k: [None, v] for k, v in snapshot(member, MEMBER_FIELDS).items()})
        _initial_dtsen(actor=actor, member=member, data=data)
        if data.position:
            saved[data.position] = member
    chosen = officers_chosen_on or formed_on
    _officers_write(actor=actor, kube=kube, holders=saved, chosen_on=chosen, term_start=chosen,
                    term_end=_add_years(chosen, term_years))
    outbox.record(kube.pk)
    return kube


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def kube_update(*, actor: Any, kube: Kube, name: str, desa: Region, formed_on: date,
                programme: Programme, business_type: str, target_group: str,
                business_mode: str, business_description: str = "", bonds: Sequence[str] = (),
                bond_note: str = "", address: str = "", rt: str = "", rw: str = "",
                version: int | None = None) -> Kube:
    """`version`: the one the edit started from (check_version); each change raises it by one."""
    kube = Kube.objects.select_for_update().get(pk=kube.pk)
    check_version(kube, version, KUBE_FIELDS)
    name = " ".join(name.split())
    kube_desa_check(actor, desa)
    _check_kube_fields(name=name, desa=desa, formed_on=formed_on, programme=programme,
                       target_group=target_group, business_type=business_type,
                       business_mode=business_mode, bonds=bonds, exclude=kube.pk)
    first_joined = kube.members.order_by("joined_on").values_list("joined_on", flat=True).first()
    if first_joined and formed_on > first_joined:
        raise RegistryError(_("Tanggal dibentuk tidak boleh setelah tanggal masuk anggota pertama "
                              "(%(d)s).") % {"d": first_joined.strftime("%d-%m-%Y")}, field="formed_on")
    mentor = kube.pendamping
    if (desa.pk != kube.desa_id and mentor is not None and mentor.region_id
            and not is_within(desa.code, mentor.region_id)):
        raise RegistryError(_("Desa %(desa)s di luar wilayah kerja pendamping %(name)s. Tugaskan dulu "
                              "pendamping dari wilayah itu (atau tanpa pendamping), lalu pindahkan KUBE.")
                            % {"desa": desa.label, "name": mentor.full_name}, field="desa")
    before = snapshot(kube, KUBE_FIELDS)
    moved_from = kube.desa_id if kube.desa_id != desa.pk else None
    kube.name, kube.desa, kube.formed_on, kube.programme = name, desa, formed_on, programme
    kube.business_type, kube.target_group, kube.business_mode = business_type, target_group, business_mode
    kube.business_description = business_description.strip()
    kube.bonds, kube.bond_note = list(dict.fromkeys(bonds)), bond_note.strip()
    kube.address, kube.rt, kube.rw = address.strip(), rt.strip(), rw.strip()
    changes = diff(before, snapshot(kube, KUBE_FIELDS))
    if changes:
        kube.version += 1
    kube.save()
    kube_name_index([kube], moved_from=moved_from)  # its members' names are filed under its desa
    if changes:
        audit_record(actor=actor, action=Action.UPDATE, obj=kube, kube_id=kube.pk, changes=changes)
    outbox.record(kube.pk)
    return kube


def _lifecycle(*, actor: Any, kube: Kube, field: str, new: str, effective_on: date,
               reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise RegistryError(_("Tulis alasan perubahan."), field="reason")
    if effective_on > _today():
        raise RegistryError(_("Tanggal berlaku tidak boleh di masa depan."), field="effective_on")
    if effective_on < kube.formed_on:
        raise RegistryError(_("Tanggal berlaku tidak boleh sebelum KUBE dibentuk."),
                            field="effective_on")
    old = getattr(kube, field)
    LifecycleChange.objects.create(kube=kube, field=field, old_value=old, new_value=new,
                                   effective_on=effective_on, reason=reason,
                                   decided_by=actor if getattr(actor, "is_authenticated", False) else None)
    setattr(kube, field, new)
    update = [field]
    if field == LifecycleChange.Field.STATUS:
        kube.status_reason = reason
        update.append("status_reason")
    kube.save(update_fields=update)
    audit_record(actor=actor, action=Action.UPDATE, obj=kube, kube_id=kube.pk,
                 changes={field: [old, new], "reason": reason})


@transaction.atomic
def kube_stage_change(*, actor: Any, kube: Kube, stage: str, effective_on: date, reason: str) -> Kube:
    kube = Kube.objects.select_for_update().get(pk=kube.pk)
    if stage not in Stage.values:
        raise RegistryError(_("Tahap tidak dikenal."), field="stage")
    if stage == kube.stage:
        raise RegistryError(_("KUBE sudah pada tahap %(s)s.") % {"s": Stage(stage).label}, field="stage")
    if kube.status == Status.BUBAR:
        raise RegistryError(_("KUBE yang sudah bubar tidak dapat berganti tahap."), field="stage")
    _lifecycle(actor=actor, kube=kube, field=LifecycleChange.Field.STAGE, new=stage,
               effective_on=effective_on, reason=reason)
    outbox.record(kube.pk)
    return kube


@transaction.atomic
def kube_status_change(*, actor: Any, kube: Kube, status: str, effective_on: date, reason: str) -> Kube:
    """Aktif / stagnan / bubar. Dissolving ends every membership and office on that day."""
    kube = Kube.objects.select_for_update().get(pk=kube.pk)
    if status not in Status.values:
        raise RegistryError(_("Status tidak dikenal."), field="status")
    if status == kube.status:
        raise RegistryError(_("Status KUBE sudah %(s)s.") % {"s": Status(status).label}, field="status")
    if kube.status == Status.BUBAR:
        raise RegistryError(_("KUBE yang sudah bubar tidak dapat diaktifkan kembali; daftarkan "
                              "sebagai KUBE baru."), field="status")
    _lifecycle(actor=actor, kube=kube, field=LifecycleChange.Field.STATUS, new=status,
               effective_on=effective_on, reason=reason)
    if status == Status.BUBAR:
        for officer in kube.officers.filter(ended_on__isnull=True):
            officer.ended_on = max(effective_on, officer.term_start)
            officer.end_reason = _("KUBE bubar")
            officer.save(update_fields=["ended_on", "end_reason"])
        for member in kube.members.filter(left_on__isnull=True).select_related("user"):
            member.left_on = max(effective_on, member.joined_on)
            member.left_reason = LeaveReason.KUBE_BUBAR
            member.save(update_fields=["left_on", "left_reason"])
            audit_record(actor=actor, action=Action.UPDATE, obj=member, kube_id=kube.pk,
                         changes={"left_on": [None, member.left_on.isoformat()],
                                  "left_reason": ["", LeaveReason.KUBE_BUBAR]})
            _sync_role(member.user, officer=False)
    outbox.record(kube.pk)
    return kube


@transaction.atomic
def kube_assign_pendamping(*, actor: Any, kube: Kube, pendamping: User | None, start_on: date) -> Kube:
    """Assign (or remove, with None) the group's mentor; the history keeps every period."""
    kube = Kube.objects.select_for_update().select_related("desa").get(pk=kube.pk)
    _check_pendamping(actor, pendamping, kube.desa)
    if pendamping is not None and pendamping.pk == kube.pendamping_id:
        raise RegistryError(_("%(name)s sudah menjadi pendamping KUBE ini.") % {"name": pendamping},
                            field="pendamping")
    if start_on > _today():
        raise RegistryError(_("Tanggal mulai tidak boleh di masa depan."), field="start_on")
    current = kube.assignments.filter(end_on__isnull=True).first()
    if current is not None:
        if start_on < current.start_on:
            raise RegistryError(_("Tanggal mulai tidak boleh sebelum penugasan sekarang dimulai (%(d)s).")
                                % {"d": current.start_on.strftime("%d-%m-%Y")}, field="start_on")
        current.end_on = start_on
        current.save(update_fields=["end_on"])
    if pendamping is not None:
        PendampingAssignment.objects.create(
            kube=kube, pendamping=pendamping, start_on=start_on,
            assigned_by=actor if getattr(actor, "is_authenticated", False) else None)
    old = kube.pendamping_id
    kube.pendamping = pendamping
    kube.save(update_fields=["pendamping"])
    audit_record(actor=actor, action=Action.UPDATE, obj=kube, kube_id=kube.pk,
                 changes={"pendamping_id": [old, pendamping.pk if pendamping else None]})
    outbox.record(kube.pk)
    return kube


def _check_room(kube: Kube, adding: int = 1) -> None:
    programme = kube.programme
    if not programme.size_applies_to(kube.target_group):
        return
    active = kube.members.filter(left_on__isnull=True).count()
    if active + adding > programme.max_members:
        raise RegistryError(_("KUBE ini sudah beranggota %(n)s KK, batas program %(prog)s adalah "
                              "%(max)s KK.") % {"n": active, "prog": programme.name,
                                                "max": programme.max_members}, field="members")


@transaction.atomic
def member_add(*, actor: Any, kube: Kube, data: MemberData) -> Member:
    kube = Kube.objects.select_for_update(of=("self",)).select_related("programme").get(pk=kube.pk)
    if kube.status == Status.BUBAR:
        raise RegistryError(_("KUBE sudah bubar; anggota tidak dapat ditambah."))
    data = data.normalized()
    joined_on = data.joined_on or _today()
    if joined_on < kube.formed_on:
        raise RegistryError(_("Tanggal masuk tidak boleh sebelum KUBE dibentuk (%(d)s).")
                            % {"d": kube.formed_on.strftime("%d-%m-%Y")}, field="joined_on")
    if joined_on > _today():
        raise RegistryError(_("Tanggal masuk tidak boleh di masa depan."), field="joined_on")
    problems = member_problems(data, programme=kube.programme, on=joined_on)
    if problems:
        _raise(problems[0], details=[{"field": p.field, "message": p.message} for p in problems])
    _raise(active_membership_problem(data.nik, viewer=actor))
    _raise(duplicate_problem(data, viewer=actor))
    _check_room(kube)
    member = _member_row(kube, data, joined_on)
    _save_member(member)
    audit_record(actor=actor, action=Action.CREATE, obj=member, kube_id=kube.pk,
                 changes={k: [None, v] for k, v in snapshot(member, MEMBER_FIELDS).items()})
    _initial_dtsen(actor=actor, member=member, data=data)
    outbox.record(member.kube_id)
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, data: MemberData, version: int | None = None) -> Member:
    """`version`: the one the edit started from (check_version); each change raises it by one."""
    member = (Member.objects.select_for_update(of=("self",)).select_related("kube__programme")
              .get(pk=member.pk))
    if not member.is_active:
        raise RegistryError(_("Data anggota yang sudah keluar tidak diubah lagi."))
    check_version(member, version, MEMBER_FIELDS)
    data = data.normalized()
    joined_on = data.joined_on or member.joined_on
    if joined_on < member.kube.formed_on:
        raise RegistryError(_("Tanggal masuk tidak boleh sebelum KUBE dibentuk."), field="joined_on")
    problems = member_problems(data, programme=member.kube.programme, on=joined_on)
    if problems:
        _raise(problems[0], details=[{"field": p.field, "message": p.message} for p in problems])
    if data.nik != member.nik:
        _raise(active_membership_problem(data.nik, viewer=actor, exclude_member=member.pk))
    before = snapshot(member, MEMBER_FIELDS)
    dtsen_changed = data.dtsen_desil is not None and (
        member.dtsen_status != DtsenStatus.FOUND or member.dtsen_desil != data.dtsen_desil)
    for name in MEMBER_FIELDS:
        if name != "joined_on":
            setattr(member, name, getattr(data, name))
    member.joined_on = joined_on
    changes = diff(before, snapshot(member, MEMBER_FIELDS))
    if changes:
        member.version += 1
    _save_member(member)
    if changes:
        audit_record(actor=actor, action=Action.UPDATE, obj=member, kube_id=member.kube_id,
                     changes=changes)
    if dtsen_changed:
        dtsen_record_add(actor=actor, member=member, status=DtsenStatus.FOUND, desil=data.dtsen_desil,
                         source=DtsenSource.MANUAL, reference=data.dtsen_number)
    outbox.record(member.kube_id)
    return member


@transaction.atomic
def member_set_task(*, actor: Any, member: Member, task: str) -> Member:
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not member.is_active:
        raise RegistryError(_("Anggota ini sudah keluar."))
    old, member.task = member.task, task.strip()[:150]
    if old != member.task:
        member.version += 1  # the task is one of the member form's fields
    member.save(update_fields=["task", "version"])
    if old != member.task:
        audit_record(actor=actor, action=Action.UPDATE, obj=member, kube_id=member.kube_id,
                     changes={"task": [old, member.task]})
    outbox.record(member.kube_id)
    return member


@transaction.atomic
def member_leave(*, actor: Any, member: Member, left_on: date, reason: str, note: str = "") -> Member:
    member = Member.objects.select_for_update(of=("self",)).select_related("kube", "user").get(pk=member.pk)
    if not member.is_active:
        raise RegistryError(_("%(name)s sudah keluar sejak %(d)s.")
                            % {"name": member.name, "d": member.left_on.strftime("%d-%m-%Y")})  # type: ignore[union-attr]
    if reason not in LeaveReason.values:
        raise RegistryError(_("Pilih alasan keluar."), field="reason")
    if reason == LeaveReason.LAINNYA and not note.strip():
        raise RegistryError(_("Tulis keterangan untuk alasan 'Lainnya'."), field="note")
    if left_on < member.joined_on:
        raise RegistryError(_("Tanggal keluar tidak boleh sebelum tanggal masuk (%(d)s).")
                            % {"d": member.joined_on.strftime("%d-%m-%Y")}, field="left_on")
    if left_on > _today():
        raise RegistryError(_("Tanggal keluar tidak boleh di masa depan."), field="left_on")
    office = member.offices.filter(ended_on__isnull=True).first()
    if office is not None:
        raise RegistryError(_("%(name)s masih menjabat %(pos)s. Tetapkan pengurus baru lebih dulu.")
                            % {"name": member.name, "pos": office.get_position_display()})
    member.left_on, member.left_reason, member.left_note = left_on, reason, note.strip()
    member.save(update_fields=["left_on", "left_reason", "left_note"])
    audit_record(actor=actor, action=Action.UPDATE, obj=member, kube_id=member.kube_id,
                 changes={"left_on": [None, left_on.isoformat()], "left_reason": ["", reason]})
    _sync_role(member.user, officer=False, leaving=True)
    outbox.record(member.kube_id)
    return member


def _sync_role(user: User | None, *, officer: bool, leaving: bool = False) -> None:
    """A member's account follows the member: officers are Pengurus, others Anggota."""
    if user is None or user.role not in GROUP_ROLES:
        return
    new_role = Role.PENGURUS if officer else Role.ANGGOTA
    if user.role != new_role:
        user.role = new_role
        user.save(update_fields=["role"])


def _officers_write(*, actor: Any, kube: Kube, holders: dict[str, Member], chosen_on: date,
                    term_start: date, term_end: date) -> list[Officer]:
    current = list(kube.officers.filter(ended_on__isnull=True).select_related("member__user"))
    for officer in current:
        officer.ended_on = max(term_start, officer.term_start)
        officer.end_reason = _("Diganti hasil musyawarah %(d)s") % {"d": chosen_on.strftime("%d-%m-%Y")}
        officer.save(update_fields=["ended_on", "end_reason"])
    created = []
    by = actor if getattr(actor, "is_authenticated", False) else None
    for position in Position:
        member = holders[position]
        officer = Officer.objects.create(kube=kube, member=member, position=position,
                                         chosen_on=chosen_on, term_start=term_start,
                                         term_end=term_end, recorded_by=by)
        created.append(officer)
    before = {c.position: c.member.name for c in current}
    changes: dict[str, Any] = {o.position: [before.get(o.position), o.member.name] for o in created}
    changes["chosen_on"] = [None, chosen_on.isoformat()]
    audit_record(actor=actor, action=Action.UPDATE, object_type="registry.officer",
                 object_id=kube.pk, object_repr=_("Pengurus %(kube)s") % {"kube": kube.name},
                 kube_id=kube.pk, changes=changes)
    new_ids = {m.pk for m in holders.values()}
    for officer in current:
        if officer.member_id not in new_ids:
            _sync_role(officer.member.user, officer=False)
    for member in holders.values():
        _sync_role(member.user, officer=True)
    outbox.record(kube.pk)
    return created


@transaction.atomic
def officers_set(*, actor: Any, kube: Kube, ketua: Member, sekretaris: Member, bendahara: Member,
                 chosen_on: date, term_start: date | None = None,
                 term_end: date | None = None) -> list[Officer]:
    """The members' meeting (musyawarah) chose new officers: all three are set together."""
    kube = Kube.objects.select_for_update().get(pk=kube.pk)
    if kube.status == Status.BUBAR:
        raise RegistryError(_("KUBE sudah bubar."))
    holders: dict[str, Member] = {Position.KETUA: ketua, Position.SEKRETARIS: sekretaris,
                                  Position.BENDAHARA: bendahara}
    for position, member in holders.items():
        same_group(actor, member, kube.pk, field=position, label=str(Position(position).label), error=RegistryError)
        if not member.is_active:
            raise RegistryError(_("%(pos)s harus anggota aktif KUBE ini; %(name)s bukan.")
                                % {"pos": Position(position).label, "name": member.name}, field=position)
    if len({m.pk for m in holders.values()}) != 3:
        raise RegistryError(_("Ketua, Sekretaris dan Bendahara harus tiga orang yang berbeda."),
                            field="officers")
    if chosen_on > _today():
        raise RegistryError(_("Tanggal musyawarah tidak boleh di masa depan."), field="chosen_on")
    if chosen_on < kube.formed_on:
        raise RegistryError(_("Tanggal musyawarah tidak boleh sebelum KUBE dibentuk."), field="chosen_on")
    start = term_start or chosen_on
    end = term_end or _add_years(start, DEFAULT_TERM_YEARS)
    if end <= start:
        raise RegistryError(_("Akhir masa jabatan harus setelah awalnya."), field="term_end")
    latest = kube.officers.order_by("-term_start").values_list("term_start", flat=True).first()
    if latest and start < latest:
        raise RegistryError(_("Masa jabatan baru tidak boleh mulai sebelum masa jabatan terakhir "
                              "(%(d)s).") % {"d": latest.strftime("%d-%m-%Y")}, field="term_start")
    return _officers_write(actor=actor, kube=kube, holders=holders, chosen_on=chosen_on,
                           term_start=start, term_end=end)


@transaction.atomic
def member_account_create(*, actor: Any, member: Member, username: str, password: str,
                          validate: bool = True, password_hash: str = "") -> User:
    """An account for a member to sign in: Pengurus while they hold an office, else Anggota.
    `validate=False` and `password_hash` (accounts.services.user_create) only for the demo's shared
    password (demo/builders.py)."""
    from accounts.services import user_create

    member = Member.objects.select_for_update().get(pk=member.pk)
    if not member.is_active:
        raise RegistryError(_("Anggota ini sudah keluar."))
    if member.user_id is not None:
        raise RegistryError(_("%(name)s sudah punya akun.") % {"name": member.name})
    officer = member.offices.filter(ended_on__isnull=True).exists()
    user = user_create(actor=actor, username=username, full_name=member.name,
                       role=Role.PENGURUS if officer else Role.ANGGOTA, password=password,
                       phone=member.phone, validate=validate, password_hash=password_hash)
    member.user = user
    member.save(update_fields=["user"])
    audit_record(actor=actor, action=Action.UPDATE, obj=member, kube_id=member.kube_id,
                 changes={"user_id": [None, user.pk]})
    return user


PROGRAMME_FIELDS = ["code", "name", "legal_basis", "min_members", "max_members",
                    "size_exempt_targets", "min_age", "max_age", "target_desil_max",
                    "grant_per_member", "is_active"]


@transaction.atomic
def programme_save(*, actor: Any, programme: Programme | None = None, **values: Any) -> Programme:
    """Create or change a programme's rules (administrators)."""
    if values["min_members"] < 1 or values["max_members"] < values["min_members"]:
        raise RegistryError(_("Batas jumlah anggota tidak masuk akal: paling sedikit harus 1 dan "
                              "paling banyak tidak kurang dari paling sedikit."), field="max_members")
    if (values.get("min_age") is not None and values.get("max_age") is not None
            and values["max_age"] < values["min_age"]):
        raise RegistryError(_("Umur paling tinggi harus lebih besar dari umur paling rendah."),
                            field="max_age")
    target = values.get("target_desil_max")
    if target is not None and not 1 <= target <= 10:
        raise RegistryError(_("Desil sasaran harus angka 1 sampai 10 (misalnya 4 untuk desil 1–4)."),
                            field="target_desil_max")
    unknown = [t for t in values.get("size_exempt_targets") or [] if t not in TargetGroup.values]
    if unknown:
        raise RegistryError(_("Sasaran tidak dikenal: %(t)s.") % {"t": ", ".join(unknown)},
                            field="size_exempt_targets")
    code = values["code"].strip().lower()
    clash = Programme.objects.filter(code=code)
    if programme is not None:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise RegistryError(_("Kode program %(c)s sudah dipakai.") % {"c": code}, field="code")
    values["code"] = code
    if programme is None:
        programme = Programme.objects.create(**values)
        audit_record(actor=actor, action=Action.CREATE, obj=programme,
                     changes={k: [None, v] for k, v in snapshot(programme, PROGRAMME_FIELDS).items()})
        return programme
    before = snapshot(programme, PROGRAMME_FIELDS)
    for key, value in values.items():
        setattr(programme, key, value)
    programme.save()
    changes = diff(before, snapshot(programme, PROGRAMME_FIELDS))
    if changes:
        audit_record(actor=actor, action=Action.UPDATE, obj=programme, changes=changes)
    if "target_desil_max" in changes:  # who is outside the target changes in every group of the programme
        with outbox.batch():
            for kube_id in programme.kubes.values_list("pk", flat=True).iterator(chunk_size=2000):
                outbox.record(kube_id)
    return programme
