"""The share-out's arithmetic, without the database: a rule, each member's basis and the profit
in, each member's share and the working out.

How a share is worked out (the rule is the group's, `ShareRule`):

1. The profit after the IKS set-aside is split between the group's capital and the members by the
   rule's two percentages. The members' pool is rounded down to whole Rupiah; capital takes the rest.
2. The pool is split by up to three methods, each with its weight (the weights add to 100 %):
   - *equal*: each member counts the months they were a member in the period, so a member for the
     whole year gets a full part and one who joined in April 9/12 of it;
   - *savings*: balance × months, the sum of the member's savings balance at the end of each month
     they were a member (what savings groups call share-months);
   - *work*: the days of work recorded for the member (attendance at the group's business activities).
   A method whose bases are all zero (no member saved anything) shares its weight equally instead,
   and the working says so.
3. A member who left before the period ended gets a share only if the rule says so (`pro_rata`: for
   the months and the savings and work until they left); otherwise none, and the others share it.
4. Each member's exact share (a fraction) is rounded down to whole Rupiah; the remainder, less
   than one Rupiah per member, goes to capital, so members' shares plus capital are the profit exactly.

Fractions, never floats: the shares are exact before the one rounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from lib.money import number_id
from shareout.errors import ShareOutError

EQUAL, SAVINGS, WORK = "equal", "savings", "work"
METHODS = (EQUAL, SAVINGS, WORK)
LEAVERS_NONE, LEAVERS_PRO_RATA = "none", "pro_rata"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Terms:
    """The rule's numbers: percentages of the profit and the weights of the methods."""

    capital_percent: Decimal
    members_percent: Decimal
    weights: dict[str, Decimal]
    leavers: str = LEAVERS_NONE


@dataclass(frozen=True)
class Basis:
    """What one member's share is computed from, for the period."""

    member_id: int
    name: str
    months: int          # months they were a member at the month's end
    savings_months: int  # Σ savings balance at each of those months' ends (Rupiah × month)
    work_days: int       # days of work recorded
    left: bool = False   # left before the period ended

    def value(self, method: str) -> int:
        return {EQUAL: self.months, SAVINGS: self.savings_months, WORK: self.work_days}[method]


@dataclass(frozen=True)
class Working:
    """One member's line of the working: their basis, each method's part (exact) and the share."""

    basis: Basis
    eligible: bool
    parts: dict[str, Fraction]
    share: int

    @property
    def exact(self) -> Fraction:
        return sum(self.parts.values(), Fraction(0))

    @property
    def rounded_off(self) -> Fraction:
        """What rounding down took from this member (goes to capital)."""
        return self.exact - self.share


@dataclass(frozen=True)
class Pool:
    """One method's pool and the total of its bases over the eligible members."""

    method: str
    weight: Decimal
    amount: Fraction
    total_basis: int
    fell_back: bool = False  # every basis zero: shared equally by months instead


@dataclass
class Proposal:
    profit: int
    capital_base: int   # the capital's percentage of the profit
    members_pool: int   # the members' percentage, rounded down to whole Rupiah
    pools: list[Pool]
    lines: list[Working] = field(default_factory=list)

    @property
    def members_total(self) -> int:
        return sum(w.share for w in self.lines)

    @property
    def remainder(self) -> int:
        """The Rupiah left by rounding each share down: less than one per eligible member."""
        return self.members_pool - self.members_total

    @property
    def capital(self) -> int:
        return self.capital_base + self.remainder


def pct(value: Decimal) -> str:
    """"40 %", "33,33 %": a percentage as a member reads it."""
    return f"{number_id(value, 0 if value == value.to_integral_value() else 2)} %"


def _percent(value: object, *, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = Decimal(-1)
    if not number.is_finite() or number != number.quantize(Decimal("0.01")) or not 0 <= number <= HUNDRED:
        raise ShareOutError(_("%(l)s harus persen 0 sampai 100, paling banyak dua angka desimal.") % {"l": label},
                            field=field, code="bad_percent")
    return number


def terms_check(*, capital_percent: object, members_percent: object, weights: Mapping[str, object],
                leavers: str) -> Terms:
    """The rule's numbers, or a ShareOutError saying which one to fix."""
    capital = _percent(capital_percent, field="capital_percent", label=_("Bagian modal"))
    members = _percent(members_percent, field="members_percent", label=_("Bagian anggota"))
    if capital + members != HUNDRED:
        raise ShareOutError(
            _("Bagian modal (%(c)s) dan bagian anggota (%(m)s) harus berjumlah 100 %%, bukan %(t)s.")
            % {"c": pct(capital), "m": pct(members), "t": pct(capital + members)}, field="members_percent", code="shares_not_100")
    labels = {EQUAL: _("Bobot sama rata"), SAVINGS: _("Bobot simpanan"), WORK: _("Bobot hari kerja")}
    cleaned = {m: _percent(weights.get(m, 0) or 0, field=f"weight_{m}", label=labels[m]) for m in METHODS}
    total = sum(cleaned.values(), Decimal(0))
    if total != HUNDRED:
        raise ShareOutError(
            _("Bobot cara pembagian (sama rata %(e)s, simpanan %(s)s, hari kerja %(w)s) harus berjumlah "
              "100 %%, bukan %(t)s.")
            % {"e": pct(cleaned[EQUAL]), "s": pct(cleaned[SAVINGS]), "w": pct(cleaned[WORK]), "t": pct(total)},
            field="weight_equal", code="weights_not_100")
    if leavers not in (LEAVERS_NONE, LEAVERS_PRO_RATA):
        raise ShareOutError(_("Pilih aturan untuk anggota yang keluar."), field="leavers")
    return Terms(capital, members, cleaned, leavers)


def eligible(basis: Basis, terms: Terms) -> bool:
    return basis.months > 0 and (not basis.left or terms.leavers == LEAVERS_PRO_RATA)


def propose(*, profit: int, terms: Terms, bases: list[Basis]) -> Proposal:
    """Each member's share of `profit` (after IKS) under `terms`. Refuses a loss or nothing to share."""
    if isinstance(profit, bool) or not isinstance(profit, int):
        raise ShareOutError(_("Laba harus bilangan bulat Rupiah."), field="profit")
    if profit <= 0:
        raise ShareOutError(_("Tidak ada laba yang dapat dibagi: hasil usaha periode ini rugi atau nol."),
                            field="year", code="no_profit")
    members_pool = int(Fraction(profit) * Fraction(terms.members_percent) / 100)  # int() rounds down here
    who = [b for b in bases if eligible(b, terms)]
    if members_pool and not who:
        raise ShareOutError(_("Tidak ada anggota yang berhak atas bagian pada periode ini."), field="year",
                            code="no_members")
    pools: list[Pool] = []
    parts: dict[int, dict[str, Fraction]] = {b.member_id: {} for b in bases}
    for method in METHODS:
        weight = terms.weights.get(method, Decimal(0))
        if not weight or not members_pool:
            continue
        amount = Fraction(members_pool) * Fraction(weight) / 100
        total = sum(b.value(method) for b in who)
        fell_back = total == 0
        if fell_back:
            total = sum(b.months for b in who)
        pools.append(Pool(method, weight, amount, total, fell_back))
        for b in who:
            value = b.months if fell_back else b.value(method)
            parts[b.member_id][method] = amount * value / total
    proposal = Proposal(profit=profit, capital_base=profit - members_pool, members_pool=members_pool, pools=pools)
    for b in bases:
        mine = parts[b.member_id]
        exact = sum(mine.values(), Fraction(0))
        proposal.lines.append(Working(b, eligible(b, terms), mine, int(exact)))  # int() rounds down: exact ≥ 0
    return proposal
