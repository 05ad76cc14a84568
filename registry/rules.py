"""The registry's rules as pure checks: they read, never write.

Each check returns a list of `Problem`s (field, message, how to fix). Services
raise the first as a RegistryError; the Excel import turns all of them into its
row-by-row error sheet. Keeping both on one set of checks means the form, the API
and the import can never disagree about what a valid member is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from lib.nik import nik_digits, nik_problems
from regions.selectors import kecamatan_exists
from registry.choices import Position, Sex, TargetGroup, WelfareLevel
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
    dtks_number: str = ""
    dtks_verified: bool = False
    skills: str = ""
    task: str = ""
    joined_on: date | None = None
    position: str = ""   # registration only: Ketua / Sekretaris / Bendahara
    extra: dict[str, Any] = field(default_factory=dict)

    def normalized(self) -> MemberData:
        self.nik = nik_digits(self.nik)
        self.kk_number = nik_digits(self.kk_number)
        self.name = " ".join(self.name.split())
        self.phone = normalize_phone(self.phone)
        self.address = self.address.strip()
        self.dtks_number = self.dtks_number.strip()
        self.skills = self.skills.strip()
        self.task = self.task.strip()
        return self


_PHONE = re.compile(r"^(\+62|62|0)8[0-9]{7,12}$")


def normalize_phone(raw: str) -> str:
    text = re.sub(r"[\s\-().]", "", raw or "")
    if text.startswith("+62"):
        text = "0" + text[3:]
    elif text.startswith("62"):
        text = "0" + text[2:]
    return text


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
    if data.phone and not _PHONE.match(data.phone):
        out.append(Problem("phone", _("Nomor HP tidak valid; tulis seperti 081234567890.")))
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
    if programme.requires_dtks and not data.dtks_number:
        out.append(Problem("dtks_number", _("Program %(prog)s mensyaratkan anggota terdaftar di "
                                            "DTKS: isi nomor DTKS.") % {"prog": programme.name}))
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
