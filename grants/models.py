"""Stimulant grants (bantuan stimulan) and their onward transfer (perguliran).

A grant is recorded by the social office; recording it posts its receipt into the group's
ledger (Dr bank, Cr grant capital). The plan for its use (RAB) is a list of lines; each
spending against it is a ledger transaction, so realisation is read from the books, not
typed twice. Assets bought with it enter the inventory marked as grant-funded. Onward
transfers pass part of it to new families or a new group: Dr onward (a contra-capital
account), Cr bank or cash.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GrantSource(models.TextChoices):
    APBN = "apbn", _("APBN (Kementerian Sosial)")
    APBD_PROVINSI = "apbd_prov", _("APBD provinsi")
    APBD_KABUPATEN = "apbd_kab", _("APBD kabupaten/kota")
    OTHER = "lain", _("Sumber lain")


class Grant(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="grants")
    name = models.CharField(_("nama bantuan"), max_length=150, help_text=_("misalnya BLPS, UEP KUBE"))
    source = models.CharField(_("sumber dana"), max_length=10, choices=GrantSource.choices)
    decree_number = models.CharField(_("nomor SK"), max_length=100)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    received_on = models.DateField(_("tanggal diterima"))
    bank_name = models.CharField(_("bank"), max_length=60)
    account_number = models.CharField(_("nomor rekening KUBE"), max_length=40)
    account_name = models.CharField(_("atas nama rekening"), max_length=150)
    transaction = models.OneToOneField("books.Transaction", on_delete=models.PROTECT, related_name="grant")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bantuan stimulan")
        verbose_name_plural = _("bantuan stimulan")
        ordering = ["kube_id", "received_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive")]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"


class PlanLine(models.Model):
    """One line of the grant's spending plan (RAB)."""

    grant = models.ForeignKey(Grant, verbose_name=_("bantuan"), on_delete=models.PROTECT,
                              related_name="plan_lines")
    item = models.CharField(_("uraian"), max_length=200)
    quantity = models.PositiveIntegerField(_("volume"), default=1)
    unit = models.CharField(_("satuan"), max_length=20, default="paket")
    unit_cost = models.BigIntegerField(_("harga satuan (Rp)"))
    is_asset = models.BooleanField(_("aset (masuk buku inventaris)"), default=False)

    class Meta:
        verbose_name = _("rencana anggaran")
        verbose_name_plural = _("rencana anggaran (RAB)")
        ordering = ["grant_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(unit_cost__gt=0), name="plan_cost_positive")]

    def __str__(self) -> str:
        return self.item

    @property
    def total(self) -> int:
        return self.quantity * self.unit_cost


class Spend(models.Model):
    """Spending of the grant against a plan line, posted to the ledger."""

    plan_line = models.ForeignKey(PlanLine, verbose_name=_("baris RAB"), on_delete=models.PROTECT,
                                  related_name="spends")
    transaction = models.OneToOneField("books.Transaction", on_delete=models.PROTECT, related_name="grant_spend")

    class Meta:
        verbose_name = _("realisasi bantuan")
        verbose_name_plural = _("realisasi bantuan")
        ordering = ["plan_line_id", "id"]

    def __str__(self) -> str:
        return f"{self.plan_line_id} {self.transaction_id}"


class RecipientKind(models.TextChoices):
    FAMILIES = "keluarga", _("Keluarga lain yang membutuhkan")
    NEW_KUBE = "kube", _("KUBE baru")


class OnwardTransfer(models.Model):
    grant = models.ForeignKey(Grant, verbose_name=_("bantuan"), on_delete=models.PROTECT,
                              related_name="onward_transfers")
    recipient_kind = models.CharField(_("penerima"), max_length=8, choices=RecipientKind.choices)
    recipient_kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE penerima"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="received_transfers")
    note = models.CharField(_("keterangan"), max_length=250, blank=True)
    transaction = models.OneToOneField("books.Transaction", on_delete=models.PROTECT, related_name="onward")

    class Meta:
        verbose_name = _("perguliran")
        verbose_name_plural = _("perguliran")
        ordering = ["grant_id", "id"]

    def __str__(self) -> str:
        return f"{self.grant_id} {self.transaction_id}"


class OnwardRecipient(models.Model):
    transfer = models.ForeignKey(OnwardTransfer, on_delete=models.PROTECT, related_name="recipients")
    name = models.CharField(_("nama penerima"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    amount = models.BigIntegerField(_("jumlah (Rp)"))

    class Meta:
        verbose_name = _("penerima perguliran")
        verbose_name_plural = _("penerima perguliran")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="recipient_amount_positive")]

    def __str__(self) -> str:
        return self.name
