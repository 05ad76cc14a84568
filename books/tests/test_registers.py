"""The register books (inventory, guests, agenda, work plan, rules): their rules and their pages.

Every refusal is checked twice: the Indonesian message the officer reads, and the state after
a reload (nothing half-saved).
"""

import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry
from books.errors import BooksError
from books.models import (
    Activity,
    ActivityAttendance,
    GuestEntry,
    InventoryEvent,
    InventoryItem,
    RuleVersion,
    WorkPlanItem,
)
from books.services.registers import (
    activity_record,
    guest_record,
    inventory_add,
    inventory_event,
    rules_adopt,
    workplan_save,
)
from registry.models import Kube
from testing import assert_csp_clean

DAY = date(2026, 5, 12)


def url(name, cast, *args):
    return reverse(f"books:{name}", args=[cast.kube_a.pk, *args])


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def an_item(cast, **extra):
    values = {"actor": cast.ketua, "kube": cast.kube_a, "name": "Etalase kaca", "quantity": 1, "unit": "unit",
              "acquired_on": DAY, "source": "grant", "value": 1_250_000, "location": "Warung"}
    values.update(extra)
    return inventory_add(**values)


def members(cast, kube=None):
    return list((kube or cast.kube_a).members.filter(left_on__isnull=True).order_by("id"))


def an_activity(cast, present=None, **extra):
    values = {"actor": cast.ketua, "kube": cast.kube_a, "date": DAY, "kind": "rapat", "place": "Rumah Ibu Ani",
              "agenda": "Laporan keuangan\nPembagian tugas", "present": members(cast)[:5] if present is None
              else present}
    values.update(extra)
    return activity_record(**values)


def a_plan(cast, **extra):
    values = {"actor": cast.ketua, "kube": cast.kube_a, "activity": "Pelatihan pembukuan", "aim": "Buku rapi",
              "target": "Semua pengurus", "start_on": date(2026, 12, 1), "end_on": date(2026, 12, 31),
              "budget": 500_000, "budget_source": "Kas KUBE"}
    values.update(extra)
    return workplan_save(**values)


# --- Buku Inventaris -----------------------------------------------------------------------


def test_an_officer_adds_an_item_changes_its_condition_and_disposes_it_through_the_pages(client, cast):
    client.force_login(cast.ketua)
    response = client.post(url("inventory_new", cast), {
        "name": "Gerobak dorong", "quantity": "2", "unit": "buah", "acquired_on": "2026-05-12", "source": "grant",
        "value": "1.500.000", "location": "Gudang RT 02", "code": ""}, follow=True)
    item = InventoryItem.objects.get(kube=cast.kube_a)
    assert item.code == "INV-001" and item.value == 1_500_000 and item.quantity == 2
    assert "Barang INV-001 Gerobak dorong dicatat di Buku Inventaris." in messages_of(response)
    page = client.get(url("inventory", cast)).content.decode()
    assert "Gerobak dorong" in page and "2 buah" in page and "Rp1.500.000" in page.replace("\xa0", "")

    response = client.post(url("inventory_item", cast, item.pk),
                           {"date": "2026-08-01", "condition": "kurang", "note": "Roda aus"}, follow=True)
    assert "Kondisi barang INV-001 dicatat: Kurang baik." in messages_of(response)
    item.refresh_from_db()
    assert item.condition == "kurang" and item.disposed_on is None

    response = client.post(url("inventory_item", cast, item.pk),
                           {"date": "2026-10-01", "disposed": "on", "note": "Rusak berat, dijual loak"}, follow=True)
    assert "Barang INV-001 dihapus dari inventaris." in messages_of(response)
    item.refresh_from_db()
    assert item.disposed_on == date(2026, 10, 1) and item.disposal_reason == "Rusak berat, dijual loak"
    assert list(item.events.values_list("condition", "disposed")) == [("kurang", False), ("", True)]
    detail = client.get(url("inventory_item", cast, item.pk)).content.decode()
    assert "Roda aus" in detail and 'data-testid="item-disposed"' in detail
    assert 'data-testid="event-form"' not in detail  # nothing more to record on a disposed item
    assert AuditEntry.objects.filter(kube_id=cast.kube_a.pk, object_type="books.inventoryitem").count() == 3


def test_the_inventory_total_counts_only_the_items_still_held(client, cast):
    kept = an_item(cast, name="Etalase kaca", value=1_250_000)
    gone = an_item(cast, name="Timbangan", value=300_000)
    inventory_event(actor=cast.ketua, item=gone, date=DAY, disposed=True, note="Hilang")
    client.force_login(cast.anggota)
    response = client.get(url("inventory", cast))
    assert response.context["total_value"] == kept.value and response.context["held_count"] == 1
    html = response.content.decode()
    assert re.search(r'data-testid="inventory-total"><strong>Rp\s?1\.250\.000', html)
    assert "Timbangan" in html and "dihapus" in html


def test_it_refuses_a_disposal_without_a_reason(client, cast):
    item = an_item(cast)
    client.force_login(cast.ketua)
    response = client.post(url("inventory_item", cast, item.pk), {"date": "2026-06-01", "disposed": "on", "note": ""})
    assert response.status_code == 200
    assert "Keterangan wajib diisi." in response.context["form"].errors["note"]
    item.refresh_from_db()
    assert item.disposed_on is None and not item.events.exists()


def test_it_refuses_a_second_disposal(cast):
    item = an_item(cast)
    inventory_event(actor=cast.ketua, item=item, date=DAY, disposed=True, note="Hilang dicuri")
    with pytest.raises(BooksError, match="sudah dihapus dari inventaris"):
        inventory_event(actor=cast.ketua, item=item, date=DAY + timedelta(days=3), disposed=True, note="Lagi")
    item.refresh_from_db()
    assert item.disposal_reason == "Hilang dicuri" and item.events.count() == 1


def test_it_refuses_an_event_without_a_new_condition_or_a_disposal(cast):
    item = an_item(cast)
    with pytest.raises(BooksError, match="Pilih kondisi baru atau tandai barang dihapus") as exc:
        inventory_event(actor=cast.ketua, item=item, date=DAY, note="Dicek")
    assert exc.value.field == "condition" and not item.events.exists()


def test_it_refuses_an_event_dated_before_the_last_change(cast):
    item = an_item(cast)
    inventory_event(actor=cast.ketua, item=item, date=date(2026, 8, 1), condition="rusak", note="Kaca pecah")
    with pytest.raises(BooksError, match=r"sebelum perubahan terakhir \(01-08-2026\)"):
        inventory_event(actor=cast.ketua, item=item, date=date(2026, 7, 1), condition="baik")
    item.refresh_from_db()
    assert item.condition == "rusak" and item.events.count() == 1


def test_it_refuses_an_event_dated_before_the_item_was_acquired(cast):
    item = an_item(cast, acquired_on=date(2026, 5, 12))
    with pytest.raises(BooksError, match="sebelum barang diperoleh"):
        inventory_event(actor=cast.ketua, item=item, date=date(2026, 5, 1), condition="kurang")
    assert not item.events.exists()


def test_it_refuses_an_item_code_already_used_and_the_automatic_code_skips_it(cast):
    an_item(cast, code="INV-002", name="Kompor")
    with pytest.raises(BooksError, match="Kode barang INV-002 sudah dipakai"):
        an_item(cast, code="INV-002", name="Panci")
    assert an_item(cast, name="Panci").code == "INV-003"  # the next free number, not the clash
    assert InventoryItem.objects.filter(kube=cast.kube_a).count() == 2


@pytest.mark.parametrize("field,value,message", [
    ("code", "K" * 21, "Kode barang paling panjang 20 karakter."),
    ("value", 10**14, "Jumlah terlalu besar."),
    ("value", -1, "tidak negatif"),
    ("quantity", 0, "paling sedikit 1"),
    ("acquired_on", date(2024, 2, 1), "sebelum KUBE dibentuk"),
    ("source", "beli", "Pilih asal barang"),
])
def test_it_refuses_an_item_with_bad_data(cast, field, value, message):
    with pytest.raises(BooksError, match=re.escape(message)) as exc:
        an_item(cast, **{field: value})
    assert exc.value.field == field
    assert not InventoryItem.objects.exists()


def test_it_refuses_an_item_value_too_large_on_the_page_without_saving(client, cast):
    client.force_login(cast.ketua)
    response = client.post(url("inventory_new", cast), {
        "name": "Mesin", "quantity": "1", "unit": "unit", "acquired_on": "2026-05-12", "source": "own",
        "value": "99999999999999999999", "location": "", "code": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["value"] == ["Jumlah paling banyak Rp9.999.999.999.999."]
    assert not InventoryItem.objects.exists()


# --- Buku Tamu -----------------------------------------------------------------------------


def test_an_officer_records_a_guest_on_the_guest_book_page(client, cast):
    client.force_login(cast.ketua)
    response = client.post(url("guests", cast), {
        "date": "2026-09-03", "name": "Drs. Asep Sunandar", "institution": "Dinas Sosial Kab. Bandung",
        "purpose": "Monitoring usaha warung", "remarks": ""}, follow=True)
    assert "Kunjungan Drs. Asep Sunandar dicatat di Buku Tamu." in messages_of(response)
    entry = GuestEntry.objects.get(kube=cast.kube_a)
    assert entry.date == date(2026, 9, 3) and entry.recorded_by == cast.ketua
    html = client.get(url("guests", cast)).content.decode()
    assert "Dinas Sosial Kab. Bandung" in html and "Monitoring usaha warung" in html


def test_it_refuses_a_guest_visit_dated_in_the_future(client, cast):
    client.force_login(cast.ketua)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url("guests", cast), {"date": tomorrow.isoformat(), "name": "Pak Lurah",
                                                 "purpose": "Silaturahmi"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["Tanggal tidak boleh di masa depan."]
    assert not GuestEntry.objects.exists()


def test_it_refuses_a_guest_without_a_purpose(cast):
    with pytest.raises(BooksError, match=re.escape("Keperluan wajib diisi.")):
        guest_record(actor=cast.ketua, kube=cast.kube_a, date=DAY, name="Bu Bidan", purpose="  ")
    assert not GuestEntry.objects.exists()


# --- Buku Agenda Kegiatan ------------------------------------------------------------------


def test_an_activity_takes_attendance_from_the_members_and_shows_the_rate(client, cast):
    everyone = members(cast)
    client.force_login(cast.ketua)
    response = client.post(url("activity_new", cast), {
        "date": "2026-05-12", "kind": "rapat", "place": "Rumah Ibu Ani", "agenda": "Laporan kas\nPembagian tugas",
        "present": [m.pk for m in everyone[:5]], "minutes": "Kas cukup.", "follow_ups": "Belanja stok"}, follow=True)
    act = Activity.objects.get(kube=cast.kube_a)
    assert "Kegiatan Rapat rutin bulanan tanggal 12-05-2026 dicatat; hadir 5 dari 6 anggota." in messages_of(response)
    assert set(act.attendance.filter(present=True).values_list("member_id", flat=True)) == {m.pk for m in everyone[:5]}
    assert list(act.attendance.filter(present=False).values_list("member_id", flat=True)) == [everyone[5].pk]
    listing = client.get(url("agenda", cast)).content.decode()
    assert "5/6 (83%)" in listing
    detail = client.get(url("activity", cast, act.pk))
    html = detail.content.decode()
    assert "5/6 (83%)" in html and "Laporan kas<br>Pembagian tugas" in html and "Belanja stok" in html
    assert [m.name for m in detail.context["absent"]] == [everyone[5].name]
    assert len(detail.context["present"]) == 5


def test_it_refuses_a_member_of_another_group_in_the_attendance(cast):
    stranger = members(cast, cast.kube_b)[0]
    with pytest.raises(BooksError, match="Daftar hadir hanya dari anggota KUBE ini") as exc:
        an_activity(cast, present=[*members(cast)[:3], stranger])
    assert exc.value.field == "present"
    assert not Activity.objects.exists() and not ActivityAttendance.objects.exists()


def test_it_refuses_an_activity_of_an_unknown_kind_or_without_a_place(cast):
    with pytest.raises(BooksError, match=re.escape("Pilih jenis kegiatan.")):
        an_activity(cast, kind="arisan")
    with pytest.raises(BooksError, match=re.escape("Tempat wajib diisi.")):
        an_activity(cast, place=" ")
    assert not Activity.objects.exists()


def test_the_page_refuses_an_attendance_tick_outside_the_group(client, cast):
    stranger = members(cast, cast.kube_b)[0]
    client.force_login(cast.ketua)
    response = client.post(url("activity_new", cast), {
        "date": "2026-05-12", "kind": "rapat", "place": "Balai RW", "agenda": "Rapat", "present": [stranger.pk]})
    assert response.status_code == 200 and response.context["form"].errors["present"]
    assert not Activity.objects.exists()


# --- Buku Rencana Kerja --------------------------------------------------------------------


def plan_post(**extra):
    data = {"activity": "Pelatihan pembukuan", "aim": "Pembukuan rapi", "target": "Tiga pengurus",
            "start_on": "2026-12-01", "end_on": "2026-12-20", "person": "", "budget": "750.000",
            "budget_source": "Kas KUBE", "realisation": "", "percent_done": "0", "status": "rencana"}
    data.update(extra)
    return data


def test_a_work_plan_item_is_created_then_its_progress_updated(client, cast):
    ketua_member = cast.kube_a.members.get(user=cast.ketua)
    client.force_login(cast.ketua)
    response = client.post(url("workplan_new", cast), plan_post(person=str(ketua_member.pk)), follow=True)
    item = WorkPlanItem.objects.get(kube=cast.kube_a)
    assert 'Rencana kegiatan "Pelatihan pembukuan" ditambahkan.' in messages_of(response)
    assert item.budget == 750_000 and item.person == ketua_member and item.status == "rencana"

    edit = client.get(url("workplan_item", cast, item.pk))
    assert edit.context["form"].initial["budget"] == 750_000
    response = client.post(url("workplan_item", cast, item.pk),
                           plan_post(person=str(ketua_member.pk), percent_done="60", status="berjalan",
                                     realisation="Sesi 1 dan 2 selesai"), follow=True)
    assert ('Rencana kegiatan "Pelatihan pembukuan" diperbarui: 60 % terlaksana, Berjalan.'
            in messages_of(response))
    item.refresh_from_db()
    assert (item.percent_done, item.status, item.realisation) == (60, "berjalan", "Sesi 1 dan 2 selesai")
    listing = client.get(url("workplan", cast)).content.decode()
    assert '<progress value="60" max="100"' in listing and ketua_member.name in listing
    assert AuditEntry.objects.filter(object_type="books.workplanitem", action="update").exists()


def test_it_refuses_status_done_below_100_percent(client, cast):
    item = a_plan(cast, percent_done=40, status="berjalan")
    client.force_login(cast.ketua)
    response = client.post(url("workplan_item", cast, item.pk), plan_post(percent_done="90", status="selesai"))
    assert response.status_code == 200
    assert response.context["form"].errors["percent_done"] == ["Kegiatan yang selesai terlaksana 100 %."]
    item.refresh_from_db()
    assert (item.percent_done, item.status, item.activity) == (40, "berjalan", "Pelatihan pembukuan")


def test_it_accepts_status_done_at_100_percent(cast):
    item = a_plan(cast)
    a_plan(cast, item=item, percent_done=100, status="selesai")
    item.refresh_from_db()
    assert (item.percent_done, item.status) == (100, "selesai")


def test_it_refuses_an_end_before_the_start_or_a_person_from_another_group(cast):
    with pytest.raises(BooksError, match=re.escape("Tanggal selesai tidak boleh sebelum tanggal mulai.")):
        a_plan(cast, start_on=date(2026, 12, 10), end_on=date(2026, 12, 1))
    with pytest.raises(BooksError, match=r"Penanggung jawab dengan id .* tidak ditemukan"):  # another group's: 404
        a_plan(cast, person=members(cast, cast.kube_b)[0])
    assert not WorkPlanItem.objects.exists()


# --- Buku Peraturan KUBE -------------------------------------------------------------------


def test_rules_version_1_then_2_and_the_old_version_stays_readable(client, cast):
    client.force_login(cast.ketua)
    response = client.post(url("rules", cast), {
        "text": "1. Rapat tiap tanggal 5.\n2. Simpanan wajib Rp 10.000.", "adopted_on": "2026-03-05",
        "loan_fee_percent_month": ""}, follow=True)
    assert "Peraturan KUBE versi 1 disahkan dan berlaku mulai 05-03-2026." in messages_of(response)
    response = client.post(url("rules", cast), {
        "text": "1. Rapat tiap tanggal 10.\n2. Simpanan wajib Rp 20.000.", "adopted_on": "2026-09-10",
        "loan_fee_percent_month": "1.5"}, follow=True)
    assert "Peraturan KUBE versi 2 disahkan dan berlaku mulai 10-09-2026." in messages_of(response)
    assert list(RuleVersion.objects.filter(kube=cast.kube_a).values_list("version", "loan_fee_percent_month")) == [
        (2, Decimal("1.50")), (1, None)]

    client.force_login(cast.anggota)
    current = client.get(url("rules", cast)).content.decode()
    assert "Rapat tiap tanggal 10.<br>2. Simpanan wajib Rp 20.000." in current
    assert "Jasa pinjaman: 1,50% per bulan." in current and "?versi=1" in current
    old = client.get(url("rules", cast) + "?versi=1").content.decode()
    assert "Rapat tiap tanggal 5." in old and "Rapat tiap tanggal 10." not in old
    assert 'data-testid="rules-old"' in old and "KUBE tidak memungut jasa pinjaman." in old
    assert client.get(url("rules", cast) + "?versi=9").status_code == 404


def test_it_refuses_adopting_rules_dated_before_the_last_version(client, cast):
    rules_adopt(actor=cast.ketua, kube=cast.kube_a, text="Aturan pertama", adopted_on=date(2026, 6, 1))
    client.force_login(cast.ketua)
    response = client.post(url("rules", cast), {"text": "Aturan baru", "adopted_on": "2026-05-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["adopted_on"] == [
        "Tanggal pengesahan tidak boleh sebelum versi terakhir (01-06-2026)."]
    assert list(RuleVersion.objects.values_list("version", "text")) == [(1, "Aturan pertama")]


def test_it_refuses_a_loan_fee_above_10_percent(cast):
    with pytest.raises(BooksError) as exc:
        rules_adopt(actor=cast.ketua, kube=cast.kube_a, text="Aturan", adopted_on=DAY,
                    loan_fee_percent_month=Decimal("12"))
    assert exc.value.message == "Jasa pinjaman 0 sampai 10 % per bulan."
    assert not RuleVersion.objects.exists()


def test_the_rules_page_says_so_when_there_are_none(client, cast):
    client.force_login(cast.pendamping)
    html = client.get(url("rules", cast)).content.decode()
    assert "KUBE ini belum mencatat peraturannya." in html and 'data-testid="rules-form"' not in html


# --- who may see and change ----------------------------------------------------------------


@pytest.fixture
def filled(cast):
    """One row in every register of kube_a, so that every page has something to show."""
    item = an_item(cast)
    act = an_activity(cast)
    plan = a_plan(cast)
    guest_record(actor=cast.ketua, kube=cast.kube_a, date=DAY, name="Bu Camat", purpose="Kunjungan kerja")
    rules_adopt(actor=cast.ketua, kube=cast.kube_a, text="Aturan", adopted_on=DAY)
    return {"item": item, "act": act, "plan": plan}


def read_pages(cast, filled):
    return [url("inventory", cast), url("inventory_item", cast, filled["item"].pk), url("guests", cast),
            url("agenda", cast), url("activity", cast, filled["act"].pk), url("workplan", cast),
            url("workplan_item", cast, filled["plan"].pk), url("rules", cast), url("rules", cast) + "?versi=1"]


def write_posts(cast, filled):
    return [
        (url("inventory_new", cast), {"name": "Kompor", "quantity": "1", "unit": "unit", "acquired_on": "2026-05-12",
                                      "source": "own", "value": "100000"}),
        (url("inventory_item", cast, filled["item"].pk), {"date": "2026-06-01", "condition": "rusak"}),
        (url("guests", cast), {"date": "2026-06-01", "name": "Tamu", "purpose": "Kunjungan"}),
        (url("activity_new", cast), {"date": "2026-06-01", "kind": "rapat", "place": "Balai", "agenda": "Rapat"}),
        (url("workplan_new", cast), plan_post()),
        (url("workplan_item", cast, filled["plan"].pk), plan_post(percent_done="50", status="berjalan")),
        (url("rules", cast), {"text": "Aturan baru", "adopted_on": "2026-06-01"}),
    ]


def register_state():
    return (InventoryItem.objects.count(), InventoryEvent.objects.count(), GuestEntry.objects.count(),
            Activity.objects.count(), list(WorkPlanItem.objects.values_list("percent_done", flat=True)),
            RuleVersion.objects.count())


@pytest.mark.parametrize("role", ["anggota", "pendamping", "kab"])
def test_read_only_roles_see_every_register_page_but_may_not_write(client, cast, filled, role):
    client.force_login(getattr(cast, role))
    for page in read_pages(cast, filled):
        response = client.get(page)
        assert response.status_code == 200, page
        assert not response.context["can_keep"]
        html = response.content.decode()
        assert 'method="post" novalidate data-testid' not in html, page  # no write form is offered
    for page in (url("inventory_new", cast), url("activity_new", cast), url("workplan_new", cast)):
        assert client.get(page).status_code == 403, page
    before = register_state()
    for page, data in write_posts(cast, filled):
        assert client.post(page, data).status_code == 403, page
    assert register_state() == before


def test_the_officer_gets_the_write_forms(client, cast, filled):
    client.force_login(cast.ketua)
    for page in (url("inventory_item", cast, filled["item"].pk), url("guests", cast),
                 url("workplan_item", cast, filled["plan"].pk), url("rules", cast)):
        html = client.get(page).content.decode()
        assert 'method="post" novalidate data-testid' in html, page
    for page in (url("inventory_new", cast), url("activity_new", cast), url("workplan_new", cast)):
        assert client.get(page).status_code == 200, page


def test_an_outsider_finds_no_register_page(client, cast, filled):
    client.force_login(cast.outsider)
    for page in read_pages(cast, filled) + [url(n, cast) for n in ("inventory_xlsx", "guests_xlsx", "agenda_xlsx",
                                                                   "workplan_xlsx")]:
        assert client.get(page).status_code == 404, page
    assert client.get(url("inventory_new", cast)).status_code == 403  # a write page: the role first
    before = register_state()
    for page, data in write_posts(cast, filled):  # they keep no books: refused by role, the same for every id
        assert client.post(page, data).status_code == 403, page
    assert register_state() == before


def test_an_officer_cannot_reach_another_group_or_its_rows(client, cast, filled):
    client.force_login(cast.ketua)
    assert client.get(reverse("books:inventory", args=[cast.kube_d.pk])).status_code == 404
    other = inventory_add(actor=cast.kab, kube=cast.kube_b, name="Meja", quantity=1, unit="unit", acquired_on=DAY,
                          source="own", value=50_000)
    assert client.get(url("inventory_item", cast, other.pk)).status_code == 404  # kube_b's item under kube_a
    client.force_login(cast.kab)
    assert client.get(url("activity", cast, 999_999)).status_code == 404


def test_a_dissolved_group_keeps_its_registers_readable_but_closed(client, cast, filled):
    Kube.objects.filter(pk=cast.kube_a.pk).update(status="bubar")
    client.force_login(cast.ketua)
    html = client.get(url("guests", cast)).content.decode()
    assert "Bu Camat" in html and 'data-testid="guest-form"' not in html
    response = client.post(url("guests", cast), {"date": "2026-06-01", "name": "Tamu", "purpose": "Kunjungan"})
    assert "KUBE sudah bubar; bukunya tidak dapat ditambah." in response.content.decode()
    response = client.post(url("inventory_item", cast, filled["item"].pk), {"date": "2026-06-01", "condition": "rusak"})
    assert "KUBE sudah bubar" in response.content.decode()
    assert GuestEntry.objects.count() == 1 and not InventoryEvent.objects.exists()


def test_register_pages_need_no_inline_script_or_style(client, cast, filled):
    """The Content-Security-Policy forbids inline code; the officer's view has the most on it."""
    client.force_login(cast.ketua)
    pages = [*read_pages(cast, filled), url("inventory_new", cast), url("activity_new", cast),
             url("workplan_new", cast)]
    for page in pages:
        assert_csp_clean(client.get(page).content.decode(), page)


def test_every_register_page_is_in_indonesian_and_has_its_tab(client, cast, filled):
    client.force_login(cast.ketua)
    tabs = {"inventory": "inventory", "guests": "guests", "agenda": "agenda", "workplan": "workplan",
            "rules": "rules"}
    for name, tab in tabs.items():
        response = client.get(url(name, cast))
        assert response.context["tab"] == tab
        assert f'data-tab="{tab}"' in response.content.decode()


# --- Excel ---------------------------------------------------------------------------------


def sheet_rows(response, index=0):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return [list(r) for r in book.worksheets[index].iter_rows(values_only=True)]


def test_the_inventory_export_opens_with_its_header_and_money_as_numbers(client, cast, filled):
    client.force_login(cast.kab)
    rows = sheet_rows(client.get(url("inventory_xlsx", cast)))
    assert rows[0] == ["Kode", "Nama barang", "Jumlah", "Satuan", "Tanggal perolehan", "Asal", "Nilai perolehan (Rp)",
                       "Kondisi", "Lokasi", "Tanggal dihapus", "Alasan penghapusan"]
    assert rows[1][:7] == ["INV-001", "Etalase kaca", 1, "unit", datetime(2026, 5, 12), "Bantuan stimulan", 1_250_000]


def test_the_guest_export_opens_with_its_header(client, cast, filled):
    client.force_login(cast.anggota)
    rows = sheet_rows(client.get(url("guests_xlsx", cast)))
    assert rows[0] == ["Tanggal", "Nama tamu", "Instansi/alamat", "Keperluan", "Keterangan"]
    assert rows[1][:2] == [datetime(2026, 5, 12), "Bu Camat"]


def test_the_agenda_export_has_the_activities_and_the_attendance_list(client, cast, filled):
    client.force_login(cast.pendamping)
    response = client.get(url("agenda_xlsx", cast))
    rows = sheet_rows(response)
    assert rows[0] == ["Tanggal", "Jenis kegiatan", "Tempat", "Acara", "Hadir", "Anggota tercatat", "Kehadiran (%)",
                       "Hasil/notulen", "Tindak lanjut"]
    assert rows[1][:7] == [datetime(2026, 5, 12), "Rapat rutin bulanan", "Rumah Ibu Ani",
                           "Laporan keuangan\nPembagian tugas", 5, 6, 83]
    attendance = sheet_rows(response, 1)
    assert attendance[0] == ["Tanggal", "Jenis kegiatan", "Nama anggota", "Hadir"]
    assert len(attendance) == 7 and sorted(r[3] for r in attendance[1:]) == ["Tidak"] + ["Ya"] * 5


def test_the_work_plan_export_opens_with_its_header(client, cast, filled):
    client.force_login(cast.ketua)
    rows = sheet_rows(client.get(url("workplan_xlsx", cast)))
    assert rows[0] == ["Kegiatan", "Tujuan", "Sasaran/target", "Mulai", "Selesai", "Penanggung jawab",
                       "Anggaran (Rp)", "Sumber dana", "Persen terlaksana", "Status", "Realisasi"]
    assert rows[1][:7] == ["Pelatihan pembukuan", "Buku rapi", "Semua pengurus", datetime(2026, 12, 1),
                           datetime(2026, 12, 31), None, 500_000]
