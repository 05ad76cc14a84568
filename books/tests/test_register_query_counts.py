"""A group's register and member list endpoints read in a fixed number of queries: the same exact
count with 1 row added and with 4 (members, guests, inventory, agenda, loans, savings)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from books.models import TxnKind
from books.services import cash_entry_record, loan_disburse, savings_deposit
from books.services.registers import activity_record, guest_record, inventory_add
from registry.services import member_add
from testing import bearer, member_data

DAY = date(2026, 4, 1)


def _members(cast: Any, n: int) -> None:
    for _ in range(n):
        member_add(actor=cast.kab, kube=cast.kube_a, data=member_data(joined_on=cast.kube_a.formed_on))


def _guests(cast: Any, n: int) -> None:
    for i in range(n):
        guest_record(actor=cast.ketua, kube=cast.kube_a, date=date(2026, 4, 1 + i), name=f"Tamu {i}",
                     purpose="Kunjungan")


def _inventory(cast: Any, n: int) -> None:
    for i in range(n):
        inventory_add(actor=cast.ketua, kube=cast.kube_a, name=f"Barang {i}", quantity=1, unit="buah",
                      acquired_on=DAY, source="own", value=10_000 + i)


def _agenda(cast: Any, n: int) -> None:
    present = list(cast.kube_a.members.filter(left_on__isnull=True))
    for i in range(n):
        activity_record(actor=cast.ketua, kube=cast.kube_a, date=date(2026, 4, 1 + i), kind="rapat",
                        place="Rumah ketua", agenda=f"Rapat {i}", present=present[: 2 + i % 3])


def _loans(cast: Any, n: int) -> None:
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=5_000_000, date=DAY,
                      description="Modal")
    members = list(cast.kube_a.members.order_by("id"))
    for i in range(n):
        loan_disburse(actor=cast.ketua, kube=cast.kube_a, member=members[i % len(members)], amount=100_000,
                      term_months=3, date=date(2026, 4, 2 + i))


def _savings(cast: Any, n: int) -> None:
    _members(cast, n)
    for member in cast.kube_a.members.order_by("id"):
        savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=member, amount=10_000, date=DAY)


# (path under the group, what adds rows, the exact count: the token, the user, the group and the
# list's own reads). The loans cost three queries a loan before books.selectors.loan_states (17 for
# four loans).
LISTS: list[tuple[str, Callable[[Any, int], None], int]] = [
    ("members?page_size=100", _members, 6),
    ("guests?page_size=100", _guests, 4),
    ("inventory?page_size=100", _inventory, 5),
    ("agenda?page_size=100", _agenda, 4),
    ("loans", _loans, 9),
    ("savings", _savings, 4),
]


@pytest.mark.parametrize("n", [1, 4])
@pytest.mark.parametrize(("path", "add", "queries"), LISTS, ids=[p.split("?")[0] for p, _a, _q in LISTS])
def test_a_groups_list_endpoint_reads_in_a_fixed_number_of_queries(client, cast, path, add, queries, n):
    add(cast, n)
    auth = bearer(cast.ketua)
    url = f"/api/v1/groups/{cast.kube_a.pk}/{path}"
    first = client.get(url, **auth)
    assert first.status_code == 200, first.content[:300]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **auth)
    assert response.status_code == 200
    assert len(captured.captured_queries) == queries
