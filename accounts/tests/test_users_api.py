"""/api/v1/users and /api/v1/auth/password: the administrator's user pages and the profile page."""

import pytest

from accounts.models import Role, User
from audit.models import AuditEntry
from testing import bearer


def new_user(**overrides):
    body = {"username": "Dinsos.Garut", "full_name": "Dinas Sosial Garut", "role": Role.KABUPATEN,
            "region": "32.04", "institution": "Dinsos", "phone": "081234567890",
            "password": "panjang-sekali-2026"}
    body.update(overrides)
    return body


def post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def put(client, url, body, auth):
    return client.put(url, body, content_type="application/json", **auth)


def test_the_admin_lists_users_by_name_and_role_in_a_stable_order(client, cast):
    auth = bearer(cast.admin)
    page = client.get("/api/v1/users?page_size=3", **auth).json()
    assert page["count"] == User.objects.count() and len(page["items"]) == 3
    names = [u["username"] for u in page["items"]]
    assert names == sorted(names)
    found = client.get("/api/v1/users?q=bandung", **auth).json()["items"]
    assert [u["username"] for u in found] == ["dinsos.bandung"]
    assert found[0]["region"] == "32.04" and found[0]["role_label"] == "Dinas Sosial kabupaten/kota"
    mentors = client.get("/api/v1/users?role=pendamping", **auth).json()["items"]
    assert {u["username"] for u in mentors} == {"pendamping.cimenyan", "pendamping.bogor"}
    bad = client.get("/api/v1/users?role=raja", **auth)
    assert bad.status_code == 422 and bad.json()["field"] == "role"
    assert bad.json()["message"].startswith("Peran harus salah satu dari: admin, pusat")


def test_the_user_list_is_the_administrators_alone(client, cast):
    # As on the page (accounts.access: Kind.USER is read by the administrator only), other roles
    # are told the list does not exist.
    for user in (cast.pusat, cast.kab, cast.pendamping, cast.ketua):
        response = client.get("/api/v1/users", **bearer(user))
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_admin_creates_an_office_account_through_the_api(client, cast):
    response = post(client, "/api/v1/users", new_user(), bearer(cast.admin))
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["username"], created["role"], created["region"]) == ("dinsos.garut", "kabupaten", "32.04")
    user = User.objects.get(username="dinsos.garut")
    assert user.check_password("panjang-sekali-2026") and not user.is_staff
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert entry.actor == cast.admin and entry.action == "create"


@pytest.mark.parametrize("overrides,field,message", [
    ({"region": "32.99"}, "region", "Kode wilayah 32.99 tidak dikenal"),
    ({"region": "32"}, "region", "harus sebuah kabupaten/kota"),
    ({"region": "32.04.06"}, "region", "provinsi atau kabupaten/kota"),
    ({"region": None}, "region", "Pilih wilayah kerja untuk peran ini."),
    ({"username": "dinsos bandung!"}, "username", "hanya boleh berisi huruf"),
    ({"username": "dinsos.bandung"}, "username", "sudah dipakai"),
    ({"password": "12345678"}, "password", "sandi"),
])
def test_a_bad_user_is_refused_in_indonesian_and_nothing_is_saved(client, cast, overrides, field, message):
    before = User.objects.count()
    response = post(client, "/api/v1/users", new_user(**overrides), bearer(cast.admin))
    # The username's letters are the document's pattern (422, the schema); the rest are the service's.
    assert response.status_code == (422 if "hanya boleh" in message else 400), response.json()
    assert response.json()["field"] == field and message in response.json()["message"]
    assert User.objects.count() == before


def test_an_unknown_role_is_refused_by_the_schema_with_the_codes_to_choose_from(client, cast):
    before = User.objects.count()
    response = post(client, "/api/v1/users", new_user(role="raja"), bearer(cast.admin))
    assert response.status_code == 422 and response.json()["field"] == "role"
    assert response.json()["message"].startswith("Peran harus salah satu dari: admin, pusat")
    assert User.objects.count() == before


def test_only_the_admin_creates_edits_and_resets_users(client, cast):
    for user in (cast.pusat, cast.prov, cast.kab):
        auth = bearer(user)
        assert post(client, "/api/v1/users", new_user(), auth).status_code == 404
        assert put(client, f"/api/v1/users/{cast.pendamping.pk}",
                   {"full_name": "X", "role": "pendamping"}, auth).status_code == 404
        assert post(client, f"/api/v1/users/{cast.pendamping.pk}/password",
                    {"password": "panjang-sekali-2026"}, auth).status_code == 404
    assert not User.objects.filter(username="dinsos.garut").exists()
    cast.pendamping.refresh_from_db()
    assert cast.pendamping.full_name == "Pendamping Cimenyan"


def test_the_admin_edits_a_user_and_a_missing_one_is_404(client, cast):
    auth = bearer(cast.admin)
    response = put(client, f"/api/v1/users/{cast.pendamping.pk}",
                   {"full_name": "Dedi Pendamping", "role": "pendamping", "region": "32.04",
                    "phone": "0811111111", "is_active": False}, auth)
    assert response.status_code == 200, response.json()
    assert response.json()["full_name"] == "Dedi Pendamping" and response.json()["is_active"] is False
    cast.pendamping.refresh_from_db()
    assert not cast.pendamping.is_active and cast.pendamping.phone == "0811111111"
    assert put(client, "/api/v1/users/999999", {"full_name": "X", "role": "pusat"}, auth).status_code == 404


def test_the_admin_cannot_demote_themselves_through_the_api(client, cast):
    response = put(client, f"/api/v1/users/{cast.admin.pk}", {"full_name": "Admin", "role": "pusat"},
                   bearer(cast.admin))
    assert response.status_code == 400 and "tidak dapat menonaktifkan" in response.json()["message"]
    cast.admin.refresh_from_db()
    assert cast.admin.role == Role.ADMIN


def test_the_admin_sets_a_users_password(client, cast):
    auth = bearer(cast.admin)
    url = f"/api/v1/users/{cast.kab.pk}/password"
    assert post(client, url, {"password": "sandi-baru-yang-kuat-9"}, auth).status_code == 200
    cast.kab.refresh_from_db()
    assert cast.kab.check_password("sandi-baru-yang-kuat-9")
    weak = post(client, url, {"password": "pendek"}, auth)
    assert weak.status_code == 400 and weak.json()["field"] == "password"
    assert "terlalu pendek" in weak.json()["message"]
    assert post(client, "/api/v1/users/999999/password", {"password": "sandi-baru-yang-kuat-9"},
                auth).status_code == 404


def test_the_token_owner_changes_their_own_password(client, cast):
    cast.anggota.set_password("sandi-anggota-lama-1")
    cast.anggota.save()
    auth = bearer(cast.anggota)
    stolen = post(client, "/api/v1/auth/password", {"current_password": "tebakan", "password": "sandi-pencuri-9"},
                  auth)  # a token alone does not take the account over
    assert stolen.status_code == 400 and stolen.json()["field"] == "current_password"
    cast.anggota.refresh_from_db()
    assert cast.anggota.check_password("sandi-anggota-lama-1")
    response = post(client, "/api/v1/auth/password",
                    {"current_password": "sandi-anggota-lama-1", "password": "sandi-anggota-baru-3"}, auth)
    assert response.status_code == 200 and response.json()["username"] == "anggota.maju"
    assert response.json()["tokens_revoked"] == 1 and "1 token API dicabut" in response.json()["message"]
    cast.anggota.refresh_from_db()
    assert cast.anggota.check_password("sandi-anggota-baru-3")
    entry = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(cast.anggota.pk)).get()
    assert entry.actor == cast.anggota
    assert entry.changes == {"password": ["***", "***"], "api_tokens_revoked": [0, 1]}
    assert client.get("/api/v1/auth/me", **auth).status_code == 401  # the token went with the password
    auth = bearer(cast.anggota)
    weak = post(client, "/api/v1/auth/password", {"current_password": "sandi-anggota-baru-3", "password": "12345678"},
                auth)
    assert weak.status_code == 400 and weak.json()["field"] == "password"
    cast.anggota.refresh_from_db()
    assert cast.anggota.check_password("sandi-anggota-baru-3")
    assert client.post("/api/v1/auth/password", {"current_password": "x", "password": "sandi-anggota-baru-3"},
                       content_type="application/json").status_code == 401
