"""/api/v1 for a group's picture: health and attention filters, history, past officers, the
import template."""

from datetime import date, timedelta

import pytest

from monitoring.models import GroupState
from outbox import drainer
from registry.services import kube_assign_pendamping, kube_stage_change, kube_status_change, officers_set
from testing import bearer, make_user


def test_groups_are_filtered_by_health(client, cast):
    kube_status_change(actor=cast.kab, kube=cast.kube_b, status="bubar", effective_on=date.today(),
                       reason="Anggota pindah semua")
    drainer.drain()  # the summaries the health filter reads, as the app drains after commit
    auth = bearer(cast.kab)
    dissolved = client.get("/api/v1/groups?health=bubar", **auth).json()
    assert [g["id"] for g in dissolved["items"]] == [cast.kube_b.pk]
    health_a = GroupState.objects.get(kube=cast.kube_a).health
    same = client.get(f"/api/v1/groups?health={health_a}", **auth).json()
    assert cast.kube_a.pk in [g["id"] for g in same["items"]] and cast.kube_b.pk not in [
        g["id"] for g in same["items"]]
    bad = client.get("/api/v1/groups?health=sakit", **auth)
    assert bad.status_code == 400 and bad.json()["field"] == "health"
    assert bad.json()["message"] == "Kesehatan sakit tidak dikenal; pilih sehat, perhatian, kritis atau bubar."


def test_groups_most_in_need_of_attention_come_first(client, cast):
    kube_status_change(actor=cast.kab, kube=cast.kube_b, status="stagnan", effective_on=date.today(),
                       reason="Tidak ada kegiatan")
    drainer.drain()
    auth = bearer(cast.admin)
    states = GroupState.objects.select_related("kube")
    expected = [s.kube_id for s in sorted(states, key=lambda s: (-s.health_score, s.kube.name, s.kube_id))]
    first = client.get("/api/v1/groups?order=attention&page_size=2", **auth).json()
    second = client.get("/api/v1/groups?order=attention&page_size=2&page=2", **auth).json()
    assert [g["id"] for g in first["items"] + second["items"]] == expected
    by_name = client.get("/api/v1/groups", **auth).json()["items"]
    assert [g["name"] for g in by_name] == sorted(g["name"] for g in by_name)
    bad = client.get("/api/v1/groups?order=urgent", **auth)
    assert bad.status_code == 422 and bad.json()["field"] == "order"  # the document's enum
    assert "harus salah satu dari: name, attention" in bad.json()["message"]


def test_a_groups_history_shows_stage_status_and_mentors_newest_first(client, cast):
    kube = cast.kube_a
    today = date.today()
    kube_stage_change(actor=cast.kab, kube=kube, stage="pengembangan", effective_on=today - timedelta(days=5),
                      reason="Usaha berjalan")
    kube_status_change(actor=cast.kab, kube=kube, status="stagnan", effective_on=today, reason="Tidak rapat")
    kube_assign_pendamping(actor=cast.kab, kube=kube, pendamping=make_user("pendamping.cileunyi", "pendamping", "32.04"), start_on=today)
    # The group's own members read it, as on the group's page.
    response = client.get(f"/api/v1/groups/{kube.pk}/history", **bearer(cast.anggota))
    assert response.status_code == 200, response.json()
    history = response.json()
    changes = [(c["field"], c["old_value"], c["new_value"]) for c in history["changes"]]
    assert changes[:2] == [("status", "aktif", "stagnan"), ("stage", "pembentukan", "pengembangan")]
    assert history["changes"][0]["new_label"] == "Stagnan (tidak aktif)"
    assert history["changes"][0]["decided_by_name"] == cast.kab.full_name
    mentors = [(a["pendamping"], a["end_on"]) for a in history["assignments"]]
    assert [m[1] for m in mentors] == [None, today.isoformat()] and mentors[1][0] == cast.pendamping.pk


def test_a_groups_history_outside_reach_is_not_found(client, cast):
    response = client.get(f"/api/v1/groups/{cast.kube_a.pk}/history", **bearer(cast.kab_other))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get(f"/api/v1/groups/{cast.kube_a.pk}/history", **bearer(cast.outsider)).status_code == 404


def test_past_officers_are_listed_with_when_and_why_they_stopped(client, cast):
    kube = cast.kube_a
    plain = list(kube.members.filter(offices__isnull=True).order_by("id"))
    chosen_on = date.today()
    officers_set(actor=cast.kab, kube=kube, ketua=plain[0], sekretaris=plain[1], bendahara=plain[2],
                 chosen_on=chosen_on)
    auth = bearer(cast.pusat)
    current = client.get(f"/api/v1/groups/{kube.pk}/officers", **auth).json()
    assert [(o["member"], o["ended_on"]) for o in current] == [(m.pk, None) for m in plain[:3]]
    every = client.get(f"/api/v1/groups/{kube.pk}/officers?include_past=true", **auth).json()
    assert [o["position"] for o in every] == ["ketua", "sekretaris", "bendahara"] * 2
    assert every[:3] == current
    for past in every[3:]:
        assert past["ended_on"] == chosen_on.isoformat()
        assert past["end_reason"] == f"Diganti hasil musyawarah {chosen_on:%d-%m-%Y}"
    outside = client.get(f"/api/v1/groups/{kube.pk}/officers?include_past=true", **bearer(cast.kab_other))
    assert outside.status_code == 404


@pytest.mark.parametrize("who,status", [
    ("admin", 200), ("prov", 200), ("kab", 200),
    # As on the import page: roles that may not import are told there is nothing there.
    ("pusat", 404), ("pendamping", 404), ("ketua", 404), ("outsider", 404),
])
def test_the_import_template_is_for_the_roles_that_import(client, cast, who, status):
    response = client.get("/api/v1/imports/template", **bearer(getattr(cast, who)))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response["Content-Disposition"] == 'attachment; filename="templat-impor-kube.xlsx"'
        assert response.content[:2] == b"PK"
    else:
        assert response.json()["code"] == "not_found"
