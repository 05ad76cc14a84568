from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import InstrumentVersion, Mode, RtlStatus
from lib.forms import Form
from registry.forms import DateInput
from registry.models import Kube, Member


def parse_history(text: str) -> list[tuple[str, str]]:
    """The history timeline as typed: one step per line, `when | what happened`."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        when, sep, event = (part.strip() for part in line.partition("|"))
        if not sep or not when or not event:
            raise forms.ValidationError(_("Baris %(n)s: tulis waktu | peristiwa.") % {"n": number})
        rows.append((when, event))
    return rows


def history_text(assessment: Any) -> str:
    return "\n".join(f"{h.when} | {h.event}" for h in assessment.history.all())


class _SessionFields(Form):
    facilitator_name = forms.CharField(label=_("Fasilitator"), max_length=150)
    place = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    participants = forms.ModelMultipleChoiceField(label=_("Peserta yang hadir"), queryset=Member.objects.none(),
                                                  widget=forms.CheckboxSelectMultiple)
    history = forms.CharField(
        label=_("Alur sejarah kelompok"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Satu peristiwa per baris: waktu | peristiwa. Contoh: Maret 2024 | KUBE dibentuk, 8 anggota"))
    reflection = forms.CharField(label=_("Refleksi pencapaian tujuan"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, kube: Kube, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = kube.members.filter(  # type: ignore[attr-defined]
            left_on__isnull=True).order_by("name")

    def clean_history(self) -> list[tuple[str, str]]:
        return parse_history(self.cleaned_data["history"])


class StartForm(_SessionFields):
    field_order = ["version", "date", "mode", "facilitator_name", "place", "participants", "history", "reflection"]

    version = forms.ModelChoiceField(label=_("Instrumen"), queryset=InstrumentVersion.objects.none(),
                                     empty_label=None)
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    mode = forms.ChoiceField(label=_("Cara menilai"), choices=Mode.choices, initial=Mode.PARTICIPANTS,
                             widget=forms.RadioSelect)

    def __init__(self, *args: Any, kube: Kube, **kwargs: Any) -> None:
        super().__init__(*args, kube=kube, **kwargs)
        self.fields["version"].queryset = (  # type: ignore[attr-defined]
            InstrumentVersion.objects.filter(retired_on__isnull=True).select_related("instrument")
            .order_by("instrument__name", "-number"))


class DetailsForm(_SessionFields):
    pass


class RtlForm(Form):
    item = forms.TypedChoiceField(label=_("Ciri prioritas"), coerce=int)
    activity = forms.CharField(label=_("Kegiatan"), max_length=200)
    aim = forms.CharField(label=_("Tujuan"), max_length=250)
    person = forms.ModelChoiceField(label=_("Penanggung jawab"), queryset=Member.objects.none(), required=False)
    due_on = forms.DateField(label=_("Waktu pelaksanaan"), widget=DateInput(), required=False)
    indicator = forms.CharField(label=_("Indikator keberhasilan"), max_length=300)
    target = forms.CharField(label=_("Target"), max_length=200, required=False)

    def __init__(self, *args: Any, kube: Kube, priorities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(p.item_id, f"{p.rank}. ({p.item.number}) {p.item.text}")  # type: ignore[attr-defined]
                                       for p in priorities]
        self.fields["person"].queryset = kube.members.filter(left_on__isnull=True).order_by("name")  # type: ignore[attr-defined]


class RtlStatusForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=RtlStatus.choices)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class VersionForm(Form):
    """A new version of an instrument, starting from the current one."""

    scale_min = forms.IntegerField(label=_("Nilai terendah"), min_value=0, max_value=9, initial=1)
    scale_max = forms.IntegerField(label=_("Nilai tertinggi"), min_value=1, max_value=10, initial=4)
    scale_labels = forms.CharField(label=_("Arti tiap nilai (satu per baris, dari terendah)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    standard = forms.DecimalField(label=_("Standar"), max_digits=4, decimal_places=2, initial=2.5,
                                  help_text=_("Ciri dengan rata-rata di bawah standar adalah ciri yang lemah."))
    published_on = forms.DateField(label=_("Berlaku sejak"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Catatan perubahan"), max_length=300, required=False)
    items_text = forms.CharField(
        label=_("Bidang dan ciri"), widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("Baris yang diawali # adalah nama bidang; baris lain: nomor | ciri."))
