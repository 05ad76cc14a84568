"""The API called by SIKUBE's own pages: the signed-in session, the CSRF header for writes, and
idempotency keys bound to the user (not the session), so that a phone's outbox sent again after a
new sign-in replays instead of posting twice."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from api.models import IdempotentRequest
from books.models import Transaction, TxnKind
from books.services import cash_entry_record

SALE = {"kind": "sale", "amount": 45_000, "description": "Penjualan keripik", "date": "2026-02-10"}


@pytest.fixture
def kube(cast):
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 2, 2), description="Modal")
    return cast.kube_a


def signed_in(user) -> tuple[Client, str]:
    """A browser of `user` that enforces CSRF as a real one does, and its CSRF token."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/", follow=True)  # the home page sets the CSRF cookie (its sign-out form)
    return browser, browser.cookies["csrftoken"].value


def second_officer(cast):
    """The group's bendahara, signed up as a second officer of kube_a."""
    from accounts.models import Role
    from registry.models import Member
    from testing import make_user

    user = make_user("bendahara.maju", Role.PENGURUS)
    bendahara = {o.position: o.member for o in cast.kube_a.officers.all()}["bendahara"]
    Member.objects.filter(pk=bendahara.pk).update(user=user)
    return user


def sale(browser, kube, *, csrf: str | None, key: str = "k-1", body=SALE):
    extra = {"HTTP_X_CSRFTOKEN": csrf} if csrf else {}
    return browser.post(f"/api/v1/groups/{kube.pk}/transactions", body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY=key, **extra)


def test_a_session_write_without_the_csrf_token_is_refused_and_records_nothing(cast, kube):
    browser, _token = signed_in(cast.ketua)
    before = Transaction.objects.count()
    answer = sale(browser, kube, csrf=None)
    assert answer.status_code == 403 and answer.json()["code"] == "csrf_failed"
    assert "Muat ulang halaman" in answer.json()["message"]
    assert sale(browser, kube, csrf="salah" * 8).status_code == 403
    assert Transaction.objects.count() == before and not IdempotentRequest.objects.exists()


def test_a_session_read_and_write_with_the_csrf_token_work(cast, kube):
    browser, token = signed_in(cast.ketua)
    assert browser.get(f"/api/v1/groups/{kube.pk}/accounts").status_code == 200  # reads need no CSRF
    answer = sale(browser, kube, csrf=token)
    assert answer.status_code == 201, answer.json()
    assert Transaction.objects.filter(pk=answer.json()["id"], created_by=cast.ketua).exists()


def test_without_a_session_the_api_still_answers_401(client, kube):
    answer = client.post(f"/api/v1/groups/{kube.pk}/transactions", SALE, content_type="application/json")
    assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"


def test_a_key_replays_across_two_sessions_of_the_same_user_and_not_to_another(cast, kube):
    first, token = signed_in(cast.ketua)
    answer = sale(first, kube, csrf=token, key="outbox-item-1")
    assert answer.status_code == 201
    before = Transaction.objects.count()
    # The session expires while the phone is offline; the treasurer signs in again and the outbox resends.
    second, token2 = signed_in(cast.ketua)
    again = sale(second, kube, csrf=token2, key="outbox-item-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == answer.json() and Transaction.objects.count() == before
    # Another officer of the same group with the same key gets nothing of the first answer: a new posting.
    other, token3 = signed_in(second_officer(cast))
    theirs = sale(other, kube, csrf=token3, key="outbox-item-1")
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != answer.json()["id"] and Transaction.objects.count() == before + 1


def test_an_inactive_user_gets_no_replay(cast, kube):
    browser, token = signed_in(cast.ketua)
    assert sale(browser, kube, csrf=token, key="k-gone").status_code == 201
    cast.ketua.is_active = False
    cast.ketua.save(update_fields=["is_active"])
    answer = sale(browser, kube, csrf=token, key="k-gone")
    assert answer.status_code == 401 and "Idempotent-Replayed" not in answer


def test_an_outbox_item_of_another_user_on_this_phone_is_refused_and_records_nothing(cast, kube):
    """Another user signed in on the phone while the first one's item waited: the item, sent with
    its owner's id, is not booked under the new session's user, nor is its key claimed; the
    owner's own session sends it, and a client that names no owner (a script) is unaffected."""
    bendahara = second_officer(cast)
    browser, csrf = signed_in(bendahara)
    before = Transaction.objects.count()
    answer = sale(browser, kube, csrf=csrf, key="hp-1")  # no owner named: an ordinary call
    assert answer.status_code == 201
    refused = browser.post(f"/api/v1/groups/{kube.pk}/transactions", SALE, content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="hp-2", HTTP_X_CSRFTOKEN=csrf, HTTP_X_OUTBOX_USER=str(cast.ketua.pk))
    assert refused.status_code == 409 and refused.json()["code"] == "other_user"
    assert "pengguna lain" in refused.json()["message"]
    assert Transaction.objects.count() == before + 1
    assert not IdempotentRequest.objects.filter(key="hp-2").exists()
    owner, owner_csrf = signed_in(cast.ketua)
    sent = owner.post(f"/api/v1/groups/{kube.pk}/transactions", SALE, content_type="application/json",
                      HTTP_IDEMPOTENCY_KEY="hp-2", HTTP_X_CSRFTOKEN=owner_csrf, HTTP_X_OUTBOX_USER=str(cast.ketua.pk))
    assert sent.status_code == 201 and Transaction.objects.count() == before + 2
