"""The group's hub and tab bar, shared by the pages of every app that shows a group (registry,
books, grants, mentoring, assessments, monitoring): they name pages of all of them, so they live
above them, in front.

The group's home is the hub: the daily tasks of the user's role as big buttons, then every book
in four plain sections, each one tap away, so that every page of the group is at most two taps
from its home. On a phone the tab bar is not shown (15 tabs were three screens wide); every page
under it links back to the hub instead. A desktop keeps the tab bar, wrapped.
"""

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


@dataclass(frozen=True)
class HubSection:
    key: str
    title: str
    links: list[Tab]


def kube_hub(kube: Kube) -> list[HubSection]:
    """Every tab of the group under one of four plain headings (Uang, Anggota, Kegiatan, Laporan)."""
    by_key = {t.key: t for t in kube_tabs(kube)}
    members = Tab("members", str(_("Anggota dan pengurus")), reverse("registry:detail", args=[kube.pk]) + "#anggota")
    health = Tab("health", str(_("Kesehatan dan kelas")), reverse("monitoring:group", args=[kube.pk]))
    stage = Tab("stage", str(_("Kriteria tahap")), reverse("mentoring:stage", args=[kube.pk]))
    reporting = Tab("reporting", str(_("Pelaporan LPJ")), reverse("approval:kube", args=[kube.pk]))
    sections: list[tuple[str, Any, list[str | Tab]]] = [
        ("uang", _("Uang"), ["books", "cash", "savings", "loans", "iks", "grants", "shareout"]),
        ("anggota", _("Anggota"), [members, "messages", "rules", "guests"]),
        ("kegiatan", _("Kegiatan"), ["agenda", "workplan", "visits", "peka", "inventory"]),
        ("laporan", _("Laporan"), ["close", reporting, health, stage]),
    ]
    return [HubSection(key, str(title), [by_key[item] if isinstance(item, str) else item for item in items])
            for key, title, items in sections]


def kube_tasks(user: Any, kube: Kube, *, is_member: bool) -> list[Tab]:
    """The daily tasks of this user in this group, as the hub's big buttons (after the four entry
    kinds the treasurer already had): the meeting's savings and the month close for those who keep
    the books, a visit for the mentor, their own savings and loans for a member."""
    def url(name: str) -> str:
        return reverse(name, args=[kube.pk])

    tasks: list[Tab] = []
    if may_write(user, kube, Kind.BOOKS):
        tasks.append(Tab("meeting_savings", str(_("Simpanan rapat")), url("books:meeting_savings")))
        tasks.append(Tab("close", str(_("Tutup buku bulan")), url("books:close")))
    if may_write(user, kube, Kind.VISIT):
        tasks.append(Tab("visit_new", str(_("Catat kunjungan")), url("mentoring:visit_new")))
    if is_member:
        tasks.append(Tab("mine", str(_("Simpanan dan pinjaman saya")), url("books:mine")))
    return tasks


def book_context(request: HttpRequest, kube: Kube, tab: str, **extra: Any) -> dict[str, Any]:
    """What a page under the group's tab bar needs: the group, the tabs, the open tab, and
    whether this user keeps the group's books (the write buttons)."""
    return {"kube": kube, "tabs": kube_tabs(kube), "tab": tab,
            "can_keep": may_write(request.user, kube, Kind.BOOKS), **extra}
