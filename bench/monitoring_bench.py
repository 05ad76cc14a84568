"""Monitoring at national scale: dashboards and the provincial yearly report from the summary rows.

Data: the registry, books and mentoring benchmarks' database (100,000 groups, ~1,000,000 members,
20 million ledger lines, a year of visits); the summary rows are built once with
`monitoring_rebuild` (timed here the first time). Targets (issue "Monitoring"): the national
dashboard under 500 ms p95, a kabupaten dashboard under 150 ms p95, the provincial yearly report
(xlsx) under 30 s; and the national dashboard well under 1/5 of one plain full-scan SUM over the
ledger lines, measured in the same run. Pages go through the whole Django stack with the test client.
Run: .venv/bin/python -m bench.monitoring_bench          (SQLite)
     scripts/with_postgres.sh .venv/bin/python -m bench.monitoring_bench --postgres
     .venv/bin/python -m bench.monitoring_bench --rebuild    (`monitoring_rebuild` from scratch, target
        60 s, beside its floor in the same run: one GROUP BY (group, month) over the ledger lines)
"""

from __future__ import annotations

import sys
import time

from bench.common import percentile, report, setup_django, timed

PERIOD = "2026-10"


def _fmt(t: dict[str, float]) -> str:
    return f"p50 {t['p50']:.0f} ms, p95 {t['p95']:.0f} ms (n={t['n']})"


def build_summaries() -> str:
    from monitoring.models import GroupState, KabupatenState
    from monitoring.rebuild import rebuild
    from monitoring.state import rebuild_kabupaten
    from registry.models import Kube

    if GroupState.objects.count() >= Kube.objects.count() > 0:
        if KabupatenState.objects.exists():
            return "already built"
        started = time.monotonic()
        rebuild_kabupaten()
        return f"built before; kabupaten rows {time.monotonic() - started:.0f} s"
    started = time.monotonic()
    rebuild()
    return f"{time.monotonic() - started:.0f} s"


def group_by_floor() -> tuple[float, int]:
    """Seconds for one plain GROUP BY (group, month) over the ledger lines, every row read back."""
    from django.db import connection

    from monitoring.rebuild import month_of

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kube_id, {month_of('date')}, SUM(debit), SUM(credit) FROM books_line "
                       f"GROUP BY kube_id, {month_of('date')}")
        count = len(cursor.fetchall())
    return time.monotonic() - started, count


def rebuild_from_scratch() -> None:
    """`monitoring_rebuild` from empty summary tables, its steps, and the floor measured just before."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from books.models import Line
    from monitoring.models import GroupMonth, GroupState, KabupatenMonth, KabupatenState
    from monitoring.rebuild import rebuild
    from registry.models import Kube

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        for model in (KabupatenMonth, KabupatenState, GroupMonth, GroupState):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    lines = Line.objects.count()
    cpu = time.process_time()
    floor, groups_months = group_by_floor()
    floor_cpu = time.process_time() - cpu
    timings: dict[str, float] = {}
    started, cpu = time.monotonic(), time.process_time()
    count = rebuild(timings=timings)
    # On a database file the states are computed in a second process (monitoring/rebuild.py): its CPU counts too.
    total, total_cpu = time.monotonic() - started, time.process_time() - cpu + timings["child_cpu"]
    rows = [
        ("data", f"{Kube.objects.count():,} groups, {lines:,} ledger lines; written: {GroupMonth.objects.count():,} "
                 f"group-months, {GroupState.objects.count():,} states, {KabupatenState.objects.count():,} kabupaten",
         "—"),
        ("one plain GROUP BY (group, month) over the ledger lines (the floor)",
         f"{floor:.1f} s, CPU {floor_cpu:.1f} s ({groups_months:,} rows)", "—"),
        (f"monitoring_rebuild from scratch ({count:,} groups)",
         f"{total:.1f} s, CPU {total_cpu:.1f} s (months {timings['months']:.1f} s / CPU {timings['months_cpu']:.1f} s, "
         f"states {timings['states']:.1f} / {timings['states_cpu']:.1f} s, "
         f"indexes {timings['indexes']:.1f} / {timings['indexes_cpu']:.1f} s, "
         f"kabupaten {timings['kabupaten']:.1f} / {timings['kabupaten_cpu']:.1f} s; "
         f"the second process's CPU {timings['child_cpu']:.1f} s)", "<= 60 s at national scale"),
        ("monitoring_rebuild / the floor", f"{total / floor:.1f} (CPU {total_cpu / floor_cpu:.1f})", "—"),
    ]
    print(report("Monitoring rebuild", rows))


def main() -> None:
    if "--rebuild" in sys.argv:
        rebuild_from_scratch()
        return
    postgres = "--postgres" in sys.argv
    if postgres:
        from bench.pg_copy import copy_summaries_to_postgres

        setup_django()
        copied = copy_summaries_to_postgres()
        built = f"copied from the SQLite benchmark database ({copied})"
    else:
        setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        built = build_summaries()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import Role, User
    from monitoring.models import GroupMonth, GroupState
    from regions.models import Region

    setup_test_environment()
    pusat, _ = User.objects.get_or_create(username="bench.pusat", defaults={"role": Role.PUSAT, "full_name": "Pusat"})
    province = Region.objects.get(pk="32")
    kabs = list(Region.objects.filter(level=2, code__startswith="32.").order_by("code")[:10])
    prov_user, _ = User.objects.get_or_create(username="bench.jabar", defaults={
        "role": Role.PROVINSI, "full_name": "Dinsos Jabar", "region": province})
    kab_users = [User.objects.get_or_create(username=f"bench.kab.{k.code}", defaults={
        "role": Role.KABUPATEN, "full_name": k.name, "region": k})[0] for k in kabs]
    client = Client()

    def page(user: User, params: dict[str, str]) -> None:
        client.force_login(user)
        response = client.get("/pemantauan/", {"periode": PERIOD, **params})
        assert response.status_code == 200, response.status_code

    national = timed(lambda: page(pusat, {}), runs=30)
    provincial = timed(lambda: page(prov_user, {}), runs=30)
    it = iter(kab_users * 10)
    kabupaten = timed(lambda: page(next(it), {}), runs=60, warmup=5)
    api_times = []
    from accounts.services import token_create

    _t, raw = token_create(user=pusat, name="bench")
    for _ in range(20):
        started = time.perf_counter()
        response = client.get(f"/api/v1/dashboard/nasional?period={PERIOD}", HTTP_AUTHORIZATION=f"Bearer {raw}")
        api_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    started = time.perf_counter()
    client.force_login(prov_user)
    xlsx = client.get("/pemantauan/laporan.xlsx", {"wilayah": "32", "periode": "2026"})
    report_s = time.perf_counter() - started
    assert xlsx.status_code == 200
    rows = [
        ("data", f"{GroupState.objects.count():,} group states, {GroupMonth.objects.count():,} group-months",
         "100,000 groups; summaries " + built),
        ("national dashboard page (pusat)", _fmt(national), "p95 < 500 ms"),
        ("a provincial dashboard page (Jawa Barat, its office)", _fmt(provincial), "—"),
        ("a kabupaten dashboard page (its office; 10 kabupaten of Jawa Barat)", _fmt(kabupaten), "p95 < 150 ms"),
        ("national dashboard as JSON (/api/v1/dashboard/nasional)",
         f"p50 {percentile(api_times, .5):.0f} ms, p95 {percentile(api_times, .95):.0f} ms (n=20)", "—"),
        ("provincial yearly report, xlsx (Jawa Barat, 2026)", f"{report_s:.1f} s ({len(xlsx.content) // 1024} KB)",
         "< 30 s"),
    ]
    if not postgres:
        with connection.cursor() as cursor:
            scans = []
            for _ in range(3):
                started = time.perf_counter()
                cursor.execute("SELECT SUM(debit), SUM(credit) FROM books_line")
                cursor.fetchone()
                scans.append((time.perf_counter() - started) * 1000)
        scan = min(scans)
        rows.append(("one plain full-scan SUM over the ledger lines (best of 3)", f"{scan:.0f} ms", "—"))
        rows.append(("national dashboard p95 / full-scan SUM", f"{national['p95'] / scan:.3f}", "well under 0.2"))
    title = "Monitoring at national scale" + (" (PostgreSQL)" if postgres else "")
    print(report(title, rows))


if __name__ == "__main__":
    main()
