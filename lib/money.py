"""Rupiah: whole numbers only. Formatting and words (terbilang) come from lokal-id."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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
