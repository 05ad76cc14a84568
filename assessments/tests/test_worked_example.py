"""Seed 003's case: 15 assessors in February 2016, six weak characteristics, then 18 assessors in June."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assessments.selectors import comparison, previous_of, results
from assessments.services import assessment_start, priorities_set, scores_save
from testing.assessments import seed_003_scores


def first_session(cast, big_kube, version):
    members = list(big_kube.members.order_by("id"))
    assessment = assessment_start(
        actor=cast.pendamping, kube=big_kube, version=version, date=date(2016, 2, 22), participants=members[:15],
        place="Rumah pendamping (Ibu Rosida)",
        history=[("Oktober 2015", "KUBE dibentuk"), ("Desember 2015", "Bantuan UEP diterima")],
        reflection="Tujuan: usaha sembako berjalan dan anggota menabung")
    scores_save(actor=cast.pendamping, assessment=assessment, scores=seed_003_scores(assessment))
    return assessment


def test_the_six_weak_characteristics_of_seed_003(cast, big_kube, version):
    assessment = first_session(cast, big_kube, version)
    res = results(assessment)
    assert res.participants == 15 and res.complete
    # Ranked weakest first; the seed printed 2,46 and 2,26 (truncated), half-up gives 2.47 and 2.27.
    assert [(r.item.number, r.mean) for r in res.weak] == [
        (23, Decimal("2.20")), (26, Decimal("2.27")), (13, Decimal("2.33")), (14, Decimal("2.40")),
        (9, Decimal("2.47")), (19, Decimal("2.47"))]
    assert {r.item.number: str(r.mean) for r in res.weak} == {
        9: "2.47", 13: "2.33", 14: "2.40", 19: "2.47", 23: "2.20", 26: "2.27"}
    assert all(r.mean == Decimal("3.00") for r in res.strong) and len(res.strong) == 24
    means = {d.domain.number: d.mean for d in res.domains}
    assert means[2] == Decimal("2.89")  # (4 × 3 + 37/15) / 5 = 2.8933…
    assert means[3] == Decimal("2.75")  # (3 × 3 + 35/15 + 36/15) / 5 = 2.7466…
    assert means[1] == Decimal("3.00")


def test_the_analysis_table_lists_weak_items_by_number_with_their_scores(client, cast, big_kube, version):
    assessment = first_session(cast, big_kube, version)
    client.force_login(cast.kab)
    page = client.get(f"/kube/{big_kube.pk}/peka/{assessment.pk}/").content.decode()
    weak_section = page[page.index("Ciri-ciri yang lemah"):]
    positions = [weak_section.index(f"({n}) ") for n in (9, 13, 14, 19, 23, 26)]
    assert positions == sorted(positions)
    for shown in ("(nilai 2,47)", "(nilai 2,33)", "(nilai 2,40)", "(nilai 2,20)", "(nilai 2,27)"):
        assert shown in weak_section


def test_the_re_assessment_with_18_assessors_is_compared(cast, big_kube, version):
    before = first_session(cast, big_kube, version)
    members = list(big_kube.members.order_by("id"))
    after = assessment_start(actor=cast.pendamping, kube=big_kube, version=version, date=date(2016, 6, 11),
                             participants=members)
    # Four of the six rose above the standard; items 23 and 26 are still weak (2.33 and 2.44).
    sums_18 = {9: 50, 13: 48, 14: 47, 19: 49, 23: 42, 26: 44}
    scores_save(actor=cast.pendamping, assessment=after, scores=seed_003_scores(after, sums_18))
    assert previous_of(after) == before
    comp = comparison(after, before)
    assert (comp.participants_before, comp.participants_after) == (15, 18)
    rows = {r.number: r for r in comp.items}
    assert (rows[9].before, rows[9].after, rows[9].change) == (Decimal("2.47"), Decimal("2.78"), Decimal("0.31"))
    assert [r.number for r in comp.left_weak] == [9, 13, 14, 19]
    assert rows[23].weak_after and rows[26].weak_after
    assert ({r.number: r.change for r in comp.domains}[2] or 0) > 0


def test_priorities_are_chosen_among_the_weak_items_in_the_groups_order(cast, big_kube, version):
    assessment = first_session(cast, big_kube, version)
    items = {i.number: i for i in version.items.all()}
    rows = priorities_set(actor=cast.pendamping, assessment=assessment, items=[items[13], items[9], items[14]])
    assert [(p.rank, p.item.number) for p in rows] == [(1, 13), (2, 9), (3, 14)]
