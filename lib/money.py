"""Rupiah: whole numbers only. Formatting and words (terbilang) come from lokal-id."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from lokal import format_rupiah, terbilang


def rupiah(amount: int | None) -> str:
    """Rp1.500.000; negative amounts as -Rp1.500.000."""
    if amount is None:
        return ""
    if amount < 0:
        return "-" + format_rupiah(-amount)
    return format_rupiah(amount)


def number_id(value: int | float | Decimal | None, places: int = 0) -> str:
    """A number the Indonesian way: 1.250.000 and 12,50 (dots group thousands, a comma
    before the decimals), rounded half up. Python's own formatting would print 12.50."""
    if value is None:
        return ""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{abs(exact):,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return ("-" if exact < 0 else "") + text


def percent(value: int | float | Decimal | None, places: int = 2) -> str:
    """"100,00 %", "12,50 %"; empty for no value (nothing to divide by)."""
    if value is None:
        return ""
    return f"{number_id(value, places)} %"


def in_words(amount: int) -> str:
    """"satu juta lima ratus ribu rupiah" (capitalised for receipts)."""
    if amount < 0:
        return "minus " + terbilang(-amount, currency=True)
    return terbilang(amount, currency=True).capitalize()


# --- Reading an amount typed by a person (pages, API strings, Excel cells) ---------------------
#
# One parser for every door, so that "1500.5" cannot be Rp15.005 on a page while the API refuses
# it. Accepted: digits alone ("1250000"), digits grouped by three with dots ("1.250.000") or single
# spaces ("1 250 000"), each optionally after "Rp" with or without a space, with spaces or tabs
# around. Anything else is refused with a sentence saying what to type: a fraction (Rupiah has no
# sen here), a separator that is not every three digits, letters, a sign.

MONEY_MAX = 10**13 - 1  # 13 digits, Rp9,9 triliun: far above any group's figure, far below a BIGINT
_SPACES = " \t\u00a0"
_PLAIN = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:(\.)[0-9]{3})+|[0-9]{1,3}(?:( )[0-9]{3})+")
_PREFIX = re.compile(r"^rp ?", re.IGNORECASE)
_FRACTION = re.compile(r"^[0-9.\s]*[0-9],[0-9]+$|^[0-9]+\.[0-9]{1,2}$|^[0-9]+(\.[0-9]{3})*\.[0-9]{1,2}$")



class MoneyError(ValueError):
    """An amount that cannot be read; `message` is the Indonesian sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _example() -> str:
    return _("1250000 atau 1.250.000")


def parse_rupiah(value: object, *, minimum: int = 0, maximum: int = MONEY_MAX) -> int:
    """The whole Rupiah a person wrote, or MoneyError saying what to write instead.

    An int is taken as it is (an Excel number cell, a JSON integer); a float only when it is
    whole (Excel stores every number as one); bool never (True is not Rp1)."""
    if isinstance(value, bool):
        raise MoneyError(_("Tulis jumlah dalam Rupiah sebagai angka, misalnya %(e)s.") % {"e": _example()})
    if isinstance(value, float):
        if not value.is_integer():
            raise MoneyError(_("Jumlah Rupiah tanpa sen: tulis angka bulat, misalnya 1500, bukan 1500,5."))
        value = int(value)
    if isinstance(value, int):
        return _bounded(value, minimum=minimum, maximum=maximum)
    text = str(value).strip(_SPACES)
    body = _PREFIX.sub("", text, count=1)
    if body.startswith("-") and _digits(body[1:]) is not None:
        raise MoneyError(_("Jumlah tidak boleh negatif."))
    number = _digits(body)
    if number is not None and len(body) > 1 and body.startswith("0"):
        raise MoneyError(_("Tulis jumlah tanpa angka nol di depan, misalnya %(e)s.") % {"e": _example()})
    if number is None:
        if _FRACTION.match(body):
            raise MoneyError(_("Jumlah Rupiah tanpa sen: tulis angka bulat, misalnya 1500, bukan 1500,5 atau 1500.5."))
        if body and all(ch.isdigit() or ch in ". " for ch in body):
            raise MoneyError(_("Titik atau spasi pemisah ribuan harus tiap tiga angka dari kanan, misalnya 1.250.000."))
        raise MoneyError(_("Tulis jumlah dalam Rupiah dengan angka saja, misalnya %(e)s.") % {"e": _example()})
    return _bounded(number, minimum=minimum, maximum=maximum)


def _digits(body: str) -> int | None:
    if _PLAIN.fullmatch(body):
        return int(body)
    if _GROUPED.fullmatch(body):
        return int(body.replace(".", "").replace(" ", ""))
    return None


def _bounded(number: int, *, minimum: int, maximum: int) -> int:
    if number < 0 and minimum >= 0:
        raise MoneyError(_("Jumlah tidak boleh negatif."))
    if number < minimum:
        if minimum == 1:
            raise MoneyError(_("Jumlah harus lebih dari nol."))
        raise MoneyError(_("Jumlah paling sedikit %(min)s.") % {"min": rupiah(minimum)})
    if number > maximum:
        raise MoneyError(_("Jumlah paling banyak %(max)s.") % {"max": rupiah(maximum)})
    return number
