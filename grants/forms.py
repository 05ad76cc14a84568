from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models import GrantSource, PlanLine, RecipientKind
from lib.forms import Form, RupiahField, rupiah_cell
from registry.forms import DateInput
from registry.models import Kube


class GrantForm(Form):
    name = forms.CharField(label=_("Nama bantuan"), max_length=150, initial="Bantuan UEP KUBE")
    source = forms.ChoiceField(label=_("Sumber dana"), choices=GrantSource.choices)
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100)
    amount = RupiahField(label=_("Jumlah (Rp)"))
    received_on = forms.DateField(label=_("Tanggal diterima di rekening"), widget=DateInput(),
                                  initial=timezone.localdate)
    bank_name = forms.CharField(label=_("Bank"), max_length=60)
    account_number = forms.CharField(label=_("Nomor rekening KUBE"), max_length=40)
    account_name = forms.CharField(label=_("Atas nama"), max_length=150)


def _lines(text: str, columns: int) -> list[list[str]]:
    return [[part.strip() for part in line.split("|")] for line in text.splitlines() if line.strip()]


class PlanForm(Form):
    lines = forms.CharField(
        label=_("Rencana anggaran (RAB), satu baris per belanja"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tulis: uraian | volume | satuan | harga satuan | aset (ya/tidak). "
                    "Contoh: Etalase kaca | 1 | unit | 1500000 | ya"))

    def clean_lines(self) -> list[tuple[str, int, str, int, bool]]:
        rows = []
        for number, parts in enumerate(_lines(self.cleaned_data["lines"], 5), start=1):
            if len(parts) < 4:
                raise forms.ValidationError(_("Baris %(n)s: tulis paling sedikit uraian | volume | satuan | harga.")
                                            % {"n": number})
            item, quantity, unit, cost = parts[:4]
            is_asset = len(parts) > 4 and parts[4].lower() in ("ya", "y", "aset", "yes")
            try:
                qty = int(quantity)
            except ValueError:
                raise forms.ValidationError(
                    _("Baris %(n)s: volume harus angka bulat.") % {"n": number}) from None
            try:
                price = rupiah_cell(cost)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Baris %(n)s, harga: %(problem)s") % {"n": number, "problem": exc.messages[0]}) from None
            rows.append((item, qty, unit, price, is_asset))
        if not rows:
            raise forms.ValidationError(_("Tulis paling sedikit satu baris."))
        return rows


class SpendForm(Form):
    plan_line = forms.ModelChoiceField(label=_("Baris RAB"), queryset=PlanLine.objects.none())
    amount = RupiahField(label=_("Jumlah dibelanjakan (Rp)"))
    description = forms.CharField(label=_("Uraian"), max_length=250, required=False)
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    location = forms.CharField(label=_("Lokasi barang (untuk aset)"), max_length=150, required=False)

    def __init__(self, *args: Any, grant: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_line"].queryset = grant.plan_lines.order_by("id")  # type: ignore[attr-defined]


class OnwardForm(Form):
    recipient_kind = forms.ChoiceField(label=_("Digulirkan kepada"), choices=RecipientKind.choices)
    recipient_kube = forms.ModelChoiceField(label=_("KUBE penerima"), queryset=Kube.objects.none(), required=False)
    recipients = forms.CharField(
        label=_("Penerima, satu baris per orang"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tulis: nama | NIK (boleh kosong) | jumlah. Contoh: Ibu Entin | | 500000"))
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Keterangan"), max_length=250, required=False)

    def __init__(self, *args: Any, kubes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_kube"].queryset = kubes  # type: ignore[attr-defined]

    def clean_recipients(self) -> list[tuple[str, str, int]]:
        rows = []
        for number, parts in enumerate(_lines(self.cleaned_data["recipients"], 3), start=1):
            if len(parts) != 3:
                raise forms.ValidationError(_("Baris %(n)s: tulis nama | NIK | jumlah.") % {"n": number})
            try:
                amount = rupiah_cell(parts[2])
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Baris %(n)s, jumlah: %(problem)s") % {"n": number, "problem": exc.messages[0]}) from None
            rows.append((parts[0], parts[1], amount))
        return rows
