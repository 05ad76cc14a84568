import pytest
from django.urls import reverse

from accounts.models import ApiToken, token_hash


@pytest.fixture
def ani(cast):
    cast.kab.set_password("rahasia-yang-panjang-7")
    cast.kab.save()
    return cast.kab


def post_token(client, username, password, **extra):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json", REMOTE_ADDR="10.9.9.9", **extra)


def test_a_token_is_issued_for_good_credentials_and_stored_hashed(client, ani):
    response = post_token(client, ani.username, "rahasia-yang-panjang-7")
    assert response.status_code == 201
    raw = response.json()["token"]
    stored = ApiToken.objects.get(user=ani)
    assert stored.key_hash == token_hash(raw)
    assert raw not in {stored.key_hash, stored.hint}
    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200
    assert me.json()["username"] == ani.username


def test_bad_credentials_get_a_json_error_in_indonesian(client, ani):
    response = post_token(client, ani.username, "salah")
    assert response.status_code == 400
    assert response.json() == {"code": "bad_credentials", "field": "password",
                               "message": "Nama pengguna atau kata sandi salah."}


def test_the_token_endpoint_locks_out_after_repeated_failures(client, ani):
    for _ in range(5):
        post_token(client, ani.username, "salah")
    response = post_token(client, ani.username, "rahasia-yang-panjang-7")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert not ApiToken.objects.filter(user=ani).exists()


def test_a_revoked_token_no_longer_works(client, ani):
    raw = post_token(client, ani.username, "rahasia-yang-panjang-7").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    token_id = client.get("/api/v1/auth/tokens", **auth).json()[0]["id"]
    assert client.post(f"/api/v1/auth/tokens/{token_id}/revoke", **auth).status_code == 200
    response = client.get("/api/v1/auth/me", **auth)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_user_lists_and_revokes_tokens_on_the_profile_page(client, ani):
    client.force_login(ani)
    response = client.post(reverse("accounts:token_new"), {"name": "Aplikasi dasbor"})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw in response.content.decode()  # shown once
    token = ApiToken.objects.get(user=ani)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Aplikasi dasbor" in page and raw not in page
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_someone_elses_token(client, cast, ani):
    from accounts.services import token_create

    token, _raw = token_create(user=cast.admin, name="milik admin")
    client.force_login(ani)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
