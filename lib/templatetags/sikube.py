from __future__ import annotations

from django import template

from lib.money import in_words
from lib.money import rupiah as format_rupiah

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    return format_rupiah(value) if value is not None else ""


@register.filter
def terbilang(value: int | None) -> str:
    return in_words(value) if value else ""


@register.filter
def period_label(value: int) -> str:
    from datetime import date

    from django.utils.formats import date_format

    return date_format(date(value // 100, value % 100, 1), "F Y")
