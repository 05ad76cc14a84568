"""Refused requests are logged: who (id and role), what, when; never a name, a NIK or a token."""

from __future__ import annotations

import logging

from accounts.services import token_create


def lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "sikube.security"]


def test_a_look_outside_reach_and_a_refused_write_are_logged_without_personal_data(client, cast, caplog):
    caplog.set_level(logging.WARNING, logger="sikube.security")
    client.force_login(cast.anggota)
    assert client.get(f"/kube/{cast.kube_c.pk}/").status_code == 404  # another group's page
    _t, raw = token_create(user=cast.kab, name="x")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/groups/{cast.kube_c.pk}", **auth).status_code == 404  # Kota Bogor, not Bandung
    member = cast.kube_a.members.first()
    refused_write = client.post(f"/api/v1/groups/{cast.kube_a.pk}/status", {"status": "bubar"},
                                content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {token_create(user=cast.ketua, name='y')[1]}")
    assert refused_write.status_code == 403  # the group's officers do not change its status
    client.logout()
    assert client.get("/api/v1/groups", HTTP_AUTHORIZATION="Bearer skb_not_a_token").status_code == 401
    logged = lines(caplog)
    assert f"refused user={cast.anggota.pk} role=anggota what=kube (not found or outside reach) id={cast.kube_c.pk}" \
        in logged
    assert f"refused user={cast.kab.pk} role=kabupaten what=kube (not found or outside reach) id={cast.kube_c.pk}" \
        in logged
    assert f"refused status=403 user={cast.ketua.pk} role=pengurus method=POST path=/api/v1/groups/{cast.kube_a.pk}/status" in logged
    assert "refused status=401 user=- role=- method=GET path=/api/v1/groups" in logged
    text = "\n".join(logged)
    for secret in (cast.anggota.username, cast.anggota.full_name, member.nik, member.name, raw, "skb_not_a_token"):
        assert secret not in text


def test_an_offices_own_objects_outside_reach_are_logged_like_a_groups(client, cast, caplog):
    """An assistance event, a mentor and a region report of another region: 404 on the page and in
    the API, and each look logged (accounts.access.access_one), as for a group's objects."""
    from datetime import date

    from approval.services import report_open
    from mentoring.services import event_record
    from regions.models import Region

    caplog.set_level(logging.WARNING, logger="sikube.security")
    semarang = Region.objects.get(pk="33.74")
    event = event_record(actor=cast.admin, title="Asistensi", date=date(2026, 3, 10), kabupaten=semarang,
                         topic="administrasi", speakers="Dinsos", kubes=[(cast.kube_d, 2)])
    report = report_open(region=semarang, period="2026-10")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=cast.kab, name='x')[1]}"}
    client.force_login(cast.kab)
    assert client.get(f"/asistensi/{event.pk}/").status_code == 404
    assert client.get(f"/asistensi/{event.pk}/laporan.pdf").status_code == 404
    assert client.get(f"/pelaporan/laporan/{report.pk}/").status_code == 404
    assert client.get(f"/api/v1/events/{event.pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/region-reports/{report.pk}", **auth).status_code == 404
    assigned = client.post(f"/api/v1/mentors/{cast.pendamping_other.pk}/assignments",  # Kota Bogor's mentor
                           {"kecamatan": "32.04.05"}, content_type="application/json", **auth)
    assert assigned.status_code == 404
    logged = lines(caplog)
    who = f"refused user={cast.kab.pk} role=kabupaten"
    assert logged.count(f"{who} what=assistanceevent (not found or outside reach) id={event.pk}") == 3
    assert logged.count(f"{who} what=report (not found or outside reach) id={report.pk}") == 2
    assert f"{who} what=user (not found or outside reach) id={cast.pendamping_other.pk}" in logged
