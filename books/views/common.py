"""Shared by the book pages: access and the month in the query string (the group's tab bar is
front.tabs)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from accounts.access import Kind, access_kube
from registry.models import Kube


def book_kube(request: HttpRequest, kube_id: Any, *, write: bool | None = None) -> Kube:
    """The group whose books are shown; with `write` (by default: for a POST), only for those who
    keep them, the role checked before the group is looked up (as in the API)."""
    if write is None:
        write = request.method == "POST"
    return access_kube(request.user, kube_id, write=Kind.BOOKS if write else None)


def month_param(request: HttpRequest, name: str = "bulan") -> tuple[int, int]:
    """?bulan=2026-03, defaulting to this month; anything unreadable is this month too."""
    today = timezone.localdate()
    raw = request.GET.get(name, "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        date(year, month, 1)
    except (ValueError, TypeError):
        return today.year, today.month
    if not 2000 <= year <= 2100:
        return today.year, today.month
    return year, month

