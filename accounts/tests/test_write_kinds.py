"""Role before body: every write of the API has its kinds (accounts.access.OPERATION_KINDS), and a role
that writes none of them is refused before its body is read, whatever the role, and before an
Idempotency-Key is recorded (no row, no write lock)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import OPERATION_KINDS, OWN_OPERATIONS, WRITERS
from accounts.services import token_create
from api.models import IdempotentRequest
from sikube.api import api

ROLES = ["admin", "pusat", "provinsi", "kabupaten", "pendamping", "pengurus", "anggota", "outsider"]
BAD_BODIES: tuple[object, ...] = ([], {"date": 0, "amount": "banyak"}, "bukan json")


def _writes() -> set[str]:
    return {f"{method.upper()} {path}" for path, operations in api.get_openapi_schema()["paths"].items()
            for method in operations if method in ("post", "put", "patch", "delete")}


def test_every_write_of_the_document_has_its_kinds_and_the_table_names_no_other():
    writes = _writes()
    assert writes - set(OPERATION_KINDS) - OWN_OPERATIONS == set(), "give the new write its kinds"
    assert set(OPERATION_KINDS) | OWN_OPERATIONS <= writes, "the table names an operation that is gone"


def _url(operation: str, cast) -> tuple[str, str]:
    method, path = operation.split(" ", 1)
    return method.lower(), re.sub(r"{(\w+)}", lambda m: str(cast.kube_a.pk) if m[1] == "kube_id" else "1", path)


def test_a_role_that_writes_none_of_the_kinds_is_refused_whatever_its_body(client, cast):
    """A provinsi posting a visit with a bad body got 422 before its 403; now every role that may not
    make a write gets 403 (404 where it may not even see the kind: users, programmes, the import)."""
    tokens = {role: token_create(user=user, name="kinds")[1] for role, user in cast.role_users().items()}
    wrong = []
    swept = 0
    for operation, kinds in sorted(OPERATION_KINDS.items()):
        method, url = _url(operation, cast)
        for role in ROLES:
            if any(role in WRITERS[kind] for kind in kinds):
                continue
            for body in BAD_BODIES:
                response = getattr(client, method)(url, body, content_type="application/json",
                                                   HTTP_AUTHORIZATION=f"Bearer {tokens[role]}")
                swept += 1
                if response.status_code not in (403, 404):
                    wrong.append((operation, role, response.status_code))
    assert not wrong, wrong
    assert swept > 500


def test_a_provinsi_posting_a_visit_with_a_bad_body_gets_403(client, cast):
    _t, raw = token_create(user=cast.prov, name="visit")
    response = client.post("/api/v1/visits", {"kube": cast.kube_a.pk, "date": "kemarin"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_role_refusal_with_an_idempotency_key_writes_nothing_and_takes_no_write_lock(client, cast):
    _t, raw = token_create(user=cast.kab, name="keyed")  # the district office does not keep the books
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/api/v1/groups/{cast.kube_a.pk}/transactions",
                               {"kind": "sale", "amount": 1000, "description": "Jual", "date": "2026-03-10"},
                               content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}",
                               HTTP_IDEMPOTENCY_KEY="kunci-403")
    assert response.status_code == 403
    statements = [q["sql"].split(None, 1)[0].upper() for q in queries.captured_queries]
    assert not {"INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN"} & set(statements), statements
    assert not IdempotentRequest.objects.exists()


def test_a_writer_still_gets_the_body_refusal_and_a_key_is_kept_for_its_answer(client, cast):
    _t, raw = token_create(user=cast.ketua, name="writer")
    response = client.post(f"/api/v1/groups/{cast.kube_a.pk}/transactions", {"kind": "sale", "amount": 0},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}",
                           HTTP_IDEMPOTENCY_KEY="kunci-422")
    assert response.status_code == 422
    assert IdempotentRequest.objects.filter(key="kunci-422", status=422).exists()


@pytest.mark.parametrize("role", ["pendamping", "pengurus", "outsider"])
def test_pages_refuse_a_write_by_role_before_looking_up_the_group(client, cast, role):
    """The page answers as the API does: 403 for a role that may not record a grant, for a group in
    reach, another group and a missing one alike."""
    client.force_login(cast.role_users()[role])
    for kube_id in (cast.kube_a.pk, cast.kube_d.pk, 99_999_999):
        assert client.post(f"/kube/{kube_id}/bantuan/", {}).status_code == 403
