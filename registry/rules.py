"""The registry's rules as pure checks: they read, never write.

Each check returns a list of `Problem`s (field, message, how to fix). Services
raise the first as a RegistryError; the Excel import turns all of them into its
row-by-row error sheet. Keeping both on one set of checks means the form, the API
and the import can never disagree about what a valid member is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import phonenumbers
from django.utils.translation import gettext as _

from lib.nik import nik_digits, nik_problems
from regions.selectors import kecamatan_exists
from registry.choices import DESIL_MAX, DESIL_MIN, DtsenStatus, Position, Sex, TargetGroup, WelfareLevel
from registry.models import Kube, Member, Programme


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass
class MemberData:
    """A member as entered: the same shape from the form, the API and the import."""

    nik: str
    kk_number: str
    name: str
    sex: str
    birth_date: date
    address: str = ""
    phone: str = ""
    target_group: str = TargetGroup.FAKIR_MISKIN
    welfare_level: str = WelfareLevel.MISKIN
    dtsen_desil: int | None = None   # an office's own entry of the DTSEN desil (1–10), or none
    dtsen_number: str = ""           # the DTSEN/DTKS number on the office's papers, if any
    skills: str = ""
    task: str = ""
    joined_on: date | None = None
    position: str = ""   # registration only: Ketua / Sekretaris / Bendahara
    # The person was warned that they look like a member already registered (registry.duplicates)
    # and said they are someone else: the registration goes ahead.
    accept_duplicate: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def normalized(self) -> MemberData:
        self.nik = nik_digits(self.nik)
        self.kk_number = nik_digits(self.kk_number)
        self.name = " ".join(self.name.split())
        self.phone = normalize_phone(self.phone)
        self.address = self.address.strip()
        self.dtsen_number = self.dtsen_number.strip()
        self.skills = self.skills.strip()
        self.task = self.task.strip()
        return self


def _parsed_phone(text: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return None


def normalize_phone(raw: str) -> str:
    """A phone number as +62… (E.164), however it was typed (0812-3456-7890, 62812…, +62 812 …),
    read by the phonenumbers library; one it cannot read as a valid number is returned trimmed
    for `phone_problem` to refuse."""
    text = " ".join((raw or "").split())
    if not text:
        return ""
    number = _parsed_phone(text)
    if number is None or not phonenumbers.is_valid_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_problem(phone: str) -> Problem | None:
    if not phone:
        return None
    number = _parsed_phone(phone)
    if number is None or not phonenumbers.is_valid_number(number):
        return Problem("phone", _("Nomor HP tidak valid; tulis seperti 081234567890 atau +6281234567890."))
    return None


def dtsen_flag(programme: Programme, status: str, desil: int | None) -> str | None:
    """Why a member is outside the programme's target (the flag on the group, the import and the
    dashboards), or None. A member not yet checked is not flagged: they are counted as unchecked."""
    target = programme.target_desil_max
    if target is None:
        return None
    if status == DtsenStatus.NOT_FOUND:
        return _("Tidak ditemukan di DTSEN, padahal program %(prog)s untuk keluarga desil 1–%(max)s.") % {
            "prog": programme.name, "max": target}
    if status == DtsenStatus.FOUND and desil is not None and desil > target:
        return _("Desil %(desil)s di luar sasaran program %(prog)s (desil 1–%(max)s).") % {
            "desil": desil, "prog": programme.name, "max": target}
    return None


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def member_problems(data: MemberData, *, programme: Programme, on: date,
                    known_kecamatan: set[str] | None = None) -> list[Problem]:
    """What is wrong with one member's data, by itself (not yet against other groups)."""
    out: list[Problem] = []
    if not data.name:
        out.append(Problem("name", _("Nama wajib diisi.")))
    if data.sex not in Sex.values:
        out.append(Problem("sex", _("Jenis kelamin harus L (laki-laki) atau P (perempuan).")))
    if data.birth_date > on:
        out.append(Problem("birth_date", _("Tanggal lahir tidak boleh di masa depan.")))
    out += [Problem("nik", m) for m in nik_problems(
        data.nik, birth_date=data.birth_date, sex=data.sex if data.sex in Sex.values else None,
        kecamatan_exists=known_kecamatan.__contains__ if known_kecamatan is not None else kecamatan_exists)]
    if len(data.kk_number) != 16 or not data.kk_number.isdigit():
        out.append(Problem("kk_number", _("Nomor KK harus 16 digit angka. Salin dari Kartu Keluarga.")))
    phone = phone_problem(data.phone)
    if phone:
        out.append(phone)
    if data.dtsen_desil is not None and not DESIL_MIN <= data.dtsen_desil <= DESIL_MAX:
        out.append(Problem("dtsen_desil", _("Desil DTSEN harus angka 1 sampai 10.")))
    if data.target_group not in TargetGroup.values:
        out.append(Problem("target_group", _("Sasaran tidak dikenal.")))
    if data.welfare_level not in WelfareLevel.values:
        out.append(Problem("welfare_level", _("Tingkat kesejahteraan harus fakir miskin, miskin "
                                              "atau hampir miskin.")))
    if data.position and data.position not in Position.values:
        out.append(Problem("position", _("Jabatan harus Ketua, Sekretaris, Bendahara atau kosong.")))
    age = age_on(data.birth_date, on)
    if programme.min_age is not None and age < programme.min_age:
        out.append(Problem("birth_date", _("Umur %(age)s tahun di bawah batas program %(prog)s "
                                           "(paling rendah %(min)s tahun).")
                           % {"age": age, "prog": programme.name, "min": programme.min_age}))
    if programme.max_age is not None and age > programme.max_age:
        out.append(Problem("birth_date", _("Umur %(age)s tahun di atas batas program %(prog)s "
                                           "(paling tinggi %(max)s tahun).")
                           % {"age": age, "prog": programme.name, "max": programme.max_age}))
    return out


def size_problem(*, programme: Programme, target_group: str, count: int) -> Problem | None:
    if not programme.size_applies_to(target_group):
        return None
    if count < programme.min_members or count > programme.max_members:
        return Problem("members", _(
            "Program %(prog)s mensyaratkan %(min)s sampai %(max)s KK per KUBE; "
            "yang didaftarkan %(n)s. Tambah atau kurangi anggota."
        ) % {"prog": programme.name, "min": programme.min_members,
             "max": programme.max_members, "n": count})
    return None


def duplicate_nik_problems(members: list[MemberData]) -> list[tuple[int, Problem]]:
    seen: dict[str, int] = {}
    out: list[tuple[int, Problem]] = []
    for i, m in enumerate(members):
        if m.nik in seen:
            out.append((i, Problem("nik", _("NIK %(nik)s tercantum dua kali (juga di anggota ke-%(n)s).")
                                   % {"nik": m.nik, "n": seen[m.nik] + 1})))
        else:
            seen[m.nik] = i
    return out


def officer_problems(members: list[MemberData]) -> list[Problem]:
    """Registration: exactly one Ketua, Sekretaris and Bendahara among the members."""
    out: list[Problem] = []
    for position in Position:
        holders = [m for m in members if m.position == position]
        if not holders:
            out.append(Problem("officers", _("Belum ada %(pos)s: pilih satu anggota sebagai %(pos)s.")
                               % {"pos": position.label}))
        elif len(holders) > 1:
            out.append(Problem("officers", _("%(pos)s hanya boleh satu orang; dipilih %(n)s orang.")
                               % {"pos": position.label, "n": len(holders)}))
    return out


def active_membership_problem(nik: str, *, viewer: Any, exclude_member: int | None = None) -> Problem | None:
    """A person is an active member of at most one group. The message names the group
    only when the viewer may see it."""
    from accounts.access import kubes_for_user

    qs = Member.objects.filter(nik=nik, left_on__isnull=True)
    if exclude_member is not None:
        qs = qs.exclude(pk=exclude_member)
    other = qs.select_related("kube").first()
    if other is None:
        return None
    if kubes_for_user(viewer).filter(pk=other.kube_id).exists():
        return Problem("nik", _("NIK ini sudah terdaftar sebagai anggota aktif %(kube)s (%(reg)s). "
                                "Keluarkan dulu dari KUBE itu bila memang pindah.")
                       % {"kube": other.kube.name, "reg": other.kube.reg_number})
    return Problem("nik", _("NIK ini sudah terdaftar sebagai anggota aktif KUBE lain di luar "
                            "wilayah Anda. Hubungi Dinas Sosial setempat."))


def kube_name_problem(name: str, desa_code: str, *, exclude: int | None = None) -> Problem | None:
    name = " ".join(name.split())
    if not name:
        return Problem("name", _("Nama KUBE wajib diisi."))
    qs = Kube.objects.filter(desa_id=desa_code, name__iexact=name).exclude(status="bubar")
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        return Problem("name", _("Sudah ada KUBE bernama %(name)s di desa/kelurahan ini. "
                                 "Beri nama lain, misalnya dengan nomor.") % {"name": name})
    return None
