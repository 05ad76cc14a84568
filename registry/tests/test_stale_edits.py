"""An edit of a member or a group that started from an older version than the one saved meanwhile
is refused with both versions shown, on the page and in the API; never a silent overwrite."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.urls import reverse

from registry.errors import StaleEdit
from registry.models import Kube, Member
from registry.rules import MemberData
from registry.services import kube_update, member_set_task, member_update
from testing import bearer


@pytest.fixture
def member(cast):
    return cast.kube_a.members.order_by("id").last()


def member_data_of(member):
    return MemberData(nik=member.nik, kk_number=member.kk_number, name=member.name, sex=member.sex,
                      birth_date=member.birth_date, address=member.address, phone=member.phone,
                      target_group=member.target_group, welfare_level=member.welfare_level,
                      skills=member.skills, task=member.task, joined_on=member.joined_on)


def kube_values(kube):
    return {"name": kube.name, "desa": kube.desa, "formed_on": kube.formed_on, "programme": kube.programme,
            "business_type": kube.business_type, "target_group": kube.target_group,
            "business_mode": kube.business_mode, "business_description": kube.business_description,
            "bonds": kube.bonds, "bond_note": kube.bond_note, "address": kube.address, "rt": kube.rt, "rw": kube.rw}


def test_each_change_raises_the_version_by_one_and_a_save_without_change_does_not(cast, member):
    assert member.version == 1
    changed = member_update(actor=cast.kab, member=member, data=replace(member_data_of(member), skills="Menjahit"),
                            version=1)
    assert changed.version == 2 and Member.objects.get(pk=member.pk).version == 2
    same = member_update(actor=cast.kab, member=member, data=member_data_of(changed), version=2)
    assert same.version == 2
    member_set_task(actor=cast.kab, member=member, task="Pemasaran")
    assert Member.objects.get(pk=member.pk).version == 3
    kube = kube_update(actor=cast.kab, kube=cast.kube_a, **(kube_values(cast.kube_a) | {"rt": "009"}), version=1)
    assert kube.version == 2


def test_the_service_refuses_an_edit_from_an_older_version_and_saves_nothing(cast, member):
    member_update(actor=cast.kab, member=member, data=replace(member_data_of(member), skills="Menjahit"))
    with pytest.raises(StaleEdit) as refused:
        member_update(actor=cast.pendamping, member=member, data=replace(member_data_of(member), skills="Memasak"),
                      version=1)
    assert refused.value.details["your_version"] == 1 and refused.value.details["current_version"] == 2
    assert refused.value.details["current"]["skills"] == "Menjahit"
    assert Member.objects.get(pk=member.pk).skills == "Menjahit"
    kube_update(actor=cast.kab, kube=cast.kube_a, **(kube_values(cast.kube_a) | {"rt": "009"}))
    with pytest.raises(StaleEdit):
        kube_update(actor=cast.kab, kube=cast.kube_a, **(kube_values(cast.kube_a) | {"rt": "001"}), version=1)
    assert Kube.objects.get(pk=cast.kube_a.pk).rt == "009"


def form_post(form, **changes):
    out = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out | changes


def test_a_stale_member_edit_on_the_page_shows_both_versions_and_saving_again_is_a_choice(client, cast, member):
    client.force_login(cast.kab)
    url = reverse("registry:member_edit", args=[member.pk])
    opened = client.get(url)
    assert 'name="version" value="1"' in opened.content.decode()
    mine = form_post(opened.context["form"], skills="Memasak")
    # Meanwhile the mentor saves another change.
    member_update(actor=cast.pendamping, member=member, data=replace(member_data_of(member), skills="Menjahit"))
    refused = client.post(url, mine)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "sudah diubah orang lain (versi 2) sejak Anda mulai mengubahnya (versi 1)" in page
    stale = refused.context["stale"]
    assert (stale["yours"], stale["current"]) == (1, 2)
    assert [(r["yours"], r["current"]) for r in stale["rows"] if r["differs"]] == [("Memasak", "Menjahit")]
    assert "Versi Anda (1)" in page and "Tersimpan sekarang (2)" in page
    assert Member.objects.get(pk=member.pk).skills == "Menjahit"  # nothing overwritten
    assert 'name="version" value="2"' in page  # the form keeps what was typed, based on version 2 now
    again = client.post(url, form_post(refused.context["form"]))
    assert again.status_code == 302
    assert Member.objects.get(pk=member.pk).skills == "Memasak" and Member.objects.get(pk=member.pk).version == 3


def test_a_stale_group_edit_on_the_page_shows_both_versions(client, cast):
    kube = cast.kube_a
    client.force_login(cast.kab)
    url = reverse("registry:edit", args=[kube.pk])
    opened = client.get(url)
    mine = form_post(opened.context["form"], name="KUBE Maju Sejahtera Sebelas")
    assert mine["version"] == 1
    kube_update(actor=cast.admin, kube=kube, **(kube_values(kube) | {"name": "KUBE Maju Sejahtera 11A"}))
    refused = client.post(url, mine)
    assert refused.status_code == 200
    stale = refused.context["stale"]
    assert [(r["yours"], r["current"]) for r in stale["rows"] if r["differs"]] == [
        ("KUBE Maju Sejahtera Sebelas", "KUBE Maju Sejahtera 11A")]
    assert 'data-testid="stale"' in refused.content.decode()
    assert Kube.objects.get(pk=kube.pk).name == "KUBE Maju Sejahtera 11A"


def member_body(member, **changes):
    return {"nik": member.nik, "kk_number": member.kk_number, "name": member.name, "sex": member.sex,
            "birth_date": member.birth_date.isoformat(), "address": member.address, "phone": member.phone,
            "target_group": member.target_group, "welfare_level": member.welfare_level, "skills": member.skills,
            "task": member.task, "joined_on": member.joined_on.isoformat()} | changes


def test_a_stale_member_edit_in_the_api_is_a_409_with_the_current_values(client, cast, member):
    auth = bearer(cast.kab)
    url = f"/api/v1/members/{member.pk}"
    assert client.get(url, **auth).json()["version"] == 1
    saved = client.put(url, member_body(member, skills="Menjahit", version=1), content_type="application/json", **auth)
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = client.put(url, member_body(member, skills="Memasak", version=1), content_type="application/json", **auth)
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "stale_version" and body["field"] == "version"
    assert body["details"]["your_version"] == 1 and body["details"]["current_version"] == 2
    assert body["details"]["current"]["skills"] == "Menjahit"
    assert Member.objects.get(pk=member.pk).skills == "Menjahit"
    # Without a version (an older client) it saves as before.
    plain = client.put(url, member_body(member, skills="Memasak"), content_type="application/json", **auth)
    assert plain.status_code == 200 and plain.json()["version"] == 3


def test_a_stale_group_edit_in_the_api_is_a_409_with_the_current_values(client, cast):
    kube = cast.kube_a
    auth = bearer(cast.kab)
    url = f"/api/v1/groups/{kube.pk}"
    got = client.get(url, **auth).json()
    body = {k: got[k] for k in ("name", "desa", "formed_on", "programme", "business_type", "target_group",
                                "business_mode", "business_description", "bonds", "bond_note", "address",
                                "rt", "rw")}
    assert client.put(url, body | {"rt": "009", "version": got["version"]}, content_type="application/json",
                      **auth).json()["version"] == got["version"] + 1
    stale = client.put(url, body | {"rt": "001", "version": got["version"]}, content_type="application/json", **auth)
    assert stale.status_code == 409 and stale.json()["details"]["current"]["rt"] == "009"
    assert Kube.objects.get(pk=kube.pk).rt == "009"
