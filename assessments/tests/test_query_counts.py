"""The PEKA list page and endpoint read in a fixed number of queries: the same exact count with
2 sessions and with 10 (issue 14 measured three queries a session on the page)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from assessments.services import assessment_start
from testing import bearer

SIZES = [2, 10]


def _sessions(cast, version, n: int) -> None:
    members = list(cast.kube_a.members.order_by("id"))
    for i in range(n):
        assessment_start(actor=cast.pendamping, kube=cast.kube_a, version=version,
                         date=date(2026, 2, 1) + timedelta(days=i), participants=members[:3 + i % 3],
                         facilitator_name="Pendamping", history=[("2024", "KUBE dibentuk"), ("2025", "Bantuan")])


@pytest.mark.parametrize("n", SIZES)
def test_the_peka_page_reads_in_a_fixed_number_of_queries(client, cast, version, django_assert_num_queries, n):
    _sessions(cast, version, n)
    client.force_login(cast.pendamping)
    url = reverse("assessments:list", args=[cast.kube_a.pk])
    client.get(url)
    with django_assert_num_queries(9):
        page = client.get(url)
    html = page.content.decode()
    assert html.count('data-testid="peka-session"') == n
    assert html.count("3 peserta") + html.count("4 peserta") + html.count("5 peserta") == n


@pytest.mark.parametrize("n", SIZES)
def test_the_peka_endpoint_reads_in_a_fixed_number_of_queries(client, cast, version, django_assert_num_queries, n):
    _sessions(cast, version, n)
    auth = bearer(cast.pendamping)
    url = f"/api/v1/groups/{cast.kube_a.pk}/assessments?page_size=200"
    client.get(url, **auth)
    with django_assert_num_queries(8):
        body = client.get(url, **auth).json()
    assert body["count"] == n
    assert sorted(len(a["participants"]) for a in body["items"]) == sorted(3 + i % 3 for i in range(n))
    assert all([h["event"] for h in a["history"]] == ["KUBE dibentuk", "Bantuan"] for a in body["items"])
