"""The reporting chain at scale: the completeness pages of the ministry and of a province, and a
bulk approval of 200 verified LPJ.

Data: whatever groups the database holds (the national benchmark's 100,000), given one month's
dossiers once (80 % submitted, 60 % verified, 30 % approved, most on time), written with bulk
inserts; the 200 LPJ to approve are verified ones of one kabupaten (their months closed if they
were not). Targets (issue 17): each completeness page under 300 ms p95; 200 approvals in one
request under 5 s. The pages are rendered in-process through Django's test client (middleware,
sign-in, template and all); the approvals through the service the page calls.

Run against a given database (its groups must exist; it is migrated first):
    DATABASE_URL=sqlite:////path/to/national.sqlite3 .venv/bin/python -m bench.approval_bench
At small scale, on a database of its own with generated groups:
    .venv/bin/python -m bench.approval_bench --small 300
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import UTC, date, datetime, timedelta

from bench.common import DATA_DIR, percentile, report, setup_django

SEED = 17
PERIOD = 202610
BULK = 200


def small_groups(n: int) -> None:
    """`n` groups spread over the test regions (two kabupaten of Jawa Barat, one of Jawa Tengah)."""
    import testing
    from registry.models import Kube

    testing.ensure_regions()
    if Kube.objects.count() >= n:
        return
    desas = [testing.DESA_A, testing.DESA_A2, testing.DESA_B, testing.DESA_C, testing.DESA_D]
    for i in range(Kube.objects.count(), n):
        testing.make_kube(name=f"KUBE Bench {i:05d}", desa=desas[i % len(desas)], actor=None, n=5,
                          formed_on=date(2025, 1, 1))


def seed_dossiers() -> None:
    """One month's dossiers for every group, unless they are there already."""
    from approval.models import DEFAULT_CHAIN, Lpj
    from registry.models import Kube

    if Lpj.objects.filter(period=PERIOD).exists():
        return
    rng = random.Random(SEED)
    due = datetime(2026, 11, 10, 12, tzinfo=UTC)
    rows = []
    started = time.monotonic()
    for pk, desa in Kube.objects.exclude(status="bubar").values_list("pk", "desa_id").iterator(chunk_size=5000):
        roll = rng.random()
        reached = 3 if roll < 0.3 else 2 if roll < 0.6 else 1 if roll < 0.8 else 0
        at = due + timedelta(days=rng.randint(-8, 6)) if reached else None
        rows.append(Lpj(kube_id=pk, period=PERIOD, desa_code=desa, levels=list(DEFAULT_CHAIN), reached=reached,
                        first_submitted_at=at, submitted_at=at, verified_at=at if reached >= 2 else None,
                        approved_at=at if reached >= 3 else None))
        if len(rows) >= 5000:
            Lpj.objects.bulk_create(rows)
            rows = []
    Lpj.objects.bulk_create(rows)
    print(f"dossiers written in {time.monotonic() - started:.1f} s")


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


def bulk_approval() -> tuple[int, float]:
    """Approve up to 200 verified LPJ of the kabupaten that has the most, as the page does."""
    from django.db.models import Count

    from accounts.models import Role, User
    from approval.models import Lpj
    from approval.services import lpj_approve_many
    from books.models import PeriodClose

    verified = Lpj.objects.filter(period=PERIOD, reached=2)
    top = (verified.values("desa_code").annotate(n=Count("id")).order_by("-n").first() or {}).get("desa_code", "")
    kab = top[:5]
    lpjs = list(verified.filter(desa_code__startswith=kab).select_related("kube")[:BULK])
    PeriodClose.objects.bulk_create([PeriodClose(kube_id=x.kube_id, period=PERIOD) for x in lpjs], ignore_conflicts=True)
    office, _ = User.objects.get_or_create(username=f"bench.kab.{kab}", defaults={
        "full_name": f"Dinas {kab} (bench)", "role": Role.KABUPATEN, "region_id": kab})
    started = time.perf_counter()
    result = lpj_approve_many(actor=office, lpjs=lpjs, note="bench")
    elapsed = time.perf_counter() - started
    assert not result.refused, result.refused[:3]
    return len(result.approved), elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=0, help="generate this many groups in a database of its own")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if args.small:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATA_DIR / 'approval-small.sqlite3'}")
    elif "DATABASE_URL" not in os.environ:
        raise SystemExit("give the database: DATABASE_URL=... python -m bench.approval_bench (or --small N)")
    os.environ.setdefault("OUTBOX_DRAIN", "off")
    setup_django()
    from django.core.management import call_command

    from accounts.models import Role, User
    from registry.models import Kube

    call_command("migrate", verbosity=0)
    if args.small:
        small_groups(args.small)
    seed_dossiers()
    pusat, _ = User.objects.get_or_create(username="bench.pusat", defaults={"full_name": "Pusat (bench)", "role": Role.PUSAT})
    prov, _ = User.objects.get_or_create(username="bench.jabar", defaults={
        "full_name": "Jawa Barat (bench)", "role": Role.PROVINSI, "region_id": "32"})
    groups = Kube.objects.count()
    national = page_times("/pelaporan/kelengkapan/?periode=2026-10", pusat, args.runs)
    province = page_times("/pelaporan/kelengkapan/?wilayah=32&periode=2026-10", prov, args.runs)
    approved, seconds = bulk_approval()
    print(report(f"Approval completeness and bulk approval ({groups} groups)", [
        ("completeness page, ministry (p50 / p95)", f"{national[0]:.0f} / {national[1]:.0f} ms", "p95 < 300 ms"),
        ("completeness page, Jawa Barat (p50 / p95)", f"{province[0]:.0f} / {province[1]:.0f} ms", "p95 < 300 ms"),
        (f"bulk approval of {approved} verified LPJ", f"{seconds:.2f} s", "< 5 s for 200"),
    ]))


if __name__ == "__main__":
    main()
