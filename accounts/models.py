"""Accounts: who signs in, in which role, and over which reach.

A user's reach is decided by their role (see accounts/access.py, the one place
that answers "may this user see / change that"):

- admin, pusat: the whole country;
- provinsi, kabupaten: the region in `region` and everything under it;
- pendamping: the groups assigned to them (registry.Kube.pendamping); their `region` is their home
  region, the office that employs them, within which alone they can be assigned;
- pengurus, anggota: the one group where their member record is active
  (registry.Member.user).

API tokens are stored as SHA-256 hashes: a token is shown once, when created.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator sistem")
    PUSAT = "pusat", _("Kementerian Sosial (pusat)")
    PROVINSI = "provinsi", _("Dinas Sosial provinsi")
    KABUPATEN = "kabupaten", _("Dinas Sosial kabupaten/kota")
    PENDAMPING = "pendamping", _("Pendamping")
    PENGURUS = "pengurus", _("Pengurus KUBE")
    ANGGOTA = "anggota", _("Anggota KUBE")


# The region level each office role must be attached to.
ROLE_REGION_LEVEL: dict[str, int] = {Role.PROVINSI: 1, Role.KABUPATEN: 2}
OFFICE_ROLES: frozenset[str] = frozenset({Role.PUSAT, Role.PROVINSI, Role.KABUPATEN})
GROUP_ROLES: frozenset[str] = frozenset({Role.PENGURUS, Role.ANGGOTA})


class UserManager(BaseUserManager["User"]):
    """`manage.py createsuperuser` makes a SIKUBE administrator (role admin)."""

    def create_superuser(self, username: str, email: str | None = None, password: str | None = None,
                         **extra: object) -> User:
        extra.setdefault("role", Role.ADMIN)
        extra.setdefault("full_name", username)
        return super().create_superuser(username, email, password, **extra)  # type: ignore[arg-type]


class User(AbstractUser):
    # first_name/last_name do not fit Indonesian names; one full name instead.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    full_name = models.CharField(_("nama lengkap"), max_length=150)
    role = models.CharField(_("peran"), max_length=12, choices=Role.choices, default=Role.ANGGOTA)
    # Offices: the region they serve. Mentors: their home region, the office that employs them
    # (a province or kabupaten/kota); an office assigns only its own mentors (accounts/access.py).
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah kerja"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("Dinas Sosial: wilayah yang dilayani. Pendamping: provinsi atau kabupaten/kota kantor "
                    "yang mempekerjakannya."),
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    institution = models.CharField(_("instansi/jabatan"), max_length=150, blank=True)
    # The interface language chosen with the switch, kept on the account so that it follows the
    # person to a new phone or browser (applied at sign-in); blank until they choose.
    language = models.CharField(_("bahasa"), max_length=8, blank=True, choices=settings.LANGUAGES)

    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.username

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    PREFIX = "skb_"

    user = models.ForeignKey(User, verbose_name=_("pengguna"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("nama token"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("awalan"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
