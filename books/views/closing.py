"""Closing months and the accountability report (LPJ) as a page and an A4 PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from books.documents import lpj_document
from books.errors import BooksError
from books.lpj import lpj_build, parse_period
from books.models import PeriodClose
from books.selectors import cash_balance, month_profit
from books.services import period_close
from books.services.ledger import last_closed_period
from books.views.common import book_kube
from front.tabs import book_context
from lib.http import pdf_response
from lib.money import rupiah
from lib.periods import months_back, months_from, period_bounds, period_of, shift
from registry.models import Kube


def _months(kube: Kube) -> list[int]:
    return months_back(period_of(timezone.localdate()), first=period_of(kube.formed_on), count=36)


def _closable(kube: Kube, period: int) -> bool:
    """Whether the service would close `period` (else it answers with its own message)."""
    closed = last_closed_period(kube)
    return (period_of(kube.formed_on) <= period < period_of(timezone.localdate())
            and (closed is None or period > closed))


def _close_sentence(kube: Kube, period: int) -> str:
    """What closing through `period` locks, in one sentence with its figures."""
    closed = last_closed_period(kube)
    first = max(period_of(kube.formed_on), shift(closed, 1) if closed is not None else 0)
    _start, end = period_bounds(period)
    figures = {"m": date_format(end, "F Y"), "first": date_format(period_bounds(first)[0], "F Y"),
               "profit": rupiah(sum(month_profit(kube, p) for p in months_from(first, period))),
               "cash": rupiah(cash_balance(kube, until=end))}
    if first < period:
        return _("Buku %(first)s sampai %(m)s dikunci untuk selamanya: laba %(profit)s dan saldo kas "
                 "%(cash)s pada akhir %(m)s tidak dapat diubah lagi, kesalahan hanya diperbaiki dengan "
                 "pembalikan di bulan berjalan.") % figures
    return _("Buku %(m)s dikunci untuk selamanya: laba %(profit)s dan saldo kas %(cash)s pada akhir "
             "%(m)s tidak dapat diubah lagi, kesalahan hanya diperbaiki dengan pembalikan di bulan "
             "berjalan.") % figures


@login_required
def close(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    if request.method == "POST" and request.POST.get("confirm") != "1":
        # Closing cannot be undone: the first POST only asks, saying what will be locked; a POST
        # without the confirmation (a forged form, a double tap) never closes.
        try:
            period = int(request.POST.get("period", "0"))
            ask = _closable(kube, period)
        except ValueError:
            ask = False
        if ask:
            return render(request, "books/close_confirm.html", book_context(
                request, kube, "close", period=period, sentence=_close_sentence(kube, period)))
    if request.method == "POST":
        try:
            if request.POST.get("confirm") != "1":
                raise BooksError(_("Tutup buku belum dikonfirmasi: pilih bulan, baca apa yang akan "
                                   "dikunci, lalu tekan \"Ya, tutup buku\"."), field="confirm")
            closing = period_close(actor=request.user, kube=kube, period=int(request.POST.get("period", "0")))
        except (ValueError, BooksError) as exc:
            messages.error(request, exc.message if isinstance(exc, BooksError) else _("Bulan tidak dikenal."))
        else:
            code = f"{closing.period // 100}-{closing.period % 100:02d}"
            messages.success(request, _("Buku bulan %(m)s ditutup. LPJ-nya siap dicetak.")
                             % {"m": date_format(parse_period(code).start, "F Y")})
            return redirect("books:lpj", kube.pk, code)
        return redirect("books:close", kube.pk)
    closed_through = last_closed_period(kube)
    closed = set(PeriodClose.objects.filter(kube=kube).values_list("period", flat=True))
    today = timezone.localdate()
    current = period_of(today)
    rows = []
    next_to_close = None
    for period in reversed(_months(kube)):
        is_closed = period in closed or (closed_through is not None and period <= closed_through)
        if not is_closed and period < current and next_to_close is None:
            next_to_close = period
        rows.append({"period": period, "code": f"{period // 100}-{period % 100:02d}", "closed": is_closed,
                     "profit": month_profit(kube, period), "current": period == current})
    rows.reverse()
    closable = [r for r in rows if not r["closed"] and not r["current"]]
    yearly = [{"code": str(year), "quarters": [(f"{year}-Q{q}", q) for q in range(1, 5)]}
              for year in sorted({p // 100 for p in _months(kube)}, reverse=True)]
    return render(request, "books/close.html", book_context(
        request, kube, "close", rows=rows, next_to_close=next_to_close, yearly=yearly, closable=closable))


@login_required
def lpj(request: HttpRequest, kube_id: int, period: str) -> HttpResponse:
    kube = book_kube(request, kube_id)
    try:
        parsed = parse_period(period)
    except BooksError as exc:
        messages.error(request, exc.message)
        return redirect("books:close", kube.pk)
    report = lpj_build(kube, parsed)
    return render(request, "books/lpj.html", book_context(request, kube, "close", lpj=report))


@login_required
def lpj_pdf(request: HttpRequest, kube_id: int, period: str) -> HttpResponse:
    kube = book_kube(request, kube_id)
    try:
        parsed = parse_period(period)
    except BooksError as exc:
        messages.error(request, exc.message)
        return redirect("books:close", kube.pk)
    content = lpj_document(lpj_build(kube, parsed), printed_by=getattr(request.user, "username", ""))
    return pdf_response(content, filename=f"lpj-{kube.reg_number}-{parsed.code}.pdf")
