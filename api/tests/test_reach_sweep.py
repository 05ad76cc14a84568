"""Every read in the API × every role whose reach stops at Jawa Barat: nothing of a group in Jawa
Tengah (KUBE Sido Rukun, with books, a loan, a grant, an agenda activity, a visit with a photo, an
assistance event and two PEKA sessions) is answered to them, by id or inside a list.

The operations are read from the OpenAPI document, so a new endpoint is swept without being added
here; a new kind of path parameter fails the test until it is given an object below.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role
from accounts.services import token_create
from sikube.api import api
from testing import make_user

OUTSIDE = ["provinsi", "kabupaten", "pendamping", "pengurus", "anggota", "outsider"]  # all of them Jawa Barat or nothing
DAY = date(2026, 3, 10)


@pytest.fixture
def far(cast) -> dict[str, Any]:
    """Objects of kube_d (Kota Semarang), by the path parameter that names them."""
    from assessments.instrument import CODE
    from assessments.models import InstrumentVersion
    from assessments.services import assessment_start
    from books.models import TxnKind
    from books.services import cash_entry_record, loan_disburse
    from books.services.registers import activity_record
    from grants.services import grant_record
    from mentoring.services import event_record, visit_log, visit_photo_add
    from regions.models import Region

    kube, admin = cast.kube_d, cast.admin
    members = list(kube.members.order_by("id"))
    mentor = make_user("pendamping.semarang", Role.PENDAMPING)
    txn = cash_entry_record(actor=admin, kube=kube, kind=TxnKind.CAPITAL_IN, amount=2_000_000, date=DAY,
                            description="Modal")
    loan = loan_disburse(actor=admin, kube=kube, member=members[1], amount=300_000, term_months=3, date=DAY)
    grant = grant_record(actor=admin, kube=kube, name="Bantuan UEP", source="apbn", decree_number="9/2026",
                         amount=5_000_000, received_on=DAY, bank_name="BRI", account_number="9",
                         account_name=kube.name)
    activity = activity_record(actor=admin, kube=kube, date=DAY, kind="rapat", place="Balai", agenda="Rapat",
                               present=members)
    visit = visit_log(actor=mentor, kube=kube, date=DAY, place="Balai", problems="Pemasaran", present=members)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(buffer, format="JPEG")
    photo = visit_photo_add(actor=mentor, visit=visit, upload=SimpleUploadedFile("a.jpg", buffer.getvalue(),
                                                                                  content_type="image/jpeg"))
    event = event_record(actor=admin, title="Asistensi Semarang", date=DAY, kabupaten=Region.objects.get(pk="33.74"),
                         topic="usaha", speakers="Dinsos", kubes=[(kube, 3)])
    version = InstrumentVersion.objects.get(instrument__code=CODE, number=1)
    earlier = assessment_start(actor=admin, kube=kube, version=version, date=DAY, participants=members[:5])
    later = assessment_start(actor=admin, kube=kube, version=version, date=date(2026, 9, 1), participants=members[:5])
    return {"kube_id": kube.pk, "member_id": members[0].pk, "txn_id": txn.pk, "loan_id": loan.pk,
            "grant_id": grant.pk, "activity_id": activity.pk, "visit_id": visit.pk, "photo_id": photo.pk,
            "event_id": event.pk, "assessment_id": later.pk, "earlier_id": earlier.pk, "mentor_id": mentor.pk,
            "region_code": "33.74"}


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
