from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from books.models import AccountRole, AccountType, ActivityKind, Condition, IksFund, ItemSource, TxnKind, WorkPlanStatus
from lib.forms import AmountInput, Form, RupiahField
from lib.money import rupiah
from registry.forms import DateInput
from registry.models import Member

VIA_CHOICES = [(AccountRole.CASH, _("Kas tunai")), (AccountRole.BANK, _("Bank"))]


class CashEntryForm(Form):
    amount = RupiahField(label=_("Jumlah (Rp)"), widget=AmountInput(autofocus=True))
    description = forms.CharField(label=_("Uraian"), max_length=250)
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    via = forms.ChoiceField(label=_("Dari/ke"), choices=VIA_CHOICES, initial=AccountRole.CASH)
    receipt_no = forms.CharField(label=_("Nomor bukti (kosongkan: otomatis)"), max_length=30, required=False)


class TransferForm(Form):
    amount = RupiahField(label=_("Jumlah (Rp)"), widget=AmountInput(autofocus=True))
    direction = forms.ChoiceField(label=_("Arah"), choices=[
        ("to_cash", _("Tarik dari bank ke kas tunai")), ("to_bank", _("Setor kas tunai ke bank"))])
    description = forms.CharField(label=_("Uraian"), max_length=250)
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    receipt_no = forms.CharField(label=_("Nomor bukti (kosongkan: otomatis)"), max_length=30, required=False)


class ReverseForm(Form):
    reason = forms.CharField(label=_("Alasan pembalikan"), max_length=200)
    date = forms.DateField(label=_("Tanggal pembalikan"), widget=DateInput(), initial=timezone.localdate)
    # A reversal cannot be undone: the page asks for this tick and the server refuses without it.
    confirm = forms.BooleanField(error_messages={"required": _(
        "Centang dulu bahwa Anda mengerti: pembalikan tidak dapat dibatalkan.")})

    def __init__(self, *args: Any, amount: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _(
            "Saya mengerti: bukti baru mencatat kebalikan %(a)s ini, saldo kas ikut berubah sebesar itu, "
            "dan pembalikan tidak dapat dibatalkan.") % {"a": rupiah(amount)}


class CloseForm(Form):
    period = forms.CharField(widget=forms.HiddenInput)


class AccountForm(Form):
    code = forms.CharField(label=_("Kode akun"), max_length=10)
    name = forms.CharField(label=_("Nama akun"), max_length=100)
    type = forms.ChoiceField(label=_("Golongan"), choices=AccountType.choices)


class IksPolicyForm(Form):
    funds = forms.CharField(
        label=_("Peruntukan dan bagian dari laba (satu per baris, nama: persen)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Contoh dari KUBE Maju Sejahtera: \"Anggota sakit: 5\" dan \"Posyandu: 5\"."))

    def clean_funds(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data["funds"].splitlines():
            if not line.strip():
                continue
            name, sep, share = line.rpartition(":")
            if not sep:
                raise forms.ValidationError(_("Tulis setiap baris seperti \"Anggota sakit: 5\"."))
            rows.append((name.strip(), share.strip().replace(",", ".").rstrip("%").strip()))
        return rows


class IksUseForm(Form):
    fund = forms.ModelChoiceField(label=_("Dari dana"), queryset=IksFund.objects.none())
    amount = RupiahField(label=_("Jumlah (Rp)"))
    description = forms.CharField(label=_("Untuk"), max_length=250)
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, kube: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = kube.iks_funds.order_by("-is_active", "id")  # type: ignore[attr-defined]


class SavingsForm(Form):
    member = forms.ModelChoiceField(label=pgettext_lazy("satu orang", "Anggota"), queryset=Member.objects.none())
    kind = forms.ChoiceField(label=_("Jenis"), choices=[
        ("deposit", _("Setoran simpanan")), ("withdraw", _("Penarikan simpanan")),
        ("to_coop", _("Disetorkan ke koperasi")), ("from_coop", _("Diambil dari koperasi"))])
    amount = RupiahField(label=_("Jumlah (Rp)"))
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, kube: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = kube.members.order_by("-left_on", "name")  # type: ignore[attr-defined]


SHEET_COLUMNS = ("deposit", "withdrawal", "to_coop")


class MeetingSheetForm(Form):
    """The meeting's savings sheet: a deposit, a withdrawal and a share for the cooperative for
    every active member (fields `deposit-<id>`, `withdrawal-<id>`, `to_coop-<id>`), each optional."""

    date = forms.DateField(label=_("Tanggal rapat"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, members: list[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        labels = {"deposit": _("Setoran"), "withdrawal": _("Penarikan"), "to_coop": _("Ke koperasi")}
        for member in members:
            for column in SHEET_COLUMNS:
                self.fields[f"{column}-{member.pk}"] = RupiahField(
                    label=f"{labels[column]} {member.name}", required=False,
                    widget=AmountInput(placeholder="0"))

    def rows(self) -> list[tuple[Member, list[tuple[str, forms.BoundField]]]]:
        """Each member with their three (column, field) pairs, in the sheet's order."""
        return [(m, [(column, self[f"{column}-{m.pk}"]) for column in SHEET_COLUMNS]) for m in self.members]

    def amounts(self) -> list[tuple[Member, dict[str, int]]]:
        """The cleaned amounts per member (0 where empty); only after is_valid()."""
        return [(m, {column: self.cleaned_data.get(f"{column}-{m.pk}") or 0 for column in SHEET_COLUMNS})
                for m in self.members]


class LoanForm(Form):
    member = forms.ModelChoiceField(label=_("Peminjam"), queryset=Member.objects.none())
    amount = RupiahField(label=_("Pokok pinjaman (Rp)"))
    term_months = forms.IntegerField(label=_("Jangka waktu (bulan)"), min_value=1, max_value=120, initial=10)
    fee_percent_month = forms.DecimalField(label=_("Jasa per bulan (%)"), min_value=0, max_value=10,
                                           decimal_places=2, required=False,
                                           help_text=_("Kosongkan untuk memakai aturan KUBE."))
    purpose = forms.CharField(label=_("Keperluan"), max_length=200, required=False)
    date = forms.DateField(label=_("Tanggal cair"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, kube: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = kube.members.filter(left_on__isnull=True).order_by("name")  # type: ignore[attr-defined]


class RepayForm(Form):
    amount = RupiahField(label=_("Jumlah angsuran (Rp)"))
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)


class InventoryForm(Form):
    name = forms.CharField(label=_("Nama barang"), max_length=150)
    quantity = forms.IntegerField(label=pgettext_lazy("banyaknya", "Jumlah"), min_value=1, initial=1)
    unit = forms.CharField(label=_("Satuan"), max_length=20, initial="unit")
    acquired_on = forms.DateField(label=_("Tanggal perolehan"), widget=DateInput(), initial=timezone.localdate)
    source = forms.ChoiceField(label=_("Asal"), choices=ItemSource.choices, initial=ItemSource.OWN)
    value = RupiahField(label=_("Nilai (Rp)"), allow_zero=True)
    location = forms.CharField(label=_("Lokasi"), max_length=150, required=False)
    code = forms.CharField(label=_("Kode (kosongkan: otomatis)"), max_length=20, required=False)


class InventoryEventForm(Form):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    condition = forms.ChoiceField(label=_("Kondisi baru"), required=False,
                                  choices=[("", _("— tidak berubah —")), *Condition.choices])
    disposed = forms.BooleanField(label=_("Dihapus dari inventaris (hilang, rusak berat, dijual)"), required=False)
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)


class GuestForm(Form):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    name = forms.CharField(label=_("Nama tamu"), max_length=150)
    institution = forms.CharField(label=_("Instansi/alamat"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Keperluan"), max_length=250)
    remarks = forms.CharField(label=_("Keterangan"), max_length=250, required=False)


class ActivityForm(Form):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Jenis kegiatan"), choices=ActivityKind.choices)
    place = forms.CharField(label=_("Tempat"), max_length=150)
    agenda = forms.CharField(label=_("Acara"), widget=forms.Textarea(attrs={"rows": 3}))
    present = forms.ModelMultipleChoiceField(label=_("Yang hadir"), queryset=Member.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    minutes = forms.CharField(label=_("Hasil/notulen"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    follow_ups = forms.CharField(label=_("Tindak lanjut"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, kube: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = kube.members.filter(left_on__isnull=True).order_by("name")  # type: ignore[attr-defined]


class WorkPlanForm(Form):
    activity = forms.CharField(label=_("Kegiatan"), max_length=200)
    aim = forms.CharField(label=_("Tujuan"), max_length=250)
    target = forms.CharField(label=_("Target"), max_length=250)
    start_on = forms.DateField(label=_("Mulai"), widget=DateInput())
    end_on = forms.DateField(label=pgettext_lazy("tanggal", "Selesai"), widget=DateInput())
    person = forms.ModelChoiceField(label=_("Penanggung jawab"), queryset=Member.objects.none(), required=False)
    budget = RupiahField(label=_("Anggaran (Rp)"), allow_zero=True, required=False)
    budget_source = forms.CharField(label=_("Sumber dana"), max_length=100, required=False)
    realisation = forms.CharField(label=pgettext_lazy("rencana kerja", "Realisasi"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    percent_done = forms.IntegerField(label=_("Persen terlaksana"), min_value=0, max_value=100, initial=0)
    status = forms.ChoiceField(label=_("Status"), choices=WorkPlanStatus.choices, initial=WorkPlanStatus.PLANNED)

    def __init__(self, *args: Any, kube: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = kube.members.filter(left_on__isnull=True).order_by("name")  # type: ignore[attr-defined]


class RulesForm(Form):
    text = forms.CharField(label=_("Isi peraturan KUBE"), widget=forms.Textarea(attrs={"rows": 10}))
    adopted_on = forms.DateField(label=_("Disahkan dalam musyawarah tanggal"), widget=DateInput(),
                                 initial=timezone.localdate)
    loan_fee_percent_month = forms.DecimalField(label=_("Jasa pinjaman per bulan (%)"), min_value=0, max_value=10,
                                                decimal_places=2, required=False)


def default_description(kind: str, day: date | None = None) -> str:
    return str({
        TxnKind.SALE: _("Penjualan harian"), TxnKind.PURCHASE: _("Belanja barang dagangan"),
        TxnKind.EXPENSE: _("Biaya operasional"), TxnKind.INCOME: _("Pemasukan lain-lain"),
        TxnKind.CAPITAL_IN: _("Setoran modal anggota"), TxnKind.ASSET: _("Pembelian peralatan"),
    }.get(TxnKind(kind), ""))
