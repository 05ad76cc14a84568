"""Writes on capacity assessment: instrument versions, sessions, scores (and their results),
priorities, the follow-up plan (RTL) and its links to the group's books."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import same_group
from assessments.errors import AssessmentError
from assessments.models import (
    Assessment,
    Domain,
    DomainResult,
    HistoryEvent,
    Instrument,
    InstrumentVersion,
    Item,
    ItemResult,
    Mode,
    Participant,
    Priority,
    RtlAction,
    RtlStatus,
    Score,
)
from audit.models import Action
from audit.services import audit_record
from books.models import Activity
from outbox import services as outbox
from registry.models import Kube, Member

CENT = Decimal("0.01")


def _by(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _text(value: str | None, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise AssessmentError(_("%(l)s wajib diisi.") % {"l": label}, field=field)
    if len(value) > max_length:
        raise AssessmentError(_("%(l)s paling panjang %(n)s karakter.") % {"l": label, "n": max_length}, field=field)
    return value


def round_half_up(value: Fraction | Decimal) -> Decimal:
    """Two decimals, half up (37/15 = 2.4666… is 2.47; seed 003 printed it truncated, 2.46)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- the instrument ------------------------------------------------------------------------

@dataclass(frozen=True)
class ParsedInstrument:
    domains: list[tuple[str, list[tuple[int, str]]]]


def parse_instrument_text(text: str) -> ParsedInstrument:
    """The editable form of an instrument's items::

        # Kepengurusan dan Keanggotaan
        1 | Pengurus KUBE dipilih oleh anggota melalui musyawarah.
        2 | …
        # Kepemimpinan
        6 | …

    A line starting with # opens a domain; every other non-empty line is `number | text`.
    """
    domains: list[tuple[str, list[tuple[int, str]]]] = []
    seen: set[int] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            name = line.lstrip("#").strip()
            if not name:
                raise AssessmentError(_("Baris %(n)s: tulis nama bidang sesudah #.") % {"n": number}, field="items")
            domains.append((name[:150], []))
            continue
        if not domains:
            raise AssessmentError(_("Baris %(n)s: mulai dengan nama bidang, misalnya \"# Kepemimpinan\".")
                                  % {"n": number}, field="items")
        item_number, sep, item_text = (part.strip() for part in line.partition("|"))
        if not sep or not item_number.isdigit() or not item_text:
            raise AssessmentError(_("Baris %(n)s: tulis nomor | ciri.") % {"n": number}, field="items")
        if int(item_number) in seen:
            raise AssessmentError(_("Baris %(n)s: nomor ciri %(i)s dipakai dua kali.")
                                  % {"n": number, "i": item_number}, field="items")
        if len(item_text) > 400:
            raise AssessmentError(_("Baris %(n)s: ciri paling panjang 400 karakter.") % {"n": number}, field="items")
        seen.add(int(item_number))
        domains[-1][1].append((int(item_number), item_text))
    if not domains:
        raise AssessmentError(_("Tulis paling sedikit satu bidang dengan ciri-cirinya."), field="items")
    for name, items in domains:
        if not items:
            raise AssessmentError(_("Bidang %(d)s belum punya ciri.") % {"d": name}, field="items")
    return ParsedInstrument(domains)


def instrument_text(version: InstrumentVersion) -> str:
    lines: list[str] = []
    for domain in version.domains.prefetch_related("items"):
        lines.append(f"# {domain.name}")
        lines += [f"{item.number} | {item.text}" for item in domain.items.all()]
    return "\n".join(lines)


@transaction.atomic
def instrument_version_publish(*, actor: Any, instrument: Instrument, items_text: str, scale_min: int,
                               scale_max: int, scale_labels: Sequence[str], standard: Any, published_on: date,
                               note: str = "", retire_previous: bool = True) -> InstrumentVersion:
    """A new version of an instrument. Versions are never edited: an assessment keeps its own."""
    parsed = parse_instrument_text(items_text)
    if not 0 <= scale_min < scale_max <= 10:
        raise AssessmentError(_("Nilai terendah harus lebih kecil dari nilai tertinggi; keduanya 0 sampai 10."), field="scale_max")
    try:
        standard = Decimal(str(standard).replace(",", ".")).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise AssessmentError(_("Standar harus angka, misalnya 2,50."), field="standard") from None
    if not scale_min <= standard <= scale_max:
        raise AssessmentError(_("Standar harus di dalam skala %(a)s–%(b)s.") % {"a": scale_min, "b": scale_max},
                              field="standard")
    labels = [str(label).strip()[:80] for label in scale_labels if str(label).strip()]
    if labels and len(labels) != scale_max - scale_min + 1:
        raise AssessmentError(_("Tulis satu arti untuk setiap nilai %(a)s–%(b)s, atau kosongkan.")
                              % {"a": scale_min, "b": scale_max}, field="scale_labels")
    previous = instrument.versions.order_by("-number").first()
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=(previous.number + 1) if previous else 1, scale_min=scale_min,
        scale_max=scale_max, scale_labels=labels, standard=standard, published_on=published_on,
        note=_text(note, field="note", label=_("Catatan"), max_length=300, required=False), created_by=_by(actor))
    for number, (name, items) in enumerate(parsed.domains, start=1):
        domain = Domain.objects.create(version=version, number=number, name=name)
        Item.objects.bulk_create([Item(version=version, domain=domain, number=n, text=t) for n, t in items])
    if retire_previous:
        instrument.versions.filter(retired_on__isnull=True).exclude(pk=version.pk).update(retired_on=published_on)
    audit_record(actor=actor, action=Action.CREATE, obj=version,
                 changes={"items": [None, sum(len(i) for _n, i in parsed.domains)]})
    return version


@transaction.atomic
def instrument_version_retire(*, actor: Any, version: InstrumentVersion, on: date) -> InstrumentVersion:
    version = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.retired_on is not None:
        raise AssessmentError(_("Versi ini sudah tidak dipakai."))
    version.retired_on = on
    version.save(update_fields=["retired_on"])
    audit_record(actor=actor, action=Action.UPDATE, obj=version, changes={"retired_on": [None, on.isoformat()]})
    return version


# --- a session -------------------------------------------------------------------------------

def _participants(actor: Any, kube: Kube, members: Iterable[Member], day: date) -> list[Member]:
    chosen = list(members)
    for member in chosen:
        same_group(actor, member, kube.pk, field="participants", label=_("Peserta"), error=AssessmentError)
        if member.joined_on > day or (member.left_on is not None and member.left_on < day):
            raise AssessmentError(_("%(n)s bukan anggota aktif KUBE ini pada tanggal penilaian.") % {"n": member.name},
                                  field="participants")
    if len({m.pk for m in chosen}) != len(chosen):
        raise AssessmentError(_("Seorang peserta tercatat dua kali."), field="participants")
    if not chosen:
        raise AssessmentError(_("Pilih peserta yang hadir (pengurus dan anggota)."), field="participants")
    return chosen


def _history(assessment: Assessment, history: Sequence[tuple[str, str]]) -> None:
    rows = []
    for position, (when, event) in enumerate(history, start=1):
        when, event = (when or "").strip(), (event or "").strip()
        if not when or not event:
            raise AssessmentError(_("Alur sejarah ke-%(n)s: tulis waktu dan peristiwanya.") % {"n": position},
                                  field="history")
        rows.append(HistoryEvent(assessment=assessment, when=when[:40], event=event[:400], position=position))
    HistoryEvent.objects.bulk_create(rows)


@transaction.atomic
def assessment_start(*, actor: Any, kube: Kube, version: InstrumentVersion, date: date,
                     participants: Iterable[Member], mode: str = Mode.PARTICIPANTS, facilitator_name: str = "",
                     place: str = "", reflection: str = "", history: Sequence[tuple[str, str]] = ()) -> Assessment:
    """A PEKA session with a group: who took part, the history timeline, the reflection on goals."""
    kube = Kube.objects.select_for_update().get(pk=kube.pk)
    if kube.status == "bubar":
        raise AssessmentError(_("KUBE sudah bubar."))
    version = InstrumentVersion.objects.select_related("instrument").get(pk=version.pk)
    if version.retired_on is not None and version.retired_on <= date:
        raise AssessmentError(
            _("%(i)s versi %(v)s tidak dipakai lagi sejak %(d)s; pilih versi yang berlaku.")
            % {"i": version.instrument.name, "v": version.number, "d": date_format(version.retired_on, "j F Y")},
            field="version", code="instrument_retired")
    if date > timezone.localdate():
        raise AssessmentError(_("Tanggal tidak boleh di masa depan."), field="date")
    if date < kube.formed_on:
        raise AssessmentError(_("Tanggal tidak boleh sebelum KUBE dibentuk."), field="date")
    if mode not in Mode.values:
        raise AssessmentError(_("Pilih cara menilai."), field="mode")
    members = _participants(actor, kube, participants, date)
    name = facilitator_name or getattr(actor, "full_name", "") or getattr(actor, "username", "")
    assessment = Assessment.objects.create(
        kube=kube, version=version, date=date, mode=mode, facilitator=_by(actor),
        facilitator_name=_text(name, field="facilitator_name", label=_("Fasilitator"), max_length=150),
        place=_text(place, field="place", label=_("Tempat"), max_length=200, required=False),
        reflection=_text(reflection, field="reflection", label=_("Refleksi"), max_length=8000, required=False),
        recorded_by=_by(actor))
    Participant.objects.bulk_create([Participant(assessment=assessment, member=m) for m in members])
    _history(assessment, history)
    audit_record(actor=actor, action=Action.CREATE, obj=assessment, kube_id=kube.pk,
                 changes={"date": [None, date.isoformat()], "participants": [None, len(members)],
                          "version": [None, str(version)]})
    return assessment


@transaction.atomic
def assessment_details_save(*, actor: Any, assessment: Assessment, participants: Iterable[Member], place: str,
                            reflection: str, history: Sequence[tuple[str, str]],
                            facilitator_name: str) -> Assessment:
    """Correct the session's record: who took part, the history timeline and the reflection."""
    assessment = Assessment.objects.select_for_update().select_related("kube").get(pk=assessment.pk)
    members = _participants(actor, assessment.kube, participants, assessment.date)
    wanted = {m.pk for m in members}
    current = {p.member_id: p for p in assessment.participants.select_related("member")}
    for member_id, participant in current.items():
        if member_id not in wanted:
            if participant.scores.exists():
                raise AssessmentError(_("%(n)s sudah memberi nilai; hapus nilainya dulu sebelum mencoretnya.")
                                      % {"n": participant.member.name}, field="participants")
            participant.delete()
    Participant.objects.bulk_create([Participant(assessment=assessment, member=m) for m in members
                                     if m.pk not in current])
    assessment.place = _text(place, field="place", label=_("Tempat"), max_length=200, required=False)
    assessment.reflection = _text(reflection, field="reflection", label=_("Refleksi"), max_length=8000,
                                  required=False)
    assessment.facilitator_name = _text(facilitator_name, field="facilitator_name", label=_("Fasilitator"),
                                        max_length=150)
    assessment.save(update_fields=["place", "reflection", "facilitator_name"])
    assessment.history.all().delete()
    _history(assessment, history)
    audit_record(actor=actor, action=Action.UPDATE, obj=assessment, kube_id=assessment.kube_id,
                 changes={"participants": [len(current), len(members)]})
    return assessment


# --- scores and their results -----------------------------------------------------------------

ScoreKey = tuple[int | None, int]  # (participant id or None for the consensus, item id)


@transaction.atomic
def scores_save(*, actor: Any, assessment: Assessment, scores: Mapping[ScoreKey, int | None]) -> int:
    """Enter (or change, or clear with None) scores; the results are rewritten in the same transaction.

    Every value is checked before anything is written: one bad value and nothing is saved.
    """
    assessment = Assessment.objects.select_for_update().select_related("version").get(pk=assessment.pk)
    version = assessment.version
    items = {i.pk: i for i in version.items.all()}
    participants = set(assessment.participants.values_list("pk", flat=True))
    names = dict(assessment.participants.values_list("pk", "member__name"))
    for (participant_id, item_id), value in scores.items():
        item = items.get(item_id)
        if item is None:
            raise AssessmentError(_("Ciri itu bukan bagian dari instrumen penilaian ini."), field="scores")
        if assessment.mode == Mode.CONSENSUS and participant_id is not None:
            raise AssessmentError(_("Penilaian ini memakai satu nilai kesepakatan per ciri."), field="scores")
        if assessment.mode == Mode.PARTICIPANTS and participant_id not in participants:
            raise AssessmentError(_("Nilai hanya dari peserta penilaian ini."), field="scores")
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not version.scale_min <= value <= version.scale_max:
            who = names.get(participant_id or 0) or _("kesepakatan")
            raise AssessmentError(
                _("Nilai %(v)s untuk ciri %(i)s (%(p)s) di luar skala %(a)s–%(b)s.")
                % {"v": value, "i": item.number, "p": who, "a": version.scale_min, "b": version.scale_max},
                field="scores", code="score_out_of_scale")
    existing = {(s.participant_id, s.item_id): s for s in assessment.scores.filter(item_id__in={k[1] for k in scores})}
    changed = 0
    new: list[Score] = []
    for key, value in scores.items():
        score = existing.get(key)
        if value is None:
            if score is not None:
                score.delete()
                changed += 1
        elif score is None:
            new.append(Score(assessment=assessment, participant_id=key[0], item_id=key[1], value=value))
        elif score.value != value:
            score.value = value
            score.save(update_fields=["value"])
            changed += 1
    Score.objects.bulk_create(new)
    changed += len(new)
    results_recompute(assessment)
    if changed:
        audit_record(actor=actor, action=Action.UPDATE, obj=assessment, kube_id=assessment.kube_id,
                     changes={"scores": [None, changed]})
    return changed


def results_recompute(assessment: Assessment) -> None:
    """Item means (half up, two decimals), weak items, domain means (the mean of the item means)."""
    version = assessment.version
    standard = Decimal(version.standard)
    sums: dict[int, list[int]] = {}
    for item_id, value in assessment.scores.values_list("item_id", "value"):
        sums.setdefault(item_id, []).append(value)
    items = list(version.items.all())
    rows: list[ItemResult] = []
    per_domain: dict[int, list[Fraction]] = {}
    for item in items:
        values = sums.get(item.pk)
        if not values:
            continue
        exact = Fraction(sum(values), len(values))
        mean = round_half_up(exact)
        rows.append(ItemResult(assessment=assessment, item=item, scores=len(values), total=sum(values), mean=mean,
                               weak=mean < standard))
        per_domain.setdefault(item.domain_id, []).append(exact)
    assessment.item_results.all().delete()
    ItemResult.objects.bulk_create(rows)
    assessment.domain_results.all().delete()
    DomainResult.objects.bulk_create([DomainResult(assessment=assessment, domain_id=domain_id,
                                                   mean=round_half_up(sum(means, Fraction(0)) / len(means)))
                                      for domain_id, means in per_domain.items()])
    outbox.record(assessment.kube_id)


# --- priorities and the follow-up plan ----------------------------------------------------------

@transaction.atomic
def priorities_set(*, actor: Any, assessment: Assessment, items: Sequence[Item]) -> list[Priority]:
    """The weak items the group chose to work on, in its order (first = most urgent)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    weak = set(assessment.item_results.filter(weak=True).values_list("item_id", flat=True))
    if len({i.pk for i in items}) != len(items):
        raise AssessmentError(_("Satu ciri hanya sekali dalam urutan prioritas."), field="priorities")
    for item in items:
        if item.pk not in weak:
            raise AssessmentError(_("Ciri %(n)s bukan ciri yang lemah; prioritas dipilih dari ciri yang lemah.")
                                  % {"n": item.number}, field="priorities")
    kept = {i.pk for i in items}
    planned = set(assessment.actions.exclude(item_id__in=kept).values_list("item__number", flat=True))
    if planned:
        raise AssessmentError(_("Ciri %(n)s sudah punya aksi RTL, jadi harus tetap menjadi prioritas.")
                              % {"n": ", ".join(str(n) for n in sorted(planned))}, field="priorities")
    assessment.priorities.all().delete()
    rows = Priority.objects.bulk_create([Priority(assessment=assessment, item=item, rank=rank)
                                         for rank, item in enumerate(items, start=1)])
    audit_record(actor=actor, action=Action.UPDATE, obj=assessment, kube_id=assessment.kube_id,
                 changes={"priorities": [None, [i.number for i in items]]})
    return rows


@transaction.atomic
def rtl_action_add(*, actor: Any, assessment: Assessment, item: Item, activity: str, aim: str,
                   person: Member | None, due_on: date | None, indicator: str, target: str = "") -> RtlAction:
    """One action of the follow-up plan for one of the chosen priorities."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.priorities.filter(item=item).exists():
        raise AssessmentError(_("Pilih ciri dari daftar prioritas."), field="item")
    if person is None:
        raise AssessmentError(_("Setiap aksi RTL harus punya penanggung jawab."), field="person")
    same_group(actor, person, assessment.kube_id, field="person", label=_("Penanggung jawab"), error=AssessmentError)
    if not person.is_active:
        raise AssessmentError(_("Penanggung jawab harus anggota aktif KUBE ini."), field="person")
    if due_on is None:
        raise AssessmentError(_("Isi waktu pelaksanaannya."), field="due_on")
    if due_on < assessment.date:
        raise AssessmentError(_("Waktu pelaksanaan tidak boleh sebelum tanggal penilaian."), field="due_on")
    action = RtlAction.objects.create(
        assessment=assessment, item=item, person=person, due_on=due_on,
        activity=_text(activity, field="activity", label=_("Kegiatan"), max_length=200),
        aim=_text(aim, field="aim", label=_("Tujuan"), max_length=250),
        indicator=_text(indicator, field="indicator", label=_("Indikator keberhasilan"), max_length=300),
        target=_text(target, field="target", label=_("Target"), max_length=200, required=False),
        recorded_by=_by(actor))
    audit_record(actor=actor, action=Action.CREATE, obj=action, kube_id=assessment.kube_id,
                 changes={"item": [None, item.number], "due_on": [None, due_on.isoformat()]})
    return action


@transaction.atomic
def rtl_action_status(*, actor: Any, action: RtlAction, status: str, note: str = "") -> RtlAction:
    action = RtlAction.objects.select_for_update().select_related("assessment").get(pk=action.pk)
    if status not in RtlStatus.values:
        raise AssessmentError(_("Status tidak dikenal."), field="status")
    before = action.status
    action.status = status
    action.status_note = _text(note, field="note", label=_("Catatan"), max_length=300, required=False)
    action.save(update_fields=["status", "status_note"])
    audit_record(actor=actor, action=Action.UPDATE, obj=action, kube_id=action.assessment.kube_id,
                 changes={"status": [before, status]})
    return action


@transaction.atomic
def rtl_to_work_plan(*, actor: Any, action: RtlAction) -> RtlAction:
    """Carry an RTL action into the group's Buku Rencana Kerja (once)."""
    from books.errors import BooksError
    from books.services.registers import workplan_save

    action = RtlAction.objects.select_for_update().select_related("assessment__kube", "person").get(pk=action.pk)
    if action.work_plan_item_id is not None:
        raise AssessmentError(_("Aksi ini sudah ada di Buku Rencana Kerja."))
    kube = action.assessment.kube
    try:
        item = workplan_save(actor=actor, kube=kube, activity=action.activity, aim=action.aim,
                             target=action.target or action.indicator, start_on=action.assessment.date,
                             end_on=action.due_on, person=action.person)
    except BooksError as exc:
        raise AssessmentError(exc.message, field=exc.field) from exc
    action.work_plan_item = item
    action.save(update_fields=["work_plan_item"])
    audit_record(actor=actor, action=Action.UPDATE, obj=action, kube_id=kube.pk,
                 changes={"work_plan_item": [None, item.pk]})
    return action


@transaction.atomic
def rtl_link_activity(*, actor: Any, action: RtlAction, activity: Activity | None) -> RtlAction:
    """The agenda-book activity that carried the action out (it is evaluated there), or none."""
    action = RtlAction.objects.select_for_update().select_related("assessment").get(pk=action.pk)
    same_group(actor, activity, action.assessment.kube_id, field="agenda_activity", label=_("Kegiatan Buku Agenda"),
               error=AssessmentError)
    before = action.agenda_activity_id
    action.agenda_activity = activity
    action.save(update_fields=["agenda_activity"])
    audit_record(actor=actor, action=Action.UPDATE, obj=action, kube_id=action.assessment.kube_id,
                 changes={"agenda_activity": [before, activity.pk if activity else None]})
    return action
