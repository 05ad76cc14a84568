"""Load: 50 concurrent users in a realistic mix against gunicorn, bounded in time.

The mix (per user, a loop with 1–3 s of think time between actions, as on a phone):
- 30 treasurers of 30 groups: post a cash entry (with an Idempotency-Key, as the phone app
  would) 3 times out of 5, read their month's cash book otherwise;
- 10 mentors with 12 groups each: log a visit with attendance and a book audit 1 time out of 3,
  read their workspace otherwise;
- 10 district and provincial offices: their dashboard, the list of their groups needing
  attention, or a page of their groups.

The users arrive over the first 5 s and the first 10 s are not timed (their errors still count):
without that, the 50 first requests of a cold server, all in the same instant, were the whole
p99 (1.5–2.5 s).

The data is a fresh database of 300 groups of 10 members in 10 kabupaten of Jawa Barat, built
through the services (so the monitoring summaries are there too). Errors are any answer other
than the expected 200/201, or a failed connection.

Run: .venv/bin/python -m bench.load_test [--seconds 60]                       (SQLite)
     scripts/with_postgres.sh .venv/bin/python -m bench.load_test --postgres  (PostgreSQL)
"""

from __future__ import annotations

import http.client
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from bench.common import DATA_DIR, gunicorn_server, percentile, report, setup_django

GROUPS, MEMBERS, KABUPATEN = 300, 10, 10
RAMP_UP, WARM_UP = 5.0, 10.0  # seconds: users arrive over the first 5 s; the first 10 s are not timed
TREASURERS, MENTORS, OFFICES = 30, 10, 10


def seed() -> dict[str, Any]:
    """Build the load database through the services; returns the users' tokens and ids."""
    from django.core.management import call_command

    from accounts.models import Role
    from accounts.services import token_create
    from books.models import TxnKind
    from books.services import cash_entry_record
    from outbox.services import batch
    from regions.models import Region
    from regions.services import regions_sync
    from registry.models import Member
    from testing import make_kube, make_user, programme_fm

    call_command("migrate", verbosity=0)
    regions_sync()
    programme_fm()
    kabs = list(Region.objects.filter(level=2, code__startswith="32.").order_by("code")[:KABUPATEN])
    admin = make_user("load.admin", Role.ADMIN, is_staff=True)
    mentors = [make_user(f"load.pendamping.{i}", Role.PENDAMPING, "32") for i in range(MENTORS)]  # home: Jawa Barat
    offices = [make_user(f"load.kab.{k.code}", Role.KABUPATEN, k.code) for k in kabs[:OFFICES - 2]]
    offices += [make_user(f"load.prov.{i}", Role.PROVINSI, "32") for i in range(2)]
    day = date.today() - timedelta(days=40)
    kubes = []
    with batch():
        for n in range(GROUPS):
            kab = kabs[n % KABUPATEN]
            desa = Region.objects.filter(level=4, code__startswith=kab.code + ".").order_by("code")[n // KABUPATEN]
            kube = make_kube(name=f"KUBE Beban {n:03d}", desa=desa.code, actor=admin,
                             pendamping=mentors[n % MENTORS] if n < MENTORS * 12 else None,
                             member_names=[f"Anggota {n}-{i}" for i in range(MEMBERS)], formed_on=day - timedelta(days=200))
            kubes.append(kube)
    treasurers = []
    for kube in kubes[:TREASURERS]:
        user = make_user(f"load.bendahara.{kube.pk}", Role.PENGURUS)
        Member.objects.filter(pk=kube.officers.get(position="bendahara").member_id).update(user=user)
        cash_entry_record(actor=user, kube=kube, kind=TxnKind.CAPITAL_IN, amount=50_000_000, date=day,
                          description="Modal awal")
        treasurers.append({"token": token_create(user=user, name="load")[1], "kube": kube.pk})
    return {
        "treasurers": treasurers,
        "mentors": [{"token": token_create(user=m, name="load")[1], "id": m.pk,
                     "kubes": [{"id": k.pk, "members": list(k.members.values_list("id", flat=True))}
                               for k in kubes if k.pendamping_id == m.pk]} for m in mentors],
        "offices": [{"token": token_create(user=o, name="load")[1], "region": o.region_id} for o in offices],
    }


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []
        self.reconnects = 0

    def reconnect(self) -> None:
        with self.lock:
            self.reconnects += 1

    def add(self, name: str, ms: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times[name].append(ms)
            if not ok:
                self.errors[name] += 1
                if len(self.samples) < 5:
                    self.samples.append(f"{name}: {detail[:200]}")


def user_loop(port: int, role: str, who: dict[str, Any], stats: Stats, until: float, rng: random.Random,
              measure_from: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {who['token']}", "Content-Type": "application/json"}
    today = date.today()

    def call(name: str, method: str, path: str, body: Any = None, expect: int = 200, **extra: str) -> None:
        nonlocal conn
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                conn.request(method, path, body=json.dumps(body) if body is not None else None,
                             headers={**headers, **extra})
                response = conn.getresponse()
                data = response.read()
                ok, detail = response.status == expect, f"{response.status} {data[:200]!r}"
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                # gunicorn closed the idle keep-alive connection during the think time: open a new
                # one and send again, as any HTTP client does (safe: the writes carry an Idempotency-Key)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok, detail = False, repr(exc)
                if attempt == 1:
                    stats.reconnect()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok, detail = False, repr(exc)
                break
        if time.monotonic() >= measure_from or not ok:  # the warm-up's timings are not kept, its errors are
            stats.add(name, (time.perf_counter() - started) * 1000, ok, detail)

    writes = os.environ.get("LOAD_READ_ONLY") != "1"  # LOAD_READ_ONLY=1: the same users, reading only
    time.sleep(rng.uniform(0, RAMP_UP))  # users arrive over the ramp-up, not all in the same instant
    while time.monotonic() < until:
        if role == "treasurer":
            if writes and rng.random() < 0.6:
                call("post a cash entry", "POST", f"/api/v1/groups/{who['kube']}/transactions",
                     {"kind": rng.choice(["sale", "purchase", "expense"]), "amount": rng.randint(1, 50) * 1000,
                      "description": "Transaksi harian", "date": today.isoformat()}, expect=201,
                     **{"Idempotency-Key": uuid.uuid4().hex})
            else:
                call("read the month's cash book", "GET", f"/api/v1/groups/{who['kube']}/cash-book?month={today:%Y-%m}")
        elif role == "mentor":
            if writes and rng.random() < 1 / 3 and who["kubes"]:
                kube = rng.choice(who["kubes"])
                call("log a visit", "POST", "/api/v1/visits",
                     {"kube": kube["id"], "date": today.isoformat(), "place": "Balai desa",
                      "problems": "Pemasaran", "present": kube["members"][: rng.randint(5, len(kube["members"]))],
                      "audits": [{"book": "kas", "checked": True, "in_order": True}]}, expect=201,
                     **{"Idempotency-Key": uuid.uuid4().hex})
            else:
                call("read the mentor's workspace", "GET", f"/api/v1/mentors/{who['id']}/workspace")
        else:
            r = rng.random()
            if r < 0.5:
                call("read the office's dashboard", "GET", f"/api/v1/dashboard/{who['region']}?period={today:%Y-%m}")
            else:
                call("list the office's groups", "GET", f"/api/v1/groups?region={who['region']}&page_size=50")
        time.sleep(rng.uniform(1.0, 3.0))  # a person reading the answer and typing the next one
    conn.close()


def main() -> None:
    postgres = "--postgres" in sys.argv
    seconds = int(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 60
    if not postgres:
        for suffix in ("", "-wal", "-shm"):
            (DATA_DIR / f"load.sqlite3{suffix}").unlink(missing_ok=True)
    setup_django("load.sqlite3")
    started = time.monotonic()
    users = seed()
    built = time.monotonic() - started
    from django.db import connections

    connections.close_all()
    stats = Stats()
    rng = random.Random(2026)
    workers, threads_per = int(os.environ.get("LOAD_WORKERS", "4")), int(os.environ.get("LOAD_THREADS", "4"))
    with gunicorn_server(workers=workers, threads=threads_per) as port:
        measure_from = time.monotonic() + WARM_UP
        until = measure_from + seconds
        threads = [threading.Thread(target=user_loop, args=(port, role, who, stats, until, random.Random(rng.random()),
                                                             measure_from))
                   for role, group in (("treasurer", users["treasurers"]), ("mentor", users["mentors"]),
                                       ("office", users["offices"])) for who in group]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - measure_from
    every = [ms for times in stats.times.values() for ms in times]
    errors = sum(stats.errors.values())
    rows = [("data", f"{GROUPS} groups × {MEMBERS} members in {KABUPATEN} kabupaten, built in {built:.0f} s",
             f"{len(threads)} users arriving over {RAMP_UP:.0f} s, timed for {seconds} s after a {WARM_UP:.0f} s "
             f"warm-up; gunicorn {workers} workers × {threads_per} threads, loopback")]
    rows.append(("all requests", f"{len(every)} in {elapsed:.0f} s = {len(every) / elapsed:.1f}/s; p50 "
                 f"{percentile(every, .5):.0f} ms, p95 {percentile(every, .95):.0f} ms, p99 "
                 f"{percentile(every, .99):.0f} ms; errors {errors} (idle keep-alive connections "
                 f"reopened: {stats.reconnects})", "no error; p95 < 300 ms (PostgreSQL)"))
    for name, times in sorted(stats.times.items()):
        rows.append((name, f"n={len(times)}, p50 {percentile(times, .5):.0f} ms, p95 {percentile(times, .95):.0f} ms, "
                     f"p99 {percentile(times, .99):.0f} ms, errors {stats.errors[name]}", "—"))
    print(report("Load, 50 users" + (" (PostgreSQL)" if postgres else " (SQLite)"), rows))
    for sample in stats.samples:
        print("error:", sample)
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)


if __name__ == "__main__":
    main()
