import pytest

from accounts.services import token_create


@pytest.fixture
def auth(cast):
    _token, raw = token_create(user=cast.kab, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_without_parent_it_lists_provinces(client, auth):
    data = client.get("/api/v1/regions", **auth).json()
    codes = [r["code"] for r in data["items"]]
    assert "32" in codes and "33" in codes
    assert codes == sorted(codes)


@pytest.mark.django_db
def test_with_parent_it_lists_the_children(client, auth):
    data = client.get("/api/v1/regions?parent=32.04.06", **auth).json()
    assert {r["code"] for r in data["items"]} >= {"32.04.06.1002", "32.04.06.2003"}
    assert all(r["parent"] == "32.04.06" for r in data["items"])


@pytest.mark.django_db
def test_an_unknown_parent_is_a_json_error_in_indonesian(client, auth):
    response = client.get("/api/v1/regions?parent=99.99", **auth)
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_region"
    assert "tidak dikenal" in response.json()["message"]


@pytest.mark.django_db
def test_regions_need_a_token(client):
    response = client.get("/api/v1/regions")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
