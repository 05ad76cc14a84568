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
