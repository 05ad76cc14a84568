"""The API's contract as an integrator reads it in the OpenAPI document: refusals in Indonesian
naming the field, coded fields listing their codes, no integer taken for a date or a boolean,
times without an offset said so, every content type documented, JSON 404/405, role before body."""

from __future__ import annotations

import re

import pytest

from sikube.api import api
from testing import bearer

# Words of pydantic's (and django-ninja's) English messages; none may reach a client.
ENGLISH = re.compile(r"\b(Input|should|required|Field|valid|must|least|most|greater|less|than|equal|characters|"
                     r"string|integer|parse|missing|Extra|permitted|error|allowed|format|expected)\b")
WRITES = ("post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def _resolve(document, schema):
    if "$ref" in schema:
        return document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _wrong_bodies(document, operation):
    """Bodies that break the operation's schema: nothing, a list, and each property in turn given a
    value of the wrong kind (text for a number, a number for text or a date, 0 for a boolean …)."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return [{}]
    schema = _resolve(document, content["application/json"]["schema"])
    bodies: list = [{}, [], "teks"]
    for name, prop in schema.get("properties", {}).items():
        kinds = {p.get("type") for p in prop.get("anyOf", [prop])} | ({prop.get("type")} if "type" in prop else set())
        wrong = 0 if ("string" in kinds or "boolean" in kinds) else "bukan angka"
        if "array" in kinds:
            wrong = "bukan daftar"
        bodies.append({name: wrong})
        if "integer" in kinds:
            bodies.append({name: -1})
        if prop.get("maxLength"):
            bodies.append({name: "x" * (prop["maxLength"] + 1)})
    return bodies


def _url(path, ids):
    return re.sub(r"\{[^}]+\}", lambda m: str(ids.get(m.group(0)[1:-1], 1)), path)


def test_every_refusal_of_a_bad_body_is_in_indonesian_and_names_the_field(client, cast, document):
    auth = bearer(cast.admin)
    kube = cast.kube_a.pk
    ids = {"kube_id": kube}
    seen = 0
    statuses: list[int] = []
    # Sign-in operations last: one of them revokes tokens, the admin's among them.
    paths = sorted(document["paths"].items(), key=lambda item: item[0].startswith("/api/v1/auth/"))
    for path, operations in paths:
        for method, operation in operations.items():
            if method not in WRITES or "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                continue
            for body in _wrong_bodies(document, operation):
                response = getattr(client, method)(_url(path, ids), body, content_type="application/json", **auth)
                statuses.append(response.status_code)
                if not 400 <= response.status_code < 500:
                    continue
                answer = response.json()
                assert set(answer) >= {"code", "message"}, (path, body, answer)
                for text in [answer["message"], *[d.get("message", "") for d in answer.get("details") or []]]:
                    assert not ENGLISH.search(text), (method, path, body, text)
                if response.status_code == 422:
                    seen += 1
    assert seen > 200, sorted(statuses)  # the sweep reached the schema layer of most operations


def test_an_amount_of_zero_says_so_in_words(client, cast):
    response = client.post(f"/api/v1/groups/{cast.kube_a.pk}/transactions",
                           {"kind": "sale", "amount": 0, "description": "x", "date": "2026-02-10"},
                           content_type="application/json", **bearer(cast.ketua))
    assert response.status_code == 422
    assert response.json()["message"] == "Jumlah harus lebih dari nol."
    assert response.json()["field"] == "amount"


def test_a_missing_field_and_a_bad_code_are_named_in_indonesian(client, cast):
    response = client.post(f"/api/v1/groups/{cast.kube_a.pk}/transactions", {"kind": "jual", "date": "2026-02-10"},
                           content_type="application/json", **bearer(cast.ketua))
    messages = [d["message"] for d in response.json()["details"]]
    assert "Jenis harus salah satu dari: sale, " in messages[0]
    assert "Uraian wajib diisi." in messages


@pytest.mark.parametrize(("schema", "field"), [
    ("TransactionIn", "kind"), ("KubeIn", "business_type"), ("KubeIn", "business_mode"), ("KubeIn", "target_group"),
    ("MemberIn", "sex"), ("MemberIn", "welfare_level"), ("FoundingMemberIn", "position"), ("StageIn", "stage"),
    ("StatusIn", "status"), ("GrantIn", "source"), ("OnwardIn", "recipient_kind"), ("VisitIn", "kind"),
    ("AuditIn", "book"), ("ActivityIn", "kind"), ("InventoryIn", "source"), ("WorkPlanIn", "status"),
    ("RtlStatusIn", "status"), ("AssessmentIn", "mode"), ("ChartAccountIn", "type"), ("UserIn", "role"),
])
def test_coded_fields_list_their_codes(document, schema, field):
    schemas = document["components"]["schemas"]
    prop = schemas[schema]["properties"][field]
    assert prop.get("enum"), (schema, field, prop)


def test_coded_query_filters_list_their_codes(document):
    params = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/groups"]["get"]["parameters"]}
    assert "kemandirian" in params["stage"]["enum"] and "bubar" in params["status"]["enum"]


def test_dates_and_booleans_refuse_integers_in_bodies_and_query_strings(client, cast):
    auth = bearer(cast.ketua)
    url = f"/api/v1/groups/{cast.kube_a.pk}/transactions"
    as_date = client.post(url, {"kind": "sale", "amount": 1000, "description": "x", "date": 0},
                          content_type="application/json", **auth)
    assert as_date.status_code == 422 and as_date.json()["field"] == "date"
    assert as_date.json()["message"].startswith("Tanggal harus tanggal berbentuk TTTT-BB-HH")
    as_text = client.post(url, {"kind": "sale", "amount": 1000, "description": "x", "date": "0"},
                          content_type="application/json", **auth)
    assert as_text.status_code == 422
    query = client.get(f"/api/v1/groups/{cast.kube_a.pk}/accounts?until=0", **auth)
    assert query.status_code == 422 and query.json()["field"] == "until"
    flag = client.get(f"/api/v1/groups/{cast.kube_a.pk}/members?include_left=1", **bearer(cast.kab))
    assert flag.status_code == 422 and flag.json()["field"] == "include_left"
    assert client.get(f"/api/v1/groups/{cast.kube_a.pk}/members?include_left=true", **bearer(cast.kab)).status_code == 200
    body_flag = client.post("/api/v1/programmes", {"is_active": 0}, content_type="application/json",
                            **bearer(cast.admin))
    assert "is_active" in {d["field"] for d in body_flag.json()["details"]}


def test_times_say_they_have_no_offset_and_refuse_one(document, client, cast):
    prop = document["components"]["schemas"]["VisitIn"]["properties"]["start_time"]["anyOf"][0]
    assert prop.get("format") != "time" and "zona" in prop["description"]
    response = client.post("/api/v1/visits", {"kube": cast.kube_a.pk, "date": "2026-02-03", "place": "Rumah ketua",
                                              "problems": "-", "start_time": "09:00:00+07:00"},
                           content_type="application/json", **bearer(cast.pendamping))
    assert response.status_code == 422 and response.json()["field"] == "start_time"


def test_every_file_an_operation_returns_is_documented(document):
    def types(path):
        return set(document["paths"][path]["get"]["responses"][200]["content"])

    assert types("/api/v1/groups/{kube_id}/lpj") == {"application/json", "application/pdf"}
    assert "application/pdf" in types("/api/v1/reports/{region_code}")
    assert "image/jpeg" in types("/api/v1/visits/{visit_id}/photos/{photo_id}")
    assert types("/api/v1/imports/template") == {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def test_unknown_paths_and_wrong_methods_answer_the_json_error(client, cast):
    auth = bearer(cast.admin)
    missing = client.get("/api/v1/tidak-ada", **auth)
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/json")
    assert missing.json()["code"] == "not_found"
    wrong = client.delete("/api/v1/groups", **auth)
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"
    assert "GET" in wrong["Allow"]


def test_a_read_only_role_gets_403_whatever_the_body(client, cast):
    url = f"/api/v1/groups/{cast.kube_a.pk}/transactions"
    for user in (cast.pusat, cast.anggota):
        for body in ({}, {"kind": "sale", "amount": "x"}, {"kind": "sale", "amount": 1000, "description": "x",
                                                          "date": "2026-02-10"}):
            response = client.post(url, body, content_type="application/json", **bearer(user))
            assert response.status_code == 403, (user.role, body, response.json())
