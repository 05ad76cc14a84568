"""The grant pages and endpoints read in a fixed number of queries: the same exact count with a
plan of 2 lines and of 10, with as many spends and onward transfers (issue 14 measured the
detail page growing from 11 to 27 queries). The figures they show are checked here too, so
that a cheaper read cannot be a wrong one: a reversed spend and a reversed transfer count
for nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from books.models import Transaction
from books.services import transaction_reverse
from grants.models import Grant
from grants.services import grant_record, grant_spend, onward_transfer, plan_set
from testing import bearer

SIZES = [2, 10]


def _grant(cast, n: int, *, name: str = "Bantuan UEP KUBE") -> Grant:
    """A grant of Rp100 juta with `n` plan lines of Rp1 juta, each spent Rp100.000 once, and `n`
    onward transfers of two families each; one more spend and one more transfer, reversed."""
    kube = cast.kube_a
    grant = grant_record(actor=cast.kab, kube=kube, name=name, source="apbn", decree_number="1/KEP/2026",
                         amount=100_000_000, received_on=date(2026, 3, 2), bank_name="BRI",
                         account_number="0123", account_name=kube.name)
    lines = plan_set(actor=cast.kab, grant=grant,
                     lines=[(f"Barang {i}", 1, "paket", 1_000_000, i % 2 == 0) for i in range(n)])
    for line in lines:
        grant_spend(actor=cast.ketua, plan_line=line, amount=100_000, description="Belanja", date=date(2026, 3, 5))
    undone = grant_spend(actor=cast.ketua, plan_line=lines[0], amount=7_000, description="Salah", date=date(2026, 3, 5))
    transaction_reverse(actor=cast.ketua, original=undone.transaction, reason="Salah catat")
    for i in range(n):
        onward_transfer(actor=cast.ketua, grant=grant, recipient_kind="keluarga", date=date(2026, 3, 6),
                        recipients=[(f"Ibu {i} A", "", 50_000), (f"Ibu {i} B", "", 25_000)])
    wrong = onward_transfer(actor=cast.ketua, grant=grant, recipient_kind="keluarga", date=date(2026, 3, 6),
                            recipients=[("Salah", "", 9_000)])
    transaction_reverse(actor=cast.ketua, original=Transaction.objects.get(pk=wrong.transaction_id),
                        reason="Salah catat")
    return grant


@pytest.mark.parametrize("n", SIZES)
def test_the_grant_page_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    grant = _grant(cast, n)
    client.force_login(cast.kab)
    url = reverse("grants:detail", args=[grant.kube_id, grant.pk])
    client.get(url)  # the session and the first request's caches
    with django_assert_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<td class=\"cell-title\">Barang") == n
    assert f"Rp{100_000 * n:,}".replace(",", ".") in html  # spent: the reversed Rp7.000 not counted
    assert f'data-testid="grant-passed">Rp{75_000 * n:,}'.replace(",", ".") in html


@pytest.mark.parametrize("n", SIZES)
def test_the_grant_endpoint_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    grant = _grant(cast, n)
    auth = bearer(cast.kab)
    url = f"/api/v1/grants/{grant.pk}"
    client.get(url, **auth)
    with django_assert_num_queries(8):
        body = client.get(url, **auth).json()
    assert len(body["plan"]) == n and {ln["spent"] for ln in body["plan"]} == {100_000}
    assert len(body["onward_transfers"]) == n + 1
    assert body["passed_on"] == 75_000 * n


@pytest.mark.parametrize("n", SIZES)
def test_the_grant_list_page_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    for i in range(n):
        _grant(cast, 2, name=f"Bantuan {i}")
    client.force_login(cast.kab)
    url = reverse("grants:list", args=[cast.kube_a.pk])
    client.get(url)
    with django_assert_num_queries(10):
        page = client.get(url)
    html = page.content.decode()
    assert html.count("<a href=\"/kube/") >= n
    assert f'data-testid="passed-on">Rp{150_000 * n:,}'.replace(",", ".") in html


@pytest.mark.parametrize("n", SIZES)
def test_the_grant_list_endpoint_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    for i in range(n):
        _grant(cast, 2, name=f"Bantuan {i}")
    auth = bearer(cast.kab)
    url = f"/api/v1/groups/{cast.kube_a.pk}/grants"
    client.get(url, **auth)
    with django_assert_num_queries(8):
        body = client.get(url, **auth).json()
    assert [g["name"] for g in body] == [f"Bantuan {i}" for i in range(n)]
    assert {g["passed_on"] for g in body} == {150_000}
