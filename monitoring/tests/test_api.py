"""/api/v1 for monitoring: health, class, dashboard and reports, within reach."""

from __future__ import annotations

import time_machine

from accounts.services import token_create
from monitoring.tests.test_dashboard import books  # noqa: F401 (fixture)


def bearer(user):
    _t, raw = token_create(user=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_groups_health_and_class(client, books):  # noqa: F811
    cast = books
    health = client.get(f"/api/v1/groups/{cast.kube_a.pk}/health", **bearer(cast.pendamping)).json()
    assert health["health"] in ("sehat", "perhatian", "kritis") and health["kube"] == cast.kube_a.pk
    assert all(set(r) == {"code", "points", "text"} for r in health["reasons"])
    klass = client.get(f"/api/v1/groups/{cast.kube_a.pk}/class", **bearer(cast.ketua)).json()
    assert klass["klass"] == "belum" and {c["source"] for c in klass["criteria"]} == {"records", "mentor"}
    assert client.get(f"/api/v1/groups/{cast.kube_a.pk}/health", **bearer(cast.kab_other)).status_code == 404


def test_the_dashboard_and_report_of_a_region(client, books):  # noqa: F811
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
