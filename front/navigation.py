"""The menu: each role sees only what it can use.

Each entry names the access rule it depends on, so the menu cannot offer a page
that would answer 404 or 403. Later capabilities add their entries here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import Kind, can_read_kind, can_write, kubes_for_user
from accounts.models import GROUP_ROLES, OFFICE_ROLES, Role


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    url: str


def menu_for(user: Any) -> list[MenuItem]:
    if not (user.is_authenticated and user.is_active):
        return []
    items: list[MenuItem] = []
    kube = kubes_for_user(user).first() if user.role in GROUP_ROLES else None
    if user.role in GROUP_ROLES:
        # A member's home is their group's page.
        if kube is not None:
            items.append(MenuItem("my_kube", str(_("KUBE saya")),
                                  reverse("registry:detail", args=[kube.pk])))
        else:
            items.append(MenuItem("home", str(_("Beranda")), reverse("front:home")))
    elif user.role == Role.PENDAMPING:  # a mentor's home is their workspace
        items.append(MenuItem("workspace", str(_("KUBE dampingan")), reverse("mentoring:workspace")))
        items.append(MenuItem("kube_list", str(_("Daftar KUBE")), reverse("registry:list")))
    else:
        items.append(MenuItem("home", str(_("Beranda")), reverse("front:home")))
        items.append(MenuItem("kube_list", str(_("Daftar KUBE")), reverse("registry:list")))
    if user.role in OFFICE_ROLES or user.role == Role.ADMIN:
        items.append(MenuItem("monitoring", str(_("Pemantauan")), reverse("monitoring:dashboard")))
        items.append(MenuItem("mentors", str(_("Pendamping")), reverse("mentoring:mentors")))
        items.append(MenuItem("peka", str(_("PEKA")), reverse("assessments:rollup")))
    if user.role not in GROUP_ROLES:
        items.append(MenuItem("events", str(_("Asistensi")), reverse("mentoring:events")))
    if can_write(user, Kind.APPROVAL) or user.role == Role.ADMIN:  # the count loads after the page (approval:badge)
        items.append(MenuItem("approval", str(_("Pelaporan")),
                              reverse("approval:kube", args=[kube.pk]) if kube else reverse("approval:home")))
    if can_write(user, Kind.KUBE):
        items.append(MenuItem("kube_new", str(_("Daftarkan KUBE")), reverse("registry:create")))
    if can_read_kind(user, Kind.DTSEN):
        items.append(MenuItem("dtsen", str(_("DTSEN")), reverse("dtsen:overview")))
    if can_write(user, Kind.IMPORT):
        items.append(MenuItem("kube_import", str(_("Impor Excel")), reverse("registry:import")))
    if can_read_kind(user, Kind.USER):
        items.append(MenuItem("users", str(_("Pengguna")), reverse("accounts:user_list")))
    if can_read_kind(user, Kind.SYSTEM):
        items.append(MenuItem("programmes", str(_("Program")), reverse("registry:programme_list")))
        items.append(MenuItem("chart", str(_("Bagan akun")), reverse("books:chart")))
    if can_read_kind(user, Kind.AUDIT):
        items.append(MenuItem("audit", str(_("Jejak audit")), reverse("audit:list")))
    items.append(MenuItem("profile", str(_("Profil & token")), reverse("accounts:profile")))
    return items


ROLE_HOME_HINT = {
    Role.ADMIN: _("Kelola pengguna, program dan pantau jejak audit."),
    Role.PUSAT: _("Pantau KUBE di seluruh Indonesia."),
    Role.PROVINSI: _("Pantau KUBE di provinsi Anda."),
    Role.KABUPATEN: _("Daftarkan dan pantau KUBE di kabupaten/kota Anda."),
    Role.PENDAMPING: _("KUBE dampingan Anda."),
    Role.PENGURUS: _("Kelola KUBE Anda."),
    Role.ANGGOTA: _("Lihat KUBE Anda."),
}
