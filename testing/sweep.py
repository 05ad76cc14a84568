"""The reach and write sweeps' far-away group: KUBE Sido Rukun (Jawa Tengah) with one object of
every kind a path names, outside every Jawa Barat reach."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role
from testing import make_user

DAY = date(2026, 3, 10)


def far_objects(cast: Any) -> dict[str, Any]:
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
