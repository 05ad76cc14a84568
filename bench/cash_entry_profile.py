"""One cash entry in-process: the service alone, and the API request through Django's test client.

Issue 14 asks for a cash entry over HTTP at p95 <= 10 ms on SQLite; issue 21 for the write lock to
be held only for what must be serialised. This measures the two without HTTP or gunicorn, so a
change to the posting path shows in milliseconds of Python: p50/p95 over `--posts` (default 300)
sales of each (wall time, and the thread's CPU time, which a loaded machine blurs less), with an
Idempotency-Key on every API request as the phones send it, the statements of one of each (and how many of them ran inside the write transaction), and `--profile` prints
cProfile's top functions of the API requests.

Data: a fresh SQLite database in bench/data/ (regions, one group built through the services, a
treasurer with a token), rebuilt on each run; the summary drain is off (OUTBOX_DRAIN=off), as it
runs in its own process beside gunicorn.

Run: .venv/bin/python -m bench.cash_entry_profile [--posts 300] [--profile]
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from datetime import date
from typing import Any

from bench.common import DATA_DIR, percentile, setup_django

DB = "cash-entry-profile.sqlite3"


def arg(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def seed() -> dict[str, Any]:
    from django.core.management import call_command

    from accounts.models import Role
    from accounts.services import token_create
    from books.models import TxnKind
    from books.services import cash_entry_record
    from regions.services import regions_sync
    from registry.models import Member
    from testing import DESA_B, make_kube, make_user, programme_fm

    call_command("migrate", verbosity=0)
    regions_sync()
    programme_fm()
    office = make_user("bench.kab", Role.KABUPATEN, "32.04")
    treasurer = make_user("bench.bendahara", Role.PENGURUS)
    kube = make_kube(name="KUBE Kas", desa=DESA_B, actor=office, formed_on=date(2025, 1, 6))
    Member.objects.filter(pk=kube.officers.get(position="bendahara").member_id).update(user=treasurer)
    cash_entry_record(actor=treasurer, kube=kube, kind=TxnKind.CAPITAL_IN, amount=50_000_000,
                      date=date(2025, 2, 1), description="Modal awal")
    return {"kube": kube, "treasurer": treasurer, "token": token_create(user=treasurer, name="bench")[1]}


def _stats(name: str, values: list[float]) -> str:
    return f"| {name} | {len(values)} | {percentile(values, 0.50):.2f} | {percentile(values, 0.95):.2f} |"


def main() -> None:
    for suffix in ("", "-wal", "-shm"):
        (DATA_DIR / f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["OUTBOX_DRAIN"] = "off"
    setup_django(DB)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from books.services import cash_entry_record

    posts = arg("--posts", 300)
    data = seed()
    kube, treasurer = data["kube"], data["treasurer"]
    client = Client(SERVER_NAME="127.0.0.1")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {data['token']}"}
    url = f"/api/v1/groups/{kube.pk}/transactions"
    today = timezone.localdate().isoformat()

    def api_post(i: int) -> None:
        response = client.post(url, {"kind": "sale", "amount": 1_000 + i, "description": f"Penjualan {i}",
                                         "date": today},
                               content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **auth)
        assert response.status_code == 201, response.content

    def service_post(i: int) -> None:
        cash_entry_record(actor=treasurer, kube=kube, kind="sale", amount=1_000 + i, description=f"Penjualan {i}")

    held: list[float] = []  # ms from BEGIN IMMEDIATE to COMMIT: the write lock each posting holds
    opened: list[float] = []
    start_txn, commit = connection._start_transaction_under_autocommit, connection._commit

    def timed_start() -> None:
        start_txn()
        opened.append(time.perf_counter())

    def timed_commit() -> object:
        try:
            return commit()
        finally:
            if opened:
                held.append((time.perf_counter() - opened.pop()) * 1000)

    connection._start_transaction_under_autocommit = timed_start
    connection._commit = timed_commit

    for i in range(20):  # warm-up: imports, the URL resolver, the ninja schema, prepared statements
        api_post(i)
        service_post(i)
    timings: dict[str, list[float]] = {"service": [], "api": []}
    cpu: dict[str, list[float]] = {"service": [], "api": []}  # the thread's CPU: what a loaded machine blurs least
    locks: dict[str, list[float]] = {"service": [], "api": []}
    for i in range(posts):
        for name, post in (("service", service_post), ("api", api_post)):
            held.clear()
            started, started_cpu = time.perf_counter(), time.thread_time()
            post(i)
            timings[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.thread_time() - started_cpu) * 1000)
            locks[name].extend(held)
    print(f"load average {os.getloadavg()[0]:.1f}\n")
    print("| in-process | posts | p50 ms | p95 ms |\n|---|---|---|---|")
    print(_stats("cash_entry_record", timings["service"]))
    print(_stats("  its CPU (thread time)", cpu["service"]))
    print(_stats("  its write transaction (BEGIN IMMEDIATE → COMMIT)", locks["service"]))
    print(_stats("POST /api/v1/groups/{id}/transactions (Idempotency-Key)", timings["api"]))
    print(_stats("  its CPU (thread time)", cpu["api"]))
    print(_stats("  its write transaction (BEGIN IMMEDIATE → COMMIT)", locks["api"]))
    for name, post in (("service", service_post), ("api", api_post)):
        with CaptureQueriesContext(connection) as captured:
            post(0)
        sql = [q["sql"] for q in captured.captured_queries]
        begin = next((n for n, s in enumerate(sql) if s.startswith("BEGIN")), 0)
        print(f"\n{name}: {len(sql)} statements, {begin} before BEGIN")
        for statement in sql:
            print("   ", statement[:150])
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(100):
            api_post(i)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
