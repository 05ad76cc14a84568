from __future__ import annotations

import random
import threading
import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccountType(models.TextChoices):
    ASSET = "asset", _("Harta")
    LIABILITY = "liability", _("Kewajiban")
    EQUITY = "equity", _("Modal")
    INCOME = "income", _("Pendapatan")
    EXPENSE = "expense", _("Beban")


# Debit-normal types: a balance is debits − credits; the others credits − debits.
DEBIT_NORMAL = {AccountType.ASSET, AccountType.EXPENSE}


class AccountRole(models.TextChoices):
    """What the code relies on an account for. Accounts an administrator adds have none."""

    CASH = "cash", _("Kas tunai")
    BANK = "bank", _("Bank")
    COOP = "coop", _("Simpanan di koperasi")
    LOANS = "loans", _("Piutang pinjaman anggota")
    STOCK = "stock", _("Persediaan barang")
    EQUIPMENT = "equipment", _("Peralatan dan aset")
    SAVINGS = "savings", _("Simpanan anggota")
    IKS = "iks", _("Dana IKS")
    GRANT_CAPITAL = "grant_capital", _("Modal bantuan stimulan")
    OWN_CAPITAL = "own_capital", _("Modal sendiri")
    RETAINED = "retained", _("Saldo laba")
    IKS_ALLOCATION = "iks_allocation", _("Penyisihan laba untuk IKS")
    ONWARD = "onward", _("Perguliran bantuan")
    SALES = "sales", _("Penjualan dan pendapatan usaha")
    FEE_INCOME = "fee_income", _("Pendapatan jasa pinjaman")
    OTHER_INCOME = "other_income", _("Pendapatan lain-lain")
    PURCHASES = "purchases", _("Belanja barang dagangan/bahan")
    OPERATING = "operating", _("Biaya operasional")
    OTHER_EXPENSE = "other_expense", _("Biaya lain-lain")


CASH_ROLES = (AccountRole.CASH, AccountRole.BANK)
# Where the group's money is: the cash box, the bank account and the deposits at the cooperative.
# The LPJ's cash summary and the Buku Kas Umum keep one balance for each; moving money between
# them is a transfer, neither income nor spending.
MONEY_ROLES = (AccountRole.CASH, AccountRole.BANK, AccountRole.COOP)


class Account(models.Model):
    code = models.CharField(_("kode akun"), max_length=10, unique=True)
    name = models.CharField(_("nama akun"), max_length=100)
    type = models.CharField(_("golongan"), max_length=10, choices=AccountType.choices)
    role = models.CharField(_("fungsi"), max_length=16, choices=AccountRole.choices, null=True,
                            blank=True, unique=True)
    is_active = models.BooleanField(_("dipakai"), default=True)

    class Meta:
        verbose_name = _("akun")
        verbose_name_plural = _("bagan akun")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def debit_normal(self) -> bool:
        return self.type in DEBIT_NORMAL


class TxnKind(models.TextChoices):
    SALE = "sale", _("Penjualan")
    PURCHASE = "purchase", _("Belanja barang")
    EXPENSE = "expense", _("Biaya")
    INCOME = "income", _("Pemasukan lain")
    CAPITAL_IN = "capital_in", _("Setoran modal anggota")
    GRANT = "grant", _("Penerimaan bantuan stimulan")
    GRANT_SPEND = "grant_spend", _("Realisasi bantuan")
    ONWARD = "onward", _("Perguliran bantuan")
    ASSET = "asset", _("Pembelian aset")
    TRANSFER = "transfer", _("Pemindahan kas/bank")
    IKS_ALLOCATION = "iks_allocation", _("Penyisihan IKS")
    IKS_USE = "iks_use", _("Penggunaan dana IKS")
    SAVINGS_DEPOSIT = "savings_in", _("Setoran simpanan")
    SAVINGS_WITHDRAWAL = "savings_out", _("Penarikan simpanan")
    COOP_DEPOSIT = "coop_in", _("Setoran ke koperasi")
    COOP_WITHDRAWAL = "coop_out", _("Penarikan dari koperasi")
    LOAN_DISBURSEMENT = "loan_out", _("Pencairan pinjaman")
    LOAN_REPAYMENT = "loan_in", _("Angsuran pinjaman")
    OPENING = "opening", _("Saldo awal")
    GENERAL = "general", _("Jurnal umum")
    REVERSAL = "reversal", _("Pembalikan")


_last_id = 0
_id_lock = threading.Lock()


def new_transaction_id() -> int:
    """Ids are assigned before the lines are written (the header is inserted last, see
    books/triggers.py): microseconds since the epoch and 8 random bits, so they sort by time;
    strictly increasing within a process even when the clock stands still or steps back."""
    global _last_id
    with _id_lock:
        _last_id = max((time.time_ns() // 1000) << 8 | random.getrandbits(8), _last_id + 1)
        return _last_id


class Transaction(models.Model):
    id = models.BigIntegerField(primary_key=True, default=new_transaction_id, editable=False)
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="transactions")
    date = models.DateField(_("tanggal"))
    period = models.PositiveIntegerField(_("bulan buku"), help_text="YYYYMM")
    receipt_year = models.PositiveSmallIntegerField(_("tahun bukti"))
    receipt_no = models.CharField(_("nomor bukti"), max_length=30)
    kind = models.CharField(_("jenis"), max_length=16, choices=TxnKind.choices)
    description = models.CharField(_("uraian"), max_length=250)
    amount = models.BigIntegerField(_("jumlah"), help_text=_("jumlah debit = jumlah kredit"))
    reverses = models.OneToOneField("self", verbose_name=_("membalik transaksi"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("transaksi")
        verbose_name_plural = _("transaksi")
        ordering = ["kube_id", "date", "id"]
        indexes = [
            models.Index(fields=["kube", "date", "id"], name="txn_kube_date"),
            # Only reversals have `reverses`; a partial index keeps lookups by it selective.
            models.Index(fields=["reverses"], condition=Q(reverses__isnull=False), name="txn_reverses_set"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kube", "receipt_year", "receipt_no"], name="txn_receipt_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="txn_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_no}/{self.receipt_year} {self.description}"

    @property
    def receipt(self) -> str:
        return f"{self.receipt_no}/{self.receipt_year}"


class Line(models.Model):
    transaction = models.ForeignKey(Transaction, verbose_name=_("transaksi"), on_delete=models.PROTECT,
                                    related_name="lines")
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="+")
    date = models.DateField(_("tanggal"))
    account = models.ForeignKey(Account, verbose_name=_("akun"), on_delete=models.PROTECT,
                                related_name="lines")
    debit = models.BigIntegerField(_("debit"), default=0)
    credit = models.BigIntegerField(_("kredit"), default=0)
    member = models.ForeignKey("registry.Member", verbose_name=_("anggota"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="ledger_lines")
    loan = models.ForeignKey("books.Loan", verbose_name=_("pinjaman"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="lines")
    iks_fund = models.ForeignKey("books.IksFund", verbose_name=_("dana IKS"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="lines")

    class Meta:
        verbose_name = _("baris jurnal")
        verbose_name_plural = _("baris jurnal")
        ordering = ["transaction_id", "id"]
        indexes = [
            models.Index(fields=["kube", "account", "date"], name="line_kube_account_date"),
            models.Index(fields=["member", "account"], name="line_member_account"),
            models.Index(fields=["loan"], name="line_loan"),
            models.Index(fields=["iks_fund"], name="line_iks_fund"),
        ]
        constraints = [
            # Exactly one side, strictly positive: no zero, negative or two-sided line.
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="line_one_positive_side"),
        ]

    def __str__(self) -> str:
        return f"{self.account.code} D{self.debit} K{self.credit}"


class PeriodClose(models.Model):
    """A closed month: nothing may be posted into it or any month before it."""

    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="closed_periods")
    period = models.PositiveIntegerField(_("bulan buku"), help_text="YYYYMM")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ditutup oleh"), null=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("ditutup pada"), auto_now_add=True)
    # Set while the month's LPJ stands approved up the reporting chain (the approval app writes it
    # through books.services.closing.period_lock): a locked month cannot be reopened by the group.
    # The lock lives on the row it protects, so the reopen check needs no knowledge of the chain.
    # (Nullable, so that SQLite adds the column in place: a rebuilt table trips the ledger's triggers.)
    locked_at = models.DateTimeField(_("dikunci (LPJ disetujui) pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("tutup buku")
        verbose_name_plural = _("tutup buku")
        ordering = ["kube_id", "period"]
        constraints = [models.UniqueConstraint(fields=["kube", "period"], name="close_unique")]

    def __str__(self) -> str:
        return f"{self.kube_id} {self.period}"

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class ReceiptCounter(models.Model):
    kube = models.ForeignKey("registry.Kube", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kube", "year"], name="receipt_counter_unique")]

    def __str__(self) -> str:
        return f"{self.kube_id}/{self.year}: {self.last}"
