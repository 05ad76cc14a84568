"""Writes on the registers: inventory, guests, activities (with attendance), work plan, rules.

They hold no money, so a mistake may be corrected in place, but every change is an audit
row (who, when, what changed) and disposals or condition changes are dated events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.access import same_group
from audit.models import Action
from audit.services import audit_record, diff, snapshot
from books.errors import BooksError
from books.models import (
    Activity,
    ActivityAttendance,
    ActivityKind,
    Condition,
    GuestEntry,
    InventoryEvent,
    InventoryItem,
    ItemSource,
    RuleVersion,
    WorkPlanItem,
    WorkPlanStatus,
)
from outbox import services as outbox
from registry.models import Kube, Member


def _by(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _text(value: str | None, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise BooksError(_("%(l)s wajib diisi.") % {"l": label}, field=field)
    if len(value) > max_length:
        raise BooksError(_("%(l)s paling panjang %(n)s karakter.") % {"l": label, "n": max_length}, field=field)
    return value


def _day(kube: Kube, day: date, *, field: str = "date") -> date:
    if day > timezone.localdate():
        raise BooksError(_("Tanggal tidak boleh di masa depan."), field=field)
    if day < kube.formed_on:
        raise BooksError(_("Tanggal tidak boleh sebelum KUBE dibentuk."), field=field)
    return day


def _writable(kube: Kube) -> None:
    if kube.status == "bubar":
        raise BooksError(_("KUBE sudah bubar; bukunya tidak dapat ditambah."))


MAX_AMOUNT = 10**13  # as books.services.ledger: far above any KUBE, far below 2^63
MAX_QUANTITY = 1_000_000

INVENTORY_FIELDS = ["code", "name", "quantity", "unit", "acquired_on", "source", "value", "condition", "location"]


@transaction.atomic
def inventory_add(*, actor: Any, kube: Kube, name: str, quantity: int, unit: str, acquired_on: date,
                  source: str, value: int, location: str = "", code: str = "") -> InventoryItem:
    _writable(kube)
    name = _text(name, field="name", label=_("Nama barang"), max_length=150)
    if source not in ItemSource.values:
        raise BooksError(_("Pilih asal barang: bantuan, dana sendiri atau hibah."), field="source")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise BooksError(_("Jumlah barang paling sedikit 1."), field="quantity")
    if quantity > MAX_QUANTITY:
        raise BooksError(_("Jumlah barang terlalu besar."), field="quantity")
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BooksError(_("Nilai harus bilangan bulat Rupiah, tidak negatif."), field="value")
    if value > MAX_AMOUNT:
        raise BooksError(_("Jumlah terlalu besar."), field="value")
    _day(kube, acquired_on, field="acquired_on")
    # The lock makes the automatic code and the uniqueness check safe against a second officer.
    Kube.objects.select_for_update().get(pk=kube.pk)
    code = _text(code, field="code", label=_("Kode barang"), max_length=20, required=False)
    if not code:
        number = InventoryItem.objects.filter(kube=kube).count() + 1
        while InventoryItem.objects.filter(kube=kube, code=f"INV-{number:03d}").exists():
            number += 1  # a code typed by hand may already use the next number
        code = f"INV-{number:03d}"
    if InventoryItem.objects.filter(kube=kube, code=code).exists():
        raise BooksError(_("Kode barang %(c)s sudah dipakai.") % {"c": code}, field="code")
    item = InventoryItem.objects.create(kube=kube, code=code, name=name, quantity=quantity,
                                        unit=(unit or "unit")[:20], acquired_on=acquired_on, source=source,
                                        value=value, location=(location or "")[:150], created_by=_by(actor))
    audit_record(actor=actor, action=Action.CREATE, obj=item, kube_id=kube.pk,
                 changes={k: [None, v] for k, v in snapshot(item, INVENTORY_FIELDS).items()})
    return item


@transaction.atomic
def inventory_event(*, actor: Any, item: InventoryItem, date: date, condition: str = "",
                    disposed: bool = False, note: str = "") -> InventoryEvent:
    """A change of condition or a disposal (with its reason)."""
    item = InventoryItem.objects.select_for_update().select_related("kube").get(pk=item.pk)
    _writable(item.kube)
    if item.disposed_on is not None:
        raise BooksError(_("Barang ini sudah dihapus dari inventaris."))
    _day(item.kube, date)
    if date < item.acquired_on:
        raise BooksError(_("Tanggal tidak boleh sebelum barang diperoleh."), field="date")
    last = item.events.order_by("-date", "-id").first()
    if last is not None and date < last.date:
        # The item's condition is its latest event's; an older date would contradict the history.
        raise BooksError(_("Tanggal tidak boleh sebelum perubahan terakhir (%(d)s).")
                         % {"d": last.date.strftime("%d-%m-%Y")}, field="date")
    if condition and condition not in Condition.values:
        raise BooksError(_("Kondisi tidak dikenal."), field="condition")
    if not condition and not disposed:
        raise BooksError(_("Pilih kondisi baru atau tandai barang dihapus."), field="condition")
    note = _text(note, field="note", label=_("Keterangan"), max_length=200, required=disposed)
    before = snapshot(item, ["condition", "disposed_on", "disposal_reason"])
    event = InventoryEvent.objects.create(item=item, date=date, condition=condition, disposed=disposed,
                                          note=note, recorded_by=_by(actor))
    if condition:
        item.condition = condition
    if disposed:
        item.disposed_on, item.disposal_reason = date, note
    item.save(update_fields=["condition", "disposed_on", "disposal_reason"])
    audit_record(actor=actor, action=Action.UPDATE, obj=item, kube_id=item.kube_id,
                 changes=diff(before, snapshot(item, ["condition", "disposed_on", "disposal_reason"])))
    return event


@transaction.atomic
def guest_record(*, actor: Any, kube: Kube, date: date, name: str, purpose: str, institution: str = "",
                 remarks: str = "") -> GuestEntry:
    _writable(kube)
    entry = GuestEntry.objects.create(
        kube=kube, date=_day(kube, date), name=_text(name, field="name", label=_("Nama tamu"), max_length=150),
        institution=_text(institution, field="institution", label=_("Instansi"), max_length=200, required=False),
        purpose=_text(purpose, field="purpose", label=_("Keperluan"), max_length=250),
        remarks=_text(remarks, field="remarks", label=_("Keterangan"), max_length=250, required=False),
        recorded_by=_by(actor))
    audit_record(actor=actor, action=Action.CREATE, obj=entry, kube_id=kube.pk,
                 changes={"date": [None, date.isoformat()], "name": [None, entry.name]})
    return entry


@transaction.atomic
def activity_record(*, actor: Any, kube: Kube, date: date, kind: str, place: str, agenda: str,
                    present: Iterable[Member], minutes: str = "", follow_ups: str = "") -> Activity:
    """An activity in the agenda book; attendance is taken from the members active that day."""
    _writable(kube)
    _day(kube, date)
    if kind not in ActivityKind.values:
        raise BooksError(_("Pilih jenis kegiatan."), field="kind")
    present_ids = {m.pk for m in present}
    members = list(kube.members.filter(joined_on__lte=date).exclude(left_on__lt=date))
    foreign = present_ids - {m.pk for m in members}
    if foreign:
        raise BooksError(_("Daftar hadir hanya dari anggota KUBE ini yang aktif pada tanggal itu."), field="present")
    activity = Activity.objects.create(
        kube=kube, date=date, kind=kind, place=_text(place, field="place", label=_("Tempat"), max_length=150),
        agenda=_text(agenda, field="agenda", label=_("Acara"), max_length=4000),
        minutes=_text(minutes, field="minutes", label=_("Notulen"), max_length=8000, required=False),
        follow_ups=_text(follow_ups, field="follow_ups", label=_("Tindak lanjut"), max_length=4000, required=False),
        recorded_by=_by(actor))
    ActivityAttendance.objects.bulk_create([ActivityAttendance(activity=activity, member=m, present=m.pk in present_ids)
                                            for m in members])
    audit_record(actor=actor, action=Action.CREATE, obj=activity, kube_id=kube.pk,
                 changes={"date": [None, date.isoformat()], "kind": [None, kind],
                          "present": [None, len(present_ids)], "members": [None, len(members)]})
    outbox.record(kube.pk, date.year * 100 + date.month)
    return activity


WORKPLAN_FIELDS = ["activity", "aim", "target", "start_on", "end_on", "person_id", "budget", "budget_source",
                   "realisation", "percent_done", "status"]


@transaction.atomic
def workplan_save(*, actor: Any, kube: Kube, item: WorkPlanItem | None = None, activity: str, aim: str,
                  target: str, start_on: date, end_on: date, person: Member | None = None, budget: int = 0,
                  budget_source: str = "", realisation: str = "", percent_done: int = 0,
                  status: str = WorkPlanStatus.PLANNED) -> WorkPlanItem:
    _writable(kube)
    if end_on < start_on:
        raise BooksError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="end_on")
    if not isinstance(percent_done, int) or not 0 <= percent_done <= 100:
        raise BooksError(_("Persen terlaksana 0 sampai 100."), field="percent_done")
    if not isinstance(budget, int) or isinstance(budget, bool) or budget < 0:
        raise BooksError(_("Anggaran harus bilangan bulat Rupiah, tidak negatif."), field="budget")
    if budget > MAX_AMOUNT:
        raise BooksError(_("Jumlah terlalu besar."), field="budget")
    if status not in WorkPlanStatus.values:
        raise BooksError(_("Status tidak dikenal."), field="status")
    if status == WorkPlanStatus.DONE and percent_done != 100:
        raise BooksError(_("Kegiatan yang selesai terlaksana 100 %%.") % {}, field="percent_done")
    same_group(actor, person, kube.pk, field="person", label=_("Penanggung jawab"), error=BooksError)
    if person is not None and not person.is_active:
        raise BooksError(_("Penanggung jawab harus anggota aktif KUBE ini."), field="person")
    values = {
        "activity": _text(activity, field="activity", label=_("Kegiatan"), max_length=200),
        "aim": _text(aim, field="aim", label=_("Tujuan"), max_length=250),
        "target": _text(target, field="target", label=_("Target"), max_length=250),
        "start_on": start_on, "end_on": end_on, "person": person, "budget": budget,
        "budget_source": _text(budget_source, field="budget_source", label=_("Sumber dana"), max_length=100,
                               required=False),
        "realisation": _text(realisation, field="realisation",
            label=pgettext("rencana kerja", "Realisasi"), max_length=4000, required=False),
        "percent_done": percent_done, "status": status,
    }
    if item is None:
        item = WorkPlanItem.objects.create(kube=kube, recorded_by=_by(actor), **values)
        audit_record(actor=actor, action=Action.CREATE, obj=item, kube_id=kube.pk,
                     changes={k: [None, v] for k, v in snapshot(item, WORKPLAN_FIELDS).items()})
        return item
    same_group(actor, item, kube.pk, field="item", label=_("Rencana kerja"), error=BooksError)
    before = snapshot(item, WORKPLAN_FIELDS)
    for key, value in values.items():
        setattr(item, key, value)
    item.save()
    changes = diff(before, snapshot(item, WORKPLAN_FIELDS))
    if changes:
        audit_record(actor=actor, action=Action.UPDATE, obj=item, kube_id=kube.pk, changes=changes)
    return item


@transaction.atomic
def rules_adopt(*, actor: Any, kube: Kube, text: str, adopted_on: date,
                loan_fee_percent_month: Decimal | None = None) -> RuleVersion:
    """A new version of the group's rules, as the members' meeting adopted it."""
    _writable(kube)
    text = _text(text, field="text", label=_("Isi peraturan"), max_length=20000)
    _day(kube, adopted_on, field="adopted_on")
    if loan_fee_percent_month is not None and not Decimal(0) <= Decimal(loan_fee_percent_month) <= Decimal(10):
        raise BooksError(_("Jasa pinjaman 0 sampai 10 %% per bulan.") % {}, field="loan_fee_percent_month")
    Kube.objects.select_for_update().get(pk=kube.pk)  # two adoptions at once would take the same number
    last = kube.rule_versions.order_by("-version").first()
    if last is not None and adopted_on < last.adopted_on:
        raise BooksError(_("Tanggal pengesahan tidak boleh sebelum versi terakhir (%(d)s).")
                         % {"d": last.adopted_on.strftime("%d-%m-%Y")}, field="adopted_on")
    version = RuleVersion.objects.create(kube=kube, version=(last.version + 1) if last else 1, text=text,
                                         adopted_on=adopted_on, loan_fee_percent_month=loan_fee_percent_month,
                                         recorded_by=_by(actor))
    audit_record(actor=actor, action=Action.CREATE, obj=version, kube_id=kube.pk,
                 changes={"version": [None, version.version], "adopted_on": [None, adopted_on.isoformat()]})
    return version
