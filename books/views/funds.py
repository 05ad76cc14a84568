"""IKS, members' savings and loans: the pages of the money books other than cash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from accounts.access import access_child
from books.errors import BooksError
from books.forms import SHEET_COLUMNS, IksPolicyForm, IksUseForm, LoanForm, MeetingSheetForm, RepayForm, SavingsForm
from books.models import IksAllocation, Line, Loan, Transaction
from books.selectors import (
    iks_funds,
    iks_share_total,
    loan_state,
    loan_states,
    month_profit,
    portfolio,
    reversed_ids,
    savings,
)
from books.services import (
    MeetingSaving,
    iks_allocate,
    iks_policy_set,
    iks_use,
    loan_disburse,
    loan_repay,
    meeting_savings_record,
    savings_deposit,
    savings_from_coop,
    savings_to_coop,
    savings_withdraw,
)
from books.views.common import book_kube
from front.tabs import book_context
from lib.forms import apply_error
from lib.http import xlsx_response
from lib.money import in_words, rupiah
from lib.periods import months_back, period_of, shift
from lib.xlsx import Workbook

# --- IKS -----------------------------------------------------------------------------------


def _recent_months(kube_formed: object, count: int = 12) -> list[int]:
    last_month = shift(period_of(timezone.localdate()), -1)
    return months_back(last_month, first=period_of(kube_formed), count=count)  # type: ignore[arg-type]


@login_required
def iks(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    undone = reversed_ids(kube)
    allocations = {a.period: a for a in IksAllocation.objects.filter(kube=kube).select_related("transaction")
                   if a.transaction_id not in undone}
    months = [(p, month_profit(kube, p), allocations.get(p)) for p in _recent_months(kube.formed_on)]
    uses = (Transaction.objects.filter(kube=kube, kind__in=["iks_use", "iks_allocation"])
            .order_by("-date", "-id")[:30])
    funds = kube.iks_funds.all()
    return render(request, "books/iks.html", book_context(
        request, kube, "iks", funds=iks_funds(kube), share=iks_share_total(kube), months=months, uses=uses,
        policy_form=IksPolicyForm(initial={"funds": "\n".join(f"{f.name}: {f.share_percent:g}"
                                                               for f in funds if f.is_active)}),
        use_form=IksUseForm(kube=kube)))


@login_required
@require_POST
def iks_policy(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id, write=True)
    form = IksPolicyForm(request.POST)
    if form.is_valid():
        try:
            iks_policy_set(actor=request.user, kube=kube, funds=form.cleaned_data["funds"])
        except BooksError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Aturan dana IKS sudah disimpan."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("books:iks", kube.pk)


@login_required
@require_POST
def iks_allocate_view(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id, write=True)
    try:
        period = int(request.POST.get("period", ""))
        allocation = iks_allocate(actor=request.user, kube=kube, period=period)
    except ValueError:
        messages.error(request, _("Bulan tidak dikenal."))
    except BooksError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("IKS dari laba %(p)s disisihkan: %(a)s.")
                         % {"p": rupiah(allocation.profit), "a": rupiah(allocation.transaction.amount)})
    return redirect("books:iks", kube.pk)


@login_required
def iks_use_view(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id, write=True)
    form = IksUseForm(request.POST or None, kube=kube)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            txn = iks_use(actor=request.user, kube=kube, fund=d["fund"], amount=d["amount"],
                          description=d["description"], date=d["date"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Penggunaan dana IKS %(a)s tercatat (bukti %(r)s).")
                             % {"a": rupiah(txn.amount), "r": txn.receipt})
            return redirect("books:iks", kube.pk)
    return render(request, "books/form_page.html", book_context(
        request, kube, "iks", form=form, title=_("Pakai dana IKS"), submit=_("Simpan")))


@login_required
def iks_xlsx(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    lines = (Line.objects.filter(kube=kube, account__role="iks").select_related("transaction", "iks_fund")
             .order_by("date", "transaction_id", "id"))
    wb = Workbook()
    wb.sheet(_("Buku IKS"), [_("Tanggal"), _("No. bukti"), _("Dana"), _("Uraian"), _("Disisihkan"), pgettext("dana", "Dipakai")],
             [[ln.date, ln.transaction.receipt, ln.iks_fund.name if ln.iks_fund else "", ln.transaction.description,
               ln.credit or None, ln.debit or None] for ln in lines],
             widths=[12, 12, 20, 50, 14, 14], money_columns=[4, 5])
    return xlsx_response(wb.close(), filename=f"buku-iks-{kube.reg_number}.xlsx")


# --- savings -------------------------------------------------------------------------------

SAVINGS_ACTIONS = {"deposit": savings_deposit, "withdraw": savings_withdraw, "to_coop": savings_to_coop,
                   "from_coop": savings_from_coop}


@login_required
def savings_view(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    form = SavingsForm(request.POST or None, kube=kube)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            txn = SAVINGS_ACTIONS[d["kind"]](actor=request.user, kube=kube, member=d["member"],
                                             amount=d["amount"], date=d["date"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("%(d)s %(a)s tercatat (bukti %(r)s).")
                             % {"d": txn.get_kind_display(), "a": rupiah(txn.amount), "r": txn.receipt})
            return redirect("books:savings", kube.pk)
    rows = savings(kube)
    return render(request, "books/savings.html", book_context(
        request, kube, "savings", rows=rows, form=form, total=sum(r.balance for r in rows),
        at_coop=sum(r.at_coop for r in rows)))


def _sheet(request: HttpRequest, kube: Any) -> MeetingSheetForm:
    members = list(kube.members.filter(left_on__isnull=True).order_by("name", "id"))
    return MeetingSheetForm(request.POST or None, members=members)


def _sheet_totals(form: MeetingSheetForm) -> dict[str, Any]:
    """The columns' totals of a valid sheet, and the deposits' total in words."""
    totals = dict.fromkeys(SHEET_COLUMNS, 0)
    for _member, amounts in form.amounts():
        for column, amount in amounts.items():
            totals[column] += amount
    return {"totals": totals, "words": in_words(totals["deposit"]) if totals["deposit"] else ""}


@login_required
def meeting_savings(request: HttpRequest, kube_id: int) -> HttpResponse:
    """Setoran rapat: every active member's deposit (and withdrawal, and the share passed on to the
    cooperative) on one sheet, saved at once: one receipt for all the deposits."""
    kube = book_kube(request, kube_id, write=True)
    form = _sheet(request, kube)
    if request.method == "POST" and form.is_valid():
        lines = [MeetingSaving(member, deposit=a["deposit"], withdrawal=a["withdrawal"], to_coop=a["to_coop"])
                 for member, a in form.amounts()]
        try:
            posted = meeting_savings_record(actor=request.user, kube=kube, date=form.cleaned_data["date"], lines=lines)
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Simpanan rapat tercatat: %(list)s.") % {"list": "; ".join(
                _("%(d)s %(a)s (bukti %(r)s)") % {"d": t.get_kind_display(), "a": rupiah(t.amount), "r": t.receipt}
                for t in posted.posted)})
            return redirect("books:savings", kube.pk)
    extra = _sheet_totals(form) if form.is_bound and not form.errors else {"totals": None, "words": ""}
    return render(request, "books/meeting_savings.html", book_context(request, kube, "savings", form=form, **extra))


@login_required
@require_POST
def meeting_savings_total(request: HttpRequest, kube_id: int) -> HttpResponse:
    """The sheet's totals while it is filled in (htmx), read by the parser the save uses: the
    totals and the deposits in words, or what to fix first."""
    kube = book_kube(request, kube_id, write=True)
    form = _sheet(request, kube)
    form.is_valid()
    errors = [str(error) for field in form for error in field.errors if field.name != "date"]
    extra = _sheet_totals(form) if not errors else {"totals": None, "words": ""}
    return render(request, "books/meeting_savings_total.html", {"errors": errors[:1], **extra})


@login_required
def savings_xlsx(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    lines = (Line.objects.filter(kube=kube, account__role__in=["savings", "coop"])
             .select_related("transaction", "member").order_by("member__name", "date", "id"))
    wb = Workbook()
    wb.sheet(_("Saldo"), [_("Anggota"), _("Disetor"), _("Ditarik"), _("Saldo"), _("Di koperasi")],
             [[r.member.name, r.deposited, r.withdrawn, r.balance, r.at_coop] for r in savings(kube)],
             widths=[28, 14, 14, 14, 14], money_columns=[1, 2, 3, 4])
    wb.sheet(_("Mutasi"), [_("Tanggal"), _("No. bukti"), _("Anggota"), _("Jenis"), _("Debit"), _("Kredit")],
             [[ln.date, ln.transaction.receipt, ln.member.name if ln.member else "", ln.transaction.get_kind_display(),
               ln.debit or None, ln.credit or None] for ln in lines],
             widths=[12, 12, 28, 26, 14, 14], money_columns=[4, 5])
    return xlsx_response(wb.close(), filename=f"buku-tabungan-{kube.reg_number}.xlsx")


# --- loans ---------------------------------------------------------------------------------

@login_required
def loans(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    book = portfolio(kube, on=timezone.localdate())
    return render(request, "books/loans.html", book_context(request, kube, "loans", book=book))


@login_required
def loan_new(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id, write=True)
    form = LoanForm(request.POST or None, kube=kube)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            loan = loan_disburse(actor=request.user, kube=kube, member=d["member"], amount=d["amount"],
                                 term_months=d["term_months"], fee_percent_month=d["fee_percent_month"],
                                 purpose=d["purpose"], date=d["date"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Pinjaman %(n)s sebesar %(a)s dicairkan.")
                             % {"n": loan.number, "a": rupiah(loan.amount)})
            return redirect("books:loan", kube.pk, loan.pk)
    return render(request, "books/form_page.html", book_context(
        request, kube, "loans", form=form, title=_("Pinjaman baru"), submit=_("Cairkan pinjaman")))


@login_required
def loan_detail(request: HttpRequest, kube_id: int, loan_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    loan = access_child(request.user, Loan.objects.select_related("member").filter(kube=kube), loan_id)
    form = RepayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            txn = loan_repay(actor=request.user, loan=loan, amount=form.cleaned_data["amount"],
                             date=form.cleaned_data["date"])
        except BooksError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Angsuran %(a)s tercatat (bukti %(r)s).")
                             % {"a": rupiah(txn.amount), "r": txn.receipt})
            return redirect("books:loan", kube.pk, loan.pk)
    return render(request, "books/loan.html", book_context(
        request, kube, "loans", loan=loan, state=loan_state(loan, on=timezone.localdate()), form=form))


@login_required
def loans_xlsx(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    book = portfolio(kube, on=timezone.localdate())
    wb = Workbook()
    wb.sheet(pgettext("buku", "Pinjaman"), [_("Nomor"), _("Anggota"), _("Tanggal cair"), _("Pokok"), _("Jangka (bulan)"),
                             _("Jasa/bulan (%)"), _("Pokok dibayar"), _("Jasa dibayar"), _("Sisa pokok"),
                             _("Hari terlambat"), _("Berisiko (>30 hari)")],
             [[s.loan.number, s.loan.member.name, s.loan.disbursed_on, s.loan.amount, s.loan.term_months,
               float(s.loan.fee_percent_month), s.principal_paid, s.fee_paid, s.outstanding, s.days_late,
               _("Ya") if s.at_risk_30 else ""] for s in book.states],
             widths=[12, 26, 12, 14, 10, 10, 14, 14, 14, 10, 10], money_columns=[3, 6, 7, 8])
    return xlsx_response(wb.close(), filename=f"buku-pinjaman-{kube.reg_number}.xlsx")


# --- a member's own savings and loans -----------------------------------------------------

@login_required
def my_account(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    member = kube.members.filter(user_id=request.user.pk or 0).order_by("-joined_on").first()
    if member is None:
        raise Http404
    rows = savings(kube, members=kube.members.filter(pk=member.pk))
    saving = rows[0] if rows else None
    lines = list(Line.objects.filter(kube=kube, member=member, account__role__in=["savings", "coop"])
                 .select_related("transaction", "account").order_by("-date", "-id")[:MY_LINES])
    entries = my_savings_history(lines, balance=saving.balance if saving else 0)
    today = timezone.localdate()
    my_loans = loan_states(list(member.loans.order_by("-disbursed_on")), on=today)
    return render(request, "books/mine.html", book_context(
        request, kube, "books", member=member, saving=saving, entries=entries, loans=my_loans,
        opening=entries[-1].balance - entries[-1].change if entries else 0))


MY_LINES = 100


@dataclass(frozen=True)
class MyEntry:
    day: date
    label: str
    change: int   # what the line adds to (or takes from) the member's savings; 0 when only moved
    moved: int    # an amount passed to (or back from) the cooperative: still the member's savings
    balance: int  # the savings after this line


def my_savings_history(lines: list[Line], *, balance: int) -> list[MyEntry]:
    """A member's savings lines newest first, each with the balance after it. Only the savings
    account changes the balance (credit adds); a deposit at the cooperative moves part of it
    there (the coop line) and is shown as moved, so the signed lines add up to the balance."""
    entries = []
    after = balance
    for ln in lines:
        is_coop = ln.account.role == "coop"
        change = 0 if is_coop else ln.credit - ln.debit
        entries.append(MyEntry(ln.date, ln.transaction.get_kind_display(), change,
                               (ln.debit - ln.credit) if is_coop else 0, after))
        after -= change
    return entries

