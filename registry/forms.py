from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.access import mentors_within
from accounts.models import User
from lib.forms import Form, PlainSelect, RupiahField, ShortModelChoiceField
from lib.regioncode import ancestors_of
from monitoring.models import Health
from regions.forms import RegionField
from registry.choices import (
    Bond,
    BusinessMode,
    BusinessType,
    LeaveReason,
    Position,
    Sex,
    Stage,
    Status,
    TargetGroup,
    WelfareLevel,
)
from registry.models import Member, Programme
from registry.rules import MemberData


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def pendamping_choices(root: str | None, *, covering: str | None = None) -> Any:
    """The office's own mentors (home region within `root`), those whose home region covers the
    region `covering` when given; the service checks the same (accounts.access)."""
    qs = mentors_within(root)
    if covering:
        qs = qs.filter(Q(region__isnull=True) | Q(region_id__in=ancestors_of(covering)))
    return qs.order_by("full_name")


class KubeForm(Form):
    name = forms.CharField(label=_("Nama KUBE"), max_length=150,
                           widget=forms.TextInput(
                               attrs={"placeholder": _("misalnya KUBE Maju Sejahtera 11")}))
    desa = RegionField(label=_("Desa/kelurahan"), min_level=4, max_level=4)
    address = forms.CharField(label=_("Alamat (jalan/kampung)"), max_length=250, required=False)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    formed_on = forms.DateField(label=_("Tanggal dibentuk"), widget=DateInput())
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none(),
                                       empty_label=None)
    target_group = forms.ChoiceField(label=_("Sasaran"), choices=TargetGroup.choices,
                                     initial=TargetGroup.FAKIR_MISKIN)
    business_type = forms.ChoiceField(label=_("Jenis usaha"), choices=BusinessType.choices)
    business_description = forms.CharField(label=_("Uraian usaha"), max_length=250, required=False)
    business_mode = forms.ChoiceField(label=_("Usaha dijalankan oleh"), choices=BusinessMode.choices,
                                      initial=BusinessMode.KELOMPOK)
    bonds = forms.MultipleChoiceField(label=_("Ikatan pemersatu"), choices=Bond.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)
    bond_note = forms.CharField(label=_("Keterangan ikatan"), max_length=250, required=False)

    def __init__(self, *args: Any, root: str = "", editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.all() if editing else Programme.objects.filter(is_active=True)
        self.fields["programme"].queryset = programmes.order_by("name")  # type: ignore[attr-defined]
        desa = self.fields["desa"]
        assert isinstance(desa, RegionField)
        desa.set_root(root)
        if editing:
            self.fields["version"] = version_field()


def version_field() -> forms.IntegerField:
    """The version an edit started from (services.check_version), carried in the form."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class KubeRegisterForm(KubeForm):
    pendamping = forms.ModelChoiceField(label=_("Pendamping"), queryset=User.objects.none(),
                                        required=False, empty_label=_("— belum ada —"))
    officers_chosen_on = forms.DateField(
        label=_("Tanggal musyawarah pemilihan pengurus"), widget=DateInput(), required=False,
        help_text=_("Kosongkan bila sama dengan tanggal dibentuk."))

    def __init__(self, *args: Any, root: str = "", **kwargs: Any) -> None:
        super().__init__(*args, root=root, **kwargs)
        self.fields["pendamping"].queryset = pendamping_choices(root)  # type: ignore[attr-defined]


class MemberForm(Form):
    nik = forms.CharField(label=_("NIK"), max_length=20,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    kk_number = forms.CharField(label=_("Nomor KK"), max_length=20,
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DateInput())
    task = forms.CharField(label=_("Tugas dalam kelompok"), max_length=150, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("misalnya belanja stok")}))
    address = forms.CharField(label=_("Alamat"), max_length=250, required=False)
    phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    target_group = forms.ChoiceField(label=_("Sasaran"), choices=TargetGroup.choices,
                                     initial=TargetGroup.FAKIR_MISKIN)
    welfare_level = forms.ChoiceField(label=_("Tingkat kesejahteraan"), choices=WelfareLevel.choices,
                                      initial=WelfareLevel.MISKIN)
    dtsen_desil = forms.IntegerField(label=_("Desil DTSEN (bila sudah diketahui)"), min_value=1, max_value=10,
                                     required=False)
    dtsen_number = forms.CharField(label=_("Nomor DTSEN/DTKS"), max_length=30, required=False)
    accept_duplicate = forms.BooleanField(label=_("Tetap daftarkan, bukan orang yang sama"), required=False,
                                          help_text=_("Centang hanya setelah memeriksa KTP dan KK, bila SIKUBE "
                                                      "mengingatkan kemungkinan data ganda."))
    skills = forms.CharField(label=_("Keterampilan"), max_length=250, required=False)
    joined_on = forms.DateField(label=_("Tanggal masuk"), widget=DateInput(), required=False)

    MAIN_FIELDS = ("nik", "kk_number", "name", "sex", "birth_date", "task")

    def member_data(self) -> MemberData:
        d = self.cleaned_data
        return MemberData(
            nik=d["nik"], kk_number=d["kk_number"], name=d["name"], sex=d["sex"],
            birth_date=d["birth_date"], address=d.get("address", ""), phone=d.get("phone", ""),
            target_group=d["target_group"], welfare_level=d["welfare_level"],
            dtsen_desil=d.get("dtsen_desil"), dtsen_number=d.get("dtsen_number", ""),
            accept_duplicate=bool(d.get("accept_duplicate")),
            skills=d.get("skills", ""), task=d.get("task", ""), joined_on=d.get("joined_on"),
            position=d.get("position", ""),
        )

    @classmethod
    def initial_for(cls, member: Member) -> dict[str, Any]:
        return {name: getattr(member, name) for name in cls.base_fields if hasattr(member, name)}


class MemberEditForm(MemberForm):
    """A member's edit: the form with the version it started from."""

    version = version_field()


class MemberRowForm(MemberForm):
    """One member on the registration page, with the office they are chosen for."""

    position = forms.ChoiceField(label=_("Jabatan"), required=False, initial="",
                                 choices=[("", _("— anggota —")), *Position.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["joined_on"]


MemberFormSet = forms.formset_factory(MemberRowForm, extra=0, max_num=60, absolute_max=60)


class LifecycleForm(Form):
    effective_on = forms.DateField(label=_("Berlaku sejak"), widget=DateInput(),
                                   initial=timezone.localdate)
    reason = forms.CharField(label=_("Alasan"), max_length=250, widget=forms.Textarea(attrs={"rows": 3}))


class StageForm(LifecycleForm):
    stage = forms.ChoiceField(label=_("Tahap baru"), choices=Stage.choices)
    field_order = ["stage", "effective_on", "reason"]


class StatusForm(LifecycleForm):
    status = forms.ChoiceField(label=_("Status baru"), choices=Status.choices)
    # Dissolving cannot be undone: the tick is asked for on the page and required by the server.
    confirm_dissolve = forms.BooleanField(required=False)
    field_order = ["status", "effective_on", "reason", "confirm_dissolve"]

    def __init__(self, *args: Any, members: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm_dissolve"].label = _(
            "Jika Bubar: saya mengerti bahwa keanggotaan dan jabatan %(n)s anggota berakhir pada tanggal "
            "itu dan buku KUBE hanya dapat dibaca, untuk selamanya.") % {"n": members}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.BUBAR and not data.get("confirm_dissolve"):
            self.add_error("confirm_dissolve", _(
                "Centang konfirmasi untuk membubarkan KUBE: pembubaran tidak dapat dibatalkan."))
        return data


class AssignForm(Form):
    pendamping = forms.ModelChoiceField(label=_("Pendamping"), queryset=User.objects.none(),
                                        required=False, empty_label=_("— tanpa pendamping —"))
    start_on = forms.DateField(label=_("Mulai bertugas"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, root: str = "", covering: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pendamping"].queryset = pendamping_choices(  # type: ignore[attr-defined]
            root, covering=covering)


class LeaveForm(Form):
    left_on = forms.DateField(label=_("Tanggal keluar"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Alasan keluar"), choices=[("", "—"), *LeaveReason.choices])
    note = forms.CharField(label=_("Keterangan"), max_length=250, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Dissolution is recorded by the status change, never chosen for one person.
        self.fields["reason"].choices = [c for c in self.fields["reason"].choices  # type: ignore[attr-defined]
                                         if c[0] != LeaveReason.KUBE_BUBAR]


class OfficersForm(Form):
    ketua = forms.ModelChoiceField(label=_("Ketua"), queryset=Member.objects.none())
    sekretaris = forms.ModelChoiceField(label=_("Sekretaris"), queryset=Member.objects.none())
    bendahara = forms.ModelChoiceField(label=_("Bendahara"), queryset=Member.objects.none())
    chosen_on = forms.DateField(label=_("Tanggal musyawarah anggota"), widget=DateInput(),
                                initial=timezone.localdate)
    term_start = forms.DateField(label=_("Awal masa jabatan"), widget=DateInput(), required=False,
                                 help_text=_("Kosongkan bila sama dengan tanggal musyawarah."))
    term_end = forms.DateField(label=_("Akhir masa jabatan"), widget=DateInput(), required=False,
                               help_text=_("Kosongkan untuk tiga tahun."))

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("ketua", "sekretaris", "bendahara"):
            self.fields[name].queryset = members  # type: ignore[attr-defined]


class TaskForm(Form):
    task = forms.CharField(label=_("Tugas"), max_length=150, required=False)


class AccountForm(Form):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    password = forms.CharField(label=_("Kata sandi awal"), widget=forms.PasswordInput, min_length=8)


class ProgrammeForm(Form):
    code = forms.SlugField(label=_("Kode program"), max_length=30)
    name = forms.CharField(label=_("Nama program"), max_length=150)
    legal_basis = forms.CharField(label=_("Dasar hukum/pedoman"), max_length=250, required=False)
    min_members = forms.IntegerField(label=_("Anggota paling sedikit (KK)"), min_value=1, max_value=500)
    max_members = forms.IntegerField(label=_("Anggota paling banyak (KK)"), min_value=1, max_value=500)
    size_exempt_targets = forms.MultipleChoiceField(
        label=_("Sasaran yang dibentuk per unit permukiman (batas jumlah tidak berlaku)"),
        choices=TargetGroup.choices, required=False, widget=forms.CheckboxSelectMultiple)
    min_age = forms.IntegerField(label=_("Umur paling rendah"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Umur paling tinggi"), min_value=0, max_value=120, required=False)
    target_desil_max = forms.IntegerField(label=_("Desil DTSEN sasaran: desil 1 sampai"), min_value=1, max_value=10,
                                          required=False, help_text=_("Misalnya 4 untuk desil 1–4; kosongkan bila "
                                                                      "tanpa batas desil."))
    grant_per_member = RupiahField(label=_("Bantuan per anggota (Rp)"), allow_zero=True,
                                   maximum=10**12, required=False)
    is_active = forms.BooleanField(label=_("Masih dipakai untuk KUBE baru"), required=False, initial=True)


class KubeFilterForm(Form):
    """The list's filters. Never a NIK: that search is a POST of its own."""

    q = forms.CharField(label=_("Cari nama KUBE atau anggota"), required=False, max_length=100)
    region = RegionField(label=_("Wilayah"), required=False, min_level=1, max_level=4)
    stage = forms.ChoiceField(label=_("Tahap"), required=False,
                              choices=[("", _("Semua tahap")), *Stage.choices], widget=PlainSelect)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua status")), *Status.choices], widget=PlainSelect)
    programme = ShortModelChoiceField(label=_("Program"), required=False,
                                      queryset=Programme.objects.order_by("name"),
                                      empty_label=_("Semua program"), widget=PlainSelect)
    business_type = forms.ChoiceField(label=_("Jenis usaha"), required=False,
                                      choices=[("", _("Semua jenis usaha")), *BusinessType.choices], widget=PlainSelect)
    pendamping = forms.ModelChoiceField(label=_("Pendamping"), required=False,
                                        queryset=User.objects.none(), empty_label=_("Semua pendamping"),
                                        widget=PlainSelect)
    health = forms.ChoiceField(label=_("Kesehatan"), required=False,
                               choices=[("", _("Semua kesehatan")), *Health.choices], widget=PlainSelect)
    order = forms.ChoiceField(label=_("Urut menurut"), required=False,
                              choices=[("", _("Urut nama")), ("perhatian", _("Perlu perhatian dulu"))], widget=PlainSelect)

    def __init__(self, *args: Any, root: str = "", mentors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, RegionField)
        region.set_root(root)
        # Filter by the mentors who hold groups in reach (also one employed elsewhere).
        self.fields["pendamping"].queryset = (  # type: ignore[attr-defined]
            mentors.order_by("full_name") if mentors is not None else User.objects.none())
        self.too_many_mentors = False

    def offer_mentors(self, ids: list[int]) -> None:
        """List the mentors to choose from when there are few enough to choose from.

        A kabupaten has dozens; the country has thousands (one per kecamatan), and listing them
        all made the national list page 300 KB and 1.6 s to render. Above MENTOR_CHOICES_MAX the
        list offers only the mentor already chosen, and the page asks for a region first. Any
        mentor in reach stays valid in the query (the field's queryset), so a link keeps working.
        """
        field = self.fields["pendamping"]
        assert isinstance(field, forms.ModelChoiceField)
        # `ids`: up to MENTOR_CHOICES_MAX + 1 of them, unsorted (the country's thousands need not
        # be sorted); the few listed are then read by primary key. A count and then the list read
        # a province's groups twice (18 ms of its page).
        if len(ids) > MENTOR_CHOICES_MAX:
            self.too_many_mentors = True
            chosen = getattr(self, "cleaned_data", {}).get("pendamping")
            shown = [chosen] if chosen else []
        else:
            shown = list(User.objects.filter(pk__in=ids).order_by("full_name", "pk")) if ids else []
        field.widget.choices = [("", field.empty_label), *((m.pk, field.label_from_instance(m)) for m in shown)]


MENTOR_CHOICES_MAX = 200


class NikSearchForm(Form):
    nik = forms.CharField(label=_("NIK (16 digit, persis)"), min_length=16, max_length=20,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class ImportForm(Form):
    file = forms.FileField(label=_("Berkas Excel (.xlsx) sesuai templat"))
    accept_duplicates = forms.BooleanField(
        label=_("Tetap impor, bukan orang yang sama"), required=False,
        help_text=_("Centang hanya setelah memeriksa anggota yang disebut mirip dengan anggota terdaftar."))


def today() -> date:
    return timezone.localdate()


def _shown(field: forms.Field, value: Any) -> str:
    """A value as the page shows it: choices by their label, dates in words, nothing as a dash."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, date):
        return date_format(value, "j F Y")
    choices = dict(getattr(field, "choices", []) or []) if not isinstance(field, forms.ModelChoiceField) else {}
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


def stale_rows(form: forms.Form, current: Any, *, yours: int | None, current_version: int) -> dict[str, Any]:
    """Both versions of a refused stale edit side by side (registry/stale.html): what the user
    sent (the form's cleaned values) and what is saved now, field by field, the differences marked."""
    rows = []
    for name, field in form.fields.items():
        if name in ("version", "accept_duplicate") or name not in form.cleaned_data:
            continue
        mine, saved = _shown(field, form.cleaned_data[name]), _shown(field, getattr(current, name, None))
        rows.append({"label": field.label, "yours": mine, "current": saved, "differs": mine != saved})
    return {"yours": yours, "current": current_version, "rows": rows}
