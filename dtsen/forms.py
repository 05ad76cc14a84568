"""The dtsen pages' forms. A NIK is only ever a POSTed field, never in a URL."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import Form
from regions.forms import RegionField
from registry.choices import DtsenStatus


class DateInput(forms.DateInput):
    input_type = "date"


class ExtractForm(Form):
    file = forms.FileField(label=_("Berkas ekstrak DTSEN / SIKS-NG (.xlsx atau .csv)"))
    region = RegionField(label=_("Wilayah yang dicakup ekstrak"), min_level=2, max_level=3,
                         help_text=_("Anggota di wilayah ini yang tidak ada di ekstrak dicatat \"tidak ditemukan\"."))
    data_date = forms.DateField(label=_("Tanggal data ekstrak"), widget=DateInput())
    keep_file = forms.BooleanField(label=_("Simpan berkas ini di SIKUBE setelah dicocokkan"), required=False,
                                   help_text=_("Biasanya tidak perlu: ekstrak berisi data pribadi. Tanpa centang, "
                                               "berkas dibuang setelah pratinjau; yang dicatat hanya nama berkas dan "
                                               "sidik jarinya (SHA-256)."))
    col_nik = forms.CharField(label=_("Judul kolom NIK"), max_length=60, required=False)
    col_kk_number = forms.CharField(label=_("Judul kolom nomor KK"), max_length=60, required=False)
    col_name = forms.CharField(label=_("Judul kolom nama"), max_length=60, required=False)
    col_desil = forms.CharField(label=_("Judul kolom desil"), max_length=60, required=False)

    def __init__(self, *args: Any, root: str = "", mapping: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, RegionField)
        region.set_root(root)
        for key, value in (mapping or {}).items():
            if f"col_{key}" in self.fields:
                self.fields[f"col_{key}"].initial = value

    def clean_data_date(self) -> date:
        value: date = self.cleaned_data["data_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal data tidak boleh di masa depan."))
        return value

    def mapping(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"col_{key}", "") for key in ("nik", "kk_number", "name", "desil")}


DECISION_CHOICES = [
    ("merge", _("Orang yang sama: gabungkan (yang lain dikeluarkan sebagai data ganda)")),
    ("correct", _("Orang yang berbeda, NIK salah ketik: betulkan NIK")),
    ("different", _("Orang yang berbeda, data sudah benar")),
]


class ResolveForm(Form):
    decision = forms.ChoiceField(label=_("Keputusan"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    member = forms.TypedChoiceField(label=_("Anggota yang dipertahankan / dibetulkan NIK-nya"), coerce=int,
                                    required=False, widget=forms.RadioSelect)
    nik = forms.CharField(label=_("NIK yang benar (bila dibetulkan)"), max_length=20, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    note = forms.CharField(label=_("Catatan (apa yang diperiksa)"), max_length=250, required=False)

    def __init__(self, *args: Any, choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = choices or []  # type: ignore[attr-defined]


class RecordForm(Form):
    status = forms.ChoiceField(label=_("Status DTSEN"), choices=DtsenStatus.choices, widget=forms.RadioSelect)
    desil = forms.IntegerField(label=_("Desil (1–10, bila ditemukan)"), min_value=1, max_value=10, required=False)
    data_date = forms.DateField(label=_("Tanggal data"), widget=DateInput(), required=False)
    reference = forms.CharField(label=_("Nomor DTSEN/DTKS"), max_length=30, required=False)
    note = forms.CharField(label=_("Keterangan"), max_length=250, required=False)
