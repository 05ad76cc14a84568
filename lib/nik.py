"""NIK (Nomor Induk Kependudukan) checks, on top of `lokal-id`'s parser.

A NIK is PP KK CC DDMMYY SSSS: province, kabupaten, kecamatan, birth date (women
add 40 to the day), serial. Structure is all we can check offline: lokal-id
rejects what cannot be a NIK; here we also require the kecamatan to exist (the caller says
how to look it up: lib imports no app, and the Region table is the regions app's) and the date
part to agree with the birth date and sex on record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _
from lokal import parse_nik


def nik_digits(raw: str) -> str:
    return "".join(ch for ch in str(raw or "") if not ch.isspace() and ch not in ".-")


def nik_date_part(birth_date: date, sex: str) -> str:
    day = birth_date.day + (40 if sex == "P" else 0)
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


def nik_problems(raw: str, *, birth_date: date | None, sex: str | None,
                 kecamatan_exists: Callable[[str], bool]) -> list[str]:
    """Every reason this NIK cannot belong to this person (empty when it can).

    `kecamatan_exists` answers whether a kecamatan code ("32.04.06") is known: a query per
    member on a page, a set in memory for a bulk caller (the Excel import).
    """
    nik = nik_digits(raw)
    if len(nik) != 16 or not nik.isdigit():
        return [_("NIK harus 16 digit angka (tertulis %(n)s digit). Salin dari KTP atau KK.")
                % {"n": len(nik)}]
    info = parse_nik(nik)
    problems: list[str] = []
    kecamatan = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    if not kecamatan_exists(kecamatan):
        problems.append(
            _("Enam digit pertama NIK (%(code)s) bukan kode kecamatan yang dikenal. "
              "Periksa kembali NIK pada KTP.") % {"code": nik[:6]}
        )
    if any(e.code == "birth_date" for e in info.errors):
        problems.append(_("Digit ke-7 sampai ke-12 NIK (%(part)s) bukan tanggal lahir yang mungkin.")
                        % {"part": nik[6:12]})
    elif birth_date is not None and sex in ("L", "P"):
        expected = nik_date_part(birth_date, sex)
        if nik[6:12] != expected:
            problems.append(
                _("Bagian tanggal lahir NIK (%(part)s) tidak cocok dengan tanggal lahir "
                  "%(date)s dan jenis kelamin %(sex)s; seharusnya %(expected)s (untuk perempuan "
                  "tanggal ditambah 40). Periksa NIK, tanggal lahir atau jenis kelamin.")
                % {"part": nik[6:12], "date": birth_date.strftime("%d-%m-%Y"),
                   "sex": _("perempuan") if sex == "P" else _("laki-laki"), "expected": expected}
            )
    if any(e.code == "serial" for e in info.errors):
        problems.append(_("Empat digit terakhir NIK tidak boleh 0000."))
    return problems
