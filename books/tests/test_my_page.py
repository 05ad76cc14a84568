"""The member's own page: the balance first, a deposit at the cooperative shown as moved (the signed
lines add up to the balance), "Belum ada pinjaman" when there is none, a big button from the home."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from books.services import savings_deposit, savings_to_coop, savings_withdraw


def amounts(html: str, testid: str) -> list[int]:
    cells = re.findall(rf'data-testid="{testid}">([^<]*)<', html)
    return [int(re.sub(r"[^\d]", "", c)) * (-1 if c.strip().startswith("−") else 1) for c in cells]


def test_the_signed_lines_add_up_to_the_balance_and_coop_deposits_are_moved(client, cast):
    kube = cast.kube_a
    mine = kube.members.get(user=cast.anggota)
    for day, amount in ((3, 50_000), (10, 50_000), (17, 75_000)):
        savings_deposit(actor=cast.ketua, kube=kube, member=mine, amount=amount, date=date(2026, 3, day))
    savings_to_coop(actor=cast.ketua, kube=kube, member=mine, amount=100_000, date=date(2026, 3, 20))
    savings_withdraw(actor=cast.ketua, kube=kube, member=mine, amount=20_000, date=date(2026, 3, 25))
    client.force_login(cast.anggota)
    html = client.get(reverse("books:mine", args=[kube.pk])).content.decode()
    assert html.index('data-testid="my-savings"') < html.index('data-testid="my-history"')  # balance first
    assert re.search(r'data-testid="my-savings">Rp155\.000<', html)
    assert "Rp100.000 di antaranya disimpan di koperasi" in html
    assert amounts(html, "change") == [-20_000, 75_000, 50_000, 50_000]
    assert sum(amounts(html, "change")) == 155_000
    assert amounts(html, "moved") == [100_000]
    assert "Dipindah ke koperasi" in html
    assert 'data-testid="no-loan">Belum ada pinjaman.' in html


def test_a_long_history_opens_with_the_balance_before_it(client, cast, monkeypatch):
    from books.views import funds

    monkeypatch.setattr(funds, "MY_LINES", 2)
    kube = cast.kube_a
    mine = kube.members.get(user=cast.anggota)
    for day in (3, 10, 17):
        savings_deposit(actor=cast.ketua, kube=kube, member=mine, amount=10_000, date=date(2026, 3, day))
    client.force_login(cast.anggota)
    html = client.get(reverse("books:mine", args=[kube.pk])).content.decode()
    assert amounts(html, "change") == [10_000, 10_000, 10_000]  # two lines and "Saldo sebelumnya"
    assert "Saldo sebelumnya" in html


def test_the_members_home_has_a_big_button_to_their_page(client, cast):
    client.force_login(cast.anggota)
    html = client.get(reverse("registry:detail", args=[cast.kube_a.pk])).content.decode()
    url = reverse("books:mine", args=[cast.kube_a.pk])
    assert f'<a href="{url}" role="button"' in html and 'data-testid="task-mine"' in html
    client.force_login(cast.pendamping)
    assert 'data-testid="task-mine"' not in client.get(reverse("registry:detail", args=[cast.kube_a.pk])).content.decode()


@pytest.mark.parametrize("loans", [1, 3])
def test_the_members_page_reads_their_loans_in_a_fixed_number_of_queries(client, cast, loans):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from books.models import TxnKind
    from books.services import cash_entry_record, loan_disburse

    kube = cast.kube_a
    mine = kube.members.get(user=cast.anggota)
    cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.CAPITAL_IN, amount=5_000_000, date=date(2026, 3, 1),
                      description="Modal")
    for i in range(loans):
        loan_disburse(actor=cast.ketua, kube=kube, member=mine, amount=100_000, term_months=3,
                      date=date(2026, 3, 2 + i))
    client.force_login(cast.anggota)
    url = reverse("books:mine", args=[kube.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    assert html.count("Rp100.000") >= loans
    assert len(captured.captured_queries) == 13  # 21 for three loans before books.selectors.loan_states
