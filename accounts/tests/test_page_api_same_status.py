"""The page and the API give the same status for the same request, for every role: the mentors
overview, mentors' workspaces, the PEKA roll-up, a group, one of its transactions and loans, a
visit, an assistance event, a region report, and writes by roles that may not make them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import token_create
from approval.services import report_open
from books.models import TxnKind
from books.services import cash_entry_record, loan_disburse
from mentoring.services import event_record, visit_log
from regions.models import Region
from testing import make_user

ROLES = ["admin", "pusat", "provinsi", "kabupaten", "pendamping", "pengurus", "anggota", "outsider"]
DAY = date(2026, 3, 10)


GRANT = {"name": "Bantuan UEP", "source": "apbn", "decree_number": "1/2026", "amount": 1000, "received_on": "2026-03-10",
         "bank_name": "BRI", "account_number": "1", "account_name": "KUBE"}


Question = tuple[str, str, str, str, dict[str, Any]]


def _questions(cast: Any) -> list[Question]:
    """(what, method, page url, API url, data): the same question asked of both (the data as a form on
    the page, as JSON in the API)."""
    idle = make_user("pendamping.baru", Role.PENDAMPING, "32.04")  # Kab. Bandung's, no group yet
    far_mentor = make_user("pendamping.semarang", Role.PENDAMPING, "33.74")
    questions: list[Question] = [("mentors overview", "get", "/pendampingan/pendamping/", "/api/v1/mentors", {}),
                                 ("PEKA roll-up", "get", "/peka/", "/api/v1/assessment-rollup", {})]
    for name, mentor in [("own mentor", cast.pendamping), ("Bogor's mentor", cast.pendamping_other),
                         ("mentor without a group", idle), ("Semarang's mentor", far_mentor)]:
        questions.append((f"workspace of {name}", "get", f"/pendampingan/pendamping/{mentor.pk}/",
                          f"/api/v1/mentors/{mentor.pk}/workspace", {}))
    for where, kube in [("near", cast.kube_a), ("far", cast.kube_d)]:
        members = list(kube.members.order_by("id"))
        txn = cash_entry_record(actor=cast.admin, kube=kube, kind=TxnKind.CAPITAL_IN, amount=500_000, date=DAY,
                                description="Modal")
        loan = loan_disburse(actor=cast.admin, kube=kube, member=members[1], amount=100_000, term_months=3, date=DAY)
        mentor = cast.pendamping if kube == cast.kube_a else far_mentor
        visit = visit_log(actor=mentor, kube=kube, date=DAY, place="Balai", problems="Stok", present=members)
        questions += [
            (f"group {where}", "get", f"/kube/{kube.pk}/", f"/api/v1/groups/{kube.pk}", {}),
            (f"transaction {where}", "get", f"/kube/{kube.pk}/buku/transaksi/{txn.pk}/",
             f"/api/v1/transactions/{txn.pk}", {}),
            (f"loan {where}", "get", f"/kube/{kube.pk}/buku/pinjaman/{loan.pk}/", f"/api/v1/loans/{loan.pk}", {}),
            (f"visit {where}", "get", f"/kube/{kube.pk}/pendampingan/{visit.pk}/", f"/api/v1/visits/{visit.pk}",
             {}),
            (f"record a grant {where}", "post", f"/kube/{kube.pk}/bantuan/", f"/api/v1/groups/{kube.pk}/grants",
             GRANT),
        ]
    questions.append(("record a grant, missing group", "post", "/kube/99999999/bantuan/",
                      "/api/v1/groups/99999999/grants", GRANT))
    # An office's own objects, not a group's: an assistance event and a region report, in Kab. Bandung
    # and in Kota Semarang (Jawa Tengah), and ones that do not exist.
    for where, code, kube in [("near", "32.04", cast.kube_a), ("far", "33.74", cast.kube_d)]:
        region = Region.objects.get(pk=code)
        event = event_record(actor=cast.admin, title="Asistensi", date=DAY, kabupaten=region, topic="administrasi",
                             speakers="Dinsos", kubes=[(kube, 2)])
        report = report_open(region=region, period="2026-10")
        questions += [
            (f"assistance event {where}", "get", reverse("mentoring:event", args=[event.pk]),
             f"/api/v1/events/{event.pk}", {}),
            (f"region report {where}", "get", reverse("approval:report", args=[report.pk]),
             f"/api/v1/region-reports/{report.pk}", {}),
        ]
    questions += [("assistance event, missing", "get", reverse("mentoring:event", args=[99999999]),
                   "/api/v1/events/99999999", {}),
                  ("region report, missing", "get", reverse("approval:report", args=[99999999]),
                   "/api/v1/region-reports/99999999", {})]
    return questions


def test_page_and_api_answer_the_same_status_for_every_role(client, cast):
    questions = _questions(cast)
    differ = []
    seen: dict[tuple[str, str], int] = {}
    for role in ROLES:
        user = cast.role_users()[role]
        _t, raw = token_create(user=user, name="same")
        for what, method, page_url, api_url, data in questions:
            client.force_login(user)
            page = getattr(client, method)(page_url, data)
            client.logout()
            answer = getattr(client, method)(api_url, data if method == "post" else {},
                                             **({"content_type": "application/json"} if method == "post" else {}),
                                             HTTP_AUTHORIZATION=f"Bearer {raw}")
            # Done is done: a page that saved redirects (302), the API answers 201.
            page_status = 200 if page.status_code == 302 else page.status_code
            api_status = 200 if answer.status_code == 201 else answer.status_code
            if page_status != api_status:
                differ.append(f"{role} {what}: page {page.status_code}, API {answer.status_code}")
            seen[role, what] = api_status
    assert not differ, "\n".join(differ)
    # Both say yes where the object is in reach and no where it is not (not both 404 for a wrong address).
    for what in ("assistance event", "region report", "group", "visit"):
        assert (seen["kabupaten", f"{what} near"], seen["kabupaten", f"{what} far"]) == (200, 404), what
        assert seen["pusat", f"{what} far"] == 200, what


@pytest.mark.parametrize("role", ["pendamping", "pengurus", "anggota", "outsider"])
def test_the_mentors_overview_is_not_there_for_those_who_are_not_an_office(client, cast, role):
    user = cast.role_users()[role]
    _t, raw = token_create(user=user, name="overview")
    assert client.get("/api/v1/mentors", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404
    client.force_login(user)
    assert client.get("/pendampingan/pendamping/").status_code == 404
