"""Share-outs on the dashboard, recomputed with plain SQL over the raw tables (shareout_shareout,
registry_kube, books_line, books_account), independently of monitoring/shareouts.py: paid to members
and kept as capital per region, and the two flags with their reasons."""

# ruff: noqa: S608  (fixed table names; every value is a parameter)
from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection

from monitoring.selectors import scope_for
from monitoring.shareouts import share_out_figures
from shareout.models import ShareOut
from shareout.services import share_out_decide, share_out_post, share_out_propose, share_rule_adopt, year_close
from testing import DESA_A2, DESA_B
from testing.shareout import build_year

pytestmark = pytest.mark.django_db


def _one(sql: str, params: list[Any]) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _within(region: str) -> tuple[str, list[Any]]:
    if not region:
        return "1=1", []
    return "(k.desa_id = %s OR k.desa_id LIKE %s)", [region, region + ".%"]


def oracle_totals(region: str, year: int) -> tuple[int, int, int]:
    where, params = _within(region)
    row = _one(f"SELECT COUNT(*), COALESCE(SUM(s.members_total), 0), COALESCE(SUM(s.capital), 0) "
               f"FROM shareout_shareout s JOIN registry_kube k ON k.id = s.kube_id "
               f"WHERE s.status = 'dibukukan' AND s.year = %s AND {where}", [year, *params])
    return int(row[0]), int(row[1]), int(row[2])


def oracle_flags(kube_id: int, year: int) -> tuple[bool, bool]:
    members_total, posted_on = _one("SELECT members_total, posted_on FROM shareout_shareout WHERE kube_id = %s "
                                    "AND year = %s", [kube_id, year])
    profit = _one("SELECT COALESCE(SUM(CASE WHEN a.type = 'income' THEN l.credit - l.debit "
                  "WHEN a.type = 'expense' THEN l.credit - l.debit "
                  "WHEN a.role = 'iks_allocation' THEN l.credit - l.debit ELSE 0 END), 0) "
                  "FROM books_line l JOIN books_account a ON a.id = l.account_id "
                  "WHERE l.kube_id = %s AND l.date BETWEEN %s AND %s", [kube_id, date(year, 1, 1), date(year, 12, 31)])[0]
    money, owed = _one("SELECT COALESCE(SUM(CASE WHEN a.role IN ('cash', 'bank', 'coop') THEN l.debit - l.credit ELSE 0 END), 0), "
                       "COALESCE(SUM(CASE WHEN a.role IN ('savings', 'iks') THEN l.credit - l.debit ELSE 0 END), 0) "
                       "FROM books_line l JOIN books_account a ON a.id = l.account_id "
                       "WHERE l.kube_id = %s AND l.date <= %s", [kube_id, posted_on])
    return members_total > profit, money < owed


def _share_out(cast, year):
    year_close(actor=cast.kab, kube=year.kube, year=2025)
    share_rule_adopt(actor=cast.kab, kube=year.kube, adopted_on=date(2026, 1, 5), capital_percent=30,
                     members_percent=70, weight_savings=100, leavers="pro_rata")
    proposal = share_out_propose(actor=cast.kab, kube=year.kube, year=2025)
    share_out_decide(actor=cast.kab, share_out=proposal, meeting_date=date(2026, 1, 10), present=7, decision="Setuju")
    return share_out_post(actor=cast.kab, share_out=proposal)


def test_share_outs_per_region_and_their_flags_match_the_raw_records(client, cast):
    sound = build_year(cast, name="KUBE Sehat Bagi", desa=DESA_A2)
    _share_out(cast, sound)
    # Spent on a cart in December: on the posting day its money no longer covers savings and IKS.
    short = build_year(cast, name="KUBE Kas Tipis", desa=DESA_B, equipment=3_000_000)
    _share_out(cast, short)
    # A share-out written past the services, above the ledger's profit (an import, a repair by hand).
    ShareOut.objects.filter(kube=short.kube).update(profit=2_000_000, capital=2_000_000 - 1_900_000,
                                                    members_total=1_900_000)
    client.force_login(cast.kab)
    html = client.get("/pemantauan/", {"wilayah": "32.04", "periode": "2026-10"}).content.decode()
    assert 'data-testid="share-outs"' in html
    for region in ["", "32", "32.04", "32.04.06", "32.04.05", DESA_A2, DESA_B, "32.71"]:
        figures = share_out_figures(scope_for(cast.admin, region), 2025)
        assert (figures.total.groups, figures.total.paid, figures.total.capital) == oracle_totals(region, 2025), region
        for child, totals in figures.children:
            assert (totals.groups, totals.paid, totals.capital) == oracle_totals(child.code, 2025), child.code
        flagged = {kube.pk: reasons for kube, reasons in figures.flagged}
        for kube in (sound.kube, short.kube):
            if oracle_totals(region, 2025)[0] and (not region or kube.desa_id.startswith(region)):
                more, cash_short = oracle_flags(kube.pk, 2025)
                reasons = flagged.get(kube.pk, [])
                assert more == any("lebih dari laba" in r for r in reasons), (region, kube.name)
                assert cash_short == any("tidak menutup simpanan" in r for r in reasons), (region, kube.name)
    assert oracle_flags(short.kube.pk, 2025) == (True, True)
    assert oracle_flags(sound.kube.pk, 2025) == (False, False)
    assert "KUBE Kas Tipis" in html and "lebih dari laba setelah IKS tahun 2025" in html
