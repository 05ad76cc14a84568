"""Nothing is written for a request that is refused: no idempotency row for an unknown or revoked
token, no stored refusal, no replay to a token no longer in force; expired rows of every token go."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import token_create, token_revoke
from api import idempotency
from api.models import IdempotentRequest
from books.models import Transaction, TxnKind
from books.services import cash_entry_record

SALE = {"kind": "sale", "amount": 450_000, "description": "Penjualan keripik", "date": "2026-02-10"}


@pytest.fixture
def kube(cast):
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 2, 2), description="Modal")
    return cast.kube_a


def post(client, kube, key, **auth):
    return client.post(f"/api/v1/groups/{kube.pk}/transactions", SALE, content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY=key, **auth)


def test_twenty_posts_with_a_made_up_token_write_nothing(client, kube):
    with CaptureQueriesContext(connection) as queries:
        answers = [post(client, kube, f"k-{i}", HTTP_AUTHORIZATION=f"Bearer skb_made-up-{i}") for i in range(20)]
    assert {a.status_code for a in answers} == {401}
    assert not IdempotentRequest.objects.exists()
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_a_session_cookie_alone_records_no_key(cast, kube):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)  # as a browser: the cookie without the CSRF header
    browser.force_login(cast.ketua)  # a session write needs X-CSRFToken: 403, and no row for the cookie
    assert post(browser, kube, "cookie-1").status_code == 403
    assert not IdempotentRequest.objects.exists()


def test_a_revoked_token_gets_no_stored_answer_replayed(client, cast, kube):
    token, raw = token_create(user=cast.ketua, name="hp")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert post(client, kube, "k-1", **auth).status_code == 201
    token_revoke(user=cast.ketua, token=token)
    again = post(client, kube, "k-1", **auth)
    assert again.status_code == 401 and "Idempotent-Replayed" not in again
    assert again.json()["code"] == "unauthorized"
    cast.ketua.is_active = False  # a deactivated user's still unrevoked token is refused as well
    cast.ketua.save()
    _t2, raw2 = token_create(user=cast.ketua, name="hp2")
    assert post(client, kube, "k-2", HTTP_AUTHORIZATION=f"Bearer {raw2}").status_code == 401
    assert IdempotentRequest.objects.count() == 1


def test_a_role_refusal_is_not_kept(client, cast, kube):
    _t, raw = token_create(user=cast.kab, name="kantor")  # reads the books, may not write them
    before = Transaction.objects.count()
    refused = post(client, kube, "k-office", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert refused.status_code == 403
    assert not IdempotentRequest.objects.exists() and Transaction.objects.count() == before


def _old_row(scope: str, key: str) -> IdempotentRequest:
    row = IdempotentRequest.objects.create(scope=scope, key=key, fingerprint="f", status=201, body=b"{}")
    IdempotentRequest.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=25))
    return row


def test_a_write_purges_the_expired_rows_of_every_token(client, cast, kube, monkeypatch):
    monkeypatch.setattr(idempotency, "_next_purge", 0.0)  # this process has not purged yet
    _old_row("a" * 64, "one-off-token")  # a token used once, a day ago
    _old_row("b" * 64, "another")
    fresh = IdempotentRequest.objects.create(scope="c" * 64, key="fresh", fingerprint="f", status=201)
    _t, raw = token_create(user=cast.ketua, name="hp")
    assert post(client, kube, "k-new", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 201
    assert set(IdempotentRequest.objects.values_list("key", flat=True)) == {"fresh", "k-new"}
    assert IdempotentRequest.objects.filter(pk=fresh.pk).exists()


def test_the_next_write_within_the_minute_does_not_purge_again(client, cast, kube, monkeypatch):
    """The purge runs at most once a minute per process, not inside every posting's write lock."""
    monkeypatch.setattr(idempotency, "_next_purge", 0.0)
    _t, raw = token_create(user=cast.ketua, name="hp")
    assert post(client, kube, "k-1", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 201
    _old_row("a" * 64, "expired-meanwhile")
    assert post(client, kube, "k-2", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 201
    assert set(IdempotentRequest.objects.values_list("key", flat=True)) == {"expired-meanwhile", "k-1", "k-2"}
    monkeypatch.setattr(idempotency, "_next_purge", 0.0)  # a minute later
    assert post(client, kube, "k-3", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 201
    assert set(IdempotentRequest.objects.values_list("key", flat=True)) == {"k-1", "k-2", "k-3"}


def test_the_nightly_command_purges_them_too(db, capsys):
    _old_row("a" * 64, "old")
    IdempotentRequest.objects.create(scope="c" * 64, key="fresh", fingerprint="f", status=201)
    call_command("idempotency_purge")
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["fresh"]
    assert "1 jawaban lama dihapus" in capsys.readouterr().out


def test_keys_are_scoped_to_the_token_that_sent_them(client, cast, kube):
    token, raw = token_create(user=cast.ketua, name="hp")
    assert post(client, kube, "k-1", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 201
    assert IdempotentRequest.objects.get().scope == ApiToken.objects.get(pk=token.pk).key_hash
