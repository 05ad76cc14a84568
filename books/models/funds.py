from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IksFund(models.Model):
    """One purpose of the group's solidarity fund and its share of each month's profit.

    Seed 003: 5 % for sick members and 5 % for the posyandu. A fund that stops being used is
    retired (its balance stays visible); shares of active funds add up to the group's IKS share.
    """

    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="iks_funds")
    name = models.CharField(_("peruntukan"), max_length=100)
    share_percent = models.DecimalField(_("bagian dari laba (%)"), max_digits=5, decimal_places=2)
    is_active = models.BooleanField(_("dipakai"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dana IKS")
        verbose_name_plural = _("dana IKS")
        ordering = ["kube_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(share_percent__gte=0) & Q(share_percent__lte=100),
                                   name="iks_share_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.share_percent:g} %)"


class IksAllocation(models.Model):
    """The month whose profit has been shared out to the IKS funds (once per month)."""

    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="iks_allocations")
    period = models.PositiveIntegerField(_("bulan laba"), help_text="YYYYMM")
    profit = models.BigIntegerField(_("laba bulan itu"))
    transaction = models.OneToOneField("books.Transaction", on_delete=models.PROTECT, related_name="+")

    class Meta:
        # Once per month is checked by the service: an allocation that was reversed may be redone.
        verbose_name = _("penyisihan IKS")
        verbose_name_plural = _("penyisihan IKS")
        indexes = [models.Index(fields=["kube", "period"], name="iks_allocation_period")]

    def __str__(self) -> str:
        return f"{self.kube_id} {self.period}"


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("Berjalan")
    PAID = "paid", _("Lunas")


class Loan(models.Model):
    """A loan to a member (savings-and-loan groups). Principal in equal monthly instalments;
    the service fee (jasa) is a flat monthly percentage of the original amount, if the group's
    rules set one. Repayments are ledger lines on the loans account carrying this loan."""

    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="loans")
    member = models.ForeignKey("registry.Member", verbose_name=_("anggota"), on_delete=models.PROTECT,
                               related_name="loans")
    number = models.CharField(_("nomor pinjaman"), max_length=20)
    amount = models.BigIntegerField(_("pokok pinjaman"))
    disbursed_on = models.DateField(_("tanggal cair"))
    term_months = models.PositiveSmallIntegerField(_("jangka waktu (bulan)"))
    fee_percent_month = models.DecimalField(_("jasa per bulan (%)"), max_digits=5, decimal_places=2,
                                            default=0)
    purpose = models.CharField(_("keperluan"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=6, choices=LoanStatus.choices,
                              default=LoanStatus.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pinjaman")
        verbose_name_plural = _("pinjaman")
        ordering = ["kube_id", "-disbursed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kube", "number"], name="loan_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(condition=Q(term_months__gte=1) & Q(term_months__lte=120),
                                   name="loan_term_bounds"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.member}"
