"""Writes on mentoring: visits with attendance, audit and follow-ups; photos; events; evaluations;
the stage checklist and promotion; assigning a mentor to a kecamatan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import check_mentor_assignable, check_region_in_reach, kubes_for_user, region_root, same_group
from audit.models import Action
from audit.services import audit_record
from books.models import Activity
from books.selectors import cash_balance
from lib.images import ImageRefused, PreparedPhoto, photo_prepare
from lib.regioncode import within_q
from mentoring.errors import MentoringError
from mentoring.models import (
    AssistanceEvent,
    Book,
    BookAudit,
    Evaluation,
    EvaluationTarget,
    EventKube,
    EventParticipant,
    FollowUp,
    StageCheck,
    StageCriterion,
    Topic,
    Visit,
    VisitAttendance,
    VisitKind,
    VisitPhoto,
)
from outbox import services as outbox
from regions.models import Region
from registry.choices import Stage, Status
from registry.models import Kube, Member

PHOTO_MAX_BYTES = 12 * 1024 * 1024
PHOTO_MAX_SIDE = 1600
THUMB_SIDE = 320


def _by(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _text(value: str | None, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise MentoringError(_("%(l)s wajib diisi.") % {"l": label}, field=field)
    if len(value) > max_length:
        raise MentoringError(_("%(l)s paling panjang %(n)s karakter.") % {"l": label, "n": max_length}, field=field)
    return value


def _day(kube: Kube, day: date, *, field: str = "date") -> date:
    if day > timezone.localdate():
        raise MentoringError(_("Tanggal tidak boleh di masa depan."), field=field)
    if day < kube.formed_on:
        raise MentoringError(_("Tanggal tidak boleh sebelum KUBE dibentuk."), field=field)
    return day


def members_on(kube: Kube, day: date) -> list[Member]:
    """The members active on `day`: the denominator of attendance."""
    return list(kube.members.filter(joined_on__lte=day).exclude(left_on__lt=day).order_by("name", "id"))


@dataclass(frozen=True)
class AuditLine:
    book: str
    checked: bool
    in_order: bool
    findings: str = ""


@dataclass(frozen=True)
class NewFollowUp:
    action: str
    person: Member | None
    due_on: date | None


@transaction.atomic
def visit_log(*, actor: Any, kube: Kube, date: date, place: str, problems: str, present: Iterable[Member],
              kind: str = VisitKind.MONTHLY, start_time: time | None = None, end_time: time | None = None,
              solutions: str = "", treasurer_report_reviewed: bool = False,
              audits: Sequence[AuditLine] = (), follow_ups: Sequence[NewFollowUp] = (),
              close: Sequence[tuple[FollowUp, str]] = ()) -> Visit:
    """One visit or monthly meeting, as a mentor writes it down (seed 003, Tabel 4)."""
    kube = Kube.objects.select_for_update().get(pk=kube.pk)
    if kube.status == Status.BUBAR:
        raise MentoringError(_("KUBE sudah bubar."))
    _day(kube, date)
    if kind not in VisitKind.values:
        raise MentoringError(_("Pilih jenis kunjungan."), field="kind")
    if start_time and end_time and end_time <= start_time:
        raise MentoringError(_("Jam selesai harus sesudah jam mulai."), field="end_time")
    place = _text(place, field="place", label=_("Tempat pertemuan"), max_length=200)
    problems = _text(problems, field="problems", label=_("Masalah dan keberhasilan yang muncul"), max_length=8000)
    solutions = _text(solutions, field="solutions", label=_("Solusi dan kesepakatan"), max_length=8000, required=False)
    members = members_on(kube, date)
    present = list(present)
    for member in present:
        same_group(actor, member, kube.pk, field="present", label=_("Anggota yang hadir"), error=MentoringError)
    present_ids = {m.pk for m in present}
    if present_ids - {m.pk for m in members}:
        raise MentoringError(_("Daftar hadir hanya dari anggota KUBE ini yang aktif pada tanggal kunjungan."),
                             field="present")
    books_seen: set[str] = set()
    for line in audits:
        if line.book not in Book.values:
            raise MentoringError(_("Buku %(b)s tidak dikenal.") % {"b": line.book}, field="audits")
        if line.book in books_seen:
            raise MentoringError(_("%(b)s diperiksa dua kali dalam satu kunjungan.") % {"b": Book(line.book).label},
                                 field="audits")
        books_seen.add(line.book)
        if line.in_order and not line.checked:
            raise MentoringError(_("%(b)s hanya dapat dinyatakan tertib bila diperiksa.") % {"b": Book(line.book).label},
                                 field="audits")
    for i, item in enumerate(follow_ups, start=1):
        if not (item.action or "").strip():
            raise MentoringError(_("Tindak lanjut ke-%(n)s: tulis apa yang harus dilakukan.") % {"n": i},
                                 field="follow_ups")
        if item.person is None:
            raise MentoringError(_("Tindak lanjut ke-%(n)s: pilih penanggung jawabnya.") % {"n": i},
                                 field="follow_ups")
        if item.due_on is None:
            raise MentoringError(_("Tindak lanjut ke-%(n)s: isi batas waktunya.") % {"n": i}, field="follow_ups")
        same_group(actor, item.person, kube.pk, field="follow_ups", label=_("Penanggung jawab tindak lanjut"),
                   error=MentoringError)
        if not item.person.is_active:
            raise MentoringError(_("Tindak lanjut ke-%(n)s: penanggung jawab harus anggota aktif KUBE ini.")
                                 % {"n": i}, field="follow_ups")
        if item.due_on < date:
            raise MentoringError(_("Tindak lanjut ke-%(n)s: batas waktu tidak boleh sebelum tanggal kunjungan.")
                                 % {"n": i}, field="follow_ups")
    visit = Visit.objects.create(
        kube=kube, pendamping=actor, kind=kind, date=date, start_time=start_time, end_time=end_time, place=place,
        treasurer_report_reviewed=treasurer_report_reviewed, cash_balance=cash_balance(kube, until=date),
        problems=problems, solutions=solutions, members_active=len(members),
        members_present=len(present_ids), recorded_by=_by(actor))
    VisitAttendance.objects.bulk_create([VisitAttendance(visit=visit, member=m, present=m.pk in present_ids)
                                         for m in members])
    BookAudit.objects.bulk_create([BookAudit(visit=visit, book=a.book, checked=a.checked, in_order=a.in_order,
                                             findings=(a.findings or "").strip()[:300]) for a in audits])
    FollowUp.objects.bulk_create([FollowUp(kube=kube, visit=visit, action=item.action.strip()[:300],
                                           person=item.person, due_on=item.due_on)  # type: ignore[misc]  # checked above
                                  for item in follow_ups])
    for follow_up, note in close:
        _close(actor, follow_up, kube=kube, on=date, note=note, visit=visit)
    audit_record(actor=actor, action=Action.CREATE, obj=visit, kube_id=kube.pk, changes={
        "date": [None, date.isoformat()], "present": [None, len(present_ids)], "members": [None, len(members)],
        "audits": [None, len(audits)], "follow_ups": [None, len(follow_ups)], "closed": [None, len(close)]})
    outbox.record(kube.pk, date.year * 100 + date.month)
    return visit


def _close(actor: Any, follow_up: FollowUp, *, kube: Kube, on: date, note: str, visit: Visit | None) -> None:
    same_group(actor, follow_up, kube.pk, field="close", label=_("Tindak lanjut"), error=MentoringError)
    if follow_up.closed_on is not None:
        raise MentoringError(_("Tindak lanjut \"%(a)s\" sudah selesai.") % {"a": follow_up.action}, field="close")
    follow_up.closed_on, follow_up.closed_in, follow_up.closing_note = on, visit, (note or "").strip()[:300]
    follow_up.save(update_fields=["closed_on", "closed_in", "closing_note"])


@transaction.atomic
def follow_up_close(*, actor: Any, follow_up: FollowUp, closed_on: date, note: str = "") -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().select_related("kube").get(pk=follow_up.pk)
    _day(follow_up.kube, closed_on, field="closed_on")
    _close(actor, follow_up, kube=follow_up.kube, on=closed_on, note=note, visit=None)
    audit_record(actor=actor, action=Action.UPDATE, obj=follow_up, kube_id=follow_up.kube_id,
                 changes={"closed_on": [None, closed_on.isoformat()]})
    return follow_up


PREPARED = "_sikube_prepared_photo"


def photo_prepare_upload(upload: Any) -> None:
    """Check and resize an uploaded photo ahead of its request's transaction and keep the result
    (or the refusal) on the upload, for visit_photo_add to use; writes nothing, raises nothing."""
    if not hasattr(upload, PREPARED):
        try:
            setattr(upload, PREPARED, _photo_read(upload))
        except MentoringError as refusal:
            setattr(upload, PREPARED, refusal)


def _photo_prepared(upload: Any) -> PreparedPhoto:
    """The photo prepared ahead (photo_prepare_upload), or read, checked and resized now; raises
    MentoringError saying what to send instead."""
    ahead = getattr(upload, PREPARED, None)
    if isinstance(ahead, MentoringError):
        raise ahead
    if ahead is not None:
        return ahead
    return _photo_read(upload)


def _photo_read(upload: Any) -> PreparedPhoto:
    name = getattr(upload, "name", "foto")
    size = getattr(upload, "size", None)
    limit = min(PHOTO_MAX_BYTES, settings.MAX_UPLOAD_BYTES)
    if size is not None and size > limit:
        raise MentoringError(_("Foto %(f)s terlalu besar (%(mb).1f MB; batas %(max)s MB).")
                             % {"f": name, "mb": size / 1048576, "max": limit // 1048576}, field="photos")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise MentoringError(_("Foto %(f)s terlalu besar (batas %(max)s MB).") % {"f": name, "max": limit // 1048576},
                             field="photos")
    try:
        return photo_prepare(data, name=name, side=PHOTO_MAX_SIDE, thumb_side=THUMB_SIDE)
    except ImageRefused as exc:
        raise MentoringError(exc.message, code=exc.code, field="photos") from None


def visit_photo_add(*, actor: Any, visit: Visit, upload: Any, caption: str = "") -> VisitPhoto:
    """A photo taken on the phone: checked to be a JPEG, PNG or WebP, resized, stored with a thumbnail.

    Decoding and resizing happen before the transaction opens (lib/images.py says why): the write
    lock is held only for the inserts. A refused photo raises before anything is written, so the
    visit it belongs to is never touched.
    """
    prepared = _photo_prepared(upload)
    return _visit_photo_save(actor=actor, visit=visit, prepared=prepared, caption=caption)


@transaction.atomic
def _visit_photo_save(*, actor: Any, visit: Visit, prepared: PreparedPhoto, caption: str) -> VisitPhoto:
    photo = VisitPhoto(visit=visit, caption=(caption or "").strip()[:200], width=prepared.width,
                       height=prepared.height, uploaded_by=_by(actor))
    stem = f"foto-{visit.photos.count() + 1}"
    photo.image.save(f"{stem}.jpg", ContentFile(prepared.image), save=False)
    photo.thumbnail.save(f"{stem}-kecil.jpg", ContentFile(prepared.thumbnail), save=False)
    photo.save()
    audit_record(actor=actor, action=Action.CREATE, obj=photo, kube_id=visit.kube_id)
    return photo


# --- assistance events ---------------------------------------------------------------------

@transaction.atomic
def event_record(*, actor: Any, title: str, date: date, kabupaten: Region, topic: str, speakers: str,
                 kubes: Sequence[tuple[Kube, int]], method: str = "", place: str = "", moderator: str = "",
                 committee: str = "", problems_raised: str = "", results: str = "",
                 participants: Sequence[tuple[Kube, Member | None, str]] = ()) -> AssistanceEvent:
    """An assistance event (asistensi) an office held for several groups (seed 000)."""
    root = region_root(actor)
    if root is None:
        raise MentoringError(_("Hanya Dinas Sosial yang menyelenggarakan asistensi."))
    if kabupaten.level != 2:
        raise MentoringError(_("Pilih kabupaten/kota tempat asistensi."), field="kabupaten")
    check_region_in_reach(actor, kabupaten.code, label=kabupaten.label, field="kabupaten", error=MentoringError)
    if date > timezone.localdate():
        raise MentoringError(_("Tanggal tidak boleh di masa depan."), field="date")
    if topic not in Topic.values:
        raise MentoringError(_("Pilih materi asistensi."), field="topic")
    if not kubes:
        raise MentoringError(_("Pilih paling sedikit satu KUBE peserta."), field="kubes")
    reachable = set(kubes_for_user(actor).filter(pk__in=[k.pk for k, _n in kubes]).values_list("pk", flat=True))
    for kube, people in kubes:
        if kube.pk not in reachable:
            raise MentoringError(_("KUBE peserta harus dalam wilayah kerja Anda."), field="kubes")
        if people < 0 or people > 500:
            raise MentoringError(_("Jumlah peserta per KUBE 0 sampai 500."), field="kubes")
    event = AssistanceEvent.objects.create(
        title=_text(title, field="title", label=_("Judul"), max_length=200), date=date, kabupaten=kabupaten,
        place=_text(place, field="place", label=_("Tempat"), max_length=200, required=False), topic=topic,
        method=_text(method or _("Penyampaian materi dan diskusi"), field="method", label=_("Metode"), max_length=200),
        speakers=_text(speakers, field="speakers", label=_("Narasumber"), max_length=2000),
        moderator=_text(moderator, field="moderator", label=_("Moderator"), max_length=200, required=False),
        committee=_text(committee, field="committee", label=_("Panitia"), max_length=2000, required=False),
        problems_raised=_text(problems_raised, field="problems_raised", label=_("Permasalahan"), max_length=8000,
                              required=False),
        results=_text(results, field="results", label=_("Hasil"), max_length=8000, required=False),
        organised_by=_by(actor), organiser_region_id=root or kabupaten.code[:2])
    EventKube.objects.bulk_create([EventKube(event=event, kube=k, people=n) for k, n in kubes])
    kube_ids = {k.pk for k, _n in kubes}
    rows = []
    for kube, member, name in participants:
        if kube.pk not in kube_ids:
            raise MentoringError(_("Peserta %(n)s dari KUBE yang tidak terdaftar dalam asistensi ini.") % {"n": name},
                                 field="participants")
        same_group(actor, member, kube.pk, field="participants", label=_("Peserta"), error=MentoringError)
        rows.append(EventParticipant(event=event, kube=kube, member=member,
                                     name=(member.name if member else name).strip()[:150]))
    EventParticipant.objects.bulk_create(rows)
    audit_record(actor=actor, action=Action.CREATE, obj=event,
                 changes={"date": [None, date.isoformat()], "kubes": [None, len(kubes)]})
    for kube, _n in kubes:  # taking part counts as training for the group's class
        outbox.record(kube.pk)
    return event


# --- evaluations -----------------------------------------------------------------------------

def _percent(value: Any, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise MentoringError(_("Persentase harus angka 0 sampai 100."), field=field) from None
    if not Decimal(0) <= number <= Decimal(100):
        raise MentoringError(_("Persentase harus angka 0 sampai 100."), field=field)
    return number


@transaction.atomic
def evaluation_record(*, actor: Any, title: str, date: date, indicators: str, results: str,
                      targets: Sequence[tuple[str, Any, Any]], supporting: str = "", inhibiting: str = "",
                      visit: Visit | None = None, event: AssistanceEvent | None = None,
                      activity: Activity | None = None) -> Evaluation:
    """Seed 003's table: indicators, results, supporting and inhibiting factors, targets and what was reached."""
    subjects = [s for s in (visit, event, activity) if s is not None]
    if len(subjects) != 1:
        raise MentoringError(_("Evaluasi harus untuk satu kunjungan, satu asistensi atau satu kegiatan."))
    if date > timezone.localdate():
        raise MentoringError(_("Tanggal tidak boleh di masa depan."), field="date")
    if not targets:
        raise MentoringError(_("Tulis paling sedikit satu target pencapaian."), field="targets")
    rows = []
    for i, (description, target, reached) in enumerate(targets, start=1):
        description = (description or "").strip()
        if not description:
            raise MentoringError(_("Target ke-%(n)s: tulis targetnya.") % {"n": i}, field="targets")
        rows.append((description[:250], _percent(target, field="targets"),
                     None if reached in (None, "") else _percent(reached, field="targets")))
    evaluation = Evaluation.objects.create(
        visit=visit, event=event, activity=activity, date=date,
        title=_text(title, field="title", label=_("Kegiatan"), max_length=200),
        indicators=_text(indicators, field="indicators", label=_("Indikator keberhasilan"), max_length=8000),
        results=_text(results, field="results", label=_("Hasil yang diperoleh"), max_length=8000),
        supporting=_text(supporting, field="supporting", label=_("Faktor pendukung"), max_length=8000,
                         required=False),
        inhibiting=_text(inhibiting, field="inhibiting", label=_("Faktor penghambat"), max_length=8000,
                         required=False),
        recorded_by=_by(actor))
    EvaluationTarget.objects.bulk_create([EvaluationTarget(evaluation=evaluation, description=d, target_percent=t,
                                                           reached_percent=r) for d, t, r in rows])
    kube_id = (visit.kube_id if visit else activity.kube_id if activity else None)
    audit_record(actor=actor, action=Action.CREATE, obj=evaluation, kube_id=kube_id,
                 changes={"targets": [None, len(rows)]})
    return evaluation


# --- the stage checklist and promotion -------------------------------------------------------

NEXT_STAGE = {Stage.PEMBENTUKAN: Stage.PENGEMBANGAN, Stage.PENGEMBANGAN: Stage.KEMANDIRIAN}


def latest_checks(kube: Kube) -> dict[int, StageCheck]:
    checks: dict[int, StageCheck] = {}
    for check in kube.stage_checks.select_related("checked_by").order_by("criterion_id", "-checked_at", "-id"):
        checks.setdefault(check.criterion_id, check)
    return checks


@transaction.atomic
def stage_check_set(*, actor: Any, kube: Kube, criterion: StageCriterion, met: bool, evidence: str) -> StageCheck:
    if not criterion.is_active:
        raise MentoringError(_("Kriteria itu sudah tidak dipakai."))
    evidence = _text(evidence, field="evidence", label=_("Bukti"), max_length=300, required=met)
    check = StageCheck.objects.create(kube=kube, criterion=criterion, met=met, evidence=evidence,
                                      checked_by=_by(actor))
    audit_record(actor=actor, action=Action.UPDATE, obj=check, kube_id=kube.pk,
                 changes={"criterion": [None, criterion.code], "met": [None, met]})
    return check


@transaction.atomic
def stage_promote(*, actor: Any, kube: Kube, reason: str, effective_on: date | None = None) -> Kube:
    """Move the group to the next stage once every criterion of that stage is met, with evidence."""
    from registry.services import kube_stage_change

    target = NEXT_STAGE.get(Stage(kube.stage))
    if target is None:
        raise MentoringError(_("KUBE sudah pada tahap Kemandirian."))
    criteria = list(StageCriterion.objects.filter(stage=target, is_active=True))
    checks = latest_checks(kube)
    missing = [c.text for c in criteria if not (checks.get(c.pk) and checks[c.pk].met)]
    if missing:
        raise MentoringError(_("Belum semua kriteria %(s)s terpenuhi: %(m)s.")
                             % {"s": Stage(target).label, "m": "; ".join(missing)}, code="criteria_unmet")
    return kube_stage_change(actor=actor, kube=kube, stage=target, effective_on=effective_on or timezone.localdate(),
                             reason=reason)


@transaction.atomic
def mentor_assign_kecamatan(*, actor: Any, kecamatan: Region, pendamping: Any, start_on: date) -> int:
    """Assign one mentor to every active group of a kecamatan in the office's reach."""
    from registry.services import kube_assign_pendamping

    if kecamatan.level != 3:
        raise MentoringError(_("Pilih kecamatan."), field="kecamatan")
    check_region_in_reach(actor, kecamatan.code, label=_("Wilayah %(name)s") % {"name": kecamatan.label},
                          field="kecamatan", error=MentoringError)
    # The office's own mentor, working where the kecamatan is (kube_assign_pendamping checks each
    # group again with the same rule).
    check_mentor_assignable(actor, pendamping, region_code=kecamatan.code, error=MentoringError)
    kubes = (kubes_for_user(actor).filter(within_q("desa_id", kecamatan.code)).exclude(status=Status.BUBAR)
             .exclude(pendamping=pendamping))
    count = 0
    for kube in kubes:
        kube_assign_pendamping(actor=actor, kube=kube, pendamping=pendamping, start_on=start_on)
        count += 1
    return count
