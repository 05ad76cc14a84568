"""The group's tab bar, shared by the pages of every app that shows a group (registry, books,
grants, mentoring, assessments, monitoring): it names pages of all of them, so it lives above
them, in front."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.access import Kind, may_write
from registry.models import Kube


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
        Tab("shareout", str(_("Bagi Hasil")), url("shareout:home")),
        Tab("messages", str(_("Pesan")), url("messaging:group")),
    ]


def book_context(request: HttpRequest, kube: Kube, tab: str, **extra: Any) -> dict[str, Any]:
    """What a page under the group's tab bar needs: the group, the tabs, the open tab, and
    whether this user keeps the group's books (the write buttons)."""
    return {"kube": kube, "tabs": kube_tabs(kube), "tab": tab,
            "can_keep": may_write(request.user, kube, Kind.BOOKS), **extra}
