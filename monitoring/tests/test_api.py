"""/api/v1 for monitoring: health, class, dashboard and reports, within reach."""

from __future__ import annotations

import time_machine

from monitoring.models import ClassCheck, GroupState
from monitoring.selectors import groups_in, scope_for
from testing import bearer


def test_a_groups_health_and_class(client, books):
    cast = books
    health = client.get(f"/api/v1/groups/{cast.kube_a.pk}/health", **bearer(cast.pendamping)).json()
    assert health["health"] in ("sehat", "perhatian", "kritis") and health["kube"] == cast.kube_a.pk
    assert all(set(r) == {"code", "points", "text"} for r in health["reasons"])
    klass = client.get(f"/api/v1/groups/{cast.kube_a.pk}/class", **bearer(cast.ketua)).json()
    assert klass["klass"] == "belum" and {c["source"] for c in klass["criteria"]} == {"records", "mentor"}
    assert client.get(f"/api/v1/groups/{cast.kube_a.pk}/health", **bearer(cast.kab_other)).status_code == 404


def test_the_dashboard_and_report_of_a_region(client, books):
    cast = books
    with time_machine.travel("2026-11-20 10:00 +0700", tick=True):
        body = client.get("/api/v1/dashboard/nasional?period=2026-10", **bearer(cast.pusat)).json()
        assert body["region"] == "nasional" and [c["region"] for c in body["children"]] == ["32", "33"]
        assert body["total"]["values"]["revenue"] == 1_800_000 and len(body["trend"]) == 12
        bandung = client.get("/api/v1/dashboard/32.04?period=2026-Q4", **bearer(cast.kab)).json()
        assert bandung["total"]["values"]["groups"] == 2
        assert client.get("/api/v1/dashboard/32.71?period=2026-10", **bearer(cast.kab)).status_code == 404
        bad = client.get("/api/v1/dashboard/32.04?period=Oktober", **bearer(cast.kab))
        assert bad.status_code == 400 and bad.json()["code"] == "bad_period"
        report = client.get("/api/v1/reports/32?period=2026&format=pdf", **bearer(cast.prov))
        assert report["Content-Type"] == "application/pdf"
        xlsx = client.get("/api/v1/reports/32?period=2026-10", **bearer(cast.prov))
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        assert client.get("/api/v1/dashboard/nasional?period=2026-10", **bearer(cast.pendamping)).status_code == 404


def post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def test_the_mentor_ticks_a_class_criterion_with_evidence(client, cast):
    url = f"/api/v1/groups/{cast.kube_a.pk}/class/checks"
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        ticked = post(client, url, {"code": "name_board", "met": True, "evidence": "Papan nama terpasang"},
                      bearer(cast.pendamping))
    assert ticked.status_code == 200, ticked.json()
    row = next(c for c in ticked.json()["criteria"] if c["code"] == "name_board")
    assert (row["met"], row["source"], row["evidence"], row["checked_by"]) == (
        True, "mentor", "Papan nama terpasang", cast.pendamping.full_name)
    assert row["checked_at"].startswith("2026-11-20")
    with time_machine.travel("2026-11-22 10:00 +0700", tick=False):
        post(client, url, {"code": "name_board", "met": False, "evidence": "Papan nama roboh"}, bearer(cast.kab))
    klass = client.get(f"/api/v1/groups/{cast.kube_a.pk}/class", **bearer(cast.prov)).json()
    row = next(c for c in klass["criteria"] if c["code"] == "name_board")
    assert (row["met"], row["evidence"], row["checked_by"]) == (False, "Papan nama roboh", cast.kab.full_name)
    grant = next(c for c in klass["criteria"] if c["code"] == "grant")
    assert (grant["source"], grant["evidence"], grant["checked_by"], grant["checked_at"]) == ("records", None, None, None)


def test_a_class_tick_is_refused_without_the_right_reach_or_evidence(client, cast):
    url = f"/api/v1/groups/{cast.kube_a.pk}/class/checks"
    body = {"code": "name_board", "met": True, "evidence": "Papan nama terpasang"}
    for reader in (cast.ketua, cast.prov, cast.pusat):
        refused = post(client, url, body, bearer(reader))
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden", reader.username
    assert post(client, url, body, bearer(cast.pendamping_other)).status_code == 404
    assert post(client, url, body, bearer(cast.kab_other)).status_code == 404
    no_evidence = post(client, url, {"code": "name_board", "met": True, "evidence": "  "}, bearer(cast.pendamping))
    assert no_evidence.status_code == 400
    assert no_evidence.json() == {"code": "invalid", "message": "Bukti wajib diisi.", "field": "evidence"}
    from_records = post(client, url, {"code": "grant", "met": True, "evidence": "SK"}, bearer(cast.pendamping))
    assert from_records.status_code == 400 and from_records.json()["field"] == "code"
    assert from_records.json()["message"] == "Kriteria itu dibaca dari catatan KUBE dan tidak dapat dicentang."
    assert not ClassCheck.objects.exists()


def test_a_regions_groups_most_in_need_first(client, books):
    cast = books
    GroupState.objects.filter(kube=cast.kube_b).update(health="kritis", health_score=80,
                                                       reasons=[["stagnant", 80, {}]])
    GroupState.objects.filter(kube=cast.kube_a).update(health="sehat", health_score=5, reasons=[])
    auth = bearer(cast.kab)
    body = client.get("/api/v1/dashboard/32.04/groups", **auth).json()
    assert body["count"] == 2
    assert [g["kube"] for g in body["items"]] == [s.kube_id for s in groups_in(scope_for(cast.kab, "32.04"))] == [
        cast.kube_b.pk, cast.kube_a.pk]
    first = body["items"][0]
    assert (first["name"], first["health"], first["score"], first["reasons"]) == (
        "KUBE Mekar Jaya 02", "kritis", 80, ["Berstatus stagnan"])
    assert first["desa"] == cast.kube_b.desa_id and first["desa_name"].startswith("Desa")
    attention = client.get("/api/v1/dashboard/32.04/groups?attention_only=true", **auth).json()
    assert [g["kube"] for g in attention["items"]] == [cast.kube_b.pk] and attention["count"] == 1
    second = client.get("/api/v1/dashboard/32.04/groups?page=2&page_size=1", **auth).json()
    assert [g["kube"] for g in second["items"]] == [cast.kube_a.pk]
    national = client.get("/api/v1/dashboard/nasional/groups", **bearer(cast.pusat)).json()
    assert [g["kube"] for g in national["items"]] == [s.kube_id for s in groups_in(scope_for(cast.pusat, ""))]
    assert national["count"] == 4


def test_a_regions_groups_stay_within_reach(client, books):
    cast = books
    assert client.get("/api/v1/dashboard/32.71/groups", **bearer(cast.kab)).status_code == 404
    assert client.get("/api/v1/dashboard/33/groups", **bearer(cast.prov)).status_code == 404
    # As on the dashboard, "nasional" stands for the office's own root.
    assert client.get("/api/v1/dashboard/nasional/groups", **bearer(cast.prov)).json()["count"] == 3
    for user in (cast.pendamping, cast.ketua, cast.outsider):
        response = client.get("/api/v1/dashboard/nasional/groups", **bearer(user))
        assert response.status_code == 404 and response.json()["code"] == "not_found", user.username
    bad = client.get("/api/v1/dashboard/32.04/groups?attention_only=mungkin", **bearer(cast.kab))
    assert bad.status_code == 422 and bad.json()["field"] == "attention_only"
