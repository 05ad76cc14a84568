from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import Form
from registry.forms import DateInput
from shareout.models import Leavers, Payout, ShareLine


def _pct(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_value=100, decimal_places=2, max_digits=5, **kwargs)


class RuleForm(Form):
    adopted_on = forms.DateField(label=_("Disahkan dalam musyawarah tanggal"), widget=DateInput(),
                                 initial=timezone.localdate)
    capital_percent = _pct(_("Bagian laba untuk modal (%)"), initial=40)
    members_percent = _pct(_("Bagian laba untuk anggota (%)"), initial=60)
    weight_equal = _pct(_("Bobot sama rata (%)"), initial=100, required=False,
                        help_text=_("Menurut bulan keanggotaan: anggota setahun penuh mendapat satu bagian penuh."))
    weight_savings = _pct(_("Bobot simpanan × bulan (%)"), initial=0, required=False,
                          help_text=_("Saldo simpanan anggota pada akhir tiap bulan, dijumlahkan."))
    weight_work = _pct(_("Bobot hari kerja (%)"), initial=0, required=False,
                       help_text=_("Kehadiran pada kegiatan usaha bersama di Buku Agenda."))
    leavers = forms.ChoiceField(label=_("Anggota yang keluar"), choices=Leavers.choices, initial=Leavers.NONE)
    payout = forms.ChoiceField(label=_("Bagian anggota"), choices=Payout.choices, initial=Payout.SAVINGS)


class YearForm(Form):
    year = forms.IntegerField(label=_("Tahun buku"), min_value=2000, max_value=2100)


class DecisionForm(Form):
    """The meeting's decision, with one adjustment, reason and payout per member of the share-out."""

    meeting_date = forms.DateField(label=_("Tanggal musyawarah"), widget=DateInput(), initial=timezone.localdate)
    present = forms.IntegerField(label=_("Anggota hadir"), min_value=1, max_value=1000)
    decision = forms.CharField(label=_("Keputusan musyawarah"), max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, lines: list[ShareLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for ln in lines:
            self.fields[f"adj_{ln.member_id}"] = forms.IntegerField(
                label=_("Penyesuaian (Rp, boleh negatif)"), required=False, initial=ln.adjustment or None)
            self.fields[f"reason_{ln.member_id}"] = forms.CharField(
                label=_("Alasan"), required=False, max_length=250, initial=ln.reason)
            self.fields[f"payout_{ln.member_id}"] = forms.ChoiceField(
                label=_("Dibayar"), choices=Payout.choices, initial=ln.payout)

    def rows(self) -> list[tuple[ShareLine, Any, Any, Any]]:
        return [(ln, self[f"adj_{ln.member_id}"], self[f"reason_{ln.member_id}"], self[f"payout_{ln.member_id}"])
                for ln in self.lines]

    def adjustments(self) -> dict[int, tuple[int, str]]:
        d = self.cleaned_data
        return {ln.member_id: (d.get(f"adj_{ln.member_id}") or 0, d.get(f"reason_{ln.member_id}") or "")
                for ln in self.lines}

    def payouts(self) -> dict[int, str]:
        return {ln.member_id: self.cleaned_data[f"payout_{ln.member_id}"] for ln in self.lines}
