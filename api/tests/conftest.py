"""The sweeps' objects: one of every kind a path or a body names, in a group (test_reach_sweep.py,
test_write_sweep.py). Both sweeps build them with `group_objects`, so a new kind of object is added
once."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role, User
from approval.models import Lpj, ReopenRequest, Report
from approval.services import chain_for
from dtsen.extract import Table
from dtsen.models import DuplicatePair, Extract
from dtsen.services import compute_preview
from registry.models import Kube
from testing import make_user

DAY = date(2026, 3, 10)


def group_objects(kube: Kube, *, admin: User, mentor: User, office: User, kabupaten: str, event_title: str,
                  photo: bool = False) -> dict[str, Any]:
    """A transaction, a loan, a grant, an agenda activity, a visit (with a photo if asked), an assistance
    event held by `office` in `kabupaten`, and a PEKA session of `kube`, by the path parameter that
    names them."""
    from assessments.instrument import CODE
    from assessments.models import InstrumentVersion
    from assessments.services import assessment_start
    from books.models import TxnKind
    from books.services import cash_entry_record, loan_disburse, period_close
    from books.services.registers import activity_record
    from grants.services import grant_record
    from mentoring.services import event_record, visit_log, visit_photo_add
    from regions.models import Region

    members = list(kube.members.order_by("id"))
    txn = cash_entry_record(actor=admin, kube=kube, kind=TxnKind.CAPITAL_IN, amount=2_000_000, date=DAY,
                            description="Modal")
    loan = loan_disburse(actor=admin, kube=kube, member=members[1], amount=300_000, term_months=3, date=DAY)
    grant = grant_record(actor=admin, kube=kube, name="Bantuan UEP", source="apbn", decree_number="9/2026",
                         amount=5_000_000, received_on=DAY, bank_name="BRI", account_number="9",
                         account_name=kube.name)
    activity = activity_record(actor=admin, kube=kube, date=DAY, kind="rapat", place="Balai", agenda="Rapat",
                               present=members)
    visit = visit_log(actor=mentor, kube=kube, date=DAY, place="Balai", problems="Pemasaran", present=members)
    event = event_record(actor=office, title=event_title, date=DAY, kabupaten=Region.objects.get(pk=kabupaten),
                         topic="usaha", speakers="Dinsos", kubes=[(kube, 3)])
    version = InstrumentVersion.objects.get(instrument__code=CODE, number=1)
    assessment = assessment_start(actor=admin, kube=kube, version=version, date=DAY, participants=members[:5])
    # DTSEN: an extract of the kabupaten previewed (nothing in it to apply) and a pair of its members.
    extract = Extract.objects.create(region_code=kabupaten, file_name="ekstrak.csv", sha256="0" * 64, rows=0,
                                     data_date=DAY, preview=compute_preview(Table([], [], "", {}), []))
    pair = DuplicatePair.objects.create(first=members[0], second=members[1], kind="nik_typo", name_score=100)
    # The reporting chain: February closed, its LPJ submitted, a reopening asked, the kabupaten's report.
    period_close(actor=admin, kube=kube, period=202602)
    lpj = Lpj.objects.create(kube=kube, period=202602, desa_code=kube.desa_id,
                             levels=list(chain_for(kube.desa_id[:2])), reached=1)
    reopen = ReopenRequest.objects.create(lpj=lpj, reason="Salah catat", requested_by=admin)
    report, _new = Report.objects.get_or_create(region_id=kabupaten, period="2026-02",
                                                defaults={"first_month": 202602, "last_month": 202602})
    objects = {"kube_id": kube.pk, "member_id": members[0].pk, "txn_id": txn.pk, "loan_id": loan.pk,
               "grant_id": grant.pk, "activity_id": activity.pk, "visit_id": visit.pk, "event_id": event.pk,
               "assessment_id": assessment.pk, "mentor_id": mentor.pk, "extract_id": extract.pk, "pair_id": pair.pk,
               "lpj_id": lpj.pk, "request_id": reopen.pk, "report_id": report.pk}
    if photo:
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), (10, 120, 60)).save(buffer, format="JPEG")
        objects["photo_id"] = visit_photo_add(actor=mentor, visit=visit, upload=SimpleUploadedFile(
            "a.jpg", buffer.getvalue(), content_type="image/jpeg")).pk
    return objects


@pytest.fixture
def far(cast: Any) -> dict[str, Any]:
    """Objects of kube_d (Kota Semarang, Jawa Tengah), outside every Jawa Barat reach, by the path
    parameter that names them; with an earlier PEKA session to compare with."""
    from assessments.instrument import CODE
    from assessments.models import InstrumentVersion
    from assessments.services import assessment_start

    mentor = make_user("pendamping.semarang", Role.PENDAMPING)
    objects = group_objects(cast.kube_d, admin=cast.admin, mentor=mentor, office=cast.admin, kabupaten="33.74",
                            event_title="Asistensi Semarang", photo=True)
    version = InstrumentVersion.objects.get(instrument__code=CODE, number=1)
    later = assessment_start(actor=cast.admin, kube=cast.kube_d, version=version, date=date(2026, 9, 1),
                             participants=list(cast.kube_d.members.order_by("id"))[:5])
    return {**objects, "earlier_id": objects["assessment_id"], "assessment_id": later.pk, "region_code": "33.74"}


@pytest.fixture
def make_group_objects() -> Callable[..., dict[str, Any]]:
    return group_objects
