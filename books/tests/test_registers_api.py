"""/api/v1 for the register books: the same services, reach and Indonesian messages as the pages."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from books.models import (
    Activity,
    ActivityAttendance,
    GuestEntry,
    InventoryEvent,
    InventoryItem,
    RuleVersion,
    WorkPlanItem,
)
from books.services.registers import activity_record, guest_record, inventory_add, rules_adopt, workplan_save
from testing import bearer

DAY = date(2026, 5, 12)


@pytest.fixture
def officer(cast):
    return bearer(cast.ketua)


def base(cast, kube=None):
    return f"/api/v1/groups/{(kube or cast.kube_a).pk}"


def post(client, path, body, auth):
    return client.post(path, body, content_type="application/json", **auth)


def put(client, path, body, auth):
    return client.put(path, body, content_type="application/json", **auth)


def members(kube):
    return list(kube.members.filter(left_on__isnull=True).order_by("id"))


ITEM = {"name": "Etalase kaca", "quantity": 1, "unit": "unit", "acquired_on": "2026-05-12", "source": "grant",
        "value": 1_250_000, "location": "Warung"}
PLAN = {"activity": "Pelatihan pembukuan", "aim": "Pembukuan rapi", "target": "Tiga pengurus",
        "start_on": "2026-12-01", "end_on": "2026-12-20", "budget": 750_000, "budget_source": "Kas KUBE"}


# --- inventory -----------------------------------------------------------------------------


def test_an_officer_records_an_item_its_condition_and_its_disposal(client, cast, officer):
    created = post(client, f"{base(cast)}/inventory", ITEM, officer)
    assert created.status_code == 201, created.json()
    item = created.json()
    assert item["code"] == "INV-001" and item["value"] == 1_250_000 and item["events"] == []

    changed = post(client, f"{base(cast)}/inventory/{item['id']}/events",
                   {"date": "2026-08-01", "condition": "kurang", "note": "Engsel longgar"}, officer)
    assert changed.status_code == 201 and changed.json()["condition"] == "kurang"
    disposed = post(client, f"{base(cast)}/inventory/{item['id']}/events",
                    {"date": "2026-10-01", "disposed": True, "note": "Pecah"}, officer)
    body = disposed.json()
    assert body["disposed_on"] == "2026-10-01" and body["disposal_reason"] == "Pecah"
    assert [(e["condition"], e["disposed"]) for e in body["events"]] == [("kurang", False), ("", True)]
    assert body["events"][0]["recorded_by"] == cast.ketua.username

    again = post(client, f"{base(cast)}/inventory/{item['id']}/events",
                 {"date": "2026-10-02", "disposed": True, "note": "Lagi"}, officer)
    assert again.status_code == 400
    assert again.json() == {"code": "invalid", "message": "Barang ini sudah dihapus dari inventaris."}
    assert InventoryEvent.objects.count() == 2

    listed = client.get(f"{base(cast)}/inventory", **officer).json()
    assert listed["count"] == 1 and listed["items"][0]["disposed_on"] == "2026-10-01"


def test_it_refuses_a_disposal_without_a_reason(client, cast, officer):
    item = post(client, f"{base(cast)}/inventory", ITEM, officer).json()
    response = post(client, f"{base(cast)}/inventory/{item['id']}/events", {"date": "2026-06-01", "disposed": True},
                    officer)
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "message": "Keterangan wajib diisi.", "field": "note"}
    assert InventoryItem.objects.get(pk=item["id"]).disposed_on is None and not InventoryEvent.objects.exists()


@pytest.mark.parametrize("field,value", [("value", 10**13 + 1), ("value", -1), ("quantity", 0),
                                         ("name", "x" * 151), ("code", "K" * 21), ("unit", "u" * 21)])
def test_it_refuses_an_item_outside_the_schema_bounds(client, cast, officer, field, value):
    response = post(client, f"{base(cast)}/inventory", {**ITEM, field: value}, officer)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and "field" in response.json()
    assert not InventoryItem.objects.exists()


def test_it_refuses_an_item_of_another_group_under_this_groups_path(client, cast, officer):
    other = inventory_add(actor=cast.kab, kube=cast.kube_b, name="Meja", quantity=1, unit="unit", acquired_on=DAY,
                          source="own", value=50_000)
    response = post(client, f"{base(cast)}/inventory/{other.pk}/events", {"date": "2026-06-01", "condition": "rusak"},
                    officer)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not InventoryEvent.objects.exists()


# --- guests --------------------------------------------------------------------------------


def test_guests_are_recorded_and_listed_newest_first(client, cast, officer):
    for day, name in (("2026-04-02", "Pak RW"), ("2026-09-03", "Bu Bidan"), ("2026-06-10", "Pendamping")):
        response = post(client, f"{base(cast)}/guests", {"date": day, "name": name, "purpose": "Kunjungan"}, officer)
        assert response.status_code == 201
    listed = client.get(f"{base(cast)}/guests?page_size=2", **officer).json()
    assert listed["count"] == 3 and [g["name"] for g in listed["items"]] == ["Bu Bidan", "Pendamping"]
    second = client.get(f"{base(cast)}/guests?page_size=2&page=2", **officer).json()
    assert [g["name"] for g in second["items"]] == ["Pak RW"]


def test_it_refuses_a_guest_visit_in_the_future(client, cast, officer):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post(client, f"{base(cast)}/guests", {"date": tomorrow, "name": "Pak Lurah", "purpose": "Natal"},
                    officer)
    assert response.status_code == 400 and response.json()["message"] == "Tanggal tidak boleh di masa depan."
    assert not GuestEntry.objects.exists()


# --- agenda --------------------------------------------------------------------------------


def test_an_activity_is_recorded_with_attendance_from_the_members(client, cast, officer):
    everyone = members(cast.kube_a)
    response = post(client, f"{base(cast)}/agenda", {
        "date": "2026-05-12", "kind": "rapat", "place": "Rumah Ibu Ani", "agenda": "Laporan kas",
        "present": [m.pk for m in everyone[:5]] + [everyone[0].pk]}, officer)
    assert response.status_code == 201, response.json()
    act = response.json()
    assert (act["present_count"], act["recorded_count"], act["attendance_percent"]) == (5, 6, 83)
    absent = [a["member"] for a in act["attendance"] if not a["present"]]
    assert absent == [everyone[5].pk]
    detail = client.get(f"{base(cast)}/agenda/{act['id']}", **bearer(cast.anggota)).json()
    assert detail["attendance"] == act["attendance"]
    listed = client.get(f"{base(cast)}/agenda", **officer).json()
    assert listed["items"][0]["attendance_percent"] == 83 and "attendance" not in listed["items"][0]


@pytest.mark.parametrize("who", ["other_group", "unknown"])
def test_it_refuses_attendance_from_outside_the_group_and_saves_nothing(client, cast, officer, who):
    stranger = members(cast.kube_b)[0].pk if who == "other_group" else 9_999_999
    response = post(client, f"{base(cast)}/agenda", {
        "date": "2026-05-12", "kind": "rapat", "place": "Balai RW", "agenda": "Rapat",
        "present": [members(cast.kube_a)[0].pk, stranger]}, officer)
    # A member of another group is refused exactly like one that does not exist (accounts.access.body_ref).
    assert response.status_code == 404
    assert response.json()["field"] == "present"
    assert not Activity.objects.exists() and not ActivityAttendance.objects.exists()


def test_an_activity_of_another_group_is_not_found(client, cast, officer):
    other = activity_record(actor=cast.kab, kube=cast.kube_b, date=DAY, kind="rapat", place="Balai", agenda="Rapat",
                            present=[])
    assert client.get(f"{base(cast)}/agenda/{other.pk}", **officer).status_code == 404


# --- work plan -----------------------------------------------------------------------------


def test_a_work_plan_item_is_created_and_updated(client, cast, officer):
    person = cast.kube_a.members.get(user=cast.ketua)
    created = post(client, f"{base(cast)}/work-plan", {**PLAN, "person": person.pk}, officer)
    assert created.status_code == 201, created.json()
    item = created.json()
    assert item["person_name"] == person.name and item["status"] == "rencana" and item["percent_done"] == 0
    updated = put(client, f"{base(cast)}/work-plan/{item['id']}",
                  {**PLAN, "person": person.pk, "percent_done": 100, "status": "selesai",
                   "realisation": "Terlaksana 3 sesi"}, officer)
    assert updated.status_code == 200 and updated.json()["status"] == "selesai"
    assert WorkPlanItem.objects.get(pk=item["id"]).realisation == "Terlaksana 3 sesi"


def test_it_refuses_done_below_100_percent_and_a_person_from_another_group(client, cast, officer):
    item = workplan_save(actor=cast.ketua, kube=cast.kube_a, activity="Pelatihan", aim="Rapi", target="Pengurus",
                         start_on=date(2026, 12, 1), end_on=date(2026, 12, 2), percent_done=30, status="berjalan")
    response = put(client, f"{base(cast)}/work-plan/{item.pk}", {**PLAN, "percent_done": 80, "status": "selesai"},
                   officer)
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "field": "percent_done",
                               "message": "Kegiatan yang selesai terlaksana 100 %."}
    response = post(client, f"{base(cast)}/work-plan", {**PLAN, "person": members(cast.kube_b)[0].pk}, officer)
    assert response.status_code == 404 and response.json()["field"] == "person"
    item.refresh_from_db()
    assert (item.percent_done, item.status) == (30, "berjalan") and WorkPlanItem.objects.count() == 1
    assert put(client, f"{base(cast)}/work-plan/{item.pk}", {**PLAN, "percent_done": 101}, officer).status_code == 422


# --- rules ---------------------------------------------------------------------------------


def test_rules_versions_are_adopted_in_order_and_all_stay_readable(client, cast, officer):
    first = post(client, f"{base(cast)}/rules", {"text": "Rapat tiap tanggal 5.", "adopted_on": "2026-03-05"},
                 officer)
    assert first.status_code == 201 and first.json()["version"] == 1 and first.json()["current"]
    second = post(client, f"{base(cast)}/rules", {"text": "Rapat tiap tanggal 10.", "adopted_on": "2026-09-10",
                                                  "loan_fee_percent_month": "1.5"}, officer)
    assert second.json()["version"] == 2
    listed = client.get(f"{base(cast)}/rules", **bearer(cast.pendamping)).json()
    assert [(v["version"], v["current"], v["text"]) for v in listed["items"]] == [
        (2, True, "Rapat tiap tanggal 10."), (1, False, "Rapat tiap tanggal 5.")]
    assert float(listed["items"][0]["loan_fee_percent_month"]) == 1.5


def test_it_refuses_rules_dated_before_the_last_version(client, cast, officer):
    rules_adopt(actor=cast.ketua, kube=cast.kube_a, text="Aturan pertama", adopted_on=date(2026, 6, 1))
    response = post(client, f"{base(cast)}/rules", {"text": "Aturan baru", "adopted_on": "2026-05-01"}, officer)
    assert response.status_code == 400 and response.json()["field"] == "adopted_on"
    assert response.json()["message"] == "Tanggal pengesahan tidak boleh sebelum versi terakhir (01-06-2026)."
    assert list(RuleVersion.objects.values_list("version", flat=True)) == [1]


# --- who may see and change ----------------------------------------------------------------


def fill(cast):
    item = inventory_add(actor=cast.ketua, kube=cast.kube_a, name="Etalase", quantity=1, unit="unit",
                         acquired_on=DAY, source="own", value=100_000)
    act = activity_record(actor=cast.ketua, kube=cast.kube_a, date=DAY, kind="rapat", place="Balai", agenda="Rapat",
                          present=members(cast.kube_a)[:2])
    plan = workplan_save(actor=cast.ketua, kube=cast.kube_a, activity="Pelatihan", aim="Rapi", target="Pengurus",
                         start_on=date(2026, 12, 1), end_on=date(2026, 12, 2))
    guest_record(actor=cast.ketua, kube=cast.kube_a, date=DAY, name="Bu Camat", purpose="Kunjungan")
    rules_adopt(actor=cast.ketua, kube=cast.kube_a, text="Aturan", adopted_on=DAY)
    return item, act, plan


def reads(cast, act):
    return [f"{base(cast)}/{p}" for p in ("inventory", "guests", "agenda", f"agenda/{act.pk}", "work-plan", "rules")]


def writes(cast, item, plan):
    return [
        ("post", f"{base(cast)}/inventory", ITEM),
        ("post", f"{base(cast)}/inventory/{item.pk}/events", {"date": "2026-06-01", "condition": "rusak"}),
        ("post", f"{base(cast)}/guests", {"date": "2026-06-01", "name": "Tamu", "purpose": "Kunjungan"}),
        ("post", f"{base(cast)}/agenda", {"date": "2026-06-01", "kind": "rapat", "place": "Balai", "agenda": "R"}),
        ("post", f"{base(cast)}/work-plan", PLAN),
        ("put", f"{base(cast)}/work-plan/{plan.pk}", {**PLAN, "percent_done": 50}),
        ("post", f"{base(cast)}/rules", {"text": "Aturan baru", "adopted_on": "2026-06-01"}),
    ]


def state():
    return (InventoryItem.objects.count(), InventoryEvent.objects.count(), GuestEntry.objects.count(),
            Activity.objects.count(), list(WorkPlanItem.objects.values_list("percent_done", flat=True)),
            RuleVersion.objects.count())


@pytest.mark.parametrize("role", ["anggota", "pendamping", "kab"])
def test_read_only_roles_read_every_register_but_may_not_write(client, cast, role):
    item, act, plan = fill(cast)
    auth = bearer(getattr(cast, role))
    for path in reads(cast, act):
        response = client.get(path, **auth)
        assert response.status_code == 200, path
    before = state()
    for method, path, body in writes(cast, item, plan):
        response = (post if method == "post" else put)(client, path, body, auth)
        assert response.status_code == 403, path
        assert response.json() == {"code": "forbidden", "message": "Peran Anda tidak boleh melakukan ini."}
    assert state() == before


@pytest.mark.parametrize("role", ["outsider", "anggota_d"])
def test_those_outside_the_reach_find_nothing(client, cast, role):
    item, act, plan = fill(cast)
    auth = bearer(getattr(cast, role))
    for path in reads(cast, act):
        response = client.get(path, **auth)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    before = state()
    for method, path, body in writes(cast, item, plan):
        # A role that keeps no books is refused by its role first (403, the same for every id).
        assert (post if method == "post" else put)(client, path, body, auth).status_code == 403, path
    assert state() == before


def test_an_officer_cannot_write_another_groups_registers(client, cast, officer):
    response = post(client, f"{base(cast, cast.kube_b)}/guests", {"date": "2026-06-01", "name": "T", "purpose": "K"},
                    officer)
    assert response.status_code == 404 and not GuestEntry.objects.exists()


def test_the_register_lists_need_a_token(client, cast):
    assert client.get(f"{base(cast)}/inventory").status_code == 401


def test_the_register_endpoints_are_in_the_openapi_document(client, cast, officer):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/groups/{kube_id}/inventory", "/api/v1/groups/{kube_id}/inventory/{item_id}/events",
                 "/api/v1/groups/{kube_id}/guests", "/api/v1/groups/{kube_id}/agenda",
                 "/api/v1/groups/{kube_id}/agenda/{activity_id}", "/api/v1/groups/{kube_id}/work-plan",
                 "/api/v1/groups/{kube_id}/work-plan/{item_id}", "/api/v1/groups/{kube_id}/rules"):
        assert path in paths, path
