"""Closing a month: after it, nothing may be posted into that month or before it.

Reopening takes the closes of a month and every later one away again (a month cannot stay closed
behind an open one, as the ledger's guard reads "closed up to"). A month whose LPJ is approved is
locked (`PeriodClose.locked`): only the approving level unlocks it, by granting a reopening request
(approval.services), and until then `period_reopen` refuses."""

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




def _month_text(period: int) -> str:
    return f"{period % 100:02d}/{period // 100}"


@transaction.atomic
def period_lock(*, actor: Any, kube: Kube, period: int, locked: bool) -> PeriodClose:
    """Lock (or unlock) a closed month against reopening: written by the approval chain when the
    month's LPJ is approved, and undone when that approval is withdrawn or a reopening granted."""
    closing = PeriodClose.objects.select_for_update().filter(kube=kube, period=period).first()
    if closing is None:
        raise BooksError(_("Bulan %(m)s belum ditutup.") % {"m": _month_text(period)}, field="period",
                         code="not_closed")
    if closing.locked != locked:
        closing.locked_at = timezone.now() if locked else None
        closing.save(update_fields=["locked_at"])
        audit_record(actor=actor, action=Action.UPDATE, obj=closing, kube_id=kube.pk,
                     object_repr=(_("Buku %(m)s dikunci") if locked else _("Kunci buku %(m)s dibuka"))
                     % {"m": _month_text(period)}, changes={"locked": [not locked, locked]})
    return closing


@transaction.atomic
def period_reopen(*, actor: Any, kube: Kube, period: int) -> list[int]:
    """Reopen `period` and every later closed month; the months reopened, oldest first.

    Refused while any of them is locked (its LPJ approved): the group asks the approving level for a
    reopening, which unlocks the month first. Nothing posted is touched: corrections stay reversing
    entries, now allowed into the reopened months."""
    kube = Kube.objects.select_for_update().get(pk=kube.pk)
    closes = list(PeriodClose.objects.filter(kube=kube, period__gte=period).order_by("period"))
    if not closes or closes[0].period != period:
        raise BooksError(_("Bulan %(m)s belum ditutup, jadi tidak perlu dibuka kembali.") % {"m": _month_text(period)},
                         field="period", code="not_closed")
    locked = [c.period for c in closes if c.locked_at is not None]
    if locked:
        raise BooksError(
            _("Buku bulan %(m)s sudah disetujui dinas dan tidak dapat dibuka kembali oleh kelompok. Ajukan "
              "permohonan pembukaan kembali kepada dinas yang menyetujuinya.") % {"m": _month_text(locked[0])},
            field="period", code="locked")
    months = [c.period for c in closes]
    PeriodClose.objects.filter(pk__in=[c.pk for c in closes]).delete()
    audit_record(actor=actor, action=Action.DELETE, object_type="books.periodclose", object_id=closes[0].pk,
                 kube_id=kube.pk, object_repr=_("Tutup buku dibuka kembali mulai %(p)s") % {"p": _month_text(period)},
                 changes={"months": [len(months), None]})
    outbox.record(kube.pk, *months)
    return months
