"""IKS, members' savings and loans: each a ledger transaction with its subledger on the lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import same_group
from audit.models import Action
from audit.services import audit_record, snapshot
from books.errors import BooksError
from books.models import AccountRole, IksAllocation, IksFund, Loan, Transaction, TxnKind
from books.selectors import active_allocation, loan_state, month_profit
from books.services import notify
from books.services.ledger import Leg, check_amount, last_closed_period, transaction_post
from lib.money import rupiah
from lib.periods import period_bounds, period_of
from messaging.models import Event
from registry.models import Kube, Member

# --- IKS -----------------------------------------------------------------------------------


def _percent(value: Any, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise BooksError(_("Persentase harus angka, misalnya 5 atau 2,5."), field=field) from None
    if not Decimal(0) <= number <= Decimal(100):
        raise BooksError(_("Persentase harus antara 0 dan 100."), field=field)
    return number


@transaction.atomic
def iks_policy_set(*, actor: Any, kube: Kube, funds: Sequence[tuple[str, Any]]) -> list[IksFund]:
    """The group's IKS funds and each one's share of monthly profit (seed 003: 5 % + 5 %).

    A fund no longer listed is retired, not deleted: its balance stays and can still be used.
    """
    kube = Kube.objects.select_for_update().get(pk=kube.pk)
    cleaned: list[tuple[str, Decimal]] = []
    for i, (name, share) in enumerate(funds):
        name = " ".join((name or "").split())
        if not name:
            raise BooksError(_("Tulis peruntukan dana IKS ke-%(n)s.") % {"n": i + 1}, field="funds")
        cleaned.append((name, _percent(share, field="funds")))
    if len({n.lower() for n, _s in cleaned}) != len(cleaned):
        raise BooksError(_("Nama peruntukan dana IKS tidak boleh kembar."), field="funds")
    total = sum((s for _n, s in cleaned), Decimal(0))
    if total > 100:
        raise BooksError(_("Jumlah bagian IKS %(t)s %% melebihi 100 %% laba.") % {"t": total}, field="funds")
    existing = {f.name.lower(): f for f in kube.iks_funds.all()}
    kept = []
    for name, share in cleaned:
        fund = existing.pop(name.lower(), None)
        if fund is None:
            fund = IksFund.objects.create(kube=kube, name=name, share_percent=share)
        else:
            fund.name, fund.share_percent, fund.is_active = name, share, True
            fund.save(update_fields=["name", "share_percent", "is_active"])
        kept.append(fund)
    for fund in existing.values():
        if fund.is_active:
            fund.is_active = False
            fund.save(update_fields=["is_active"])
    audit_record(actor=actor, action=Action.UPDATE, object_type="books.iksfund", object_id=kube.pk,
                 object_repr=_("Aturan IKS %(k)s") % {"k": kube.name}, kube_id=kube.pk,
                 changes={"funds": [None, [[n, str(s)] for n, s in cleaned]]})
    return kept


@transaction.atomic
def iks_allocate(*, actor: Any, kube: Kube, period: int, date: date | None = None) -> IksAllocation:
    """Set aside the IKS shares of one month's profit, in one transaction across the funds."""
    funds = list(kube.iks_funds.filter(is_active=True, share_percent__gt=0).order_by("id"))
    if not funds:
        raise BooksError(_("Atur dulu dana IKS dan bagiannya dari laba."), code="no_funds")
    if active_allocation(kube, period) is not None:
        raise BooksError(_("IKS dari laba bulan ini sudah disisihkan."), code="already_allocated")
    _start, end = period_bounds(period)
    today = timezone.localdate()
    if end >= today and period >= period_of(today):
        raise BooksError(_("Laba bulan berjalan belum final; sisihkan IKS setelah bulan berakhir."),
                         code="month_not_over")
    profit = month_profit(kube, period)
    if profit <= 0:
        raise BooksError(_("Bulan ini tidak ada laba (%(p)s), jadi tidak ada IKS yang disisihkan.")
                         % {"p": rupiah(profit)}, code="no_profit")
    legs: list[Leg] = []
    total = 0
    for fund in funds:
        share = int((Decimal(profit) * fund.share_percent / 100).to_integral_value(rounding="ROUND_FLOOR"))
        if share > 0:
            legs.append(Leg(AccountRole.IKS, credit=share, iks_fund=fund))
            total += share
    if total == 0:
        raise BooksError(_("Bagian IKS dari laba %(p)s kurang dari Rp1.") % {"p": rupiah(profit)},
                         code="no_profit")
    legs.insert(0, Leg(AccountRole.IKS_ALLOCATION, debit=total))
    # Posted on the month's last day, or today if that month has been closed meanwhile.
    day = date or end
    if last_closed_period(kube) is not None and period_of(day) <= (last_closed_period(kube) or 0):
        day = today
    txn = transaction_post(actor=actor, kube=kube, date=day, kind=TxnKind.IKS_ALLOCATION, legs=legs,
                           description=_("Penyisihan IKS dari laba %(m)s (%(p)s)")
                           % {"m": f"{period % 100:02d}/{period // 100}", "p": rupiah(profit)})
    return IksAllocation.objects.create(kube=kube, period=period, profit=profit, transaction=txn)


def iks_use(*, actor: Any, kube: Kube, fund: IksFund, amount: Any, description: str,
            date: date | None = None, via: str = AccountRole.CASH, receipt_no: str | None = None) -> Transaction:
    """Spend from one fund (help for a sick member, the KUBER charity day …); never overdrawn."""
    same_group(actor, fund, kube.pk, field="fund", label=_("Dana IKS"), error=BooksError)
    amount = check_amount(amount)
    return transaction_post(actor=actor, kube=kube, date=date or timezone.localdate(), kind=TxnKind.IKS_USE,
                            description=description, receipt_no=receipt_no,
                            legs=[Leg(AccountRole.IKS, debit=amount, iks_fund=fund), Leg(via, credit=amount)])


# --- savings -------------------------------------------------------------------------------

def _member_of(actor: Any, kube: Kube, member: Member, *, active: bool = True) -> None:
    same_group(actor, member, kube.pk, field="member", label=_("Anggota"), error=BooksError)
    if active and not member.is_active:
        raise BooksError(_("%(m)s sudah keluar dari KUBE.") % {"m": member.name}, field="member")


def savings_deposit(*, actor: Any, kube: Kube, member: Member, amount: Any, date: date | None = None,
                    description: str = "", receipt_no: str | None = None) -> Transaction:
    _member_of(actor, kube, member)
    amount = check_amount(amount)
    return transaction_post(actor=actor, kube=kube, date=date or timezone.localdate(),
                            kind=TxnKind.SAVINGS_DEPOSIT, receipt_no=receipt_no,
                            description=description or _("Setoran simpanan %(m)s") % {"m": member.name},
                            legs=[Leg(AccountRole.CASH, debit=amount),
                                  Leg(AccountRole.SAVINGS, credit=amount, member=member)],
                            after=lambda txn: notify.savings_told(kube=kube, txn=txn, rows=[(member, amount, 0)],
                                                                  event=Event.DEPOSIT))


def savings_withdraw(*, actor: Any, kube: Kube, member: Member, amount: Any, date: date | None = None,
                     description: str = "", receipt_no: str | None = None) -> Transaction:
    """Paid out in cash; a member may take back only what they have saved (checked by the ledger)."""
    _member_of(actor, kube, member, active=False)
    amount = check_amount(amount)
    return transaction_post(actor=actor, kube=kube, date=date or timezone.localdate(),
                            kind=TxnKind.SAVINGS_WITHDRAWAL, receipt_no=receipt_no,
                            description=description or _("Penarikan simpanan %(m)s") % {"m": member.name},
                            legs=[Leg(AccountRole.SAVINGS, debit=amount, member=member),
                                  Leg(AccountRole.CASH, credit=amount)],
                            after=lambda txn: notify.savings_told(kube=kube, txn=txn, rows=[(member, 0, amount)],
                                                                  event=Event.WITHDRAWAL))


def savings_to_coop(*, actor: Any, kube: Kube, member: Member, amount: Any, date: date | None = None,
                    description: str = "", receipt_no: str | None = None) -> Transaction:
    """The treasurer deposits a member's savings at the cooperative (seed 003): cash becomes a
    deposit held at the cooperative on that member's behalf."""
    _member_of(actor, kube, member)
    amount = check_amount(amount)
    return transaction_post(actor=actor, kube=kube, date=date or timezone.localdate(),
                            kind=TxnKind.COOP_DEPOSIT, receipt_no=receipt_no,
                            description=description or _("Setoran ke koperasi a.n. %(m)s") % {"m": member.name},
                            legs=[Leg(AccountRole.COOP, debit=amount, member=member),
                                  Leg(AccountRole.CASH, credit=amount)])


def savings_from_coop(*, actor: Any, kube: Kube, member: Member, amount: Any, date: date | None = None,
                      description: str = "", receipt_no: str | None = None) -> Transaction:
    _member_of(actor, kube, member, active=False)
    amount = check_amount(amount)
    return transaction_post(actor=actor, kube=kube, date=date or timezone.localdate(),
                            kind=TxnKind.COOP_WITHDRAWAL, receipt_no=receipt_no,
                            description=description or _("Penarikan dari koperasi a.n. %(m)s") % {"m": member.name},
                            legs=[Leg(AccountRole.CASH, debit=amount),
                                  Leg(AccountRole.COOP, credit=amount, member=member)])


@dataclass(frozen=True)
class MeetingSaving:
    """One member's row of the meeting sheet: what they deposit, take back, and what of their
    savings the treasurer takes on to the cooperative (each 0 when the field is left empty)."""

    member: Member
    deposit: Any = 0
    withdrawal: Any = 0
    to_coop: Any = 0


@dataclass(frozen=True)
class MeetingSavings:
    """The transactions a meeting's sheet posted (None where the sheet had nothing of that kind)."""

    deposits: Transaction | None
    withdrawals: Transaction | None
    to_coop: Transaction | None

    @property
    def posted(self) -> list[Transaction]:
        return [t for t in (self.deposits, self.withdrawals, self.to_coop) if t is not None]


def _sheet_amount(value: Any, member: Member, what: str) -> int:
    if value in (None, "", 0):
        return 0
    try:
        return check_amount(value, field="lines")
    except BooksError as exc:
        raise BooksError(_("%(what)s %(m)s: %(e)s") % {"what": what, "m": member.name, "e": exc.message},
                         field="lines", code=exc.code) from None


@transaction.atomic
def meeting_savings_record(*, actor: Any, kube: Kube, lines: Sequence[MeetingSaving], date: date | None = None,
                           description: str = "") -> MeetingSavings:
    """The savings of a members' meeting (setoran rapat) from one sheet, all or nothing.

    Every deposit is one transaction with one receipt: cash in for the total, and a line in each
    member's own savings. Withdrawals (if any) are a second one, paid out of that cash, and what
    goes on to the cooperative a third (seed 003: the treasurer deposits the members' savings at
    the cooperative on each one's behalf). Each member's balance is checked by the ledger as for a
    single entry, so a withdrawal larger than the member's savings refuses the whole sheet.
    """
    day = date or timezone.localdate()
    seen: set[int] = set()
    deposits: list[tuple[Member, int]] = []
    withdrawals: list[tuple[Member, int]] = []
    to_coop: list[tuple[Member, int]] = []
    for line in lines:
        member = line.member
        if member.pk in seen:
            raise BooksError(_("%(m)s tertulis dua kali; satu baris untuk setiap anggota.") % {"m": member.name},
                             field="lines", code="member_twice")
        seen.add(member.pk)
        amounts = (_sheet_amount(line.deposit, member, _("Setoran")),
                   _sheet_amount(line.withdrawal, member, _("Penarikan")),
                   _sheet_amount(line.to_coop, member, _("Setoran ke koperasi")))
        if not any(amounts):
            continue
        _member_of(actor, kube, member, active=bool(amounts[0] or amounts[2]))
        for amount, into in zip(amounts, (deposits, withdrawals, to_coop), strict=True):
            if amount:
                into.append((member, amount))
    if not (deposits or withdrawals or to_coop):
        raise BooksError(_("Isi setoran, penarikan atau setoran ke koperasi paling sedikit satu anggota."),
                         field="lines", code="empty_sheet")
    text = " ".join((description or "").split())

    def post(kind: str, rows: list[tuple[Member, int]], member_role: str, *, member_debit: bool,
             cash_role: str, label: str) -> Transaction | None:
        if not rows:
            return None
        total = sum(amount for _m, amount in rows)
        member_legs = [Leg(member_role, debit=a, member=m) if member_debit else Leg(member_role, credit=a, member=m)
                       for m, a in rows]
        cash = Leg(cash_role, credit=total) if member_debit else Leg(cash_role, debit=total)
        return transaction_post(actor=actor, kube=kube, date=day, kind=kind, description=text or label,
                                legs=[cash, *member_legs] if not member_debit else [*member_legs, cash])

    people = _("%(n)s anggota")
    posted = MeetingSavings(
        deposits=post(TxnKind.SAVINGS_DEPOSIT, deposits, AccountRole.SAVINGS, member_debit=False,
                      cash_role=AccountRole.CASH,
                      label=_("Setoran simpanan rapat (%(p)s)") % {"p": people % {"n": len(deposits)}}),
        withdrawals=post(TxnKind.SAVINGS_WITHDRAWAL, withdrawals, AccountRole.SAVINGS, member_debit=True,
                         cash_role=AccountRole.CASH,
                         label=_("Penarikan simpanan rapat (%(p)s)") % {"p": people % {"n": len(withdrawals)}}),
        to_coop=post(TxnKind.COOP_DEPOSIT, to_coop, AccountRole.COOP, member_debit=True, cash_role=AccountRole.CASH,
                     label=_("Setoran ke koperasi dari rapat (%(p)s)") % {"p": people % {"n": len(to_coop)}}),
    )
    taken = dict(withdrawals)
    sheet = [(m, a, taken.pop(m, 0)) for m, a in deposits] + [(m, 0, a) for m, a in taken.items()]
    if sheet and posted.posted:
        notify.savings_told(kube=kube, txn=posted.posted[0], rows=sheet, event=Event.MEETING,
                            ref=f"meeting{posted.posted[0].pk}")
    return posted


# --- loans ---------------------------------------------------------------------------------

@transaction.atomic
def loan_disburse(*, actor: Any, kube: Kube, member: Member, amount: Any, term_months: int,
                  date: date | None = None, fee_percent_month: Any = None, purpose: str = "") -> Loan:
    """Lend to a member from the group's cash. The service fee defaults to the group's rules."""
    _member_of(actor, kube, member)
    amount = check_amount(amount)
    if not isinstance(term_months, int) or not 1 <= term_months <= 120:
        raise BooksError(_("Jangka waktu 1 sampai 120 bulan."), field="term_months")
    if fee_percent_month in (None, ""):
        rules = kube.rule_versions.order_by("-version").first()
        fee_percent_month = rules.loan_fee_percent_month if rules and rules.loan_fee_percent_month else 0
    fee = _percent(fee_percent_month, field="fee_percent_month")
    if fee > 10:
        raise BooksError(_("Jasa pinjaman di atas 10 %% sebulan tidak wajar; periksa lagi."),
                         field="fee_percent_month")
    day = date or timezone.localdate()
    count = Loan.objects.filter(kube=kube).count() + 1
    loan = Loan.objects.create(kube=kube, member=member, number=f"P{day.year}-{count:03d}", amount=amount,
                               disbursed_on=day, term_months=term_months, fee_percent_month=fee,
                               purpose=" ".join(purpose.split())[:200],
                               created_by=actor if getattr(actor, "is_authenticated", False) else None)
    transaction_post(actor=actor, kube=kube, date=day, kind=TxnKind.LOAN_DISBURSEMENT,
                     description=_("Pinjaman %(n)s kepada %(m)s") % {"n": loan.number, "m": member.name},
                     legs=[Leg(AccountRole.LOANS, debit=amount, loan=loan), Leg(AccountRole.CASH, credit=amount)])
    audit_record(actor=actor, action=Action.CREATE, obj=loan, kube_id=kube.pk,
                 changes={k: [None, v] for k, v in snapshot(loan, ["number", "member_id", "amount",
                                                                   "term_months", "disbursed_on"]).items()})
    return loan


@transaction.atomic
def loan_repay(*, actor: Any, loan: Loan, amount: Any, date: date | None = None,
               receipt_no: str | None = None) -> Transaction:
    """A repayment: the service fee due so far is paid first, the rest reduces the principal."""
    amount = check_amount(amount)
    day = date or timezone.localdate()
    if day < loan.disbursed_on:
        raise BooksError(_("Tanggal angsuran tidak boleh sebelum pinjaman cair."), field="date")
    state = loan_state(loan, on=day)
    if state.cancelled or state.outstanding <= 0:
        raise BooksError(_("Pinjaman %(n)s sudah lunas atau dibatalkan.") % {"n": loan.number})
    months_elapsed = sum(1 for inst in state.schedule if inst.due <= day)
    fee_due = max(sum(inst.fee for inst in state.schedule[:max(months_elapsed, 1)]) - state.fee_paid, 0)
    fee = min(fee_due, amount)
    principal = amount - fee
    if principal > state.outstanding:
        raise BooksError(_("Angsuran %(a)s melebihi sisa pokok %(o)s ditambah jasa %(f)s.")
                         % {"a": rupiah(amount), "o": rupiah(state.outstanding), "f": rupiah(fee)},
                         field="amount", code="overpaid")
    legs = [Leg(AccountRole.CASH, debit=amount)]
    if principal:
        legs.append(Leg(AccountRole.LOANS, credit=principal, loan=loan))
    if fee:
        legs.append(Leg(AccountRole.FEE_INCOME, credit=fee))
    txn = transaction_post(actor=actor, kube=loan.kube, date=day, kind=TxnKind.LOAN_REPAYMENT,
                           receipt_no=receipt_no,
                           description=_("Angsuran %(n)s dari %(m)s") % {"n": loan.number, "m": loan.member.name},
                           legs=legs)
    if principal == state.outstanding:
        Loan.objects.filter(pk=loan.pk).update(status="paid")
    notify.repayment_told(loan=loan, txn=txn, outstanding=state.outstanding - principal)
    return txn
