"""Every read in the API × every role whose reach stops at Jawa Barat: nothing of a group in Jawa
Tengah (KUBE Sido Rukun, with books, a loan, a grant, an agenda activity, a visit with a photo, an
assistance event and two PEKA sessions: the `far` fixture of conftest.py) is answered to them, by id or
inside a list.

The operations are read from the OpenAPI document, so a new endpoint is swept without being added
here; a new kind of path parameter fails the test until it is given an object below.
"""

from __future__ import annotations

import re

from accounts.services import token_create
from sikube.api import api

OUTSIDE = ["provinsi", "kabupaten", "pendamping", "pengurus", "anggota", "outsider"]  # all of them Jawa Barat or nothing


# Values for the query parameters some reads require.
QUERY = {"period": "2026-03", "month": "2026-03", "format": "xlsx"}


def _reads() -> list[tuple[str, list[str], dict[str, str]]]:
    schema = api.get_openapi_schema()
    reads = []
    for path, operations in sorted(schema["paths"].items()):
        if "get" in operations:
            required = [p["name"] for p in operations["get"].get("parameters", [])
                        if p.get("in") == "query" and p.get("required")]
            unknown = [name for name in required if name not in QUERY]
            assert not unknown, f"{path}: give the sweep a value for the query parameter {unknown}"
            reads.append((path, re.findall(r"{(\w+)}", path), {name: QUERY[name] for name in required}))
    return reads


def test_no_read_answers_anything_of_a_group_outside_reach(client, cast, far):
    tokens = {role: token_create(user=user, name="sweep")[1] for role, user in cast.role_users().items()}
    secrets = [cast.kube_d.name, cast.kube_d.members.order_by("id").first().name, "Asistensi Semarang"]
    swept = 0
    for path, params, query in _reads():
        unknown = [p for p in params if p not in far]
        assert not unknown, f"{path}: give the sweep an object for {unknown}"
        url = path.format(**far)
        for role in OUTSIDE:
            response = client.get(url, query, HTTP_AUTHORIZATION=f"Bearer {tokens[role]}")
            swept += 1
            if params:  # an object of Jawa Tengah, by id: not found (or not for this role)
                assert response.status_code in (403, 404), (role, url, response.status_code)
                assert set(response.json()) >= {"code", "message"}
            else:  # a list or a search: nothing of it inside
                assert response.status_code < 500, (role, url, response.status_code)
                body = response.content.decode(errors="replace")
                assert not any(s in body for s in secrets), (role, url)
        national = client.get(url, query, HTTP_AUTHORIZATION=f"Bearer {tokens['pusat']}")
        assert national.status_code < 500, (url, national.status_code)
    assert swept > 300
