"""/api/v1 for the money books: ledger, cash book, balances, IKS, savings, loans, month close, LPJ.

Same reach and services as the pages: reads need the group in reach; writes need the
group's officers (Kind.BOOKS). Amounts are whole Rupiah (integers).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Reply
from pydantic import ConfigDict

from accounts.access import Kind, access_child, access_kube, body_ref, body_refs, require
from api.pagination import ObjectId, Page, PageParams, paginate
from api.types import (
    ACCOUNT_CODE_PATTERN,
    Codes,
    Date,
    Filled,
    Matching,
    Money,
    MoneyOrZero,
    Month,
    Percent10,
    Percent100,
    Period,
    file_answers,
)
from books.documents import lpj_document
from books.errors import BooksError
from books.lpj import lpj_build, lpj_figures, parse_period
from books.models import Account, AccountType, IksAllocation, Loan, PeriodClose, Transaction, TxnKind
from books.selectors import (
    LineView,
    LoanState,
    TransactionView,
    account_balances,
    cash_book,
    iks_funds,
    loan_state,
    portfolio,
    savings,
    transaction_view,
    transaction_views,
)
from books.services import (
    Leg,
    MeetingSaving,
    cash_entry_record,
    cash_transfer,
    iks_allocate,
    iks_policy_set,
    iks_use,
    loan_disburse,
    loan_repay,
    meeting_savings_record,
    period_close,
    savings_deposit,
    savings_from_coop,
    savings_to_coop,
    savings_withdraw,
    transaction_post,
    transaction_reverse,
)
from books.services.ledger import SIMPLE_KINDS, account_add
from lib.http import pdf_response
from lib.periods import month_bounds
from registry.models import Kube, Member

router = Router(tags=["buku"])



class LineOut(Schema):
    account: str
    account_name: str
    debit: int
    credit: int
    member: int | None
    loan: int | None
    iks_fund: int | None


class TransactionOut(Schema):
    id: int
    kube: int
    date: dt.date
    receipt: str
    kind: str
    description: str
    amount: int
    reverses: int | None
    reversed_by: int | None
    created_by: str | None
    lines: list[LineOut]


class LineIn(Schema):
    account: str = Field(..., max_length=10, description="Kode akun, misalnya 1101")
    debit: MoneyOrZero = Field(0)
    credit: MoneyOrZero = Field(0)
    member: int | None = Field(None, ge=1, le=2**63 - 1)


class TransactionIn(Schema):
    # Which of amount and lines a kind needs, said in the document (JSON Schema's if/then).
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"kind": {"const": TxnKind.GENERAL.value}}, "required": ["kind"]},
        "then": {"required": ["lines"], "properties": {"lines": {"type": "array", "minItems": 2}}},
        "else": {"required": ["amount"], "properties": {"amount": {"not": {"type": "null"}}}}})
    kind: Annotated[str, Codes([*SIMPLE_KINDS, "transfer_to_bank", "transfer_to_cash", TxnKind.GENERAL.value])] = Field(
        ..., description="Jenis sederhana dengan `amount`; pemindahan kas/bank; atau jurnal umum (general)")
    date: Date
    description: str = Field(..., max_length=250)
    amount: Money | None = Field(None, description="Untuk jenis sederhana")
    via: Literal["cash", "bank"] = "cash"
    receipt_no: str | None = Field(None, max_length=30)
    lines: list[LineIn] | None = Field(None, max_length=50, description="Untuk jurnal umum (kind=general)")


class ReverseIn(Schema):
    reason: str = Field(..., max_length=200)
    date: Date | None = None


class AccountBalanceOut(Schema):
    code: str
    name: str
    type: str
    role: str | None
    balance: int


class CashLineOut(Schema):
    date: dt.date
    receipt: str
    description: str
    account: str = Field(..., description="Tunai, Bank atau Koperasi")
    account_role: str = Field(..., description="cash, bank atau coop")
    money_in: int
    money_out: int
    balance: int = Field(..., description="Saldo akun baris ini sesudah baris ini")
    transaction: int
    reversed: bool


class CashAccountOut(Schema):
    account: str = Field(..., description="cash, bank atau coop")
    name: str
    opening: int
    total_in: int
    total_out: int
    closing: int


class CashBookOut(Schema):
    month: str
    opening: int
    total_in: int
    total_out: int
    closing: int
    accounts: list[CashAccountOut]
    lines: list[CashLineOut]


def _member(request: HttpRequest, kube: Kube, member_id: int | None, field: str = "member") -> Member | None:
    if member_id is None:
        return None
    return body_ref(request.user, kube.members.all(), member_id, field=field, label=_("Anggota KUBE ini"),
                    error=BooksError)


class ChartAccountOut(Schema):
    id: int
    code: str
    name: str
    type: str
    role: str | None
    is_active: bool


class ChartAccountIn(Schema):
    code: Annotated[str, Matching(ACCOUNT_CODE_PATTERN, "account_code_type", max_length=10,
                                  description="3 sampai 10 angka, misalnya 5105")]
    name: Annotated[str, Filled(100)]
    type: Annotated[str, Codes(AccountType)] = Field(..., description="golongan akun")


@router.get("/accounts", response=Page[ChartAccountOut], summary="Bagan akun")
def list_chart(request: HttpRequest, pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    require(request.user, Kind.SYSTEM)
    return paginate(Account.objects.all(), pages, order=("code", "id"))


@router.post("/accounts", response={201: ChartAccountOut}, summary="Tambah akun ke bagan akun")
def create_account(request: HttpRequest, payload: ChartAccountIn) -> Reply[Account]:
    require(request.user, Kind.SYSTEM, write=True)
    return Reply(201, account_add(actor=request.user, code=payload.code, name=payload.name, type=payload.type))


@router.get("/groups/{kube_id}/accounts", response=list[AccountBalanceOut], summary="Saldo setiap akun")
def accounts(request: HttpRequest, kube_id: ObjectId, until: Date | None = None) -> list[dict[str, Any]]:
    kube = access_kube(request.user, kube_id)
    balances = account_balances(kube, until=until)
    return [{"code": a.code, "name": a.name, "type": a.type, "role": a.role, "balance": balances.get(a.code, 0)}
            for a in Account.objects.order_by("code")]


@router.get("/groups/{kube_id}/transactions", response=Page[TransactionOut], summary="Transaksi")
def list_transactions(request: HttpRequest, kube_id: ObjectId, month: Month | None = None,
                      kind: str | None = Query(None, max_length=16),
                      pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    qs = Transaction.objects.filter(kube=kube).select_related("created_by")
    if month:
        period = parse_period(month)
        if period.kind != "month":
            raise BooksError(_("Tulis bulan sebagai YYYY-MM."), field="month", code="bad_period")
        qs = qs.filter(date__gte=period.start, date__lte=period.end)
    if kind:
        qs = qs.filter(kind=kind)
    page = paginate(qs, pages, order=("date", "id"))
    page["items"] = transaction_views(page["items"])
    return page


@router.post("/groups/{kube_id}/transactions", response={201: TransactionOut}, summary="Catat transaksi")
def create_transaction(request: HttpRequest, kube_id: ObjectId, payload: TransactionIn) -> Reply[TransactionView]:
    """Jenis sederhana (penjualan, belanja, biaya, pemasukan, setoran modal, aset) dengan `amount`;
    pemindahan kas/bank dengan `transfer_to_bank`/`transfer_to_cash`; jurnal umum dengan `lines`."""
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS, related=False)
    receipt = payload.receipt_no or None
    if payload.kind == TxnKind.GENERAL:
        if not payload.lines:
            raise BooksError(_("Jurnal umum memerlukan baris debit dan kredit."), field="lines")
        accounts_by_code = {a.code: a for a in Account.objects.all()}
        legs = []
        for line in payload.lines:
            account = accounts_by_code.get(line.account)
            if account is None:
                raise BooksError(_("Akun %(a)s tidak ada di bagan akun.") % {"a": line.account}, field="lines")
            member = _member(request, kube, line.member, field="lines")
            legs.append(Leg(account, debit=line.debit, credit=line.credit, member=member))
        txn = transaction_post(actor=request.user, kube=kube, date=payload.date, description=payload.description,
                               kind=TxnKind.GENERAL, legs=legs, receipt_no=receipt)
    elif payload.kind in ("transfer_to_bank", "transfer_to_cash"):
        txn = cash_transfer(actor=request.user, kube=kube, amount=payload.amount, description=payload.description,
                            to_bank=payload.kind == "transfer_to_bank", date=payload.date, receipt_no=receipt)
    elif payload.kind in SIMPLE_KINDS:
        if payload.amount is None:
            raise BooksError(_("Isi jumlah."), field="amount", code="not_positive")
        txn = cash_entry_record(actor=request.user, kube=kube, kind=payload.kind, amount=payload.amount,
                                description=payload.description, date=payload.date, via=payload.via,
                                receipt_no=receipt)
    else:
        raise BooksError(_("Jenis transaksi tidak dikenal."), field="kind")
    return Reply(201, _posted_view(txn))


def _posted_view(txn: Transaction) -> TransactionView:
    """The answer to a posting, from the header and lines the service has just written (their
    accounts already loaded): the same view as `transaction_view`, which would read them back in
    two more queries. A new transaction has no reversal yet."""
    lines = getattr(txn, "posted_lines", None)
    if lines is None:
        return transaction_view(txn)
    return TransactionView(
        id=txn.pk, kube=txn.kube_id, date=txn.date, receipt=txn.receipt, kind=txn.kind,
        description=txn.description, amount=txn.amount, reverses=txn.reverses_id, reversed_by=None,
        created_by=txn.created_by.username if txn.created_by else None,
        lines=[LineView(ln.account.code, ln.account.name, ln.debit, ln.credit, ln.member_id, ln.loan_id,
                        ln.iks_fund_id) for ln in lines])


def _transaction_in_reach(request: HttpRequest, txn_id: int, *, write: Kind | None = None) -> Transaction:
    return access_child(request.user, Transaction.objects.select_related("created_by"), txn_id, write=write)


@router.get("/transactions/{txn_id}", response=TransactionOut, summary="Satu transaksi")
def get_transaction(request: HttpRequest, txn_id: ObjectId) -> TransactionView:
    return transaction_view(_transaction_in_reach(request, txn_id))


@router.post("/transactions/{txn_id}/reverse", response={201: TransactionOut}, summary="Balik transaksi")
def reverse_transaction(request: HttpRequest, txn_id: ObjectId, payload: ReverseIn) -> Reply[TransactionView]:
    txn = _transaction_in_reach(request, txn_id, write=Kind.BOOKS)
    fix = transaction_reverse(actor=request.user, original=txn, date=payload.date, reason=payload.reason)
    return Reply(201, transaction_view(fix))


@router.get("/groups/{kube_id}/cash-book", response=CashBookOut, summary="Buku Kas Umum satu bulan")
def get_cash_book(request: HttpRequest, kube_id: ObjectId,
                  month: Month) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id)
    period = parse_period(month)
    if period.kind != "month":
        raise BooksError(_("Tulis bulan sebagai YYYY-MM."), field="month", code="bad_period")
    start, end = month_bounds(period.year, period.number)
    book = cash_book(kube, start=start, end=end)
    return {"month": period.code, "opening": book.opening, "total_in": book.total_in, "total_out": book.total_out,
            "closing": book.closing,
            "accounts": [{"account": a.role, "name": a.label, "opening": a.opening, "total_in": a.money_in,
                          "total_out": a.money_out, "closing": a.closing} for a in book.accounts],
            "lines": [
                {"date": ln.date, "receipt": ln.receipt, "description": ln.description, "account": ln.account,
                 "account_role": ln.account_role, "money_in": ln.money_in, "money_out": ln.money_out, "balance": ln.balance,
                 "transaction": ln.transaction_id, "reversed": ln.reversed} for ln in book.lines]}


@router.get("/groups/{kube_id}/lpj", summary="LPJ: angka-angka, atau PDF dengan format=pdf",
            response={200: dict[str, Any]}, openapi_extra=file_answers("application/pdf", description="LPJ"))
def get_lpj(request: HttpRequest, kube_id: ObjectId,
            period: Period,
            format: Literal["json", "pdf"] = "json") -> Any:
    kube = access_kube(request.user, kube_id)
    report = lpj_build(kube, parse_period(period))
    if format == "pdf":
        response: HttpResponse = pdf_response(lpj_document(report, printed_by=getattr(request.user, "username", "")),
                                              filename=f"lpj-{kube.reg_number}-{report.period.code}.pdf")
        return response
    return lpj_figures(report)


# --- IKS -----------------------------------------------------------------------------------

class FundOut(Schema):
    id: int
    name: str
    share_percent: Decimal
    is_active: bool
    allocated: int
    used: int
    balance: int


class FundIn(Schema):
    name: Annotated[str, Filled(100)]
    share_percent: Percent100


class IksPolicyIn(Schema):
    funds: list[FundIn] = Field(..., max_length=20)


class IksAllocateIn(Schema):
    period: Month = Field(...)


class IksUseIn(Schema):
    fund: int = Field(..., ge=1, le=2**63 - 1)
    amount: Money = Field(...)
    description: str = Field(..., max_length=250)
    date: Date | None = None


def _funds(kube: Kube) -> list[dict[str, Any]]:
    return [{"id": f.fund.pk, "name": f.fund.name, "share_percent": f.fund.share_percent, "is_active": f.fund.is_active,
             "allocated": f.allocated, "used": f.used, "balance": f.balance} for f in iks_funds(kube)]


@router.get("/groups/{kube_id}/iks", response=list[FundOut], summary="Dana IKS dan saldonya")
def get_iks(request: HttpRequest, kube_id: ObjectId) -> list[dict[str, Any]]:
    return _funds(access_kube(request.user, kube_id))


@router.put("/groups/{kube_id}/iks", response=list[FundOut], summary="Atur dana IKS dan bagiannya")
def set_iks(request: HttpRequest, kube_id: ObjectId, payload: IksPolicyIn) -> list[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    iks_policy_set(actor=request.user, kube=kube, funds=[(f.name, f.share_percent) for f in payload.funds])
    return _funds(kube)


@router.post("/groups/{kube_id}/iks/allocations", response={201: TransactionOut}, summary="Sisihkan IKS dari laba")
def allocate_iks(request: HttpRequest, kube_id: ObjectId, payload: IksAllocateIn) -> Reply[TransactionView]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    period = parse_period(payload.period)
    if period.kind != "month":
        raise BooksError(_("Tulis bulan sebagai YYYY-MM."), field="period", code="bad_period")
    allocation: IksAllocation = iks_allocate(actor=request.user, kube=kube, period=period.months[0])
    return Reply(201, transaction_view(allocation.transaction))


@router.post("/groups/{kube_id}/iks/uses", response={201: TransactionOut}, summary="Pakai dana IKS")
def use_iks(request: HttpRequest, kube_id: ObjectId, payload: IksUseIn) -> Reply[TransactionView]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    fund = body_ref(request.user, kube.iks_funds.all(), payload.fund, field="fund", label=_("Dana IKS KUBE ini"),
                    error=BooksError)
    txn = iks_use(actor=request.user, kube=kube, fund=fund, amount=payload.amount, description=payload.description,
                  date=payload.date)
    return Reply(201, transaction_view(txn))


# --- savings -------------------------------------------------------------------------------

class SavingsOut(Schema):
    member: int
    name: str
    deposited: int
    withdrawn: int
    balance: int
    at_coop: int


class SavingsIn(Schema):
    member: int = Field(..., ge=1, le=2**63 - 1)
    kind: Literal["deposit", "withdraw", "to_coop", "from_coop"]
    amount: Money = Field(...)
    date: Date | None = None
    receipt_no: str | None = Field(None, max_length=30)


SAVINGS = {"deposit": savings_deposit, "withdraw": savings_withdraw, "to_coop": savings_to_coop,
           "from_coop": savings_from_coop}


@router.get("/groups/{kube_id}/savings", response=list[SavingsOut], summary="Simpanan setiap anggota")
def get_savings(request: HttpRequest, kube_id: ObjectId) -> list[dict[str, Any]]:
    kube = access_kube(request.user, kube_id)
    rows = savings(kube)
    # The selector orders by name in the database's collation; keep that and put namesakes in id order.
    rank: dict[str, int] = {}
    for r in rows:
        rank.setdefault(r.member.name, len(rank))
    rows.sort(key=lambda r: (rank[r.member.name], r.member.pk))
    return [{"member": r.member.pk, "name": r.member.name, "deposited": r.deposited, "withdrawn": r.withdrawn,
             "balance": r.balance, "at_coop": r.at_coop} for r in rows]


@router.post("/groups/{kube_id}/savings", response={201: TransactionOut}, summary="Setor/tarik simpanan")
def post_savings(request: HttpRequest, kube_id: ObjectId, payload: SavingsIn) -> Reply[TransactionView]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    member = _member(request, kube, payload.member)
    assert member is not None  # payload.member is required
    txn = SAVINGS[payload.kind](actor=request.user, kube=kube, member=member, amount=payload.amount,
                                date=payload.date, receipt_no=payload.receipt_no)
    return Reply(201, transaction_view(txn))


class MeetingLineIn(Schema):
    member: int = Field(..., ge=1, le=2**63 - 1)
    deposit: MoneyOrZero = 0
    withdrawal: MoneyOrZero = 0
    to_coop: MoneyOrZero = Field(0, description="bagian simpanan anggota ini yang diteruskan ke koperasi")


class MeetingSavingsIn(Schema):
    date: Date | None = None
    description: str = Field("", max_length=250)
    lines: list[MeetingLineIn] = Field(..., min_length=1, max_length=200)


class MeetingSavingsOut(Schema):
    deposits: TransactionOut | None = Field(..., description="satu bukti untuk semua setoran rapat")
    withdrawals: TransactionOut | None
    to_coop: TransactionOut | None


@router.post("/groups/{kube_id}/savings/meeting", response={201: MeetingSavingsOut},
             summary="Simpanan rapat anggota dari satu lembar")
def post_meeting_savings(request: HttpRequest, kube_id: ObjectId, payload: MeetingSavingsIn) -> Reply[dict[str, Any]]:
    """Setoran (dan penarikan) setiap anggota di rapat, satu bukti untuk semua setoran; `to_coop`
    meneruskan bagian simpanan anggota itu ke koperasi dalam alur yang sama. Semua atau tidak sama sekali."""
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    found = {m.pk: m for m in body_refs(request.user, kube.members.all(), [line.member for line in payload.lines],
                                         field="lines", label=_("Anggota KUBE ini"), error=BooksError)}
    posted = meeting_savings_record(actor=request.user, kube=kube, date=payload.date, description=payload.description,
                                    lines=[MeetingSaving(found[line.member], deposit=line.deposit,
                                                         withdrawal=line.withdrawal, to_coop=line.to_coop)
                                           for line in payload.lines])
    return Reply(201, {name: transaction_view(txn) if txn is not None else None for name, txn in
                       (("deposits", posted.deposits), ("withdrawals", posted.withdrawals), ("to_coop", posted.to_coop))})


# --- loans ---------------------------------------------------------------------------------

class InstalmentOut(Schema):
    number: int
    due: dt.date
    principal: int
    fee: int


class LoanOut(Schema):
    id: int
    number: str
    member: int
    member_name: str
    amount: int
    disbursed_on: dt.date
    term_months: int
    fee_percent_month: Decimal
    principal_paid: int
    fee_paid: int
    outstanding: int
    days_late: int
    at_risk_30: bool
    cancelled: bool
    schedule: list[InstalmentOut]


class LoanIn(Schema):
    member: int = Field(..., ge=1, le=2**63 - 1)
    amount: Money = Field(...)
    term_months: int = Field(..., ge=1, le=120)
    fee_percent_month: Percent10 | None = None
    purpose: str = Field("", max_length=200)
    date: Date | None = None


class RepaymentIn(Schema):
    amount: Money = Field(...)
    date: Date | None = None
    receipt_no: str | None = Field(None, max_length=30)


class PortfolioOut(Page[LoanOut]):
    outstanding: int = Field(..., description="sisa pokok semua pinjaman")
    at_risk_30: int = Field(..., description="sisa pokok pinjaman yang terlambat lebih dari 30 hari")
    par30_percent: Decimal


def _loan_out(loan: Loan, state: LoanState | None = None) -> dict[str, Any]:
    state = state or loan_state(loan, on=timezone.localdate())
    return {"id": loan.pk, "number": loan.number, "member": loan.member_id, "member_name": loan.member.name,
            "amount": loan.amount, "disbursed_on": loan.disbursed_on, "term_months": loan.term_months,
            "fee_percent_month": loan.fee_percent_month, "principal_paid": state.principal_paid,
            "fee_paid": state.fee_paid, "outstanding": state.outstanding, "days_late": state.days_late,
            "at_risk_30": state.at_risk_30, "cancelled": state.cancelled,
            "schedule": [{"number": i.number, "due": i.due, "principal": i.principal, "fee": i.fee}
                         for i in state.schedule]}


@router.get("/groups/{kube_id}/loans", response=PortfolioOut,
            summary="Pinjaman anggota (terbaru dahulu) dan PAR 30 seluruhnya")
def get_loans(request: HttpRequest, kube_id: ObjectId, pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    today = timezone.localdate()
    book = portfolio(kube, on=today)
    states = {s.loan.pk: s for s in book.states}
    # The portfolio's loans and order: disbursed by today, the latest first.
    page = paginate(kube.loans.filter(disbursed_on__lte=today).select_related("member"), pages,
                    order=("-disbursed_on", "-id"))
    page["items"] = [_loan_out(loan, states.get(loan.pk)) for loan in page["items"]]
    return {**page, "outstanding": book.outstanding, "at_risk_30": book.at_risk_30, "par30_percent": book.par30}


@router.post("/groups/{kube_id}/loans", response={201: LoanOut}, summary="Cairkan pinjaman")
def create_loan(request: HttpRequest, kube_id: ObjectId, payload: LoanIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    member = _member(request, kube, payload.member)
    assert member is not None
    loan = loan_disburse(actor=request.user, kube=kube, member=member, amount=payload.amount,
                         term_months=payload.term_months, fee_percent_month=payload.fee_percent_month,
                         purpose=payload.purpose, date=payload.date)
    return Reply(201, _loan_out(loan))


def _loan_in_reach(request: HttpRequest, loan_id: int, *, write: Kind | None = None) -> Loan:
    return access_child(request.user, Loan.objects.select_related("member"), loan_id, write=write)


@router.get("/loans/{loan_id}", response=LoanOut, summary="Satu pinjaman dengan jadwalnya")
def get_loan(request: HttpRequest, loan_id: ObjectId) -> dict[str, Any]:
    return _loan_out(_loan_in_reach(request, loan_id))


@router.post("/loans/{loan_id}/repayments", response={201: TransactionOut}, summary="Catat angsuran")
def repay_loan(request: HttpRequest, loan_id: ObjectId, payload: RepaymentIn) -> Reply[TransactionView]:
    loan = _loan_in_reach(request, loan_id, write=Kind.BOOKS)
    txn = loan_repay(actor=request.user, loan=loan, amount=payload.amount, date=payload.date,
                     receipt_no=payload.receipt_no)
    return Reply(201, transaction_view(txn))


# --- month close ---------------------------------------------------------------------------

class CloseIn(Schema):
    period: Month = Field(...)


class CloseOut(Schema):
    period: str
    closed_at: Any
    closed_by: str | None


def _close_out(c: PeriodClose) -> dict[str, Any]:
    return {"period": f"{c.period // 100}-{c.period % 100:02d}", "closed_at": c.closed_at,
            "closed_by": c.closed_by.username if c.closed_by else None}


@router.get("/groups/{kube_id}/closes", response=Page[CloseOut], summary="Bulan yang sudah ditutup")
def list_closes(request: HttpRequest, kube_id: ObjectId, pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    page = paginate(PeriodClose.objects.filter(kube=kube).select_related("closed_by"), pages, order=("period", "id"))
    page["items"] = [_close_out(c) for c in page["items"]]
    return page


@router.post("/groups/{kube_id}/closes", response={201: CloseOut}, summary="Tutup buku satu bulan")
def close_month(request: HttpRequest, kube_id: ObjectId, payload: CloseIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    period = parse_period(payload.period)
    if period.kind != "month":
        raise BooksError(_("Tulis bulan sebagai YYYY-MM."), field="period", code="bad_period")
    return Reply(201, _close_out(period_close(actor=request.user, kube=kube, period=period.months[0])))
