from __future__ import annotations

from typing import Any

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


@register.filter
def index(sequence: Any, position: int) -> Any:
    """The item at a position of a list ({{ means|index:forloop.counter0 }}), or None."""
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError, KeyError):
        return None


@register.filter
def get_label(mapping: Any, key: Any) -> Any:
    """A value of a dict by a variable key ({{ labels|get_label:code }})."""
    try:
        return mapping.get(key, key)
    except AttributeError:
        return key
