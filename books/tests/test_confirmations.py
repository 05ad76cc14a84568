"""What cannot be undone asks first, saying in one sentence what will be locked, and the server
refuses without the confirmation: the month close, a reversal, a group's dissolution."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from books.models import PeriodClose, Transaction, TxnKind
from books.services import cash_entry_record


@pytest.fixture
def october(cast):
    """Rp1.000.000 of capital and a Rp450.000 sale in October 2026 (a profit of Rp450.000)."""
    kube = cast.kube_a
    cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 10, 1), description="Modal anggota")
    sale = cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.SALE, amount=450_000,
                             date=date(2026, 10, 5), description="Penjualan")
    kube.formed_on = date(2026, 10, 1)
    kube.save(update_fields=["formed_on"])
    return cast, sale


def test_the_month_close_asks_first_with_the_figures_it_locks(client, october):
    cast, _sale = october
    kube = cast.kube_a
    client.force_login(cast.ketua)
    url = reverse("books:close", args=[kube.pk])
    response = client.post(url, {"period": "202610"})
    assert response.status_code == 200
    sentence = response.context["sentence"]
    assert sentence.startswith("Buku Oktober 2026 dikunci untuk selamanya")
    assert "laba Rp450.000" in sentence and "saldo kas Rp1.450.000" in sentence
    assert 'name="confirm" value="1"' in response.content.decode()
    assert not PeriodClose.objects.filter(kube=kube).exists()

    response = client.post(url, {"period": "202610", "confirm": "1"})
    assert response.status_code == 302
    assert PeriodClose.objects.filter(kube=kube, period=202610).exists()


def test_a_forged_close_without_the_confirmation_locks_nothing(client, october):
    cast, _sale = october
    kube = cast.kube_a
    client.force_login(cast.ketua)
    url = reverse("books:close", args=[kube.pk])
    for data in ({"period": "202610"}, {"period": "202610", "confirm": "yes"}, {"period": "x"},
                 {"period": "209912"}):
        client.post(url, data)
    assert not PeriodClose.objects.filter(kube=kube).exists()
    response = client.post(url, {"period": "209912"}, follow=True)
    assert "Tutup buku belum dikonfirmasi" in response.content.decode()


def test_a_reversal_needs_the_tick(client, october):
    cast, sale = october
    kube = cast.kube_a
    client.force_login(cast.ketua)
    url = reverse("books:transaction", args=[kube.pk, sale.pk])
    page = client.get(url).content.decode()
    assert "bukti baru mencatat kebalikan Rp450.000 ini" in page
    response = client.post(url, {"reason": "Tercatat dua kali", "date": "2026-10-06"})
    assert response.context["form"].errors["confirm"] == [
        "Centang dulu bahwa Anda mengerti: pembalikan tidak dapat dibatalkan."]
    assert not Transaction.objects.filter(reverses=sale).exists()
    client.post(url, {"reason": "Tercatat dua kali", "date": "2026-10-06", "confirm": "on"})
    assert Transaction.objects.filter(reverses=sale).exists()


def test_a_dissolution_needs_the_tick(client, cast):
    kube = cast.kube_a
    client.force_login(cast.kab)
    url = reverse("registry:status", args=[kube.pk])
    members = kube.members.filter(left_on__isnull=True).count()
    assert f"keanggotaan dan jabatan {members} anggota berakhir" in client.get(url).content.decode()
    data = {"status": "bubar", "effective_on": date.today().isoformat(), "reason": "Usaha berhenti"}
    response = client.post(url, data)
    assert response.context["form"].errors["confirm_dissolve"] == [
        "Centang konfirmasi untuk membubarkan KUBE: pembubaran tidak dapat dibatalkan."]
    kube.refresh_from_db()
    assert kube.status == "aktif"
    client.post(url, {**data, "confirm_dissolve": "on"})
    kube.refresh_from_db()
    assert kube.status == "bubar"
