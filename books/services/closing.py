"""Closing a month: after it, nothing may be posted into that month or before it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record
from books.errors import BooksError
from books.models import PeriodClose
from books.services import notify
from books.services.ledger import last_closed_period
from lib.periods import period_bounds, period_of, shift
from outbox import services as outbox
from registry.models import Kube


@transaction.atomic
def period_close(*, actor: Any, kube: Kube, period: int) -> PeriodClose:
    """Close `period` and every open month before it (a month cannot stay open behind a closed one)."""
    kube = Kube.objects.select_for_update().get(pk=kube.pk)
    year, month = divmod(period, 100)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise BooksError(_("Bulan buku tidak dikenal."), field="period")
    _start, end = period_bounds(period)
    if end >= timezone.localdate():
        raise BooksError(_("Bulan ini belum berakhir; tutup buku setelah tanggal %(d)s.")
                         % {"d": end.strftime("%d-%m-%Y")}, field="period", code="month_not_over")
    if period < period_of(kube.formed_on):
        raise BooksError(_("KUBE belum dibentuk pada bulan itu."), field="period")
    closed = last_closed_period(kube)
    if closed is not None and period <= closed:
        raise BooksError(_("Bulan itu sudah ditutup."), field="period", code="already_closed")
    by = actor if getattr(actor, "is_authenticated", False) else None
    first = period_of(kube.formed_on) if closed is None else shift(closed, 1)
    months = []
    current = first
    while current <= period:
        months.append(current)
        current = shift(current, 1)
    PeriodClose.objects.bulk_create([PeriodClose(kube=kube, period=p, closed_by=by) for p in months])
    closing = PeriodClose.objects.get(kube=kube, period=period)
    audit_record(actor=actor, action=Action.CREATE, obj=closing, kube_id=kube.pk,
                 object_repr=_("Tutup buku sampai %(p)s") % {"p": f"{month:02d}/{year}"},
                 changes={"months": [None, len(months)]})
    outbox.record(kube.pk)
    notify.month_close_told(kube=kube, period=period)
    return closing


