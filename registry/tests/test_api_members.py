"""/api/v1: a member's sign-in account and the NIK search, with the pages' rules."""

from datetime import date, timedelta

import pytest

from accounts.models import Role, User
from registry.services import member_add, member_leave
from testing import bearer, member_data


def post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


@pytest.fixture
def plain(cast):
    """A member of kube_a with no office and no account."""
    return cast.kube_a.members.filter(offices__isnull=True, user__isnull=True).order_by("id").first()


def test_the_district_office_makes_an_account_for_a_member(client, cast, plain):
    response = post(client, f"/api/v1/members/{plain.pk}/account",
                    {"username": "Ani.Anggota", "password": "sandi-anggota-2026"}, bearer(cast.kab))
    assert response.status_code == 201, response.json()
    assert response.json() | {"id": 0} == {"id": 0, "username": "ani.anggota", "full_name": plain.name,
                                           "role": Role.ANGGOTA, "member": plain.pk}
    plain.refresh_from_db()
    assert plain.user is not None and plain.user.username == "ani.anggota"
    assert plain.user.check_password("sandi-anggota-2026")


def test_an_officer_gets_a_pengurus_account(client, cast):
    officer = cast.kube_a.members.filter(offices__position="bendahara").get()
    response = post(client, f"/api/v1/members/{officer.pk}/account",
                    {"username": "bendahara.maju", "password": "sandi-bendahara-2026"}, bearer(cast.admin))
    assert response.status_code == 201 and response.json()["role"] == Role.PENGURUS


@pytest.mark.parametrize("who", ["pendamping", "pusat", "prov", "ketua"])
def test_roles_that_do_not_handle_personal_data_cannot_make_accounts(client, cast, plain, who):
    response = post(client, f"/api/v1/members/{plain.pk}/account",
                    {"username": "ani.anggota", "password": "sandi-anggota-2026"}, bearer(getattr(cast, who)))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not User.objects.filter(username="ani.anggota").exists()


def test_a_member_outside_reach_has_no_account_endpoint(client, cast, plain):
    response = post(client, f"/api/v1/members/{plain.pk}/account",
                    {"username": "ani.anggota", "password": "sandi-anggota-2026"}, bearer(cast.kab_other))
    assert response.status_code == 404
    assert not User.objects.filter(username="ani.anggota").exists()


def test_a_bad_account_is_refused_in_indonesian(client, cast, plain):
    auth = bearer(cast.kab)
    url = f"/api/v1/members/{plain.pk}/account"
    taken = post(client, url, {"username": "dinsos.bogor", "password": "sandi-anggota-2026"}, auth)
    assert taken.status_code == 400 and taken.json()["field"] == "username"
    assert taken.json()["message"] == "Nama pengguna dinsos.bogor sudah dipakai."
    weak = post(client, url, {"username": "ani.anggota", "password": "12345678"}, auth)
    assert weak.status_code == 400 and weak.json()["field"] == "password"
    owner = cast.kube_a.members.get(user=cast.anggota)
    again = post(client, f"/api/v1/members/{owner.pk}/account",
                 {"username": "ani.dua", "password": "sandi-anggota-2026"}, auth)
    assert again.status_code == 400 and again.json()["message"] == f"{owner.name} sudah punya akun."
    assert not User.objects.filter(username__in=["ani.anggota", "ani.dua"]).exists()


def test_the_nik_search_finds_every_membership_in_reach_newest_first(client, cast, plain):
    member_leave(actor=cast.kab, member=plain, left_on=date.today() - timedelta(days=1), reason="pindah")
    data = member_data(name=plain.name)
    data.nik, data.kk_number, data.birth_date, data.sex = plain.nik, plain.kk_number, plain.birth_date, plain.sex
    data.joined_on = date.today()
    again = member_add(actor=cast.kab, kube=cast.kube_b, data=data)
    found = post(client, "/api/v1/members/search", {"nik": plain.nik}, bearer(cast.kab))
    assert found.status_code == 200, found.json()
    rows = found.json()
    assert [(r["id"], r["kube"]) for r in rows] == [(again.pk, cast.kube_b.pk), (plain.pk, cast.kube_a.pk)]
    assert rows[0]["nik"] == plain.nik and rows[0]["kube_name"] == cast.kube_b.name
    assert rows[1]["left_on"] == (date.today() - timedelta(days=1)).isoformat()
    # Kota Bogor's office reaches neither group, Jawa Barat's sees them masked.
    assert post(client, "/api/v1/members/search", {"nik": plain.nik}, bearer(cast.kab_other)).json() == []
    masked = post(client, "/api/v1/members/search", {"nik": plain.nik}, bearer(cast.prov)).json()
    assert len(masked) == 2 and all(r["nik"] != plain.nik and r["personal_data_masked"] for r in masked)


def test_the_nik_search_reads_the_body_only(client, cast, plain):
    auth = bearer(cast.kab)
    spaced = post(client, "/api/v1/members/search", {"nik": f"{plain.nik[:6]} {plain.nik[6:]}"}, auth)
    assert [r["id"] for r in spaced.json()] == [plain.pk]
    short = post(client, "/api/v1/members/search", {"nik": plain.nik[:10]}, auth)
    assert short.status_code == 422 and short.json()["field"] == "nik"  # the document's pattern
    assert short.json()["message"] == "NIK harus NIK lengkap 16 angka."
    in_url = client.post(f"/api/v1/members/search?nik={plain.nik}", content_type="application/json", **auth)
    assert in_url.status_code == 422
