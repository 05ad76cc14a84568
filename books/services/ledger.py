"""Posting to the ledger: the one way money enters the books.

`transaction_post` checks everything before writing: whole positive Rupiah, balanced,
known active accounts, a date that is neither in the future, before the group was formed,
nor in a closed month; then, holding a lock on the group, that no cash or bank account,
IKS fund, member's savings, cooperative deposit or loan goes below zero at any date from
the posting onwards. Lines are written first and the header last, which is what the
database triggers check (books/triggers.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import same_group
from audit.models import Action
from audit.services import audit_record
from books import statements
from books.errors import BooksError, ClosedPeriodError, OverdraftError
from books.models import (
    Account,
    AccountRole,
    IksFund,
    Line,
    Loan,
    ReceiptCounter,
    Transaction,
    TxnKind,
)
from books.models.ledger import CASH_ROLES
from lib.money import rupiah
from lib.periods import period_of
from outbox import services as outbox
from registry.models import Kube, Member

MAX_AMOUNT = 10**13  # Rp 10 trillion: far above any KUBE, far below 2^63


@dataclass(frozen=True)
class Leg:
    """One line to post: an account (or its role), one side, and its subledger if any."""

    account: Account | str
    debit: int = 0
    credit: int = 0
    member: Member | None = None
    loan: Loan | None = None
    iks_fund: IksFund | None = None


def accounts_by_role(roles: Iterable[str] | None = None) -> dict[str, Account]:
    """The accounts that carry a role, by role; only those of `roles` when given (a posting names
    two or three of the chart's roles: reading the whole chart each time was most of its cost)."""
    rows = statements.accounts_with_roles(None if roles is None else sorted(roles))
    return {a.role: a for a in rows if a.role}


def check_amount(value: Any, *, field: str = "amount") -> int:
    """A whole, positive number of Rupiah, or a BooksError that says what to fix."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise BooksError(_("Jumlah harus bilangan bulat Rupiah, tanpa sen (misalnya 25000)."),
                             field=field, code="not_whole")
    if value <= 0:
        raise BooksError(_("Jumlah harus lebih dari nol."), field=field, code="not_positive")
    if value > MAX_AMOUNT:
        raise BooksError(_("Jumlah terlalu besar."), field=field, code="too_large")
    return value


def last_closed_period(kube: Kube) -> int | None:
    return statements.last_closed_period(kube.pk)


def check_date(kube: Kube, day: date, *, field: str = "date") -> None:
    today = timezone.localdate()
    if day > today:
        raise BooksError(_("Tanggal tidak boleh di masa depan."), field=field, code="future")
    if day < kube.formed_on:
        raise BooksError(_("Tanggal tidak boleh sebelum KUBE dibentuk (%(d)s).")
                         % {"d": date_format(kube.formed_on, "j F Y")}, field=field, code="before_formed")
    closed = last_closed_period(kube)
    if closed is not None and period_of(day) <= closed:
        raise ClosedPeriodError(
            _("Buku bulan %(m)s sudah ditutup; catat dengan tanggal sesudahnya atau buat pembalikan "
              "di bulan berjalan.") % {"m": _month_label(closed)}, field=field)


def _month_label(period: int) -> str:
    return date_format(date(period // 100, period % 100, 1), "F Y")


# --- non-negative subledgers -------------------------------------------------------------

@dataclass(frozen=True)
class _Bucket:
    account_id: int
    member_id: int | None = None
    loan_id: int | None = None
    iks_fund_id: int | None = None


def _bucket_name(bucket: _Bucket, accounts: dict[int, Account]) -> str:
    account = accounts[bucket.account_id]
    if bucket.iks_fund_id:
        fund = IksFund.objects.get(pk=bucket.iks_fund_id)
        return _("dana IKS %(f)s") % {"f": fund.name}
    if bucket.loan_id:
        return _("sisa pinjaman %(n)s") % {"n": Loan.objects.get(pk=bucket.loan_id).number}
    if bucket.member_id:
        member = Member.objects.get(pk=bucket.member_id)
        return _("%(acc)s %(m)s") % {"acc": account.name.lower(), "m": member.name}
    return account.name.lower()


_GUARDED_ROLES = frozenset({*CASH_ROLES, AccountRole.IKS, AccountRole.SAVINGS, AccountRole.COOP, AccountRole.LOANS})
_KINDS = frozenset(TxnKind.values)


def _guarded(account: Account) -> bool:
    return account.role in _GUARDED_ROLES


def _check_not_negative(kube: Kube, day: date, legs: Sequence[Leg], accounts: dict[int, Account]) -> None:
    delta: dict[_Bucket, int] = defaultdict(int)
    for leg in legs:
        account = leg.account
        assert isinstance(account, Account)
        if not _guarded(account):
            continue
        sign = 1 if account.debit_normal else -1
        per_member = leg.member is not None and account.role in (AccountRole.SAVINGS, AccountRole.COOP)
        bucket = _Bucket(account.pk, leg.member.pk if per_member and leg.member else None,
                         leg.loan.pk if leg.loan else None, leg.iks_fund.pk if leg.iks_fund else None)
        delta[bucket] += sign * (leg.debit - leg.credit)
    for bucket, change in delta.items():
        if change >= 0:
            continue
        sign = 1 if accounts[bucket.account_id].debit_normal else -1
        lines = statements.Bucket(kube.pk, bucket.account_id, bucket.member_id, bucket.loan_id, bucket.iks_fund_id)
        debits, credits = lines.sums_until(day)
        balance = sign * (debits - credits) + change
        low, low_date = balance, day
        if balance >= 0:
            for line_date, debit, credit in lines.lines_after(day):
                balance += sign * (debit - credit)
                if balance < low:
                    low, low_date = balance, line_date
        if low < 0:
            raise OverdraftError(
                _("Saldo %(what)s tidak cukup: akan menjadi %(bal)s pada %(d)s. Periksa jumlahnya, atau "
                  "catat pemasukannya lebih dulu.")
                % {"what": _bucket_name(bucket, accounts), "bal": rupiah(low),
                   "d": date_format(low_date, "j F Y")})


# --- receipt numbers -------------------------------------------------------------------

def _receipt_wanted(wanted: str | None) -> str | None:
    """A number typed by hand (its length checked), or None for the counter's next one."""
    if not wanted:
        return None
    wanted = wanted.strip()
    if len(wanted) > 30:
        raise BooksError(_("Nomor bukti paling panjang 30 karakter."), field="receipt_no")
    return wanted


def _receipt_taken(wanted: str, year: int) -> BooksError:
    return BooksError(_("Nomor bukti %(n)s tahun %(y)s sudah dipakai. Pakai nomor lain atau "
                        "kosongkan agar diberi nomor otomatis.") % {"n": wanted, "y": year},
                      field="receipt_no", code="receipt_taken")


def _counter_next(kube_id: int, year: int) -> int:
    """The group's next receipt number of the year: the row is locked by the update itself until
    commit, so two postings can never take the same number. The year's first posting creates the
    counter."""
    number = statements.counter_next(kube_id, year)
    if number is None:
        counter, _created = ReceiptCounter.objects.select_for_update().get_or_create(kube_id=kube_id, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        number = counter.last
    return number


def _insert_header(db: BaseDatabaseWrapper, header: Transaction, wanted: str | None) -> None:
    """Insert the header with the number typed by hand, or with the counter's next one. The unique
    key (group, year, number) says whether a number is free: a number typed by hand that is taken
    refuses the posting; one the counter gives that a hand-written number already holds is skipped,
    and the counter moves past it."""
    year = header.receipt_year
    if wanted is not None:
        header.receipt_no = wanted
        if not _header_inserted(db, header):
            raise _receipt_taken(wanted, year)
        return
    number = taken = _counter_next(header.kube_id, year)
    header.receipt_no = f"{number:04d}"
    while not _header_inserted(db, header):
        number += 1
        header.receipt_no = f"{number:04d}"
    if number != taken:
        statements.counter_set(header.kube_id, year, number)


class _HeaderRefused(Exception):
    """The database refused the header (a guard of books/sql): answered by transaction_post once
    the write has rolled back, so that it may read again (on PostgreSQL the failed statement has
    aborted the transaction)."""


def _header_inserted(db: BaseDatabaseWrapper, header: Transaction) -> bool:
    values = [getattr(header, f.attname) for f in statements.HEADER.fields]
    try:
        inserted = statements.HEADER.run(db, values)
    except IntegrityError as exc:
        raise _HeaderRefused from exc
    return bool(inserted)


# --- posting -----------------------------------------------------------------------------

def _resolve(legs: Sequence[Leg]) -> tuple[list[Leg], dict[int, Account]]:
    roles = {leg.account for leg in legs if isinstance(leg.account, str)}
    by_role = accounts_by_role(roles) if roles else {}
    resolved: list[Leg] = []
    for leg in legs:
        account = leg.account
        if isinstance(account, str):
            if account not in by_role:
                raise BooksError(_("Akun untuk %(r)s belum ada di bagan akun.") % {"r": account})
            account = by_role[account]
        if not account.is_active:
            raise BooksError(_("Akun %(a)s sudah tidak dipakai.") % {"a": account}, field="account")
        resolved.append(Leg(account, leg.debit, leg.credit, leg.member, leg.loan, leg.iks_fund))
    accounts = {leg.account.pk: leg.account for leg in resolved if isinstance(leg.account, Account)}
    return resolved, accounts


def _check_legs(actor: Any, kube: Kube, legs: Sequence[Leg]) -> int:
    if len(legs) < 2:
        raise BooksError(_("Satu transaksi paling sedikit dua baris (debit dan kredit)."))
    debit = credit = 0
    for leg in legs:
        sides = [v for v in (leg.debit, leg.credit) if v]
        if len(sides) != 1:
            raise BooksError(_("Setiap baris diisi debit atau kredit, tidak keduanya dan tidak kosong."),
                             code="not_positive")
        check_amount(sides[0])
        debit += leg.debit
        credit += leg.credit
        for owner in (leg.member, leg.loan, leg.iks_fund):
            if owner is not None:
                same_group(actor, owner, kube.pk, field="lines", label=_("Data yang disebut baris jurnal"),
                           error=BooksError)
    if debit != credit:
        raise BooksError(_("Transaksi tidak seimbang: debit %(d)s, kredit %(c)s.")
                         % {"d": rupiah(debit), "c": rupiah(credit)}, code="unbalanced")
    return debit


def transaction_post(*, actor: Any, kube: Kube, date: date, description: str, kind: str,
                     legs: Sequence[Leg], receipt_no: str | None = None,
                     reverses: Transaction | None = None,
                     after: Callable[[Transaction], None] | None = None) -> Transaction:
    """Check, then write in one transaction.

    What no concurrent writer can make wrong, or what the database guards refuse anyway, is checked
    before the transaction opens, so that SQLite's write lock (taken at BEGIN IMMEDIATE) and the
    group's row lock on PostgreSQL are held only for what must be serialised (bench/RESULTS.md,
    2026-12-01 fastpath): the text, the kind, the date (a month closed meanwhile is refused by the
    trigger books_transaction_period, and answered below as the same ClosedPeriodError), the
    accounts, the amounts and whose members/loans/funds the lines name. Inside: the group's
    status and founding date read again under its lock, the balances, the receipt number, the
    inserts, the audit row and the outbox row; then `after` (the members' messages, books/services/notify.py)."""
    description = " ".join((description or "").split())
    if not description:
        raise BooksError(_("Tulis uraian transaksi."), field="description")
    if len(description) > 250:
        raise BooksError(_("Uraian paling panjang 250 karakter."), field="description")
    if kind not in _KINDS:
        raise BooksError(_("Jenis transaksi tidak dikenal."), field="kind")
    if kube.status == "bubar":
        raise BooksError(_("KUBE sudah bubar; bukunya tidak dapat ditambah."))
    check_date(kube, date)
    resolved, accounts = _resolve(legs)
    amount = _check_legs(actor, kube, resolved)
    try:
        return _transaction_write(actor=actor, kube=kube, date=date, description=description, kind=kind,
                                  resolved=resolved, accounts=accounts, amount=amount, receipt_no=receipt_no,
                                  reverses=reverses, after=after)
    except _HeaderRefused as refused:
        exc = refused.__cause__
        if "month is closed" in str(exc):  # closed while this posting was being checked
            check_date(kube, date)
        raise BooksError(_("Transaksi ditolak oleh basis data: %(e)s") % {"e": exc}) from exc


@transaction.atomic
def _transaction_write(*, actor: Any, kube: Kube, date: date, description: str, kind: str,
                       resolved: list[Leg], accounts: dict[int, Account], amount: int,
                       receipt_no: str | None, reverses: Transaction | None,
                       after: Callable[[Transaction], None] | None = None) -> Transaction:
    # One writer per group at a time: balances checked below stay true until commit.
    status, formed_on = statements.kube_lock(kube.pk)
    if status == "bubar":
        raise BooksError(_("KUBE sudah bubar; bukunya tidak dapat ditambah."))
    if date < formed_on:
        raise BooksError(_("Tanggal tidak boleh sebelum KUBE dibentuk (%(d)s).")
                         % {"d": date_format(formed_on, "j F Y")}, field="date", code="before_formed")
    _check_not_negative(kube, date, resolved, accounts)
    wanted = _receipt_wanted(receipt_no)
    header = Transaction(kube=kube, date=date, period=period_of(date), receipt_year=date.year,
                         kind=kind, description=description, amount=amount, reverses=reverses,
                         created_by=actor if getattr(actor, "is_authenticated", False) else None,
                         created_at=timezone.now())
    lines = [
        Line(transaction_id=header.id, kube=kube, date=date, account=leg.account,  # type: ignore[misc]
             debit=leg.debit, credit=leg.credit, member=leg.member, loan=leg.loan, iks_fund=leg.iks_fund)
        for leg in resolved
    ]
    # Lines first, the header last: the header's triggers check the lines it closes (books/sql/).
    db = transaction.get_connection()
    statements.LINES.run_many(db, [[getattr(line, f.attname) for f in statements.LINES.fields] for line in lines])
    _insert_header(db, header, wanted)
    header._state.adding, header._state.db = False, db.alias
    audit_record(actor=actor, action=Action.CREATE, obj=header, kube_id=kube.pk, changes={
        "kind": [None, kind], "amount": [None, amount], "date": [None, date.isoformat()],
        "receipt": [None, header.receipt],
        "lines": [None, [[leg.account.code, leg.debit, leg.credit] for leg in resolved]],  # type: ignore[union-attr]
    })
    outbox.record(kube.pk, header.period)
    if after is not None:
        after(header)
    header.posted_lines = lines  # type: ignore[attr-defined]  # the API answers from them (books/api.py)
    return header


@transaction.atomic
def transaction_reverse(*, actor: Any, original: Transaction, date: date | None = None,
                        reason: str) -> Transaction:
    """Correct a mistake: post the mirror image of `original`, pointing at it."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise BooksError(_("Tulis alasan pembalikan."), field="reason")
    original = Transaction.objects.select_related("kube").get(pk=original.pk)
    if original.reverses_id is not None:
        raise BooksError(_("Transaksi ini sendiri sebuah pembalikan; catat ulang transaksi yang benar."))
    if Transaction.objects.filter(reverses=original).exists():
        raise BooksError(_("Transaksi %(r)s sudah pernah dibalik.") % {"r": original.receipt})
    day = date or timezone.localdate()
    if day < original.date:
        raise BooksError(_("Tanggal pembalikan tidak boleh sebelum tanggal transaksi yang dibalik."),
                         field="date")
    legs = [Leg(line.account, debit=line.credit, credit=line.debit, member=line.member, loan=line.loan,
                iks_fund=line.iks_fund)
            for line in original.lines.select_related("account", "member", "loan", "iks_fund")]
    return transaction_post(
        actor=actor, kube=original.kube, date=day, kind=TxnKind.REVERSAL, legs=legs, reverses=original,
        description=_("Pembalikan %(r)s: %(why)s") % {"r": original.receipt, "why": reason})


# --- the simple entries a treasurer makes --------------------------------------------------

SIMPLE_KINDS: dict[str, tuple[str, bool]] = {
    # kind: (the other account's role, money comes in)
    TxnKind.SALE: (AccountRole.SALES, True),
    TxnKind.INCOME: (AccountRole.OTHER_INCOME, True),
    TxnKind.CAPITAL_IN: (AccountRole.OWN_CAPITAL, True),
    TxnKind.PURCHASE: (AccountRole.PURCHASES, False),
    TxnKind.EXPENSE: (AccountRole.OPERATING, False),
    TxnKind.ASSET: (AccountRole.EQUIPMENT, False),
}


def cash_entry_record(*, actor: Any, kube: Kube, kind: str, amount: Any, description: str,
                      date: date | None = None, via: str = AccountRole.CASH,
                      receipt_no: str | None = None) -> Transaction:
    """A sale, purchase, expense, other income, member's capital or asset bought: cash (or bank)
    on one side, the matching account on the other."""
    if kind not in SIMPLE_KINDS:
        raise BooksError(_("Jenis catatan kas tidak dikenal."), field="kind")
    if via not in CASH_ROLES:
        raise BooksError(_("Pilih kas tunai atau bank."), field="via")
    amount = check_amount(amount)
    other, incoming = SIMPLE_KINDS[kind]
    legs = ([Leg(via, debit=amount), Leg(other, credit=amount)] if incoming
            else [Leg(other, debit=amount), Leg(via, credit=amount)])
    return transaction_post(actor=actor, kube=kube, date=date or timezone.localdate(), kind=kind,
                            description=description, legs=legs, receipt_no=receipt_no)


def cash_transfer(*, actor: Any, kube: Kube, amount: Any, to_bank: bool, description: str,
                  date: date | None = None, receipt_no: str | None = None) -> Transaction:
    amount = check_amount(amount)
    source, target = (AccountRole.CASH, AccountRole.BANK) if to_bank else (AccountRole.BANK, AccountRole.CASH)
    return transaction_post(actor=actor, kube=kube, date=date or timezone.localdate(), kind=TxnKind.TRANSFER,
                            description=description, legs=[Leg(target, debit=amount), Leg(source, credit=amount)],
                            receipt_no=receipt_no)



@transaction.atomic
def account_add(*, actor: Any, code: str, name: str, type: str) -> Account:
    """An administrator extends the chart of accounts (the new account has no role)."""
    code, name = code.strip(), " ".join(name.split())
    if not code.isdigit() or not 3 <= len(code) <= 10:
        raise BooksError(_("Kode akun 3 sampai 10 angka."), field="code")
    if Account.objects.filter(code=code).exists():
        raise BooksError(_("Kode akun %(c)s sudah ada.") % {"c": code}, field="code")
    if not name:
        raise BooksError(_("Tulis nama akun."), field="name")
    from books.models import AccountType

    if type not in AccountType.values:
        raise BooksError(_("Pilih golongan akun."), field="type")
    account = Account.objects.create(code=code, name=name[:100], type=type)
    audit_record(actor=actor, action=Action.CREATE, obj=account)
    return account
