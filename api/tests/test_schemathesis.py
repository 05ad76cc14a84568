"""Schemathesis against our own OpenAPI document: generated (and deliberately malformed) requests
to every operation, as an administrator who may do everything, must never cause a server error
nor an answer that breaks the document (status, content type, body schema).

Bounded and deterministic (derandomized) so that CI is reproducible; raise SCHEMATHESIS_EXAMPLES
locally to search harder.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from sikube.wsgi import application

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))

# What the issue asks: no server error and no answer outside the document. (Not the strictness
# checks, negative_data_rejection and positive_data_acceptance: the generated malformed requests
# still run, and a server error on any of them fails here; the token added below would also turn
# schemathesis's "missing Authorization" cases into valid requests.)
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]

# In-process through the WSGI application: the requests share the test's database transaction.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the requests run inside the test's transaction, so the
    end of a request must not close (or mark for closing) the database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(cast):
    from accounts.services import token_create

    return token_create(user=cast.admin, name="schemathesis")[1]


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_no_answer_outside_the_document(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)
