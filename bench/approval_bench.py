"""The reporting chain at scale: the completeness pages of the ministry and of a province, a bulk
approval of 200 verified LPJ, and the dashboards with "hanya yang disetujui" (approved figures only)
beside the same dashboards with every group's figures, their floor, measured in the same run.

Data: whatever groups and summary rows the database holds (the national benchmark's 100,000 groups),
given four months' dossiers once (the last four months most groups have summary rows for, 2026-07 to
2026-10 nationally; of each month 30 % approved, 30 % verified,
20 % submitted, 20 % nothing; a fifth of the submissions late), written set-based (one
`INSERT … SELECT` per month over the groups), then the summaries' approval flags and the kabupaten
sums of the approved months (monitoring.state.refresh_approved, set-based). No Step rows: no page
measured here reads them, and the bulk approval writes its own. The 200 LPJ to approve are verified
ones of the kabupaten with the most groups (made verified and closed first where needed). Targets (issue 17): each completeness
page under 300 ms p95; 200 approvals in one request under 5 s; the approved-only dashboard near its
floor. The pages are rendered in-process through Django's test client (middleware, sign-in,
template and all); the approvals through the service the page calls.

It writes (migrations, dossiers, approvals), so it refuses the national benchmark database itself
(bench/data/national.sqlite3): run it on a copy. A rolled-back transaction is no way out on
SQLite, since the migrations it needs (approval's tables, monitoring's approval flag) cannot run
inside one. The lead's command, at full scale:

    cp bench/data/national.sqlite3 /tmp/national-approval.sqlite3
    DATABASE_URL=sqlite:////tmp/national-approval.sqlite3 .venv/bin/python -m bench.approval_bench

At small scale, on a database of its own generated as the national one is (bench.generate and
bench.books_data for N groups, then the summaries rebuilt):

    .venv/bin/python -m bench.approval_bench --small 3000
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import DATA_DIR, percentile, report, setup_django

BULK = 200
NATIONAL = DATA_DIR / "national.sqlite3"
SMALL = DATA_DIR / "approval-small.sqlite3"


def _main_checkout_data() -> Path | None:
    """bench/data of the main checkout when this runs in a git worktree of it (where DATA_DIR is
    the worktree's own, empty, folder)."""
    try:
        common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                cwd=DATA_DIR.parent, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return Path(common).parent / "bench" / "data"


def refuse_the_national_database() -> None:
    """Stop before anything is written when DATABASE_URL names the national database itself: by its
    name once links are resolved, or as the same file as the benchmark's national database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("sqlite:///"):
        return
    path = Path(url.split("?")[0].removeprefix("sqlite:///"))  # sqlite:////abs/path or sqlite:///relative
    known = [d / NATIONAL.name for d in (DATA_DIR, _main_checkout_data()) if d is not None]
    same = path.exists() and any(k.exists() and os.path.samefile(path, k) for k in known)
    if same or path.resolve().name == NATIONAL.name:
        raise SystemExit(
            f"{path} is the national benchmark database, which this benchmark would change (migrations, "
            f"dossiers, approvals). Copy it first and point DATABASE_URL at the copy (a name other than "
            f"{NATIONAL.name}):\n"
            f"    cp bench/data/{NATIONAL.name} /tmp/national-approval.sqlite3\n"
            f"    DATABASE_URL=sqlite:////tmp/national-approval.sqlite3 .venv/bin/python -m bench.approval_bench")


def small_database(n: int) -> None:
    """`n` groups with their members, officers and a year of books, generated as the national
    benchmark's are, and their summary rows rebuilt (set-based)."""
    from bench import books_data, generate
    from books.models import Line
    from monitoring.models import GroupState
    from monitoring.rebuild import rebuild
    from registry.models import Kube

    if Kube.objects.count() < n:
        generate.generate(groups=n)  # it ends by printing the national file's size: run once only
    if not Line.objects.exists():
        books_data.generate()
    if not GroupState.objects.exists():
        rebuild()


def last_months() -> list[int]:
    """The four months the benchmark works on: up to the last one that at least half the groups
    have summary rows for (2026-07 to 2026-10 in the national database)."""
    from django.db.models import Count

    from lib.periods import shift
    from monitoring.models import GroupMonth
    from registry.models import Kube

    half = Kube.objects.count() // 2
    counts = GroupMonth.objects.values("period").annotate(n=Count("id")).order_by("-period")
    last = next((r["period"] for r in counts if r["n"] >= half), 202610)
    return [shift(last, -i) for i in range(3, -1, -1)]


def code(period: int) -> str:
    return f"{period // 100}-{period % 100:02d}"


def seed_dossiers(months: list[int]) -> None:
    """The four months' dossiers for every group not dissolved, one `INSERT … SELECT` per month
    (months already seeded are kept), then the summaries' approval flags."""
    from django.db import connection, transaction

    from approval import rollup
    from approval.models import DEFAULT_CHAIN, Lpj
    from lib.periods import shift
    from monitoring.state import refresh_approved
    from registry.models import Kube

    lpj, kube = Lpj._meta.db_table, Kube._meta.db_table
    levels = "[" + ", ".join(f'"{level}"' for level in DEFAULT_CHAIN) + "]"
    started = time.monotonic()
    written = 0
    for period in months:
        if Lpj.objects.filter(period=period).exists():
            continue
        year, month = divmod(shift(period, 1), 100)
        early = datetime(year, month, 7, 3, tzinfo=UTC)  # the 7th of the next month: on time (due the 10th)
        late = datetime(year, month, 14, 3, tzinfo=UTC)
        # A pseudo-random roll per group and month, the same on SQLite and PostgreSQL.
        roll = f"((k.id * 7919 + {period % 1000} * 104729) % 100)"
        sql = (f"INSERT INTO {lpj} (kube_id, period, desa_code, levels, reached, first_submitted_at, submitted_at, "
               f"verified_at, approved_at, returned_reason) "
               f"SELECT k.id, %s, k.desa_id, %s, CASE WHEN {roll} < 30 THEN 3 WHEN {roll} < 60 THEN 2 "
               f"WHEN {roll} < 80 THEN 1 ELSE 0 END, "
               f"CASE WHEN {roll} < 80 THEN CASE WHEN k.id % 5 = 0 THEN %s ELSE %s END END, "
               f"CASE WHEN {roll} < 80 THEN CASE WHEN k.id % 5 = 0 THEN %s ELSE %s END END, "
               f"CASE WHEN {roll} < 60 THEN %s END, CASE WHEN {roll} < 30 THEN %s END, '' "
               f"FROM {kube} k WHERE k.status <> 'bubar'")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [period, levels, late, early, late, early, early, early])
            written += cursor.rowcount
    flagged = refresh_approved(months)
    seeded = time.monotonic()
    kept = rollup.rebuild()  # the kept completeness rows, as monitoring_rebuild writes them
    print(f"dossiers: {written:,} written, {flagged:,} month rows flagged approved, in {seeded - started:.1f} s; "
          f"{kept:,} kept completeness rows rebuilt in {time.monotonic() - seeded:.1f} s")


def page_times(url: str, user: object, runs: int) -> tuple[float, float]:
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)  # type: ignore[arg-type]
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return percentile(samples, 0.5), percentile(samples, 0.95)


def bulk_approval(period: int, *, profile: bool = False) -> tuple[int, float]:
    """Approve 200 verified LPJ of the kabupaten with the most groups, as the page does. A
    kabupaten holds ~200 groups nationally, about 60 of them verified by the seeding: up to 200 of
    its dossiers not yet approved are made verified first (one UPDATE), their months closed."""
    from django.db.models import Count
    from django.db.models.functions import Substr
    from django.utils import timezone

    from accounts.models import Role, User
    from approval import rollup
    from approval.models import Lpj
    from approval.services import lpj_approve_many
    from books.models import PeriodClose

    month = Lpj.objects.filter(period=period)
    top = (month.annotate(kab=Substr("desa_code", 1, 5)).values("kab").annotate(n=Count("id")).order_by("-n")
           .first() or {}).get("kab", "")
    ids = list(month.filter(desa_code__startswith=top, reached__lt=3).order_by("pk").values_list("pk", flat=True)[:BULK])
    now = timezone.now()
    Lpj.objects.filter(pk__in=ids).update(reached=2, first_submitted_at=now, submitted_at=now, verified_at=now)
    lpjs = list(Lpj.objects.filter(pk__in=ids).select_related("kube"))
    PeriodClose.objects.bulk_create([PeriodClose(kube_id=x.kube_id, period=period) for x in lpjs], ignore_conflicts=True)
    rollup.refresh([top], [period])  # the dossiers were made verified past the services
    office, _ = User.objects.get_or_create(username=f"bench.kab.{top}", defaults={
        "full_name": f"Dinas {top} (bench)", "role": Role.KABUPATEN, "region_id": top})
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = lpj_approve_many(actor=office, lpjs=lpjs, note="bench")
    elapsed = time.perf_counter() - started
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    assert not result.refused, result.refused[:3]
    return len(result.approved), elapsed


def _ms(times: tuple[float, float]) -> str:
    return f"{times[0]:.0f} / {times[1]:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=0, help="generate this many groups in a database of its own")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile-bulk", action="store_true", help="print the bulk approval's profile")
    parser.add_argument("--only-bulk", action="store_true", help="skip the pages")
    args = parser.parse_args()
    if args.small:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{SMALL}")
    elif "DATABASE_URL" not in os.environ:
        raise SystemExit("give the database: DATABASE_URL=... python -m bench.approval_bench (a copy of the national "
                         "one), or --small N")
    refuse_the_national_database()
    os.environ.setdefault("OUTBOX_DRAIN", "off")
    setup_django(SMALL.name if args.small else "national.sqlite3")
    from django.core.management import call_command

    from accounts.models import Role, User
    from registry.models import Kube

    call_command("migrate", verbosity=0)
    if args.small:
        small_database(args.small)
    months = last_months()
    seed_dossiers(months)
    # The month, and the quarter of the month before it (2026-10 and 2026-Q3 nationally): both seeded.
    month, quarter = code(months[-1]), f"{months[-2] // 100}-Q{(months[-2] % 100 - 1) // 3 + 1}"
    pusat, _ = User.objects.get_or_create(username="bench.pusat", defaults={"full_name": "Pusat (bench)", "role": Role.PUSAT})
    prov, _ = User.objects.get_or_create(username="bench.jabar", defaults={
        "full_name": "Jawa Barat (bench)", "role": Role.PROVINSI, "region_id": "32"})
    groups = Kube.objects.count()
    if args.only_bulk:
        approved_count, seconds = bulk_approval(months[-1], profile=args.profile_bulk)
        print(f"bulk approval of {approved_count} verified LPJ: {seconds:.2f} s ({groups:,} groups)")
        return
    national = page_times(f"/pelaporan/kelengkapan/?periode={month}", pusat, args.runs)
    province = page_times(f"/pelaporan/kelengkapan/?wilayah=32&periode={month}", prov, args.runs)
    rows = [("completeness page, ministry (p50 / p95)", _ms(national), "p95 < 300 ms"),
            ("completeness page, Jawa Barat (p50 / p95)", _ms(province), "p95 < 300 ms")]
    for who, user, where in (("pusat", pusat, ""), ("Jawa Barat", prov, "wilayah=32&")):
        for period in (month, quarter):
            url = f"/pemantauan/?{where}periode={period}"
            floor = page_times(url, user, args.runs)
            approved = page_times(url + "&angka=disetujui", user, args.runs)
            rows += [(f"dashboard {who} {period}, every group (the floor; p50 / p95)", _ms(floor), "—"),
                     (f"dashboard {who} {period}, hanya yang disetujui (p50 / p95)", _ms(approved),
                      f"p95 ≤ 1.5 × floor ({approved[1] / floor[1]:.2f} ×)")]
    approved_count, seconds = bulk_approval(months[-1], profile=args.profile_bulk)
    rows.append((f"bulk approval of {approved_count} verified LPJ", f"{seconds:.2f} s", "< 5 s for 200"))
    print(report(f"Approval completeness, approved-only dashboards and bulk approval ({groups:,} groups)", rows))


if __name__ == "__main__":
    main()
