"""Completeness and timeliness against an independent oracle: plain SQL over the groups' table and
the chain's rows, at every tier (nation, province, kabupaten, kecamatan, desa), for the region and
each sub-region. The oracle reads the group's desa from registry_kube (not the code copied onto the
dossier) and imports nothing of approval's selectors."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from approval import rollup, services
from approval.models import KabupatenLpj
from approval.selectors import completeness
from books.services import period_close
from outbox import drainer
from registry.services import kube_status_change
from testing import DESA_A2, make_kube
from testing.approval import officer_account

pytestmark = pytest.mark.django_db
OCT = 202610
DEADLINE = timezone.make_aware(datetime(2026, 11, 11))  # the 10th of November, inclusive
TIERS = ["", "32", "32.04", "32.04.06", "32.04.06.1002", "32.71", "33"]


def oracle(code: str) -> dict[str, int]:
    within = "1=1" if not code else "(k.desa_id = %s OR k.desa_id LIKE %s)"
    params: list = [] if not code else [code, code + ".%"]
    owed = f"k.status <> 'bubar' AND k.formed_on <= '2026-10-31' AND {within}"
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM registry_kube k WHERE {owed}", params)  # noqa: S608
        expected = cur.fetchone()[0]
        sql = ("SELECT SUM(CASE WHEN l.reached >= 1 THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN l.verified_at IS NOT NULL THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN l.approved_at IS NOT NULL THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN l.first_submitted_at < %s THEN 1 ELSE 0 END) "
               "FROM approval_lpj l JOIN registry_kube k ON k.id = l.kube_id WHERE l.period = %s AND ")
        cur.execute(sql + owed, [DEADLINE, OCT, *params])
        row = cur.fetchone()
    return dict(zip(("expected", "submitted", "verified", "approved", "on_time"),
                    [expected, *[int(v or 0) for v in row]], strict=True))


def counts(c) -> dict[str, int]:
    return {"expected": c.expected, "submitted": c.submitted, "verified": c.verified, "approved": c.approved,
            "on_time": c.on_time}


def test_completeness_equals_a_direct_count_at_every_tier(chain):
    cast = chain.cast
    extra = make_kube(name="KUBE Cimenyan Baru", desa=DESA_A2, actor=cast.kab, pendamping=cast.pendamping)
    young = make_kube(name="KUBE Baru November", desa=DESA_A2, actor=cast.kab, formed_on=date(2026, 11, 1))
    gone = make_kube(name="KUBE Bubar", desa=DESA_A2, actor=cast.kab)
    kube_status_change(actor=cast.kab, kube=gone, status="bubar", effective_on=date(2026, 10, 15), reason="bubar")
    drainer.drain()  # as the app would within a second: the kept kabupaten rows learn the groups' changes
    officers = {
        cast.kube_a.pk: (chain.ketua_a, chain.bendahara_a, cast.pendamping),
        cast.kube_b.pk: (chain.ketua_b, chain.bendahara_b, cast.pendamping),
        cast.kube_c.pk: (officer_account(cast.kube_c, "ketua", "k.c"), officer_account(cast.kube_c, "bendahara", "b.c"),
                         cast.pendamping_other),
        extra.pk: (officer_account(extra, "ketua", "k.x"), officer_account(extra, "bendahara", "b.x"), cast.pendamping),
    }
    kubes = {k.pk: k for k in (cast.kube_a, cast.kube_b, cast.kube_c, extra)}
    with time_machine.travel("2026-11-02 08:00 +0700", tick=False):
        for pk, (ketua, _b, _m) in officers.items():
            period_close(actor=ketua, kube=kubes[pk], period=OCT)
    # a: on time, approved; b: on time, verified; c: a day late (the 11th), submitted; extra: only the chair.
    plan = {cast.kube_a.pk: ("2026-11-05 09:00", 3), cast.kube_b.pk: ("2026-11-10 23:00", 2),
            cast.kube_c.pk: ("2026-11-11 09:00", 1), extra.pk: ("2026-11-03 09:00", 0)}
    for pk, (when, depth) in plan.items():
        ketua, bendahara, mentor = officers[pk]
        with time_machine.travel(f"{when} +0700", tick=False):
            lpj = services.lpj_confirm(actor=ketua, kube=kubes[pk], period=OCT)
            if depth >= 1:
                lpj = services.lpj_confirm(actor=bendahara, kube=kubes[pk], period=OCT)
            if depth >= 2:
                lpj = services.lpj_verify(actor=mentor, lpj=lpj)
            if depth >= 3:
                services.lpj_approve(actor=cast.kab, lpj=lpj)
    assert young.formed_on > date(2026, 10, 31)

    for code in TIERS:
        board = completeness(code, OCT, today=date(2026, 11, 20))
        assert counts(board.total) == oracle(code), code
        for region, c in board.children:
            assert counts(c) == oracle(region.code), region.code
        assert sum(c.expected for _r, c in board.children) == board.total.expected or not board.children
    national = completeness("", OCT, today=date(2026, 11, 20))
    assert counts(national.total) == {"expected": 5, "submitted": 3, "verified": 2, "approved": 1, "on_time": 2}
    late = {r.name: (r.days_late, r.submitted) for r in national.late}
    assert late == {"KUBE Cempaka": (1, True), "KUBE Cimenyan Baru": (10, False), "KUBE Sido Rukun": (10, False)}
    assert timedelta(days=10) == date(2026, 11, 20) - date(2026, 11, 10)
    assert rollup.differences() == []
    assert KabupatenLpj.objects.filter(kab="32.04", period=OCT).exists()  # the nation and the province read these
    # A page at a time: the missing ones by name, then the late submissions; each page follows the last.
    pages = [completeness("", OCT, today=date(2026, 11, 20), late_limit=1, late_page=n) for n in (1, 2, 3, 4)]
    assert [[r.name for r in p.late] for p in pages] == [["KUBE Cimenyan Baru"], ["KUBE Sido Rukun"], ["KUBE Cempaka"], []]
    assert [p.late_more for p in pages] == [True, True, False, False]


def test_the_kept_rows_follow_every_step_and_every_change_of_a_group(chain):
    """The rows the nation and the province read equal a direct count after each step on a dossier
    (written in the step's transaction) and after a group is dissolved (written by the drain)."""
    cast = chain.cast
    with time_machine.travel("2026-11-02 08:00 +0700", tick=False):
        for kube, ketua in ((cast.kube_a, chain.ketua_a), (cast.kube_b, chain.ketua_b)):
            period_close(actor=ketua, kube=kube, period=OCT)
    seen = []

    def check() -> None:
        for code in ("", "32"):
            board = completeness(code, OCT, today=date(2026, 11, 20))
            assert counts(board.total) == oracle(code), code
            for region, c in board.children:
                assert counts(c) == oracle(region.code), region.code
        seen.append(counts(completeness("32", OCT, today=date(2026, 11, 20)).total))

    with time_machine.travel("2026-11-12 09:00 +0700", tick=False):
        lpj = services.lpj_confirm(actor=chain.ketua_a, kube=cast.kube_a, period=OCT)
        lpj = services.lpj_confirm(actor=chain.bendahara_a, kube=cast.kube_a, period=OCT)
        check()
        lpj = services.lpj_verify(actor=cast.pendamping, lpj=lpj)
        check()
        lpj = services.lpj_approve(actor=cast.kab, lpj=lpj)
        check()
        lpj = services.lpj_unapprove(actor=cast.kab, lpj=lpj)
        check()
        lpj = services.lpj_return(actor=cast.kab, lpj=lpj, reason="Kurang bukti")
        check()
        other = services.lpj_confirm(actor=chain.ketua_b, kube=cast.kube_b, period=OCT)
        services.lpj_confirm(actor=chain.bendahara_b, kube=cast.kube_b, period=OCT)
        check()
        services.month_reopen(actor=chain.ketua_b, kube=cast.kube_b, period=OCT)
        check()
    kube_status_change(actor=cast.kab, kube=cast.kube_a, status="bubar", effective_on=date(2026, 11, 15), reason="bubar")
    drainer.drain()
    check()
    assert rollup.differences() == []
    # The counts did move (the check above is not comparing two empty pages).
    assert [s["submitted"] for s in seen] == [1, 1, 1, 1, 1, 2, 1, 0], seen
    assert [s["approved"] for s in seen] == [0, 0, 1, 0, 0, 0, 0, 0], seen
    assert seen[-1]["expected"] == seen[0]["expected"] - 1
    assert other.pk
