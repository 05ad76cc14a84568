import pytest

from accounts.services import token_create


@pytest.fixture
def bearer(cast):
    _t, raw = token_create(user=cast.kab, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_openapi_document_and_docs_are_served(client, db):
    doc = client.get("/api/v1/openapi.json")
    assert doc.status_code == 200
    schema = doc.json()
    assert schema["info"]["title"] == "SIKUBE API"
    assert "/api/v1/auth/token" in schema["paths"]
    assert "/api/v1/groups" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "https://" not in docs.content.decode().split("<body")[0]  # vendored swagger assets


def test_errors_are_json_with_code_and_indonesian_message(client, bearer):
    missing = client.get("/api/v1/groups/999999", **bearer)
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "message": "Data tidak ditemukan."}
    bad = client.post("/api/v1/groups", {"name": 1}, content_type="application/json", **bearer)
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid" and bad.json()["message"] == "Nama harus berupa teks."
    assert bad.json()["field"] == "name"
    huge = client.get("/api/v1/groups/99999999999999999999999", **bearer)
    assert huge.status_code == 422


def test_a_malformed_bearer_header_is_401(client, db):
    response = client.get("/api/v1/groups", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_nul_character_anywhere_in_a_request_is_refused_with_its_field_and_nothing_is_saved(client, bearer, cast):
    """PostgreSQL cannot hold NUL: it reached the database from JSON and query strings as a 500."""
    from mentoring.models import AssistanceEvent

    events = AssistanceEvent.objects.count()
    body = {"title": "Pelatihan", "date": "2026-03-10", "kabupaten": "32.0\u00004", "topic": "usaha",
            "speakers": "Dinas", "kubes": [{"kube": cast.kube_b.pk, "people": 5}]}
    refused = client.post("/api/v1/events", body, content_type="application/json", **bearer)
    assert refused.status_code == 422, refused.content
    assert refused.json()["field"] == "kabupaten" and "karakter NUL" in refused.json()["message"]
    nested = client.post("/api/v1/events", {**body, "kabupaten": "32.04",
                                            "kubes": [{"kube": cast.kube_b.pk, "people": 5, "no\u0000te": ""}]},
                         content_type="application/json", **bearer)
    assert nested.status_code == 422 and nested.json()["field"] == "kubes.0.note"
    assert AssistanceEvent.objects.count() == events
    query = client.get("/api/v1/groups", {"q": "siti\u0000"}, **bearer)
    assert query.status_code == 422 and query.json()["field"] == "q", query.content
    assert client.get("/api/v1/groups", {"q": "siti"}, **bearer).status_code == 200
