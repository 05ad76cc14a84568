"""Rupiah: whole numbers only. Formatting and words (terbilang) come from lokal-id."""

from __future__ import annotations

from lokal import format_rupiah, terbilang


def rupiah(amount: int | None) -> str:
    """Rp1.500.000; negative amounts as -Rp1.500.000."""
    if amount is None:
        return ""
    if amount < 0:
        return "-" + format_rupiah(-amount)
    return format_rupiah(amount)


def in_words(amount: int) -> str:
    """"satu juta lima ratus ribu rupiah" (capitalised for receipts)."""
    if amount < 0:
        return "minus " + terbilang(-amount, currency=True)
    return terbilang(amount, currency=True).capitalize()
