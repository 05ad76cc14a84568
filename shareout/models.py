"""Profit share-out (pembagian hasil usaha) and the yearly close.

Design:
- `ShareRule` is the part of the Buku Peraturan KUBE that says how profit is shared: the
  percentage kept as capital and the members' percentage, the weights of the three ways of
  splitting the members' part (equally by months of membership, by savings × months, by days of
  work) and what a member who left during the year gets. Like the rules it belongs to
  (`books.RuleVersion`), a version is never edited: the meeting adopts a new one.
- `YearClose` is the closing of a year: every month of it closed (books.PeriodClose) and the
  year's profit fixed: before IKS, the IKS set aside, after IKS. Retained earnings are derived from
  the ledger (the income and expense accounts since the books began, as the LPJ reads them), so the
  close posts no closing entry; what it carries is this record, which the share-out starts from.
- `ShareOut` is one share-out per group and year: the proposal computed from the rule
  (shareout/compute.py), then the members' meeting's decision (date, attendance, adjustments with
  reasons), then the posting: one ledger transaction from Saldo laba to each member's savings (or
  cash paid out). Its `ShareLine`s keep each member's basis and share. Once posted nothing in it
  changes; the database refuses a second share-out of the same year.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shareout.compute import EQUAL, LEAVERS_NONE, LEAVERS_PRO_RATA, SAVINGS, WORK


class Method(models.TextChoices):
    EQUAL = EQUAL, _("Sama rata (per bulan keanggotaan)")
    SAVINGS = SAVINGS, _("Menurut simpanan × bulan")
    WORK = WORK, _("Menurut hari kerja")


class Leavers(models.TextChoices):
    NONE = LEAVERS_NONE, _("Anggota yang keluar sebelum akhir tahun tidak mendapat bagian")
    PRO_RATA = LEAVERS_PRO_RATA, _("Anggota yang keluar mendapat bagian sampai bulan ia keluar")


class Payout(models.TextChoices):
    SAVINGS = "savings", _("Ditambahkan ke simpanan anggota")
    CASH = "cash", _("Dibayar tunai")


class ShareRule(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="share_rules")
    version = models.PositiveSmallIntegerField(_("versi"))
    rules = models.ForeignKey("books.RuleVersion", verbose_name=_("bagian dari Peraturan KUBE versi"),
                              on_delete=models.PROTECT, related_name="share_rules")
    adopted_on = models.DateField(_("disahkan dalam musyawarah tanggal"))
    capital_percent = models.DecimalField(_("bagian laba untuk modal (%)"), max_digits=5, decimal_places=2)
    members_percent = models.DecimalField(_("bagian laba untuk anggota (%)"), max_digits=5, decimal_places=2)
    weight_equal = models.DecimalField(_("bobot sama rata (%)"), max_digits=5, decimal_places=2, default=0)
    weight_savings = models.DecimalField(_("bobot simpanan × bulan (%)"), max_digits=5, decimal_places=2,
                                         default=0)
    weight_work = models.DecimalField(_("bobot hari kerja (%)"), max_digits=5, decimal_places=2, default=0)
    leavers = models.CharField(_("anggota yang keluar"), max_length=8, choices=Leavers.choices,
                               default=Leavers.NONE)
    payout = models.CharField(_("bagian anggota"), max_length=8, choices=Payout.choices, default=Payout.SAVINGS)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aturan pembagian hasil usaha")
        verbose_name_plural = _("aturan pembagian hasil usaha")
        ordering = ["kube_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kube", "version"], name="share_rule_version_unique"),
            models.CheckConstraint(condition=Q(capital_percent__gte=0, members_percent__gte=0, weight_equal__gte=0,
                                               weight_savings__gte=0, weight_work__gte=0),
                                   name="share_rule_not_negative"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.adopted_on}"

    @property
    def weights(self) -> dict[str, Decimal]:
        return {EQUAL: self.weight_equal, SAVINGS: self.weight_savings, WORK: self.weight_work}


class YearClose(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="year_closes")
    year = models.PositiveSmallIntegerField(_("tahun buku"))
    profit_before_iks = models.BigIntegerField(_("laba sebelum IKS"))
    iks_set_aside = models.BigIntegerField(_("penyisihan IKS"))
    profit_after_iks = models.BigIntegerField(_("laba setelah IKS"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ditutup oleh"), null=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("ditutup pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("tutup buku tahunan")
        verbose_name_plural = _("tutup buku tahunan")
        ordering = ["kube_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["kube", "year"], name="year_close_unique"),
            models.CheckConstraint(condition=Q(profit_after_iks=F("profit_before_iks") - F("iks_set_aside")),
                                   name="year_close_profit_after_iks"),
        ]

    def __str__(self) -> str:
        return f"{self.kube_id} {self.year}"


class Status(models.TextChoices):
    PROPOSED = "usulan", _("Usulan")
    DECIDED = "diputuskan", _("Diputuskan musyawarah")
    POSTED = "dibukukan", _("Dibukukan")


class ShareOut(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="share_outs")
    year = models.PositiveSmallIntegerField(_("tahun buku"))
    rule = models.ForeignKey(ShareRule, verbose_name=_("aturan"), on_delete=models.PROTECT, related_name="share_outs")
    profit = models.BigIntegerField(_("laba setelah IKS"))
    capital_base = models.BigIntegerField(_("bagian modal menurut aturan"))
    members_pool = models.BigIntegerField(_("bagian anggota menurut aturan"))
    remainder = models.BigIntegerField(_("sisa pembulatan ke modal"))
    capital = models.BigIntegerField(_("laba yang menjadi modal"))
    members_total = models.BigIntegerField(_("jumlah bagian anggota"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    meeting_date = models.DateField(_("tanggal musyawarah"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("anggota hadir"), null=True, blank=True)
    members_count = models.PositiveSmallIntegerField(_("anggota pada hari musyawarah"), null=True, blank=True)
    decision = models.TextField(_("keputusan musyawarah"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    transaction = models.OneToOneField("books.Transaction", verbose_name=_("transaksi"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="share_out")
    posted_on = models.DateField(_("tanggal dibukukan"), null=True, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pembagian hasil usaha")
        verbose_name_plural = _("pembagian hasil usaha")
        ordering = ["kube_id", "-year"]
        constraints = [
            # Once per group and year: a second share-out of the same year is refused by the database.
            models.UniqueConstraint(fields=["kube", "year"], name="share_out_once_per_year"),
            models.CheckConstraint(condition=Q(profit__gt=0), name="share_out_profit_positive"),
            models.CheckConstraint(condition=Q(capital__gte=0, members_total__gte=0, remainder__gte=0),
                                   name="share_out_not_negative"),
            models.CheckConstraint(condition=Q(capital=F("profit") - F("members_total")), name="share_out_exact"),
            models.CheckConstraint(condition=~Q(status="dibukukan") | Q(posted_on__isnull=False),
                                   name="share_out_posted_dated"),
        ]

    def __str__(self) -> str:
        return f"{self.kube_id} {self.year}"

    @property
    def posted(self) -> bool:
        return self.status == Status.POSTED


class ShareLine(models.Model):
    share_out = models.ForeignKey(ShareOut, verbose_name=_("pembagian"), on_delete=models.CASCADE,
                                  related_name="lines")
    member = models.ForeignKey("registry.Member", verbose_name=_("anggota"), on_delete=models.PROTECT,
                               related_name="share_lines")
    months = models.PositiveSmallIntegerField(_("bulan keanggotaan"))
    savings_months = models.BigIntegerField(_("simpanan × bulan"))
    work_days = models.PositiveIntegerField(_("hari kerja"))
    left = models.BooleanField(_("keluar sebelum akhir tahun"), default=False)
    eligible = models.BooleanField(_("berhak"))
    exact = models.CharField(_("bagian sebelum dibulatkan"), max_length=60,
                             help_text="a fraction p/q, exact")
    proposed = models.BigIntegerField(_("bagian menurut aturan"))
    adjustment = models.BigIntegerField(_("penyesuaian musyawarah"), default=0)
    reason = models.CharField(_("alasan penyesuaian"), max_length=250, blank=True)
    final = models.BigIntegerField(_("bagian yang diterima"))
    payout = models.CharField(_("dibayar"), max_length=8, choices=Payout.choices)

    class Meta:
        verbose_name = _("bagian anggota")
        verbose_name_plural = _("bagian anggota")
        ordering = ["share_out_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["share_out", "member"], name="share_line_once"),
            models.CheckConstraint(condition=Q(proposed__gte=0, final__gte=0), name="share_line_not_negative"),
            models.CheckConstraint(condition=Q(final=F("proposed") + F("adjustment")), name="share_line_final"),
            models.CheckConstraint(condition=Q(adjustment=0) | ~Q(reason=""), name="share_line_adjustment_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.share_out_id} {self.member_id} {self.final}"
