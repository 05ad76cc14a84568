"""/api/v1/me/offline: the snapshot a phone keeps for the offline forms (pwa.selectors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Field, Router, Schema

from books.models import TxnKind
from mentoring.models import Book, VisitKind
from pwa.selectors import offline_snapshot

router = Router(tags=["luring"])

ENTRY_KINDS = (TxnKind.SALE, TxnKind.PURCHASE, TxnKind.EXPENSE, TxnKind.INCOME)


class Choice(Schema):
    code: str
    label: str


class MemberName(Schema):
    id: int
    name: str
    number: int = Field(..., description="urutan di Buku Keanggotaan")


class GroupOut(Schema):
    id: int
    name: str
    books: bool = Field(..., description="pengguna ini mencatat buku kelompok ini")
    visits: bool = Field(..., description="pengguna ini mencatat kunjungan ke kelompok ini")
    cash: int | None = Field(..., description="saldo kas tunai dan bank; hanya untuk pengurusnya")
    members: list[MemberName]


class OfflineOut(Schema):
    user: int
    role: str
    as_of: dt.datetime
    cap: int
    truncated: bool
    groups: list[GroupOut]
    entry_kinds: list[Choice]
    visit_kinds: list[Choice]
    books: list[Choice]


@router.get("/me/offline", response=OfflineOut, summary="Data untuk formulir tanpa sinyal di HP ini")
def offline(request: HttpRequest) -> dict[str, Any]:
    """Kelompok dan anggota (nama dan nomor urut saja, tanpa NIK, KK atau nomor HP) yang diperlukan
    formulir kas, simpanan dan kunjungan saat tidak ada sinyal; paling banyak `cap` kelompok."""
    get_token(request)  # the outbox's writes send the CSRF cookie's token: make sure there is one
    snapshot = offline_snapshot(request.user)
    snapshot["entry_kinds"] = [{"code": k.value, "label": str(k.label)} for k in ENTRY_KINDS]
    snapshot["visit_kinds"] = [{"code": k.value, "label": str(k.label)} for k in VisitKind]
    snapshot["books"] = [{"code": k.value, "label": str(k.label)} for k in Book]
    return snapshot
