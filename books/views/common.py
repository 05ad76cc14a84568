"""Shared by the book pages: access, the month in the query string, the group's tab bar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.access import Kind, access_kube, may_write
from registry.models import Kube


def book_kube(request: HttpRequest, kube_id: Any, *, write: bool | None = None) -> Kube:
    """The group whose books are shown; with `write` (by default: for a POST), only for those who
    keep them, the role checked before the group is looked up (as in the API)."""
    if write is None:
        write = request.method == "POST"
    return access_kube(request.user, kube_id, write=Kind.BOOKS if write else None)


def month_param(request: HttpRequest, name: str = "bulan") -> tuple[int, int]:
    """?bulan=2026-03, defaulting to this month; anything unreadable is this month too."""
    today = timezone.localdate()
    raw = request.GET.get(name, "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        date(year, month, 1)
    except (ValueError, TypeError):
        return today.year, today.month
    if not 2000 <= year <= 2100:
        return today.year, today.month
    return year, month


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url: str


def kube_tabs(kube: Kube) -> list[Tab]:
    def url(name: str) -> str:
        return reverse(name, args=[kube.pk])

    return [
        Tab("home", str(_("Ringkasan")), url("registry:detail")),
        Tab("visits", str(_("Pendampingan")), url("mentoring:visits")),
        Tab("peka", str(_("PEKA")), url("assessments:list")),
        Tab("books", str(_("Buku")), url("books:home")),
        Tab("cash", str(_("Kas Umum")), url("books:cash_book")),
        Tab("iks", str(_("IKS")), url("books:iks")),
        Tab("savings", str(_("Simpanan")), url("books:savings")),
        Tab("loans", str(pgettext_lazy("buku", "Pinjaman")), url("books:loans")),
        Tab("inventory", str(_("Inventaris")), url("books:inventory")),
        Tab("agenda", str(_("Agenda")), url("books:agenda")),
        Tab("workplan", str(_("Rencana Kerja")), url("books:workplan")),
        Tab("guests", str(_("Tamu")), url("books:guests")),
        Tab("rules", str(_("Peraturan")), url("books:rules")),
        Tab("grants", str(_("Bantuan")), url("grants:list")),
        Tab("close", str(_("Tutup Buku & LPJ")), url("books:close")),
    ]


def book_context(request: HttpRequest, kube: Kube, tab: str, **extra: Any) -> dict[str, Any]:
    return {"kube": kube, "tabs": kube_tabs(kube), "tab": tab,
            "can_keep": may_write(request.user, kube, Kind.BOOKS), **extra}
