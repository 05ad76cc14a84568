"""What offices see of a group's messages (page and API), and consent recorded on the page."""

from __future__ import annotations

from datetime import date

import pytest

import testing
from lib.personal import mask_phone
from messaging.models import Consent, Event, Message, Status
from testing.messaging import consent_all, give_phones

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return testing.build_cast()


def _history(cast):
    """Ani: two failures in a row (keeps failing); Euis: a failure then a delivery; Yati: one delivered."""
    members = consent_all(cast.kube_a, cast.kab)
    rows = [(members[0], Status.FAILED), (members[0], Status.FAILED), (members[1], Status.DELIVERED),
            (members[1], Status.FAILED), (members[2], Status.DELIVERED), (members[3], Status.SENT),
            (members[3], Status.PENDING)]
    for i, (member, status) in enumerate(rows):
        Message.objects.create(kube=cast.kube_a, member=member, event=Event.DEPOSIT, event_ref=f"h{i}",
                               text="x", status=status, last_error="HTTP 400 nomor tidak aktif" if status == "failed" else "")
    # Euis' latest is the delivery: created last for her.
    Message.objects.filter(event_ref="h2").update(created_at=Message.objects.get(event_ref="h3").created_at
                                                   + (Message.objects.get(event_ref="h3").created_at
                                                      - Message.objects.get(event_ref="h0").created_at))
    return members


def test_the_office_sees_counts_and_the_phone_that_keeps_failing(client, cast):
    members = _history(cast)
    client.force_login(cast.kab)
    page = client.get(f"/kube/{cast.kube_a.pk}/pesan/").content.decode()
    assert 'data-testid="count-failed">3<' in page
    assert 'data-testid="count-delivered">2<' in page
    assert 'data-testid="count-sent">1<' in page
    assert 'data-testid="count-waiting">1<' in page
    failing = page.split('data-testid="failing-phones"')[1].split("</section>")[0]
    assert members[0].name in failing and members[0].phone in failing
    assert members[1].name not in failing
    testing.assert_csp_clean(page)


def test_the_province_sees_the_phone_masked_and_the_api_answers_alike(client, cast):
    members = _history(cast)
    client.force_login(cast.prov)
    page = client.get(f"/kube/{cast.kube_a.pk}/pesan/").content.decode()
    assert members[0].phone not in page and mask_phone(members[0].phone) in page
    response = client.get(f"/api/v1/groups/{cast.kube_a.pk}/messages", **testing.bearer(cast.prov))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["sent"], body["delivered"], body["failed"], body["waiting"]) == (1, 2, 3, 1)
    assert body["consenting"] == len(members)
    assert [f["member"] for f in body["failing"]] == [members[0].pk]
    assert body["failing"][0]["phone"] == mask_phone(members[0].phone)


def test_outside_reach_is_not_found_on_page_and_api(client, cast):
    client.force_login(cast.kab_other)
    assert client.get(f"/kube/{cast.kube_a.pk}/pesan/").status_code == 404
    assert client.get(f"/api/v1/groups/{cast.kube_a.pk}/messages", **testing.bearer(cast.kab_other)).status_code == 404


def test_the_mentor_records_and_withdraws_consent_on_the_page(client, cast):
    members = give_phones(cast.kube_a)
    client.force_login(cast.pendamping)
    url = f"/kube/{cast.kube_a.pk}/pesan/"
    assert client.get(url).status_code == 200
    saved = client.post(url, {"member": members[0].pk, "given_on": "2026-06-01", "method": "meeting"})
    assert saved.status_code == 302
    consent = Consent.objects.get(member=members[0])
    assert (consent.given_on, consent.method, consent.recorded_by) == (date(2026, 6, 1), "meeting", cast.pendamping)
    future = client.post(url, {"member": members[1].pk, "given_on": "2099-01-01", "method": "form"})
    assert "tidak boleh di masa depan" in future.content.decode()
    assert client.post(url + "cabut/", {"member": members[0].pk}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_how == "officer"
    assert consent.withdrawn_by == cast.pendamping


def test_the_groups_officers_read_but_do_not_record_consent(client, cast):
    members = give_phones(cast.kube_a)
    client.force_login(cast.ketua)
    url = f"/kube/{cast.kube_a.pk}/pesan/"
    page = client.get(url).content.decode()
    assert 'data-testid="consent-form"' not in page
    assert client.post(url, {"member": members[0].pk, "given_on": "2026-06-01", "method": "form"}).status_code == 403
    assert not Consent.objects.exists()


def test_a_member_of_another_group_cannot_be_named(client, cast):
    other = give_phones(cast.kube_b)
    client.force_login(cast.kab)
    response = client.post(f"/kube/{cast.kube_a.pk}/pesan/", {"member": other[0].pk, "given_on": "2026-06-01",
                                                               "method": "form"})
    assert response.status_code == 200 and not Consent.objects.exists()  # not among the choices
    assert client.post(f"/kube/{cast.kube_a.pk}/pesan/cabut/", {"member": other[0].pk}).status_code == 404
