from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from lib.forms import Form
from mentoring.models import Book, FollowUp, Topic, VisitKind
from regions.forms import RegionField
from registry.forms import DateInput
from registry.models import Kube, Member

FOLLOW_UP_ROWS = 3


class TimeInput(forms.TimeInput):
    input_type = "time"


class VisitForm(Form):
    """A visit on one page: attendance, the books audited, follow-ups, and photos."""

    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    start_time = forms.TimeField(label=_("Jam mulai"), widget=TimeInput(), required=False)
    end_time = forms.TimeField(label=_("Jam selesai"), widget=TimeInput(), required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=VisitKind.choices, initial=VisitKind.MONTHLY)
    place = forms.CharField(label=_("Tempat pertemuan"), max_length=200)
    present = forms.ModelMultipleChoiceField(label=_("Yang hadir"), queryset=Member.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    treasurer_report_reviewed = forms.BooleanField(label=_("Laporan bendahara dibahas"), required=False)
    problems = forms.CharField(label=_("Masalah dan keberhasilan yang muncul"),
                               widget=forms.Textarea(attrs={"rows": 2}))
    solutions = forms.CharField(label=_("Solusi dan kesepakatan"), widget=forms.Textarea(attrs={"rows": 2}),
                                required=False)
    close = forms.ModelMultipleChoiceField(label=_("Tindak lanjut yang sudah selesai"), required=False,
                                           queryset=FollowUp.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, kube: Kube, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = kube.members.filter(left_on__isnull=True).order_by("name")
        self.fields["present"].queryset = members  # type: ignore[attr-defined]
        # Everyone present unless tapped away: most meetings miss one or two members.
        self.fields["present"].initial = list(members.values_list("pk", flat=True))
        self.fields["close"].queryset = kube.follow_ups.filter(closed_on__isnull=True).select_related("person")  # type: ignore[attr-defined]
        self.fields["close"].label_from_instance = (  # type: ignore[attr-defined]
            lambda f: f"{f.action} — {f.person.name}, {f.due_on:%d-%m-%Y}")
        for book in Book:
            self.fields[f"audit_{book.value}_checked"] = forms.BooleanField(label=_("diperiksa"), required=False)
            self.fields[f"audit_{book.value}_in_order"] = forms.BooleanField(label=_("tertib"), required=False)
            self.fields[f"audit_{book.value}_findings"] = forms.CharField(label=_("temuan"), max_length=300,
                                                                           required=False)
        for i in range(FOLLOW_UP_ROWS):
            self.fields[f"fu_{i}_action"] = forms.CharField(label=_("Tindak lanjut"), max_length=300, required=False)
            self.fields[f"fu_{i}_person"] = forms.ModelChoiceField(label=_("Penanggung jawab"), queryset=members,
                                                                   required=False)
            self.fields[f"fu_{i}_due_on"] = forms.DateField(label=_("Batas waktu"), widget=DateInput(), required=False)

    def audit_rows(self) -> list[tuple[str, str, Any, Any, Any]]:
        return [(b.value, str(b.label), self[f"audit_{b.value}_checked"], self[f"audit_{b.value}_in_order"],
                 self[f"audit_{b.value}_findings"]) for b in Book]

    def follow_up_rows(self) -> list[tuple[Any, Any, Any, bool]]:
        """Each follow-up block and whether it holds something (shown open after a refusal);
        the page shows one empty block only when asked for it."""
        rows = []
        for i in range(FOLLOW_UP_ROWS):
            fields = (self[f"fu_{i}_action"], self[f"fu_{i}_person"], self[f"fu_{i}_due_on"])
            rows.append((*fields, any(f.value() or f.errors for f in fields)))
        return rows


class EventForm(Form):
    title = forms.CharField(label=_("Judul kegiatan"), max_length=200)
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    kabupaten = RegionField(label=_("Kabupaten/kota"), min_level=2, max_level=2)
    place = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    topic = forms.ChoiceField(label=_("Materi"), choices=Topic.choices)
    method = forms.CharField(label=_("Metode"), max_length=200, initial=_("Penyampaian materi dan diskusi"))
    speakers = forms.CharField(label=_("Narasumber (satu per baris)"), widget=forms.Textarea(attrs={"rows": 3}))
    moderator = forms.CharField(label=_("Moderator"), max_length=200, required=False)
    committee = forms.CharField(label=_("Panitia (satu per baris)"), widget=forms.Textarea(attrs={"rows": 2}),
                                required=False)
    kubes = forms.ModelMultipleChoiceField(label=_("KUBE peserta"), queryset=Kube.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    people = forms.IntegerField(label=_("Peserta per KUBE (orang)"), min_value=0, max_value=500, initial=2)
    problems_raised = forms.CharField(label=_("Permasalahan yang disampaikan KUBE"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    participants = forms.CharField(
        label=_("Nama peserta (boleh dikosongkan)"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu orang per baris: nama | nama KUBE. Contoh: Ani Suryani | KUBE Maju Sejahtera 11"))
    results = forms.CharField(label=_("Hasil kegiatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, kubes: Any, root: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kubes"].queryset = kubes  # type: ignore[attr-defined]
        region = self.fields["kabupaten"]
        assert isinstance(region, RegionField)
        region.set_root(root[:5] if len(root) >= 5 else root)

    def clean(self) -> dict[str, Any]:
        """Named participants, each matched to one of the chosen groups (and to its member, when the name is one)."""
        data = super().clean() or {}
        chosen = {k.name.casefold(): k for k in data.get("kubes") or []}
        people: list[tuple[Kube, Member | None, str]] = []
        for number, line in enumerate((data.get("participants") or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, kube_name = (part.strip() for part in line.partition("|"))
            if not name or not kube_name:
                self.add_error("participants", _("Baris %(n)s: tulis nama | nama KUBE.") % {"n": number})
                continue
            kube = chosen.get(kube_name.casefold())
            if kube is None:
                self.add_error("participants", _("Baris %(n)s: %(k)s tidak termasuk KUBE peserta yang dipilih.")
                               % {"n": number, "k": kube_name})
                continue
            member = kube.members.filter(left_on__isnull=True, name__iexact=name).first()
            people.append((kube, member, name[:150]))
        data["participant_rows"] = people
        return data


class EvaluationForm(Form):
    title = forms.CharField(label=_("Kegiatan"), max_length=200)
    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)
    indicators = forms.CharField(label=_("Indikator keberhasilan"), widget=forms.Textarea(attrs={"rows": 3}))
    results = forms.CharField(label=_("Hasil yang diperoleh"), widget=forms.Textarea(attrs={"rows": 3}))
    supporting = forms.CharField(label=_("Faktor pendukung"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    inhibiting = forms.CharField(label=_("Faktor penghambat"), widget=forms.Textarea(attrs={"rows": 2}),
                                 required=False)
    targets = forms.CharField(
        label=_("Target pencapaian, satu per baris: target | target % | tercapai %"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Contoh: Peserta menerima pesan kegiatan dengan baik | 90 | 95"))

    def clean_targets(self) -> list[tuple[str, str, str]]:
        rows = []
        for number, line in enumerate((self.cleaned_data["targets"] or "").splitlines(), start=1):
            if not line.strip():
                continue
            description, *numbers = (p.strip() for p in line.split("|"))
            if len(numbers) not in (1, 2):
                raise forms.ValidationError(_("Baris %(n)s: tulis target | target %% | tercapai %%.") % {"n": number})
            target, reached = (n.rstrip("%").strip().replace(",", ".") for n in [*numbers, ""][:2])
            rows.append((description, target, reached))
        return rows


class StageCheckForm(Form):
    met = forms.BooleanField(label=_("Terpenuhi"), required=False)
    evidence = forms.CharField(label=_("Bukti"), max_length=300, required=False)


class PromoteForm(Form):
    reason = forms.CharField(label=_("Alasan/keputusan"), max_length=250)
    effective_on = forms.DateField(label=_("Berlaku sejak"), widget=DateInput(), initial=timezone.localdate)


class AssignKecamatanForm(Form):
    kecamatan = RegionField(label=_("Kecamatan"), min_level=3, max_level=3)
    pendamping = forms.ModelChoiceField(label=_("Pendamping"), queryset=User.objects.none())
    start_on = forms.DateField(label=_("Mulai bertugas"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, root: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["kecamatan"]
        assert isinstance(region, RegionField)
        region.set_root(root)
        from registry.forms import pendamping_choices

        self.fields["pendamping"].queryset = pendamping_choices(root)  # type: ignore[attr-defined]


class PhotoForm(Form):
    photos = forms.FileField(label=_("Foto"), required=False)

