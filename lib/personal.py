"""Personal data: which fields are personal, and how they are masked.

NIK and No. KK keep their first four digits (province and kabupaten, already
public from the group's address) and last four; a phone keeps its operator
prefix and last four. Who sees the unmasked value is decided in accounts/access.py.
"""

from __future__ import annotations

from typing import Any

PERSONAL_FIELDS = frozenset({"nik", "kk_number", "phone"})


def mask_id(value: str) -> str:
    value = value or ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    value = value or ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_value(field: str, value: Any) -> Any:
    if not value or not isinstance(value, str):
        return value
    return mask_phone(value) if field == "phone" else mask_id(value)
