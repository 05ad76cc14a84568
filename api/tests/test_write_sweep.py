"""Every write of the API × every role, against objects outside reach in the path and in the body.

Like the read sweep (test_reach_sweep.py), and with its objects (conftest.py), the operations come from the OpenAPI document, and a body
is generated from each operation's schema, so a new endpoint or a new body field is swept without
being added here. Two rounds:

- **path**: every path id names an object of KUBE Sido Rukun (Kota Semarang, Jawa Tengah), outside
  every Jawa Barat reach, and every id in the body too;
- **body**: the path names the role's own group (KUBE Maju Sejahtera 11) and its objects, while every
  id in the body names an object of Sido Rukun (a member, a fund, a plan line, a mentor employed in
  Semarang, a visit, an event, a follow-up, an activity, a region). Here the administrator is swept
  too: an object of another group is refused like a missing one even with national reach.

Each request must answer 403 or 404, and the domain tables must hold exactly the rows they held
before (every row's every column compared).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from accounts.services import token_create
from api.types import (
    ACCOUNT_CODE_PATTERN,
    MONTH_PATTERN,
    NIK_PATTERN,
    PERIOD_PATTERN,
    SLUG_PATTERN,
    TIME_PATTERN,
    USERNAME_PATTERN,
)
from sikube.api import api

DAY = date(2026, 3, 10)  # the day of the fixtures' objects (conftest.py)
PATH_ROLES = ["pusat", "provinsi", "kabupaten", "pendamping", "pengurus", "anggota", "outsider"]
BODY_ROLES = ["admin", *PATH_ROLES]
# Writes that name no object of a group: the sign-in and one's own password (auth/...), and the NIK
# search, a read sent as POST so the NIK stays out of URLs (covered by the read tests).
NOT_SWEPT = {"/api/v1/auth/token", "/api/v1/auth/password", "/api/v1/members/search"}
# The tables whose rows a refused write must leave alone.
DOMAIN_APPS = ("registry", "books", "grants", "mentoring", "assessments", "audit", "dtsen")
SKIP_MODELS = {"accounts.ApiToken"}  # last_used_at moves with every request, by design


def _snapshot() -> dict[str, str]:
    out = {}
    models = [m for label in DOMAIN_APPS for m in apps.get_app_config(label).get_models()]
    models.append(apps.get_model("accounts", "User"))
    tables = set(connection.introspection.table_names())
    for model in models:
        if model._meta.label in SKIP_MODELS or model._meta.db_table not in tables:
            continue  # (a table one database has and not the other: PostgreSQL's rows of members' names)
        rows = list(model._default_manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        out[model._meta.label] = f"{len(rows)}:{digest}"
    return out


def _objects(kube: Any, *, admin: Any, mentor: Any, office: Any) -> dict[str, Any]:
    """One object of every kind a write names, in `kube`."""
    from books.services import iks_policy_set
    from books.services.registers import inventory_add, workplan_save
    from grants.services import grant_record, plan_set
    from mentoring.services import NewFollowUp, visit_log

    members = list(kube.members.order_by("id"))
    [fund, *_rest] = iks_policy_set(actor=admin, kube=kube, funds=[("Dana sosial", 10)])
    grant = grant_record(actor=admin, kube=kube, name="Bantuan UEP Dua", source="apbn", decree_number="8/2026",
                         amount=3_000_000, received_on=DAY, bank_name="BRI", account_number="8",
                         account_name=kube.name)
    [line] = plan_set(actor=admin, grant=grant, lines=[("Etalase", 1, "unit", 1_000_000, True)])
    item = inventory_add(actor=admin, kube=kube, name="Timbangan", quantity=1, unit="unit", acquired_on=DAY,
                         source="own", value=250_000)
    work = workplan_save(actor=admin, kube=kube, activity="Pameran", aim="Pemasaran", target="2 kali",
                         start_on=DAY, end_on=date(2026, 6, 30))
    visit = visit_log(actor=mentor, kube=kube, date=date(2026, 3, 12), place="Balai", problems="Stok",
                      present=members, follow_ups=[NewFollowUp("Rapikan buku kas", members[0], date(2026, 4, 12))])
    follow_up = visit.follow_ups.get()
    return {"fund": fund.pk, "plan_line": line.pk, "inventory_id": item.pk, "workplan_id": work.pk,
            "follow_up_id": follow_up.pk, "grant2_id": grant.pk}


@pytest.fixture
def near(cast, far, make_group_objects) -> dict[str, Any]:
    """The objects of KUBE Maju Sejahtera 11, by path parameter: in every Jawa Barat role's reach."""
    objects = make_group_objects(cast.kube_a, admin=cast.admin, mentor=cast.pendamping, office=cast.kab,
                                 kabupaten="32.04", event_title="Asistensi Cimenyan")
    return {**objects, **_objects(cast.kube_a, admin=cast.admin, mentor=cast.pendamping, office=cast.kab)}


@pytest.fixture
def far_all(cast, far) -> dict[str, Any]:
    from accounts.models import User

    mentor = User.objects.get(username="pendamping.semarang")
    User.objects.filter(pk=mentor.pk).update(region_id="33.74")  # employed by Kota Semarang
    return {**far, **_objects(cast.kube_d, admin=cast.admin, mentor=mentor, office=cast.admin)}


# Path parameters of objects that are not a group's (programmes, users, tokens, the instrument):
# only the administrator writes them; for the others any id is refused before it is looked up.
GLOBAL_PATH = {"programme_id": 1, "user_id": 1, "token_id": 1, "instrument_id": 1, "version_id": 1,
               "action_id": 99_999_999}


def _path_value(name: str, path: str, objects: dict[str, Any]) -> Any:
    if name == "item_id":
        return objects["inventory_id"] if "/inventory/" in path else objects["workplan_id"]
    if name in objects:
        return objects[name]
    if name in GLOBAL_PATH:
        return GLOBAL_PATH[name]
    raise AssertionError(f"{path}: give the write sweep an object for the path parameter {name}")


# Body fields that name an object, by field name → the key of the object in the fixtures.
BODY_REFS = {
    "member": "member_id", "person": "member_id", "ketua": "member_id", "sekretaris": "member_id",
    "bendahara": "member_id", "participants": "member_id", "present": "member_id",
    "kube": "kube_id", "recipient_kube": "kube_id", "pendamping": "mentor_id", "fund": "fund",
    "plan_line": "plan_line", "visit": "visit_id", "event": "event_id", "activity": "activity_id",
    "close_follow_ups": "follow_up_id",
}
# Region codes in a body, outside Jawa Barat.
BODY_REGIONS = {"kabupaten": "33.74", "kecamatan": "33.74.01", "desa": "33.74.01.1001", "region": "33.74"}
# Plain-text fields some writes read before the references (so the references are reached).
OVERRIDES = {"/api/v1/groups/{kube_id}/transactions": {"kind": "general"},
             "lines": {"account": "1101"}}
FORMATS = {"date": DAY.isoformat(), "time": "09:00:00", "date-time": "2026-03-10T09:00:00+07:00"}


class Body:
    def __init__(self, schema: dict[str, Any], refs: dict[str, Any]) -> None:
        self.components = schema["components"]["schemas"]
        self.refs = refs
        self.used: set[str] = set()  # the body fields that named an object or a region

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.components[node["$ref"].split("/")[-1]]
        return node

    def value(self, node: dict[str, Any], name: str = "") -> Any:
        node = self.resolve(node)
        if "anyOf" in node:
            options = [self.resolve(o) for o in node["anyOf"] if self.resolve(o).get("type") != "null"]
            return self.value(options[0], name) if options else None
        kind = node.get("type")
        if name in BODY_REFS and kind == "integer":
            self.used.add(name)
            return self.refs[BODY_REFS[name]]
        if name in BODY_REFS and kind == "array" and self.resolve(node.get("items", {})).get("type") == "integer":
            self.used.add(name)
            return [self.refs[BODY_REFS[name]]]
        if name in BODY_REGIONS and kind == "string":
            self.used.add(name)
            return BODY_REGIONS[name]
        if "enum" in node:
            return node["enum"][0]
        if kind == "object":
            fixed = OVERRIDES.get(name, {})
            return {key: fixed.get(key, self.value(prop, key)) for key, prop in node.get("properties", {}).items()}
        if kind == "array":
            return [self.value(node.get("items", {}), name)]
        if kind == "integer":
            return max(1, node.get("minimum", 1))
        if kind == "number":
            return 1
        if kind == "boolean":
            return True
        if kind == "string":
            if node.get("format") in FORMATS:
                return FORMATS[node["format"]]
            if node.get("pattern") == TIME_PATTERN:  # a wall-clock time (api.types.LocalTime)
                return "09:00"
            if node.get("pattern") in (MONTH_PATTERN, PERIOD_PATTERN):  # api.types.Month, Period
                return DAY.isoformat()[:7]
            patterned = {ACCOUNT_CODE_PATTERN: "5999", NIK_PATTERN: "3204060101900001",
                         SLUG_PATTERN: "uji-sapu", USERNAME_PATTERN: "uji.sapu"}  # api.types' patterns
            if node.get("pattern") in patterned:
                return patterned[node["pattern"]]
            return "Uji sapu tulis"[: node.get("maxLength", 50)] or "x"
        return None


def _writes() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    out = []
    for path, operations in sorted(schema["paths"].items()):
        if path in NOT_SWEPT:
            continue
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                out.append((path, method, operation))
    return out


def _foreign_workbook(refs: dict[str, Any]) -> Any:
    """An import of one group in Kota Semarang with the Semarang mentor: refused row by row."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from accounts.models import User
    from registry.importer import KUBE_COLUMNS
    from testing.registry import build

    book = load_workbook(io.BytesIO(build(1, 6)))
    keys = [c.key for c in KUBE_COLUMNS]
    book["KUBE"].cell(row=2, column=keys.index("desa") + 1, value=BODY_REGIONS["desa"])
    book["KUBE"].cell(row=2, column=keys.index("pendamping") + 1,
                      value=User.objects.get(pk=refs["mentor_id"]).username)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("impor.xlsx", buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _refused(path: str, response: Any) -> bool:
    """403 or 404; an Excel import refuses the file as a whole, naming each row (422 import_invalid)."""
    if response.status_code in (403, 404):
        return True
    return path == "/api/v1/imports" and response.status_code == 422 and response.json()["code"] == "import_invalid"


def _request(client, method: str, path: str, url: str, operation: dict[str, Any], body: Body, token: str) -> Any:
    content = operation.get("requestBody", {}).get("content", {})
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    call = getattr(client, method)
    if url.endswith("/imports"):
        return call(url, {"file": _foreign_workbook(body.refs)}, **auth)
    if url.endswith("/dtsen/extracts"):  # an extract of Kota Semarang: outside every Jawa Barat reach
        from django.core.files.uploadedfile import SimpleUploadedFile

        from testing.dtsen import csv_bytes

        extract = SimpleUploadedFile("ekstrak.csv", csv_bytes([["3374010101900001", "3374010000000001", "Uji", 2, ""]]))
        return call(url, {"file": extract, "region": BODY_REGIONS["region"], "data_date": DAY.isoformat()}, **auth)
    if "multipart/form-data" in content:
        from django.core.files.uploadedfile import SimpleUploadedFile

        files = {key: SimpleUploadedFile(f"{key}.bin", b"x") for key in
                 body.resolve(content["multipart/form-data"]["schema"]).get("properties", {})}
        return call(url, files, **auth)
    payload = body.value(content["application/json"]["schema"], path) if "application/json" in content else {}
    return call(url, payload, content_type="application/json", **auth)


def _sweep(client, tokens, roles, path_objects, body_objects, *, round_name: str) -> int:
    schema = api.get_openapi_schema()
    body = Body(schema, body_objects)
    swept = 0
    named: list[tuple[str, str, list[str]]] = []
    for path, method, operation in _writes():
        url = path
        for name in re.findall(r"{(\w+)}", path):
            url = url.replace("{" + name + "}", str(_path_value(name, path, path_objects)))
        content = operation.get("requestBody", {}).get("content", {})
        body.used = set()
        if "application/json" in content:
            body.value(content["application/json"]["schema"], path)
        if round_name == "body" and not body.used and not path.endswith("/imports"):
            continue  # names nothing in its body: the path round covers it
        named.append((method.upper(), path, sorted(body.used)))
        before = _snapshot()
        answers = {}
        # With no object in the path, or only a region in the body, the administrator's national reach
        # covers Sido Rukun's objects.
        national_ok = "{" not in path or body.used <= set(BODY_REGIONS)
        for role in (roles if not national_ok else [r for r in roles if r != "admin"]):
            response = _request(client, method, path, url, operation, body, tokens[role])
            answers[role] = (response.status_code, response.content[:300], _refused(path, response))
            swept += 1
        after = _snapshot()
        changed = sorted(label for label in before if before[label] != after[label])
        wrong = {role: answer[:2] for role, answer in answers.items() if not answer[2]}
        assert not wrong, (round_name, method.upper(), path, wrong)
        assert not changed, (round_name, method.upper(), path, changed)
    if round_name == "body":  # every kind of body reference was swept
        assert {f for _m, _p, fields in named for f in fields} == set(BODY_REFS) | set(BODY_REGIONS), named
    return swept


def test_no_write_reaches_an_object_outside_reach_in_the_path_or_the_body(client, cast, far_all, near):
    tokens = {role: token_create(user=user, name="sweep")[1] for role, user in cast.role_users().items()}
    swept = _sweep(client, tokens, PATH_ROLES, far_all, far_all, round_name="path")
    swept += _sweep(client, tokens, BODY_ROLES, near, far_all, round_name="body")
    assert swept > 500
