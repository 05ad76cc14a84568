"""A cash entry once the summaries come from the outbox (issue 14 part 1, issue 21 part 2).

Over real HTTP (gunicorn 2 workers x 2 threads on loopback, the project's settings: the drain runs
in a thread of the worker after commit): treasurers of 40 sampled groups post cash entries one
after another through the API; each is timed (p50/p95), then the posting -> dashboard lag: after a
posting answers, the kabupaten's dashboard API is polled every 10 ms until its entry count for the
month includes it. The floor, in the same run: GET /healthz over the same HTTP path, and the raw
replay of one cash entry's own statements through sqlite3 (no Django, no HTTP).
Run: DATABASE_URL=sqlite:////tmp/copy.sqlite3 .venv/bin/python -m bench.outbox_bench
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from datetime import date
from typing import Any

from bench.books_bench import Session, _prepare
from bench.common import gunicorn_server, machine, percentile, report, setup_django, sqlite_version


def _replay_floor(kube_id: int, user_id: int) -> list[float]:
    """One cash entry's statements captured in-process (with their parameters, `executemany` too),
    then replayed through raw sqlite3 (ms)."""
    from django.db import connection

    from accounts.models import User
    from books.models import TxnKind
    from books.services import cash_entry_record
    from registry.models import Kube

    captured: list[tuple[str, Any, bool]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params, many))
        return execute(sql, params, many, context)

    user, kube = User.objects.get(pk=user_id), Kube.objects.get(pk=kube_id)
    with connection.execute_wrapper(record):
        cash_entry_record(actor=user, kube=kube, kind=TxnKind.SALE, amount=1_000, date=date.today(),
                          description="Penjualan (bench replay)")
    statements = [(sql.replace("%s", "?"), params, many) for sql, params, many in captured
                  if not sql.startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))]
    raw = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    out = []
    for _ in range(30):
        started = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        for sql, params, many in statements:
            with contextlib.suppress(sqlite3.DatabaseError):  # a replayed INSERT may clash with a unique key
                if many:
                    raw.executemany(sql, params)
                else:
                    raw.execute(sql, params or ()).fetchall()
        raw.execute("ROLLBACK")
        out.append((time.perf_counter() - started) * 1000)
    raw.close()
    return out


def main() -> None:
    setup_django()
    from django.core.management import call_command

    from accounts.models import Role, User
    from accounts.services import token_create
    from registry.models import Kube

    call_command("monitoring_refresh", "--pending", verbosity=0)
    treasurers = _prepare(40)
    office = User.objects.filter(username="bench.pusat").first()
    if office is None:
        office = User.objects.create(username="bench.pusat", full_name="bench", role=Role.PUSAT)
    _t, office_raw = token_create(user=office, name="bench")
    office_auth = {"Authorization": f"Bearer {office_raw}"}
    month = date.today().strftime("%Y-%m")
    post_ms: list[float] = []
    lag_ms: list[float] = []
    floor_ms: list[float] = []
    with gunicorn_server() as port:
        for _ in range(60):  # the workers boot (and import Django) after the socket is bound
            try:
                Session(port).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(1)
        for n, (kube_id, user_id, _username) in enumerate(treasurers):
            _t, raw = token_create(user=User.objects.get(pk=user_id), name="bench")
            api = Session(port)
            auth = {"Authorization": f"Bearer {raw}", "Content-Type": "application/json"}
            body = json.dumps({"kind": "sale", "amount": 125_000, "description": "Penjualan (bench)",
                               "date": date.today().isoformat()})
            for i in range(6):
                started = time.perf_counter()
                status, data = api.request("POST", f"/api/v1/groups/{kube_id}/transactions", body, auth)
                elapsed = (time.perf_counter() - started) * 1000
                assert status == 201, (status, data[:300])
                if i:
                    post_ms.append(elapsed)
                started = time.perf_counter()
                status, _data = api.request("GET", "/healthz")
                floor_ms.append((time.perf_counter() - started) * 1000)
            if n % 4 == 0:  # the lag, on every fourth group (the dashboard is read by an office)
                kab = Kube.objects.get(pk=kube_id).desa_id[:5]
                office_api = Session(port)
                path = f"/api/v1/dashboard/{kab}?period={month}"
                before = json.loads(office_api.request("GET", path, headers=office_auth)[1])
                count = before["total"]["values"].get("entries", 0)
                posted = time.perf_counter()
                status, data = api.request("POST", f"/api/v1/groups/{kube_id}/transactions", body, auth)
                assert status == 201
                while True:
                    now = json.loads(office_api.request("GET", path, headers=office_auth)[1])
                    if now["total"]["values"].get("entries", 0) > count:
                        lag_ms.append((time.perf_counter() - posted) * 1000)
                        break
                    if time.perf_counter() - posted > 30:
                        lag_ms.append(30_000)
                        break
                    time.sleep(0.01)
    replay = _replay_floor(treasurers[0][0], treasurers[0][1])
    print(report("A cash entry with summaries from the outbox", [
        ("machine", f"{machine()}, SQLite {sqlite_version()}, load average {os.getloadavg()[0]:.1f}", ""),
        ("data", f"{Kube.objects.count():,} groups", "100,000 groups, 20 M lines"),
        ("cash entry over HTTP (API, gunicorn 2x2, loopback)",
         f"p50 {percentile(post_ms, .5):.1f} ms, p95 {percentile(post_ms, .95):.1f} ms (n={len(post_ms)})",
         "p95 <= 10 ms"),
        ("floor: GET /healthz over the same HTTP path",
         f"p50 {percentile(floor_ms, .5):.1f} ms, p95 {percentile(floor_ms, .95):.1f} ms (n={len(floor_ms)})", ""),
        ("floor: the entry's own statements replayed through raw sqlite3",
         f"p50 {percentile(replay, .5):.2f} ms, p95 {percentile(replay, .95):.2f} ms (n={len(replay)})", ""),
        ("ratio: entry p50 / raw replay p50", f"{percentile(post_ms, .5) / percentile(replay, .5):.1f} x", ""),
        ("posting -> kabupaten dashboard shows it",
         f"p50 {percentile(lag_ms, .5):.0f} ms, max {max(lag_ms):.0f} ms (n={len(lag_ms)})", "< 2 s"),
    ]))


if __name__ == "__main__":
    main()
