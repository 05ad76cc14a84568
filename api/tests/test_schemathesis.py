"""Schemathesis against our own OpenAPI document: generated (and deliberately malformed) requests
to every operation, as each role, must never cause a server error nor an answer that breaks the
document (status, content type, body schema, headers), malformed requests must be refused
(negative_data_rejection) and well-formed ones must not be (positive_data_acceptance).

For a role that may not write or may not see the object, 403 or 404 is the right answer to a
well-formed request (the rules of reach: read-only = 403, outside reach = 404 like a missing id),
so those statuses count as acceptance as well as rejection; 422 for a valid body does not.

One shared dataset for the whole module (the cast of testing/__init__.py, committed once); each
generated test runs in its own transaction, rolled back, so the writes of one operation do not
leak into the next. Bounded and deterministic (derandomized) so that CI is reproducible; raise
SCHEMATHESIS_EXAMPLES locally to search harder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from sikube.wsgi import application

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
ROLES = ["admin", "pusat", "provinsi", "kabupaten", "pendamping", "pengurus", "anggota"]

# A refused request: the malformed-input statuses, and 401/403/404 for the request that never
# reaches validation (no token, read-only role, object outside reach).
REJECTED = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
# An accepted request, or one this role may not make / may not see (403/404), or a conflict with
# the state the earlier cases left (409); never 400/422 and never 5xx.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]

CONFIG = schemathesis.config.SchemathesisConfig.from_dict({
    # The coverage phase (every boundary of every field, hundreds of requests per operation) takes
    # ten times as long; CI runs the fuzzing phase, in both modes. SCHEMATHESIS_COVERAGE=1 locally.
    "phases": {"coverage": {"enabled": os.environ.get("SCHEMATHESIS_COVERAGE") == "1"}},
    "checks": {
        "negative_data_rejection": {"expected-statuses": REJECTED},
        "positive_data_acceptance": {"expected-statuses": ACCEPTED},
    },
})

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.negative_data_rejection,
    schemathesis.checks.positive_data_acceptance,
]

# positive_data_acceptance does not apply where a schema-valid request is refused by a rule no
# JSON Schema can state: the state of the records (a stage already reached, dates before the
# group's founding or its current mentor, criteria not yet met), credentials the document cannot
# know, Django's password validators, an .xlsx file's content, a region or person that must exist.
# Each of these answers 400/422 with an Indonesian sentence (their own tests say which).
# Every other check, negative_data_rejection included, still runs on them.
POSITIVE_NOT_APPLICABLE = {
    "POST /api/v1/auth/token": "wrong username or password is 400 bad_credentials",
    "POST /api/v1/auth/password": "the current password must be right",
    "POST /api/v1/users/{user_id}/password": "Django's password validators",
    "POST /api/v1/users": "Django's password validators; a username already taken",
    "PUT /api/v1/users/{user_id}": "one may not deactivate or change the role of one's own account",
    "GET /api/v1/regions": "the parent must be an existing region code",
    "GET /api/v1/groups": "the programme filter must be an existing programme's code",
    "POST /api/v1/visits/{visit_id}/photos": "the file must be a JPEG, PNG or WebP image",
    "POST /api/v1/programmes": "max_members at least min_members, max_age at least min_age",
    "POST /api/v1/groups": "the desa must exist; the founding members' NIKs and dates",
    "PUT /api/v1/groups/{kube_id}": "the desa must exist",
    "POST /api/v1/groups/{kube_id}/stage/correction": "the group is already at that stage",
    "POST /api/v1/groups/{kube_id}/status": "the group already has that status",
    "POST /api/v1/groups/{kube_id}/pendamping": "start date after the current assignment's",
    "POST /api/v1/groups/{kube_id}/members": "joined on or after the group's founding; a valid NIK",
    "PUT /api/v1/members/{member_id}": "joined on or after the group's founding",
    "POST /api/v1/members/{member_id}/account": "Django's password validators; a username already taken",
    "PUT /api/v1/groups/{kube_id}/officers": "three different members",
    "POST /api/v1/imports": "the file must be an .xlsx workbook",
    "PUT /api/v1/groups/{kube_id}/iks": "the shares must sum to 100 and the names differ",
    "POST /api/v1/grants/{grant_id}/onward-transfers": "recipients' NIKs",
    "POST /api/v1/events": "the kabupaten must exist",
    "POST /api/v1/evaluations": "the visit or event must exist",
    "POST /api/v1/groups/{kube_id}/stage/promote": "the stage's criteria must be met",
    "POST /api/v1/instruments/{instrument_id}/versions": "the scale and items must make an instrument",
    "POST /api/v1/groups/{kube_id}/assessments": "the version and participants must exist",
    "POST /api/v1/groups/{kube_id}/class/checks": "the criterion code must exist",
    "POST /api/v1/groups/{kube_id}/iks/allocations": "the group's IKS funds must be set first",
    "POST /api/v1/groups/{kube_id}/closes": "the month must be after the group's founding",
    "POST /api/v1/groups/{kube_id}/transactions": "the date must be after the group's founding; a general "
                                                  "journal's lines must balance",
    "POST /api/v1/groups/{kube_id}/inventory": "the date must be after the group's founding",
    "POST /api/v1/groups/{kube_id}/rules": "the date must be after the group's founding",
    "POST /api/v1/groups/{kube_id}/grants": "the date must be after the group's founding",
    "POST /api/v1/groups/{kube_id}/guests": "the date must be after the group's founding",
    "POST /api/v1/groups/{kube_id}/agenda": "the date must be after the group's founding",
    "POST /api/v1/groups/{kube_id}/share-rules": "the group's rules book first; shares and weights sum to 100",
    "POST /api/v1/groups/{kube_id}/year-closes": "the year must be over and not yet closed",
    "POST /api/v1/groups/{kube_id}/savings/meeting": "at least one amount on the sheet; a withdrawal within the savings",
    "POST /api/v1/groups/{kube_id}/share-outs": "the year must be closed, profitable and a rule adopted",
    "POST /api/v1/groups/{kube_id}/share-outs/decision": "the meeting after the year; attendance within the members",
    "POST /api/v1/groups/{kube_id}/share-outs/posting": "the year's share-out must be decided and not yet posted",
    "POST /api/v1/dtsen/extracts": "the file must be an extract (.xlsx or CSV with NIK, KK, name and desil "
                                   "columns); the region must be a kabupaten or kecamatan in reach",
    "POST /api/v1/members/{member_id}/dtsen": "a desil with 'found' and only then; the date not in the future",
    "POST /api/v1/dtsen/duplicates/{pair_id}/resolve": "merge and correct name one of the pair; a valid NIK",
    "POST /api/v1/dtsen/extracts/{extract_id}/apply": "an extract is applied once",
    "POST /api/v1/groups/{kube_id}/lpj-approvals": "the month must be closed; the Ketua or the Bendahara confirms",
    "POST /api/v1/groups/{kube_id}/reopen": "the month must be closed and not approved; an officer reopens it",
    "POST /api/v1/region-reports": "the region must be the office's own kabupaten or province; the period over",
}

# In-process through the WSGI application: the requests share the test's database transaction.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
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


@pytest.fixture(scope="module")
def tokens(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """The cast and one API token per role, built once for the module (not once per operation:
    that was most of this file's time) and removed afterwards, as a transactional test's flush
    does, so the tests after this module start from the regions alone."""
    from django.core.management import call_command
    from django.db import connection

    import testing
    from accounts.services import token_create
    from testing.ledger import wipe_for_tests

    with django_db_blocker.unblock():
        cast = testing.build_cast()
        users = cast.role_users()
        tokens = {role: token_create(user=users[role], name="schemathesis")[1] for role in ROLES}
        tokens["kube"] = str(cast.kube_a.pk)
    yield tokens
    with django_db_blocker.unblock():
        wipe_for_tests(connection)
        call_command("flush", interactive=False, verbosity=0)
        testing.ensure_regions()


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_role_gets_answers_inside_the_document(case: Any, role: str, tokens: dict[str, str],
                                                     db: None) -> None:
    _in_reach(case, tokens)
    checks = CHECKS
    if case.operation.label in POSITIVE_NOT_APPLICABLE:
        checks = [c for c in CHECKS if c is not schemathesis.checks.positive_data_acceptance]
    # The in-process transport does not undo the gzip that GZipMiddleware applies when asked for it
    # (a real client does): ask for the plain body, as a check of the document and not of the codec.
    case.call_and_validate(headers={**_as(role, case, tokens), "Accept-Encoding": "identity"}, checks=checks)


def _in_reach(case: Any, tokens: dict[str, str]) -> None:
    """A drawn group id almost never exists, and every request would stop at its 404 before
    the handler: a well-formed `kube_id` names the cast's KUBE Maju Sejahtera 11 instead, which
    every role reaches (read-only roles still answer 403 to its writes)."""
    params = case.path_parameters or {}
    drawn = params.get("kube_id")
    if isinstance(drawn, int) and 1 <= drawn <= 2**63 - 1:  # within the document's bounds only
        params["kube_id"] = int(tokens["kube"])


def _as(role: str, case: Any, tokens: dict[str, str]) -> dict[str, str]:
    """The role's token in place of the generated one; none where the generated request has no
    token or a malformed one (a negative case: it must be refused with 401, and sending a valid
    token there would turn it into a valid request)."""
    generated = (case.headers or {}).get("Authorization", "")
    if not generated.startswith("Bearer "):
        return {}
    return {"Authorization": f"Bearer {tokens[role]}"}
