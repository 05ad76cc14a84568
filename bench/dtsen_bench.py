"""Duplicate people at national scale (issue 19): the full pass over every active member, and the
check one new registration makes before it is saved.

Targets: a national pass under 2 minutes at 1,000,000 members; the check of one registration under
1 s. Floors from the same run: reading the members in the pass's order without comparing anything
(what the pass cannot go under), and one indexed lookup of a member by NIK (what the check cannot).

The members are generated into a database of their own (bench/data/dtsen.sqlite3, not the lead's
national one): families with one KK, twins, and planted duplicates (testing/dtsen.py's
population), so the pass has real blocks and real pairs to find, and the run says whether it found
every planted one.

Run: .venv/bin/python -m bench.dtsen_bench [--members 1000000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import date, datetime
from pathlib import Path

from bench.common import DATA_DIR, percentile, report, setup_django

DB_NAME = "dtsen.sqlite3"


def build(members: int) -> tuple[set[tuple[int, int]], list[tuple[str, str, str, date]]]:
    """Migrate a fresh database and fill it; returns the planted pairs (by member id) and a sample
    of people to register afresh (some of them likely duplicates)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from regions.models import Region
    from regions.services import regions_sync
    from registry.models import Kube, Member, Programme
    from testing.dtsen import population

    call_command("migrate", verbosity=0)
    desa = "32.04.06.1002"
    regions_sync(only={desa})
    programme, _ = Programme.objects.get_or_create(code="kube-fm", defaults={"name": "KUBE Fakir Miskin"})
    region = Region.objects.get(pk=desa)
    groups = members // 10 + 1
    Kube.objects.bulk_create([Kube(name=f"KUBE Bench {i}", reg_number=f"B-{i}", desa=region,
                                   formed_on=date(2024, 1, 1), programme=programme, business_type="warung")
                              for i in range(groups)], batch_size=5000)
    kubes = list(Kube.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    pop = population(members, planted=max(members // 1000, 10), seed=19)
    seen: set[str] = set()
    unique = [p for p in pop.people if not (p.nik in seen or seen.add(p.nik))]  # at a million, serials repeat
    kept = {p.pk for p in unique}
    planted = {pair for pair in pop.planted if pair[0] in kept and pair[1] in kept}
    print(f"generated {len(unique):,} people ({len(planted):,} planted pairs) in {time.perf_counter() - started:.1f} s")
    table = Member._meta.db_table
    columns = ["id", "kube_id", "nik", "kk_number", "name", "sex", "birth_date", "address", "phone", "target_group",
               "welfare_level", "dtsen_status", "skills", "task", "joined_on", "left_reason", "left_note", "created_at"]
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    now = datetime(2026, 1, 1)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        rows = [(p.pk, kubes[p.pk % len(kubes)], p.nik, p.kk_number, p.name, p.sex, p.birth_date, "", "",
                 "fakir_miskin", "miskin", "unchecked", "", "", date(2025, 1, 1), "", "", now) for p in unique]
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start:start + 50_000])
    print(f"inserted in {time.perf_counter() - started:.1f} s")
    rng = random.Random(5)
    sample = []
    for p in rng.sample(unique, 200):
        nik = p.nik[:15] + str((int(p.nik[15]) + 1) % 10) if rng.random() < .5 else p.nik[:12] + "9999"
        sample.append((nik, p.kk_number, p.name, p.birth_date))
    return planted, sample


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep bench/data/dtsen.sqlite3 afterwards")
    args = parser.parse_args()
    path = DATA_DIR / DB_NAME
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    os.environ.setdefault("SIKUBE_VAR_DIR", str(DATA_DIR / "var-dtsen"))  # nothing of the national benchmark's
    setup_django(DB_NAME)
    from django.db import connection

    from dtsen.models import DuplicatePair
    from dtsen.services import duplicates_scan
    from registry.duplicates import PERSON_FIELDS, likely_duplicates
    from registry.models import Member

    planted, sample = build(args.members)
    active = Member.objects.filter(left_on__isnull=True)

    # Floor: the rows the pass reads, in its order, nothing compared.
    started = time.perf_counter()
    read = sum(1 for _ in active.order_by("kk_number", "birth_date").values_list(*PERSON_FIELDS).iterator(chunk_size=5000))
    floor = time.perf_counter() - started

    started = time.perf_counter()
    result = duplicates_scan(actor=None, region_code="")
    full = time.perf_counter() - started
    found = set(DuplicatePair.objects.values_list("first_id", "second_id"))
    missed = len(planted - found)
    false = len(found - planted)

    # One registration: the check it makes (the indexed KK + birth date block), and the floor.
    checks, lookups = [], []
    for nik, kk, name, birth in sample:
        started = time.perf_counter()
        likely_duplicates(nik=nik, kk_number=kk, name=name, birth_date=birth)
        checks.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        Member.objects.filter(nik=nik, left_on__isnull=True).exists()
        lookups.append((time.perf_counter() - started) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN SELECT id FROM registry_member WHERE kk_number = %s AND birth_date = %s",
                       [sample[0][1], sample[0][3]])
        plan = cursor.fetchall()
    print("plan:", plan)

    text = report("DTSEN duplicate people", [
        ("active members", f"{read:,}", ""),
        ("full national pass (`duplicates_scan`, all active members)", f"{full:.1f} s; {result.pairs:,} pairs", "< 2 min"),
        ("floor: reading the same rows in the same order", f"{floor:.1f} s", ""),
        ("planted duplicates found", f"{len(planted) - missed:,} of {len(planted):,}; {false} false pairs", "all; ≤ 1 per 1,000"),
        ("one registration's check (`likely_duplicates`), n=200",
         f"p50 {statistics.median(checks):.1f} ms, p95 {percentile(checks, .95):.1f} ms, max {max(checks):.1f} ms", "< 1 s"),
        ("floor: one indexed lookup by NIK, n=200",
         f"p50 {statistics.median(lookups):.2f} ms, p95 {percentile(lookups, .95):.2f} ms", ""),
    ])
    print(text)
    if not args.keep:
        connection.close()
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-writer.lock")):
            leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
