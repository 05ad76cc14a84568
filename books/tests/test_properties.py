"""Property-based: any sequence of postings, reversals and month closes keeps the books sound.

After every step: debits equal credits; every transaction balances; every balance is the sum
of its lines; cash, bank and each member's savings never go below zero on any date; no line
already posted has changed; nothing new has appeared in a closed month.
"""

import itertools
from collections import defaultdict
from datetime import date

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import testing
from books.errors import BooksError
from books.models import Line, Transaction, TxnKind
from books.selectors import account_balances
from books.services import (
    cash_entry_record,
    cash_transfer,
    period_close,
    savings_deposit,
    savings_withdraw,
    transaction_reverse,
)

_names = itertools.count(1)
DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31))
AMOUNTS = st.integers(min_value=1, max_value=3_000_000)
MONEY_IN = st.sampled_from([TxnKind.SALE, TxnKind.INCOME, TxnKind.CAPITAL_IN])
MONEY_OUT = st.sampled_from([TxnKind.PURCHASE, TxnKind.EXPENSE, TxnKind.ASSET])


class Books(RuleBasedStateMachine):
    @initialize()
    def start(self):
        testing.ensure_regions()
        self.actor = testing.make_user(f"bendahara.uji{next(_names)}", "pengurus")
        self.kube = testing.make_kube(name=f"KUBE Uji Sifat {next(_names)}", desa=testing.DESA_A2,
                                      formed_on=date(2024, 12, 1))
        self.members = list(self.kube.members.all())
        self.posted: dict[int, tuple] = {}
        self.closed_through = 0
        self.closed_snapshot: set[int] = set()

    def _snapshot(self):
        for line in Line.objects.filter(kube=self.kube):
            self.posted.setdefault(line.pk, (line.account_id, line.debit, line.credit, line.date, line.transaction_id))

    def _attempt(self, fn):
        before = (Transaction.objects.filter(kube=self.kube).count(), Line.objects.filter(kube=self.kube).count())
        try:
            fn()
        except BooksError:
            after = (Transaction.objects.filter(kube=self.kube).count(), Line.objects.filter(kube=self.kube).count())
            assert after == before, "a refused posting left rows behind"
        self._snapshot()

    def _simple(self, kind, amount, day, bank):
        self._attempt(lambda: cash_entry_record(actor=self.actor, kube=self.kube, kind=kind, amount=amount,
                                                date=day, via="bank" if bank else "cash", description="uji"))

    @rule(kind=MONEY_IN, amount=AMOUNTS, day=DAYS, bank=st.booleans())
    def money_in(self, kind, amount, day, bank):
        self._simple(kind, amount, day, bank)

    @rule(kind=MONEY_IN, amount=AMOUNTS, day=DAYS, bank=st.booleans())
    def more_money_in(self, kind, amount, day, bank):
        self._simple(kind, amount, day, bank)

    @rule(kind=MONEY_OUT, amount=AMOUNTS, day=DAYS, bank=st.booleans())
    def money_out(self, kind, amount, day, bank):
        self._simple(kind, amount, day, bank)

    @rule(amount=AMOUNTS, day=DAYS, to_bank=st.booleans())
    def transfer(self, amount, day, to_bank):
        self._attempt(lambda: cash_transfer(actor=self.actor, kube=self.kube, amount=amount, to_bank=to_bank,
                                            date=day, description="pindah"))

    @rule(index=st.integers(min_value=0, max_value=9), amount=st.integers(min_value=1, max_value=200_000),
          day=DAYS, withdraw=st.booleans())
    def savings(self, index, amount, day, withdraw):
        member = self.members[index % len(self.members)]
        action = savings_withdraw if withdraw else savings_deposit
        self._attempt(lambda: action(actor=self.actor, kube=self.kube, member=member, amount=amount, date=day))

    @precondition(lambda self: Transaction.objects.filter(kube=self.kube, reverses__isnull=True).exists())
    @rule(pick=st.integers(min_value=0, max_value=10_000), day=DAYS)
    def reverse(self, pick, day):
        candidates = list(Transaction.objects.filter(kube=self.kube, reverses__isnull=True,
                                                     reversed_by__isnull=True).order_by("id"))
        if not candidates:
            return
        original = candidates[pick % len(candidates)]
        self._attempt(lambda: transaction_reverse(actor=self.actor, original=original, date=max(day, original.date),
                                                  reason="uji"))

    @precondition(lambda self: self.closed_through < 202510)
    @rule(now=st.integers(min_value=0, max_value=3))
    def close_next_month(self, now):
        if now:  # closing is rarer than posting
            return
        period = 202501 if not self.closed_through else (self.closed_through + 1 if self.closed_through % 100 < 12
                                                         else self.closed_through + 89)
        period_close(actor=self.actor, kube=self.kube, period=period)
        self.closed_through = period
        self.closed_snapshot = set(Line.objects.filter(kube=self.kube, transaction__period__lte=period)
                                   .values_list("pk", flat=True))

    @invariant()
    def debits_equal_credits(self):
        if not hasattr(self, "kube"):
            return
        totals = Line.objects.filter(kube=self.kube).aggregate(d=Sum("debit"), c=Sum("credit"))
        assert (totals["d"] or 0) == (totals["c"] or 0)
        for txn in Transaction.objects.filter(kube=self.kube).annotate(d=Sum("lines__debit"), c=Sum("lines__credit")):
            assert txn.d == txn.c == txn.amount

    @invariant()
    def balances_are_sums_of_lines(self):
        if not hasattr(self, "kube"):
            return
        manual: dict[str, int] = defaultdict(int)
        for line in Line.objects.filter(kube=self.kube).select_related("account"):
            sign = 1 if line.account.debit_normal else -1
            manual[line.account.code] += sign * (line.debit - line.credit)
        assert {k: v for k, v in manual.items()} == account_balances(self.kube)

    @invariant()
    def nothing_goes_below_zero(self):
        if not hasattr(self, "kube"):
            return
        running: dict[tuple, int] = defaultdict(int)
        for line in (Line.objects.filter(kube=self.kube, account__role__in=["cash", "bank", "savings"])
                     .select_related("account").order_by("date", "transaction_id", "id")):
            key = (line.account.role, line.member_id if line.account.role == "savings" else None)
            sign = 1 if line.account.debit_normal else -1
            running[key] += sign * (line.debit - line.credit)
        for key, value in running.items():
            assert value >= 0, key
        # and at the end of every day, not only at the end:
        daily: dict[str | None, int] = defaultdict(int)
        by_day = (Line.objects.filter(kube=self.kube, account__role__in=["cash", "bank"])
                  .values("date", "account__role").annotate(d=Sum("debit"), c=Sum("credit")).order_by("date"))
        for row in by_day:
            daily[row["account__role"]] += (row["d"] or 0) - (row["c"] or 0)
            assert daily[row["account__role"]] >= 0, row

    @invariant()
    def posted_lines_never_change_and_closed_months_stay_closed(self):
        if not hasattr(self, "kube"):
            return
        current = {line.pk: (line.account_id, line.debit, line.credit, line.date, line.transaction_id)
                   for line in Line.objects.filter(kube=self.kube)}
        for pk, values in self.posted.items():
            assert current.get(pk) == values
        if self.closed_through:
            in_closed = set(Line.objects.filter(kube=self.kube, transaction__period__lte=self.closed_through)
                            .values_list("pk", flat=True))
            assert in_closed == self.closed_snapshot


Books.TestCase.settings = settings(max_examples=30, stateful_step_count=25, deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.mark.django_db
def test_books_stay_sound_under_any_sequence(regions):
    Books.TestCase().runTest()
