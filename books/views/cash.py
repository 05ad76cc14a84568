"""The treasurer's daily pages: the books' home, quick entries, Buku Kas Umum, corrections."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import Kind, access_child, require
from books.errors import BooksError
from books.forms import AccountForm, CashEntryForm, ReverseForm, TransferForm, default_description
from books.models import Account, Transaction, TxnKind
from books.selectors import cash_balance, cash_book, money_summary, role_balance
from books.services import cash_entry_record, cash_transfer, transaction_reverse
from books.services.ledger import SIMPLE_KINDS, account_add, last_closed_period
from books.views.common import book_kube, month_param
from front.tabs import book_context
from lib.forms import apply_error
from lib.http import xlsx_response
from lib.money import MoneyError, in_words, parse_rupiah, rupiah
from lib.periods import month_bounds, shift_month
from lib.xlsx import Workbook

ENTRY_KINDS = [TxnKind.SALE, TxnKind.PURCHASE, TxnKind.EXPENSE, TxnKind.INCOME, TxnKind.CAPITAL_IN, TxnKind.ASSET]


@login_required
def books_home(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    today = timezone.localdate()
    start, end = month_bounds(today.year, today.month)
    book = cash_book(kube, start=start, end=end)
    return render(request, "books/home.html", book_context(
        request, kube, "books", cash=cash_balance(kube), in_hand=role_balance(kube, "cash"),
        bank=role_balance(kube, "bank"), month=book, money=money_summary(kube, start=start, end=end),
        recent=list(reversed(book.lines[-5:])),
        entry_kinds=[(k, TxnKind(k).label) for k in ENTRY_KINDS], closed=last_closed_period(kube)))


@login_required
def entry(request: HttpRequest, kube_id: int, kind: str) -> HttpResponse:
    """One sale, purchase, expense or income: amount, description, save."""
    kube = book_kube(request, kube_id, write=True)
    if kind not in SIMPLE_KINDS:
        raise Http404
    form = CashEntryForm(request.POST or None, initial={"description": default_description(kind)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            txn = cash_entry_record(actor=request.user, kube=kube, kind=kind, amount=d["amount"],
                                    description=d["description"], date=d["date"], via=d["via"],
                                    receipt_no=d["receipt_no"] or None)
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Tersimpan: %(k)s %(a)s, nomor bukti %(r)s.")
                             % {"k": TxnKind(kind).label, "a": rupiah(txn.amount), "r": txn.receipt})
            target = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("books:home", args=[kube.pk])
            return redirect(target)
    return render(request, "books/entry.html", book_context(
        request, kube, "books", form=form, kind=kind, kind_label=TxnKind(kind).label,
        incoming=SIMPLE_KINDS[kind][1], next=request.GET.get("next", "")))


@login_required
def transfer(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id, write=True)
    form = TransferForm(request.POST or None, initial={"description": _("Tarik tunai dari bank")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            txn = cash_transfer(actor=request.user, kube=kube, amount=d["amount"], to_bank=d["direction"] == "to_bank",
                                description=d["description"], date=d["date"], receipt_no=d["receipt_no"] or None)
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Tersimpan: pemindahan %(a)s, nomor bukti %(r)s.")
                             % {"a": rupiah(txn.amount), "r": txn.receipt})
            return redirect("books:home", kube.pk)
    return render(request, "books/entry.html", book_context(
        request, kube, "books", form=form, kind="transfer", kind_label=TxnKind.TRANSFER.label, incoming=None))


@login_required
@require_GET
def words(request: HttpRequest) -> HttpResponse:
    """The amount in words while it is typed (htmx), read by the parser the form uses: what the
    box would save, or the sentence saying what to type instead."""
    raw = request.GET.get("amount", "")
    try:
        text = in_words(parse_rupiah(raw, minimum=1)) if raw.strip() else ""
    except MoneyError as exc:
        text = exc.message
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@login_required
def cash_book_view(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    year, month = month_param(request)
    start, end = month_bounds(year, month)
    book = cash_book(kube, start=start, end=end)
    money = money_summary(kube, start=start, end=end)
    prev_y, prev_m = shift_month(year, month, -1)
    next_y, next_m = shift_month(year, month, 1)
    today = timezone.localdate()
    return render(request, "books/cash_book.html", book_context(
        request, kube, "cash", book=book, money=money, month_label=date_format(start, "F Y"), month_code=f"{year}-{month:02d}",
        prev=f"{prev_y}-{prev_m:02d}", next=f"{next_y}-{next_m:02d}" if (next_y, next_m) <= (today.year, today.month)
        else None))


@login_required
def cash_book_xlsx(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    year, month = month_param(request)
    start, end = month_bounds(year, month)
    book = cash_book(kube, start=start, end=end)
    wb = Workbook()
    # Each account keeps its own running balance, as on the page.
    rows: list[list[object]] = [[start, "", _("Saldo awal"), a.label, None, None, a.opening] for a in book.accounts]
    rows += [[ln.date, ln.receipt, ln.description, ln.account, ln.money_in or None, ln.money_out or None, ln.balance]
             for ln in book.lines]
    rows += [[end, "", _("Jumlah dan saldo akhir"), a.label, a.money_in, a.money_out, a.closing]
             for a in book.accounts]
    wb.sheet(_("Buku Kas Umum"), [_("Tanggal"), _("No. bukti"), _("Uraian"), _("Akun"), _("Penerimaan"),
                                  _("Pengeluaran"), _("Saldo akun")], rows, widths=[12, 12, 44, 20, 14, 14, 16],
             money_columns=[4, 5, 6])
    return xlsx_response(wb.close(), filename=f"buku-kas-{kube.reg_number}-{year}-{month:02d}.xlsx")


@login_required
def transaction_detail(request: HttpRequest, kube_id: int, txn_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    txn = access_child(request.user, Transaction.objects.select_related("created_by", "reverses").filter(kube=kube), txn_id)
    form = ReverseForm(request.POST or None, amount=txn.amount)
    if request.method == "POST" and form.is_valid():
        try:
            fix = transaction_reverse(actor=request.user, original=txn, date=form.cleaned_data["date"],
                                      reason=form.cleaned_data["reason"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Transaksi %(r)s sudah dibalik dengan bukti %(n)s.")
                             % {"r": txn.receipt, "n": fix.receipt})
            return redirect("books:transaction", kube.pk, fix.pk)
    reversed_by = Transaction.objects.filter(reverses=txn).first()
    return render(request, "books/transaction.html", book_context(
        request, kube, "cash", txn=txn, lines=txn.lines.select_related("account", "member", "loan", "iks_fund"),
        reversed_by=reversed_by, form=form, words=in_words(txn.amount)))


@login_required
def chart(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.SYSTEM, write=request.method == "POST")
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            account = account_add(actor=request.user, code=d["code"], name=d["name"], type=d["type"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Akun %(a)s ditambahkan.") % {"a": account})
            return redirect("books:chart")
    return render(request, "books/chart.html", {"accounts": Account.objects.order_by("code"), "form": form})


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"
