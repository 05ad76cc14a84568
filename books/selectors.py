"""Reading the books: balances, the cash book, profit, subledgers. All derived from lines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from books.models import Account, AccountRole, AccountType, IksAllocation, IksFund, Line, Loan, Transaction, TxnKind
from books.models.ledger import CASH_ROLES, DEBIT_NORMAL, MONEY_ROLES
from lib.periods import add_months, period_bounds
from registry.models import Kube, Member


def signed(account_type: str, debit: int, credit: int) -> int:
    return debit - credit if account_type in DEBIT_NORMAL else credit - debit


def account_balances(kube: Kube, *, until: date | None = None, since: date | None = None) -> dict[str, int]:
    """{account code: balance in its normal direction} over the lines in the date range."""
    lines = Line.objects.filter(kube=kube)
    if until is not None:
        lines = lines.filter(date__lte=until)
    if since is not None:
        lines = lines.filter(date__gte=since)
    rows = lines.values("account__code", "account__type").annotate(d=Sum("debit"), c=Sum("credit"))
    return {r["account__code"]: signed(r["account__type"], r["d"] or 0, r["c"] or 0) for r in rows}


def role_balance(kube: Kube, role: str, *, until: date | None = None, **dimension: object) -> int:
    lines = Line.objects.filter(kube=kube, account__role=role, **dimension)
    if until is not None:
        lines = lines.filter(date__lte=until)
    total = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    account_type = Account.objects.get(role=role).type
    return signed(account_type, total["d"] or 0, total["c"] or 0)


def cash_balance(kube: Kube, *, until: date | None = None) -> int:
    """Cash in hand plus the bank account, as the Buku Kas Umum shows it."""
    lines = Line.objects.filter(kube=kube, account__role__in=CASH_ROLES)
    if until is not None:
        lines = lines.filter(date__lte=until)
    total = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (total["d"] or 0) - (total["c"] or 0)


MONEY_LABELS: dict[str, StrOrPromise] = {
    AccountRole.CASH: gettext_lazy("Kas tunai"),
    AccountRole.BANK: gettext_lazy("Bank"),
    AccountRole.COOP: gettext_lazy("Simpanan di koperasi"),
}
# Short names for the account column of the cash book, narrow enough for a phone and the PDF.
MONEY_SHORT: dict[str, StrOrPromise] = {
    AccountRole.CASH: gettext_lazy("Tunai"),
    AccountRole.BANK: gettext_lazy("Bank"),
    AccountRole.COOP: gettext_lazy("Koperasi"),
}


def _money_order(role: str | None) -> int:
    return MONEY_ROLES.index(role) if role in MONEY_ROLES else len(MONEY_ROLES)


@dataclass
class MoneyAccount:
    """One place where the group keeps money, over a period: what a treasurer counts."""

    role: str
    opening: int = 0
    money_in: int = 0       # from outside the group's money (sales, savings, grants …)
    money_out: int = 0      # to outside (purchases, costs, loans, onward transfers …)
    transfer_in: int = 0    # moved in from another of the group's money accounts
    transfer_out: int = 0   # moved out to another of them

    @property
    def label(self) -> str:
        return str(MONEY_LABELS.get(self.role, self.role))

    @property
    def closing(self) -> int:
        return self.opening + self.money_in - self.money_out + self.transfer_in - self.transfer_out


@dataclass
class MoneySummary:
    start: date
    end: date
    accounts: list[MoneyAccount]
    by_kind: list[tuple[str, int, int]]  # kind label, in, out: transfers left out

    @property
    def opening(self) -> int:
        return sum(a.opening for a in self.accounts)

    @property
    def money_in(self) -> int:
        return sum(a.money_in for a in self.accounts)

    @property
    def money_out(self) -> int:
        return sum(a.money_out for a in self.accounts)

    @property
    def transfers(self) -> int:
        """Money moved between the accounts (as much went out of one as came into another)."""
        return sum(a.transfer_in for a in self.accounts)

    @property
    def closing(self) -> int:
        return sum(a.closing for a in self.accounts)

    def account(self, role: str) -> MoneyAccount:
        return next(a for a in self.accounts if a.role == role)


def _split_transfers(lines: list[tuple[str, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """One transaction's lines on money accounts → (role, in, out, transfer in, transfer out).

    What leaves one money account and enters another within the same transaction is a
    transfer. Usually that is a whole two-line transaction (bank → cash); in a general journal
    that mixes both, the matched amount is taken from the lines in the order cash, bank,
    cooperative, and the rest is real income or spending.
    """
    matched_in = matched_out = min(sum(d for _r, d, _c in lines), sum(c for _r, _d, c in lines))
    out = []
    for role, debit, credit in sorted(lines, key=lambda r: _money_order(r[0])):
        t_in, t_out = min(debit, matched_in), min(credit, matched_out)
        matched_in -= t_in
        matched_out -= t_out
        out.append((role, debit - t_in, credit - t_out, t_in, t_out))
    return out


def money_summary(kube: Kube, *, start: date, end: date) -> MoneySummary:
    """Opening, in, out, transfers and closing of the cash box, the bank and the cooperative."""
    accounts: dict[str, MoneyAccount] = {str(role): MoneyAccount(role) for role in MONEY_ROLES}
    lines = Line.objects.filter(kube=kube, account__role__in=MONEY_ROLES)
    for r in lines.filter(date__lt=start).values("account__role").annotate(d=Sum("debit"), c=Sum("credit")):
        accounts[str(r["account__role"])].opening += (r["d"] or 0) - (r["c"] or 0)
    by_txn: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    kinds: dict[int, str] = {}
    for txn_id, kind, role, debit, credit in (lines.filter(date__gte=start, date__lte=end).order_by("id")
                                              .values_list("transaction_id", "transaction__kind",
                                                           "account__role", "debit", "credit")):
        by_txn[txn_id].append((str(role), debit, credit))
        kinds[txn_id] = kind
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for txn_id, txn_lines in by_txn.items():
        for role, money_in, money_out, t_in, t_out in _split_transfers(txn_lines):
            row = accounts[role]
            row.money_in += money_in
            row.money_out += money_out
            row.transfer_in += t_in
            row.transfer_out += t_out
            by_kind[kinds[txn_id]][0] += money_in
            by_kind[kinds[txn_id]][1] += money_out
    labels = dict(TxnKind.choices)
    kind_rows = sorted(((str(labels.get(k, k)), v[0], v[1]) for k, v in by_kind.items() if v[0] or v[1]),
                       key=lambda r: (-r[1], -r[2], r[0]))
    return MoneySummary(start, end, list(accounts.values()), kind_rows)


@dataclass
class CashLine:
    date: date
    receipt: str
    description: str
    account: str          # the account's short name (Tunai, Bank, Koperasi)
    account_role: str
    money_in: int
    money_out: int
    balance: int          # the balance of this line's account after it
    transaction_id: int
    kind: str
    reversed: bool
    is_reversal: bool


@dataclass
class BookAccount:
    role: str
    opening: int
    money_in: int = 0
    money_out: int = 0

    @property
    def label(self) -> str:
        return str(MONEY_LABELS.get(self.role, self.role))

    @property
    def short(self) -> str:
        return str(MONEY_SHORT.get(self.role, self.role))

    @property
    def closing(self) -> int:
        return self.opening + self.money_in - self.money_out


@dataclass
class CashBook:
    start: date
    end: date
    accounts: list[BookAccount]
    lines: list[CashLine]

    @property
    def opening(self) -> int:
        return sum(a.opening for a in self.accounts)

    @property
    def total_in(self) -> int:
        return sum(a.money_in for a in self.accounts)

    @property
    def total_out(self) -> int:
        return sum(a.money_out for a in self.accounts)

    @property
    def closing(self) -> int:
        return sum(a.closing for a in self.accounts)


def reversed_ids(kube: Kube | int) -> set[int]:
    """Ids of the group's transactions that have been reversed.

    Read forwards from the group's few reversals, never through the reverse relation: with
    millions of transactions whose `reverses` is NULL, SQLite's statistics make a join on it
    look unselective and it would scan the whole table (seen at 87 s in the benchmark).
    """
    return set(Transaction.objects.filter(kube=kube, reverses__isnull=False).values_list("reverses_id", flat=True))


def cash_book(kube: Kube, *, start: date, end: date, roles: tuple[str, ...] = MONEY_ROLES) -> CashBook:
    """Buku Kas Umum: date, receipt, description, account, in, out, and each account's running
    balance. One balance for cash and bank together could not be checked against the cash box
    or the bank statement, so each line carries the balance of its own account."""
    lines = Line.objects.filter(kube=kube, account__role__in=roles)
    opening: dict[str, int] = {str(role): 0 for role in roles}
    for r in lines.filter(date__lt=start).values("account__role").annotate(d=Sum("debit"), c=Sum("credit")):
        opening[str(r["account__role"])] += (r["d"] or 0) - (r["c"] or 0)
    accounts = {role: BookAccount(role, value) for role, value in opening.items()}
    balances = dict(opening)
    rows = (lines.filter(date__gte=start, date__lte=end)
            .select_related("transaction", "account").order_by("date", "transaction_id", "id"))
    reversed_set = reversed_ids(kube)
    out: list[CashLine] = []
    for line in rows:
        role = line.account.role or ""
        balances[role] += line.debit - line.credit
        accounts[role].money_in += line.debit
        accounts[role].money_out += line.credit
        txn = line.transaction
        out.append(CashLine(line.date, txn.receipt, txn.description, accounts[role].short, role, line.debit,
                            line.credit, balances[role], txn.id, txn.kind, txn.id in reversed_set,
                            txn.reverses_id is not None))
    return CashBook(start, end, list(accounts.values()), out)


@dataclass
class IncomeStatement:
    income: list[tuple[str, int]]
    expenses: list[tuple[str, int]]

    @property
    def total_income(self) -> int:
        return sum(v for _n, v in self.income)

    @property
    def total_expenses(self) -> int:
        return sum(v for _n, v in self.expenses)

    @property
    def profit(self) -> int:
        return self.total_income - self.total_expenses


def income_statement(kube: Kube, *, start: date, end: date) -> IncomeStatement:
    rows = (Line.objects.filter(kube=kube, date__gte=start, date__lte=end,
                                account__type__in=[AccountType.INCOME, AccountType.EXPENSE])
            .values("account__code", "account__name", "account__type")
            .annotate(d=Sum("debit"), c=Sum("credit")).order_by("account__code"))
    income: list[tuple[str, int]] = []
    expenses: list[tuple[str, int]] = []
    for r in rows:
        value = signed(r["account__type"], r["d"] or 0, r["c"] or 0)
        (income if r["account__type"] == AccountType.INCOME else expenses).append((r["account__name"], value))
    return IncomeStatement(income, expenses)


def month_profit(kube: Kube, period: int) -> int:
    start, end = period_bounds(period)
    return income_statement(kube, start=start, end=end).profit


@dataclass(frozen=True)
class AccountBalance:
    code: str
    name: str
    type: str
    role: str | None
    value: int  # in the account's normal direction


@dataclass
class BalanceSheet:
    day: date
    assets: list[tuple[str, int]]
    liabilities: list[tuple[str, int]]
    equity: list[tuple[str, int]]
    accounts: list[AccountBalance] = field(default_factory=list)  # every balance-sheet account
    profit_to_date: int = 0  # income − expenses since the books began, not yet closed into equity

    @property
    def total_assets(self) -> int:
        return sum(v for _n, v in self.assets)

    @property
    def total_liabilities_equity(self) -> int:
        return sum(v for _n, v in self.liabilities) + sum(v for _n, v in self.equity)


def balance_sheet(kube: Kube, *, day: date) -> BalanceSheet:
    """Neraca at `day`. Profit not yet closed into equity appears as "Laba berjalan"."""
    rows = (Line.objects.filter(kube=kube, date__lte=day)
            .values("account__code", "account__name", "account__type", "account__role")
            .annotate(d=Sum("debit"), c=Sum("credit")).order_by("account__code"))
    assets, liabilities, equity = [], [], []
    accounts: list[AccountBalance] = []
    profit = 0
    for r in rows:
        value = signed(r["account__type"], r["d"] or 0, r["c"] or 0)
        kind = r["account__type"]
        if kind == AccountType.ASSET:
            assets.append((r["account__name"], value))
        elif kind == AccountType.LIABILITY:
            liabilities.append((r["account__name"], value))
        elif kind == AccountType.EQUITY:
            equity.append((r["account__name"], value))
        elif kind == AccountType.INCOME:
            profit += value
        else:
            profit -= value
        if kind in (AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY):
            accounts.append(AccountBalance(r["account__code"], r["account__name"], kind, r["account__role"], value))
    from django.utils.translation import gettext as _

    equity.append((_("Laba (rugi) yang belum dibagi"), profit))
    return BalanceSheet(day, assets, liabilities, equity, accounts, profit)


# --- IKS -----------------------------------------------------------------------------------

@dataclass
class FundRow:
    fund: IksFund
    allocated: int
    used: int

    @property
    def balance(self) -> int:
        return self.allocated - self.used


def iks_funds(kube: Kube, *, until: date | None = None, since: date | None = None) -> list[FundRow]:
    lines = Line.objects.filter(kube=kube, account__role=AccountRole.IKS)
    if until:
        lines = lines.filter(date__lte=until)
    if since:
        lines = lines.filter(date__gte=since)
    sums: dict[int, tuple[int, int]] = {
        r["iks_fund"]: (r["d"] or 0, r["c"] or 0)
        for r in lines.values("iks_fund").annotate(d=Sum("debit"), c=Sum("credit"))
    }
    return [FundRow(f, sums.get(f.pk, (0, 0))[1], sums.get(f.pk, (0, 0))[0]) for f in kube.iks_funds.order_by("id")]


def iks_share_total(kube: Kube) -> Decimal:
    return sum((f.share_percent for f in kube.iks_funds.filter(is_active=True)), Decimal(0))


def active_allocation(kube: Kube, period: int) -> IksAllocation | None:
    return (IksAllocation.objects.filter(kube=kube, period=period)
            .exclude(transaction_id__in=reversed_ids(kube)).first())


# --- savings -------------------------------------------------------------------------------

@dataclass
class SavingsRow:
    member: Member
    deposited: int
    withdrawn: int
    at_coop: int

    @property
    def balance(self) -> int:
        return self.deposited - self.withdrawn


def savings(kube: Kube, *, until: date | None = None, members: QuerySet[Member] | None = None) -> list[SavingsRow]:
    lines = Line.objects.filter(kube=kube, account__role__in=[AccountRole.SAVINGS, AccountRole.COOP])
    if until:
        lines = lines.filter(date__lte=until)
    sums: dict[int, dict[str, int]] = defaultdict(lambda: {"in": 0, "out": 0, "coop": 0})
    for r in lines.values("member", "account__role").annotate(d=Sum("debit"), c=Sum("credit")):
        if r["member"] is None:
            continue
        if r["account__role"] == AccountRole.SAVINGS:
            sums[r["member"]]["in"] += r["c"] or 0
            sums[r["member"]]["out"] += r["d"] or 0
        else:
            sums[r["member"]]["coop"] += (r["d"] or 0) - (r["c"] or 0)
    qs = members if members is not None else kube.members.all()
    rows = []
    for m in qs.order_by("name"):
        s = sums.get(m.pk, {"in": 0, "out": 0, "coop": 0})
        if m.is_active or any(s.values()):
            rows.append(SavingsRow(m, s["in"], s["out"], s["coop"]))
    return rows


# --- loans ---------------------------------------------------------------------------------

@dataclass
class Instalment:
    number: int
    due: date
    principal: int
    fee: int

    @property
    def total(self) -> int:
        return self.principal + self.fee


@dataclass
class LoanState:
    loan: Loan
    schedule: list[Instalment]
    principal_paid: int
    fee_paid: int
    outstanding: int
    days_late: int
    next_due: Instalment | None
    cancelled: bool = False
    payments: list[tuple[date, int, int]] = field(default_factory=list)

    @property
    def at_risk_30(self) -> bool:
        return self.outstanding > 0 and self.days_late > 30




def loan_schedule(loan: Loan) -> list[Instalment]:
    """Equal principal each month (the remainder in the last), flat fee on the original amount."""
    n = loan.term_months
    base, remainder = divmod(loan.amount, n)
    fee = int((Decimal(loan.amount) * loan.fee_percent_month / 100).to_integral_value())
    return [Instalment(i, add_months(loan.disbursed_on, i), base + (remainder if i == n else 0), fee)
            for i in range(1, n + 1)]


def loan_state(loan: Loan, *, on: date) -> LoanState:
    return loan_states([loan], on=on)[0]


def loan_states(loans: Sequence[Loan], *, on: date) -> list[LoanState]:
    """Each loan's state on `on`, in a fixed number of queries whatever the number of loans: the
    transactions with a line of any of them, their lines and the lines' accounts, and the group's
    reversals (`reversed_ids`; a group's portfolio cost three queries a loan before)."""
    if not loans:
        return []
    ids = {loan.pk for loan in loans}
    kube_ids = {loan.kube_id for loan in loans}
    touching: dict[int, list[Transaction]] = {pk: [] for pk in ids}
    txns = (Transaction.objects.filter(kube_id__in=kube_ids, lines__loan_id__in=ids)
            .distinct().order_by("date", "id").prefetch_related("lines__account"))
    for txn in txns:
        for pk in {ln.loan_id for ln in txn.lines.all() if ln.loan_id in ids}:
            touching[pk].append(txn)
    # The disbursement: the loan's first loan_out transaction (a reversal's kind is "reversal").
    disbursed = {pk: next((t for t in rows if t.kind == "loan_out"), None) for pk, rows in touching.items()}
    reversed_txns: set[int] = set().union(*(reversed_ids(kube_id) for kube_id in kube_ids))
    states = []
    for loan in loans:
        disbursement = disbursed[loan.pk]
        cancelled = disbursement is not None and disbursement.pk in reversed_txns
        states.append(_loan_state(loan, on=on, disbursement=disbursement, cancelled=cancelled,
                                  touching=touching[loan.pk]))
    return states


def _loan_state(loan: Loan, *, on: date, disbursement: Transaction | None, cancelled: bool,
                touching: list[Transaction]) -> LoanState:
    """A loan's state from the transactions with a line of it (in date order, lines and accounts
    read): its repayments are those up to `on` other than its disbursement and that one's reversal."""
    schedule = loan_schedule(loan)
    repayments = [t for t in touching if t.kind != "loan_out" and t.date <= on
                  and (disbursement is None or t.reverses_id != disbursement.pk)]
    principal_paid = fee_paid = 0
    payments: list[tuple[date, int, int]] = []
    for txn in repayments:
        principal = sum(ln.credit - ln.debit for ln in txn.lines.all() if ln.loan_id == loan.pk)
        fee = sum(ln.credit - ln.debit for ln in txn.lines.all()
                  if ln.account.role == AccountRole.FEE_INCOME)
        principal_paid += principal
        fee_paid += fee
        payments.append((txn.date, principal, fee))
    outstanding = 0 if cancelled else loan.amount - principal_paid
    # Days late: the first instalment not covered by the principal paid so far.
    covered = principal_paid
    days_late = 0
    next_due = None
    for inst in schedule:
        if covered >= inst.principal:
            covered -= inst.principal
            continue
        next_due = inst
        if inst.due < on:
            days_late = (on - inst.due).days
        break
    if outstanding <= 0 or cancelled:
        days_late, next_due = 0, None
    return LoanState(loan, schedule, principal_paid, fee_paid, max(outstanding, 0), days_late, next_due,
                     cancelled, payments)


@dataclass
class Portfolio:
    states: list[LoanState]

    @property
    def outstanding(self) -> int:
        return sum(s.outstanding for s in self.states)

    @property
    def at_risk_30(self) -> int:
        return sum(s.outstanding for s in self.states if s.at_risk_30)

    @property
    def par30(self) -> Decimal:
        """Portfolio at risk: share of the outstanding principal more than 30 days late."""
        if not self.outstanding:
            return Decimal(0)
        return (Decimal(self.at_risk_30) * 100 / Decimal(self.outstanding)).quantize(Decimal("0.01"))


def portfolio(kube: Kube, *, on: date) -> Portfolio:
    loans = kube.loans.filter(disbursed_on__lte=on).select_related("member").order_by("-disbursed_on", "-id")
    return Portfolio(loan_states(list(loans), on=on))


def last_entry_date(kube: Kube) -> date | None:
    return Transaction.objects.filter(kube=kube).order_by("-date").values_list("date", flat=True).first()


def next_open_day(kube: Kube, closed: int | None) -> date | None:
    if closed is None:
        return None
    _start, end = period_bounds(closed)
    return end + timedelta(days=1)



# --- transactions as the API shows them -------------------------------------------------------

@dataclass(frozen=True)
class LineView:
    account: str
    account_name: str
    debit: int
    credit: int
    member: int | None
    loan: int | None
    iks_fund: int | None


@dataclass(frozen=True)
class TransactionView:
    """A posted transaction with its lines and, if it has been reversed, the reversal's id."""

    id: int
    kube: int
    date: date
    receipt: str
    kind: str
    description: str
    amount: int
    reverses: int | None
    reversed_by: int | None
    created_by: str | None  # the username
    lines: list[LineView]


def transaction_views(txns: list[Transaction]) -> list[TransactionView]:
    """`txns` (read with select_related("created_by")) in their order, in two more queries
    whatever their number: their lines, and the reversals that point at them (two a
    transaction before). The reversals are read forwards, by `reverses_id IN (…)`, as
    reversed_ids explains."""
    ids = [t.pk for t in txns]
    lines: dict[int, list[LineView]] = defaultdict(list)
    for ln in Line.objects.filter(transaction_id__in=ids).select_related("account").order_by("id"):
        lines[ln.transaction_id].append(LineView(ln.account.code, ln.account.name, ln.debit, ln.credit,
                                                 ln.member_id, ln.loan_id, ln.iks_fund_id))
    reversed_by: dict[int, int] = {}
    for reverses_id, pk in (Transaction.objects.filter(reverses_id__in=ids).order_by("id")
                            .values_list("reverses_id", "id")):
        reversed_by.setdefault(reverses_id, pk)
    return [TransactionView(
        id=t.pk, kube=t.kube_id, date=t.date, receipt=t.receipt, kind=t.kind, description=t.description,
        amount=t.amount, reverses=t.reverses_id, reversed_by=reversed_by.get(t.pk),
        created_by=t.created_by.username if t.created_by else None, lines=lines[t.pk]) for t in txns]


def transaction_view(txn: Transaction) -> TransactionView:
    """One transaction as transaction_views reads it."""
    return transaction_views([txn])[0]
