"""/api/v1 for the registry: same rules and reach as the pages."""

from datetime import date

import pytest

from accounts.models import Role
from accounts.services import token_create
from registry.models import Kube
from testing import make_user, programme_fm
from testing.registry import group_body, member

BIRTH = date(1982, 2, 3)


@pytest.fixture
def kab(cast, client):
    _t, raw = token_create(user=cast.kab, name="api")
    programme_fm()
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_group_is_registered_read_and_listed(client, kab):
    response = client.post("/api/v1/groups", group_body(), content_type="application/json", **kab)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["reg_number"].startswith("KUBE-3204-2025-") and created["active_members"] == 6
    got = client.get(f"/api/v1/groups/{created['id']}", **kab).json()
    assert got["name"] == "KUBE Silih Asih" and got["desa_path"].startswith("Cimenyan, Cimenyan")
    listed = client.get("/api/v1/groups?q=silih&region=32.04.06", **kab).json()
    assert [g["id"] for g in listed["items"]] == [created["id"]] and listed["count"] == 1
    officers = client.get(f"/api/v1/groups/{created['id']}/officers", **kab).json()
    assert [o["position"] for o in officers] == ["ketua", "sekretaris", "bendahara"]


def test_the_rules_answer_with_indonesian_messages(client, kab):
    response = client.post("/api/v1/groups", group_body(4), content_type="application/json", **kab)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "5 sampai 10 KK" in response.json()["message"]
    body = group_body()
    body["desa"] = "32.04.06.9999"
    response = client.post("/api/v1/groups", body, content_type="application/json", **kab)
    assert response.json()["field"] == "desa" and "tidak dikenal" in response.json()["message"]
    assert not Kube.objects.filter(name="KUBE Silih Asih").exists()


def test_members_are_added_updated_and_leave(client, cast, kab):
    kube = cast.kube_a
    body = member(50)
    body.pop("position")
    added = client.post(f"/api/v1/groups/{kube.pk}/members", body, content_type="application/json", **kab)
    assert added.status_code == 201, added.json()
    member_id = added.json()["id"]
    body["task"] = "Pemasaran"
    body["joined_on"] = added.json()["joined_on"]
    updated = client.put(f"/api/v1/members/{member_id}", body, content_type="application/json", **kab)
    assert updated.json()["task"] == "Pemasaran"
    left = client.post(f"/api/v1/members/{member_id}/leave",
                       {"left_on": date.today().isoformat(), "reason": "mundur"},
                       content_type="application/json", **kab)
    assert left.json()["left_on"] == date.today().isoformat()
    current = client.get(f"/api/v1/groups/{kube.pk}/members", **kab).json()
    assert member_id not in [m["id"] for m in current["items"]] and current["count"] == 6
    history = client.get(f"/api/v1/groups/{kube.pk}/members?include_left=true", **kab).json()
    assert member_id in [m["id"] for m in history["items"]] and history["count"] == 7


def test_officers_stage_status_and_mentor_through_the_api(client, cast, kab):
    kube = cast.kube_a
    plain = list(kube.members.filter(offices__isnull=True).order_by("id").values_list("id", flat=True))
    today = date.today().isoformat()
    response = client.put(f"/api/v1/groups/{kube.pk}/officers",
                          {"ketua": plain[0], "sekretaris": plain[1], "bendahara": plain[2], "chosen_on": today},
                          content_type="application/json", **kab)
    assert [o["member"] for o in response.json()] == plain[:3]
    same = client.put(f"/api/v1/groups/{kube.pk}/officers",
                      {"ketua": plain[0], "sekretaris": plain[0], "bendahara": plain[2], "chosen_on": today},
                      content_type="application/json", **kab)
    assert same.status_code == 400 and "berbeda" in same.json()["message"]
    stage = client.post(f"/api/v1/groups/{kube.pk}/stage/correction",
                        {"stage": "pengembangan", "effective_on": today, "reason": "Usaha berjalan"},
                        content_type="application/json", **kab)
    assert stage.json()["stage"] == "pengembangan"
    status = client.post(f"/api/v1/groups/{kube.pk}/status",
                         {"status": "stagnan", "effective_on": today, "reason": "Tidak rapat"},
                         content_type="application/json", **kab)
    assert status.json()["status"] == "stagnan"
    colleague = make_user("pendamping.cileunyi", Role.PENDAMPING, "32.04")
    mentor = client.post(f"/api/v1/groups/{kube.pk}/pendamping",
                         {"pendamping": colleague.pk, "start_on": today},
                         content_type="application/json", **kab)
    assert mentor.json()["pendamping"] == colleague.pk


def test_a_group_outside_the_offices_region_cannot_be_created(client, kab):
    body = group_body()
    body["desa"] = "32.71.04.1002"
    response = client.post("/api/v1/groups", body, content_type="application/json", **kab)
    assert response.status_code == 404 and "di luar wilayah kerja" in response.json()["message"]


def test_lists_are_paginated_in_a_stable_order(client, cast):
    _t, raw = token_create(user=cast.admin, name="p")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    first = client.get("/api/v1/groups?page_size=2", **auth).json()
    second = client.get("/api/v1/groups?page_size=2&page=2", **auth).json()
    assert first["count"] == 4 and len(first["items"]) == 2 and len(second["items"]) == 2
    names = [g["name"] for g in first["items"] + second["items"]]
    assert names == sorted(names)
    assert client.get("/api/v1/groups?page_size=500", **auth).status_code == 422


def test_a_groups_members_are_paginated_by_joining_date_then_id(client, cast, kab):
    kube = cast.kube_a
    expected = list(kube.members.order_by("joined_on", "id").values_list("id", flat=True))
    first = client.get(f"/api/v1/groups/{kube.pk}/members?page_size=4", **kab).json()
    second = client.get(f"/api/v1/groups/{kube.pk}/members?page_size=4&page=2", **kab).json()
    assert (first["count"], first["page"], first["page_size"]) == (6, 1, 4)
    assert [m["id"] for m in first["items"] + second["items"]] == expected
    assert client.get(f"/api/v1/groups/{kube.pk}/members?page_size=201", **kab).status_code == 422
