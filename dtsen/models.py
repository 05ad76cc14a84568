"""DTSEN: members matched against the national social registry, and duplicate people.

Design:
- The member's standing in DTSEN (status, desil, history) is registry's (`registry.DtsenRecord`):
  the registration, the group page and the import read it there. This app holds what happens
  around it: the extracts an office matches, the column names it uses, and the pairs of
  memberships that look like one person, with how each was resolved.
- An `Extract` is one upload: who, when, which region it covers, the file's name and SHA-256,
  the preview (what would change, by member id and row number, never a NIK) and, once applied,
  who applied it. The file itself is kept only when the office chose to (`kept_file`).
- A `DuplicatePair` is two active memberships found alike by registry.duplicates (the smaller
  id first, each pair once); it stays open until an office merges them, marks them as different
  people or corrects a NIK.
- Writes go through dtsen/services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import Member


class ColumnMapping(models.Model):
    """The column headers an office's extracts use, remembered from its last upload."""

    region_code = models.CharField(_("wilayah kantor"), max_length=13, unique=True)
    columns = models.JSONField(_("kolom"), default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diubah oleh"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pemetaan kolom ekstrak")
        verbose_name_plural = _("pemetaan kolom ekstrak")

    def __str__(self) -> str:
        return self.region_code or "nasional"


class Extract(models.Model):
    class State(models.TextChoices):
        PREVIEWED = "previewed", _("Pratinjau, belum diterapkan")
        APPLIED = "applied", _("Diterapkan")

    region_code = models.CharField(_("wilayah ekstrak"), max_length=13)
    file_name = models.CharField(_("nama berkas"), max_length=150)
    sha256 = models.CharField(_("SHA-256 berkas"), max_length=64)
    rows = models.PositiveIntegerField(_("baris data"))
    data_date = models.DateField(_("tanggal data"))
    state = models.CharField(_("keadaan"), max_length=10, choices=State.choices, default=State.PREVIEWED)
    preview = models.JSONField(_("pratinjau"), default=dict)
    kept_file = models.FileField(_("berkas disimpan"), upload_to="dtsen/extracts/", blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diterapkan oleh"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(_("diterapkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("ekstrak DTSEN")
        verbose_name_plural = _("ekstrak DTSEN")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.data_date})"


class DuplicatePair(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Belum diselesaikan")
        MERGED = "merged", _("Digabung")
        DIFFERENT = "different", _("Orang yang berbeda")
        CORRECTED = "corrected", _("NIK dibetulkan")

    class Kind(models.TextChoices):  # registry.duplicates.Kind
        SAME_NIK = "same_nik", _("NIK sama")
        NIK_TYPO = "nik_typo", _("NIK berbeda satu digit")
        NIK_TRANSPOSED = "nik_transposed", _("Dua digit NIK tertukar")

    first = models.ForeignKey(Member, verbose_name=_("anggota pertama"), on_delete=models.PROTECT,
                              related_name="+")
    second = models.ForeignKey(Member, verbose_name=_("anggota kedua"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("kemiripan"), max_length=16, choices=Kind.choices)
    name_score = models.PositiveSmallIntegerField(_("kemiripan nama (0–100)"))
    state = models.CharField(_("keadaan"), max_length=10, choices=State.choices, default=State.OPEN)
    kept = models.ForeignKey(Member, verbose_name=_("data yang dipertahankan"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("catatan"), max_length=250, blank=True)
    found_at = models.DateTimeField(_("ditemukan"), auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diselesaikan oleh"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)

    class Meta:
        verbose_name = _("kemungkinan data ganda")
        verbose_name_plural = _("kemungkinan data ganda")
        ordering = ["state", "-found_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["state", "first"], name="duplicate_state_first")]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"
