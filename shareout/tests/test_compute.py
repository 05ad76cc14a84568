"""The share-out's arithmetic as a treasurer checks it by hand (no database).

Eight members, A–F members all year, G leaving in September (a member for January–August) and
H joining in April (April–December). Every figure below was worked out on paper; the module's
formula is not used to compute the expected values.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shareout.compute import EQUAL, LEAVERS_NONE, LEAVERS_PRO_RATA, SAVINGS, WORK, Basis, Terms, propose, terms_check
from shareout.errors import ShareOutError


def terms(capital: int, members: int, *, equal: int = 0, savings: int = 0, work: int = 0,
          leavers: str = LEAVERS_NONE) -> Terms:
    return terms_check(capital_percent=capital, members_percent=members,
                       weights={EQUAL: equal, SAVINGS: savings, WORK: work}, leavers=leavers)


FULL_YEAR = [Basis(i, name, 12, 1_200_000, 0) for i, name in enumerate("ABCDEF", start=1)]
# G saved Rp100.000 in January and took it back when leaving in September: 8 month-ends at Rp100.000.
LEAVER = Basis(7, "G", 8, 800_000, 0, left=True)
# H saved Rp200.000 on joining in April: 9 month-ends at Rp200.000.
JOINER = Basis(8, "H", 9, 1_800_000, 0)
EIGHT = [*FULL_YEAR, LEAVER, JOINER]


def shares(proposal) -> dict[str, int]:
    return {w.basis.name: w.share for w in proposal.lines}


def test_equal_rule_eight_members_all_year_remainder_to_capital():
    bases = [Basis(i, n, 12, 0, 0) for i, n in enumerate("ABCDEFGH", start=1)]
    p = propose(profit=4_800_010, terms=terms(40, 60, equal=100), bases=bases)
    # 60 % of 4.800.010 = 2.880.006 (exactly); / 8 = 360.000,75 each → 360.000; 6 Rupiah left over.
    assert p.members_pool == 2_880_006
    assert p.capital_base == 1_920_004
    assert set(shares(p).values()) == {360_000}
    assert p.members_total == 2_880_000
    assert p.remainder == 6
    assert p.capital == 1_920_010
    assert p.capital + p.members_total == 4_800_010


def test_equal_rule_counts_months_of_membership():
    # By months: 6 × 12 + 8 + 9 = 89 member-months; 60 % of 890.000 = 534.000; 534.000 / 89 = 6.000 a month.
    p = propose(profit=890_000, terms=terms(40, 60, equal=100, leavers=LEAVERS_PRO_RATA), bases=EIGHT)
    assert shares(p) == {"A": 72_000, "B": 72_000, "C": 72_000, "D": 72_000, "E": 72_000, "F": 72_000,
                         "G": 48_000, "H": 54_000}
    assert p.remainder == 0 and p.capital == 356_000


def test_savings_months_rule_with_a_joiner_and_a_leaver_pro_rata():
    # 70 % of 1.400.005 = 980.003,5 → pool 980.003; capital 420.002.
    # Savings × months: 6 × 1.200.000 + 800.000 + 1.800.000 = 9.800.000.
    # A: 980.003 × 1.200.000 / 9.800.000 = 120.000,37 → 120.000
    # G: 980.003 ×   800.000 / 9.800.000 =  80.000,24 →  80.000
    # H: 980.003 × 1.800.000 / 9.800.000 = 180.000,55 → 180.000
    p = propose(profit=1_400_005, terms=terms(30, 70, savings=100, leavers=LEAVERS_PRO_RATA), bases=EIGHT)
    assert p.members_pool == 980_003 and p.capital_base == 420_002
    assert shares(p) == {"A": 120_000, "B": 120_000, "C": 120_000, "D": 120_000, "E": 120_000, "F": 120_000,
                         "G": 80_000, "H": 180_000}
    assert p.members_total == 980_000
    assert p.remainder == 3
    assert p.capital == 420_005


def test_savings_months_rule_leaver_gets_nothing_when_the_rule_says_so():
    # Without G: 9.000.000 savings-months. A: 980.003 × 12/90 = 130.667,07 → 130.667;
    # H: 980.003 × 18/90 = 196.000,6 → 196.000; 6 × 130.667 + 196.000 = 980.002, remainder 1.
    p = propose(profit=1_400_005, terms=terms(30, 70, savings=100, leavers=LEAVERS_NONE), bases=EIGHT)
    assert shares(p) == {"A": 130_667, "B": 130_667, "C": 130_667, "D": 130_667, "E": 130_667, "F": 130_667,
                         "G": 0, "H": 196_000}
    assert p.remainder == 1
    assert p.capital == 420_003
    assert not next(w for w in p.lines if w.basis.name == "G").eligible


def test_mixed_rule_half_equal_half_savings():
    # Pool 980.003, half each: 490.001,5 by 89 member-months and 490.001,5 by 9.800.000 savings-months.
    # A: 66.067,62 + 60.000,18 = 126.067,80 → 126.067; G: 44.045,08 + 40.000,12 = 84.045,20 → 84.045;
    # H: 49.550,71 + 90.000,28 = 139.550,99 → 139.550. Total 979.997: 6 Rupiah to capital.
    p = propose(profit=1_400_005, terms=terms(30, 70, equal=50, savings=50, leavers=LEAVERS_PRO_RATA), bases=EIGHT)
    assert shares(p) == {"A": 126_067, "B": 126_067, "C": 126_067, "D": 126_067, "E": 126_067, "F": 126_067,
                         "G": 84_045, "H": 139_550}
    assert p.remainder == 6 and p.capital == 420_008


def test_a_method_nobody_has_falls_back_to_months():
    # Nobody recorded a day of work: the work weight is shared by months (as the equal rule).
    bases = [Basis(i, n, 12, 0, 0) for i, n in enumerate("ABCD", start=1)]
    p = propose(profit=1_000_000, terms=terms(0, 100, work=100), bases=bases)
    assert set(shares(p).values()) == {250_000}
    assert p.pools[0].fell_back


@pytest.mark.parametrize(("values", "code"), [
    ({"capital_percent": 40, "members_percent": 50, "weights": {EQUAL: 100}}, "shares_not_100"),
    ({"capital_percent": 40, "members_percent": 60, "weights": {EQUAL: 50, SAVINGS: 40}}, "weights_not_100"),
    ({"capital_percent": 40, "members_percent": 60, "weights": {EQUAL: 60, WORK: 60}}, "weights_not_100"),
    ({"capital_percent": "40,5", "members_percent": 60, "weights": {EQUAL: 100}}, "bad_percent"),
    ({"capital_percent": -10, "members_percent": 110, "weights": {EQUAL: 100}}, "bad_percent"),
    ({"capital_percent": "33.333", "members_percent": "66.667", "weights": {EQUAL: 100}}, "bad_percent"),
])
def test_bad_rules_are_refused_in_indonesian(values, code):
    with pytest.raises(ShareOutError) as caught:
        terms_check(leavers=LEAVERS_NONE, **values)
    assert caught.value.code == code
    assert "harus" in caught.value.message


def test_weights_message_names_the_total():
    with pytest.raises(ShareOutError, match=r"\(sama rata 50 %, simpanan 40 %, hari kerja 0 %\) harus berjumlah 100 %, bukan 90 %"):
        terms_check(capital_percent=40, members_percent=60, weights={EQUAL: "50", SAVINGS: "40"}, leavers="none")


@pytest.mark.parametrize("profit", [0, -1, -2_500_000])
def test_a_loss_is_not_shared_out(profit):
    with pytest.raises(ShareOutError, match="rugi atau nol") as caught:
        propose(profit=profit, terms=terms(40, 60, equal=100), bases=EIGHT)
    assert caught.value.code == "no_profit"


def test_nobody_eligible_is_refused():
    with pytest.raises(ShareOutError) as caught:
        propose(profit=100_000, terms=terms(40, 60, equal=100), bases=[LEAVER])
    assert caught.value.code == "no_members"


# --- the property ------------------------------------------------------------------------------

percent_2dp = st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n) / 100)


@st.composite
def rules(draw):
    capital = draw(percent_2dp)
    cut1 = draw(st.integers(min_value=0, max_value=10_000))
    cut2 = draw(st.integers(min_value=cut1, max_value=10_000))
    weights = {EQUAL: Decimal(cut1) / 100, SAVINGS: Decimal(cut2 - cut1) / 100, WORK: Decimal(10_000 - cut2) / 100}
    leavers = draw(st.sampled_from([LEAVERS_NONE, LEAVERS_PRO_RATA]))
    return terms_check(capital_percent=capital, members_percent=Decimal(100) - capital, weights=weights,
                       leavers=leavers)


@st.composite
def memberships(draw):
    n = draw(st.integers(min_value=1, max_value=20))
    bases = []
    for i in range(n):
        months = draw(st.integers(min_value=0, max_value=12))
        bases.append(Basis(i + 1, f"M{i}", months,
                           draw(st.integers(min_value=0, max_value=10**9)) * months,
                           draw(st.integers(min_value=0, max_value=300)) if months else 0,
                           left=draw(st.booleans())))
    return bases


@settings(max_examples=300, deadline=None)
@given(terms_=rules(), bases=memberships(), profit=st.integers(min_value=1, max_value=10**12))
def test_shares_are_whole_non_negative_and_exact(terms_, bases, profit):
    try:
        p = propose(profit=profit, terms=terms_, bases=bases)
    except ShareOutError as exc:
        assert exc.code == "no_members"
        assert not any(b.months and (not b.left or terms_.leavers == LEAVERS_PRO_RATA) for b in bases)
        return
    eligible = [w for w in p.lines if w.eligible]
    for w in p.lines:
        assert isinstance(w.share, int) and w.share >= 0
        if not w.eligible:
            assert w.share == 0
    assert p.members_total + p.remainder == p.members_pool
    assert 0 <= p.remainder < max(len(eligible), 1)
    assert p.capital + p.members_total == profit
    assert p.capital >= 0
    # The members' pool is the members' percentage of the profit, rounded down.
    assert p.members_pool * 100 <= profit * terms_.members_percent < (p.members_pool + 1) * 100
