"""A POST sent again with the same Idempotency-Key creates nothing twice and gets the first answer."""

from __future__ import annotations

from datetime import date

import pytest

from api.models import IdempotentRequest
from books.models import Transaction, TxnKind
from books.services import cash_entry_record
from testing import bearer


@pytest.fixture
def kube(cast):
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 2, 2), description="Modal")
    return cast.kube_a


SALE = {"kind": "sale", "amount": 450_000, "description": "Penjualan keripik", "date": "2026-02-10"}


def post(client, kube, body, auth, key):
    return client.post(f"/api/v1/groups/{kube.pk}/transactions", body, content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY=key, **auth)


def test_the_same_post_sent_three_times_creates_one_record(client, cast, kube):
    auth = bearer(cast.ketua)
    before = Transaction.objects.count()
    answers = [post(client, kube, SALE, auth, "0b5e6c1e-2f7a-4c1b-9d0e-1f2a3b4c5d6e") for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert Transaction.objects.count() == before + 1
    assert answers[1].json() == answers[2].json() == answers[0].json()
    assert "Idempotent-Replayed" not in answers[0] and answers[2]["Idempotent-Replayed"] == "true"
    # Without a key, or with a new one, it is a new posting.
    assert post(client, kube, SALE, auth, "another-key").status_code == 201
    assert Transaction.objects.count() == before + 2


def test_the_key_is_the_clients_own_and_refused_for_another_request(client, cast, kube):
    ketua, second_phone = bearer(cast.ketua), bearer(cast.ketua)
    assert post(client, kube, SALE, ketua, "k1").status_code == 201
    assert post(client, kube, SALE, second_phone, "k1").status_code == 201  # another token: its own keys
    before = Transaction.objects.count()
    changed = post(client, kube, {**SALE, "amount": 460_000}, ketua, "k1")
    assert changed.status_code == 422 and changed.json()["code"] == "idempotency_key_reused"
    assert "kunci baru" in changed.json()["message"]
    bad = post(client, kube, SALE, ketua, "bukan kunci yang sah")  # spaces
    assert bad.status_code == 400 and bad.json()["code"] == "idempotency_key_invalid"
    assert Transaction.objects.count() == before


def test_a_refusal_is_replayed_but_a_server_error_is_not_kept(client, cast, kube, monkeypatch):
    auth = bearer(cast.ketua)
    zero = {**SALE, "amount": 0}
    first = post(client, kube, zero, auth, "k-zero")
    assert first.status_code == 422 and post(client, kube, zero, auth, "k-zero").json() == first.json()

    from books import api as books_api

    real = books_api.cash_entry_record
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        real(**kwargs)  # the posting is written, then the server fails: all of it must go
        raise RuntimeError("disk full")

    monkeypatch.setattr(books_api, "cash_entry_record", flaky)
    before = Transaction.objects.count()
    failed = post(client, kube, SALE, auth, "k-retry")
    assert failed.status_code == 500 and Transaction.objects.count() == before
    assert not IdempotentRequest.objects.filter(key="k-retry").exists()
    monkeypatch.setattr(books_api, "cash_entry_record", real)
    retried = post(client, kube, SALE, auth, "k-retry")
    assert retried.status_code == 201 and Transaction.objects.count() == before + 1
    assert calls == [1]


@pytest.mark.django_db(transaction=True)
def test_retries_racing_each_other_create_one_record():
    """Four copies at the same instant (a phone retrying while the first is still on its way)."""
    import threading

    from django.db import connection
    from django.test import Client

    import testing

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database shares one cache between threads; "
                    "SQLite serialises writers anyway")
    cast = testing.build_cast()
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 2, 2), description="Modal")
    auth = bearer(cast.ketua)
    before = Transaction.objects.count()
    barrier = threading.Barrier(4)
    answers: list[tuple[int, bytes]] = []

    def send() -> None:
        try:
            barrier.wait(timeout=10)
            response = Client().post(f"/api/v1/groups/{cast.kube_a.pk}/transactions", SALE,
                                     content_type="application/json", HTTP_IDEMPOTENCY_KEY="race", **auth)
            answers.append((response.status_code, response.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert Transaction.objects.count() == before + 1
    assert [status for status, _b in answers] == [201] * 4
    assert len({body for _s, body in answers}) == 1


def test_answers_with_a_secret_or_personal_data_are_never_kept(client, cast):
    member = cast.kube_a.members.first()
    auth = bearer(cast.kab)
    for _ in range(2):
        found = client.post("/api/v1/members/search", {"nik": member.nik}, content_type="application/json",
                            HTTP_IDEMPOTENCY_KEY="nik-1", **auth)
        assert found.status_code == 200 and "Idempotent-Replayed" not in found
    cast.kab.set_password("sandi-kantor-yang-kuat-1")
    cast.kab.save()
    token = client.post("/api/v1/auth/token", {"username": cast.kab.username, "password": "sandi-kantor-yang-kuat-1",
                                               "name": "hp"}, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="tok-1", **auth)
    assert token.status_code == 201
    assert not IdempotentRequest.objects.exists()
