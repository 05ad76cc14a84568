"""Capacity: how many requests a second before p95 passes 300 ms, as concurrency rises 1 → 64.

Closed loop, no think time: each of C clients sends its next request as soon as the last answered,
for C = 1, 2, 4, 8, 16, 32, 64, over three mixes:

- write: cash entries (a sale, with an Idempotency-Key), each client the treasurer of its own group;
- read: dashboards and lists — a kabupaten's and the province's dashboard, the kabupaten's groups
  needing attention, a page of its groups;
- realistic: 25 % cash entries, 15 % a group's month of the cash book, 60 % the read mix.

Each level runs `--seconds` (default 8) after a 2 s warm-up that is not timed (its errors count).
The knee of a mix is the level with the highest throughput whose p95 is at most 300 ms. The floor
is one client reading /healthz, measured in the same run, so a loaded machine shows as a high floor.
Each level also says what a request cost in CPU, by part: the clients (this process), the app
servers' workers, their summary drainers and PostgreSQL's processes (/proc, read around the level),
so that a level short of its goal shows which part to make cheaper.

SQLite: one gunicorn (4 workers × 4 threads). PostgreSQL (`--postgres`, under
scripts/with_postgres.sh): two gunicorn instances (2 workers × 4 threads each) on two ports, every
client alternating between them, as behind a load balancer.

Data: by default a fresh database built through the services (`--groups`, 320 groups of 10 members
in 8 kabupaten of Jawa Barat, which also fills the summaries); `--sqlite PATH` uses a copy of the
national database instead (it is written to: never the shared original). Bounded: 7 levels × 3 mixes
× (seconds + 2) ≈ 3.5 minutes per database with the defaults.

Run: make bench-capacity                        (SQLite, then PostgreSQL)
     .venv/bin/python -m bench.capacity --sqlite /tmp/copy-of-national.sqlite3 [--mixes write --levels 1,2,8]
     SQLITE_WRITER_LOCK=0 .venv/bin/python -m bench.capacity --mixes write   (before: no writer queue)
     .venv/bin/python -m bench.capacity --mixes write --workers 4 --threads 1  (another server shape)
     .venv/bin/python -m bench.capacity --writer-queue [--levels 2,8,16]      (the queue alone, no HTTP)
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, DATA_DIR, OUT_DIR, git_rev, machine, percentile, setup_django, sqlite_version

LEVELS = [1, 2, 4, 8, 16, 32, 64]
KNEE_P95_MS = 300.0
WARM_UP = 2.0
KABUPATEN = 8


def arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


# --- data ---------------------------------------------------------------------------------------
def prepare(*, build_groups: int, clients: int) -> dict[str, Any]:
    """Users and tokens for the run: a treasurer per client (own group), offices per kabupaten."""
    from django.core.management import call_command

    from accounts.models import Role
    from accounts.services import token_create
    from regions.models import Region
    from regions.services import regions_sync
    from registry.models import Kube, Member
    from testing import make_user, programme_fm

    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        regions_sync()
    if build_groups and not Kube.objects.exists():
        build(build_groups)
    run = uuid.uuid4().hex[:6]  # a national copy may be reused: fresh usernames each run
    kabs = [code for code in Kube.objects.filter(desa__code__startswith="32.").values_list("desa_id", flat=True)
            .order_by("desa_id")]
    kab_codes = sorted({code[:5] for code in kabs})[:KABUPATEN]
    kubes = []
    for i in range(clients):
        kab = kab_codes[i % len(kab_codes)]
        open_books = Kube.objects.filter(desa__code__startswith=kab + ".").exclude(status="bubar")  # a dissolved group's books are closed
        kubes.append(open_books.order_by("id")[i // len(kab_codes)])
    treasurers = []
    programme_fm()
    for kube in kubes:
        user = make_user(f"cap.{run}.bendahara.{kube.pk}", Role.PENGURUS)
        Member.objects.filter(pk=kube.officers.get(position="bendahara").member_id).update(user=user)
        treasurers.append({"token": token_create(user=user, name="capacity")[1], "kube": kube.pk})
    offices = [{"token": token_create(user=make_user(f"cap.{run}.kab.{kab}", Role.KABUPATEN, kab), name="capacity")[1],
                "region": kab} for kab in kab_codes]
    province = token_create(user=make_user(f"cap.{run}.prov", Role.PROVINSI, "32"), name="capacity")[1]
    return {"treasurers": treasurers, "offices": offices, "province": province,
            "groups": Kube.objects.count(), "kabupaten": kab_codes}


def build(groups: int) -> None:
    """`groups` groups of 10 members over KABUPATEN kabupaten of Jawa Barat, through the services."""
    from accounts.models import Role
    from outbox.services import batch
    from regions.models import Region
    from testing import make_kube, make_user

    admin = make_user("cap.admin", Role.ADMIN, is_staff=True)
    kabs = list(Region.objects.filter(level=2, code__startswith="32.").order_by("code")[:KABUPATEN])
    formed = date.today().replace(day=1).replace(year=date.today().year - 1)
    with batch():
        for n in range(groups):
            kab = kabs[n % KABUPATEN]
            desa = Region.objects.filter(level=4, code__startswith=kab.code + ".").order_by("code")[n // KABUPATEN]
            make_kube(name=f"KUBE Kapasitas {n:03d}", desa=desa.code, actor=admin, formed_on=formed,
                      member_names=[f"Anggota {n}-{i}" for i in range(10)])


# --- servers ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SERVER_GROUPS: list[int] = []  # the process groups of the app servers now running (their workers and drainer)


def cpu_by_part() -> dict[str, float]:
    """CPU seconds used so far, by part of the installation: this process (the clients), the app
    servers' workers, their summary drainers, and PostgreSQL's processes (none on SQLite)."""
    tick = os.sysconf("SC_CLK_TCK")
    parts = {"client": 0.0, "app": 0.0, "drain": 0.0, "database": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        comm, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        used = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        if int(entry.name) == os.getpid():
            parts["client"] += used
        elif int(fields[2]) in SERVER_GROUPS:  # pgrp
            parts["drain" if b"monitoring_refresh" in cmdline else "app"] += used
        elif comm.startswith("postgres"):
            parts["database"] += used
    return parts


@contextmanager
def app_servers(count: int, workers: int, threads: int) -> Iterator[list[int]]:
    """`count` gunicorn instances on the same database, each on its own loopback port."""
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "STATIC_MANIFEST": "0", "AXES_ENABLED": "0",
           "LOG_LEVEL": "WARNING", "ALLOWED_HOSTS": "127.0.0.1"}
    servers, ports = [], []
    try:
        for _ in range(count):
            port = free_port()
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "sikube.wsgi:application", "--config", "python:sikube.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(workers), "--threads", str(threads), "--backlog", "256", "--timeout", "120",
                 "--log-level", "warning"], cwd=BENCH_DIR.parent, env=env, start_new_session=True))
            ports.append(port)
            SERVER_GROUPS.append(servers[-1].pid)  # start_new_session: the master leads its group
        for port in ports:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
        yield ports
    finally:
        SERVER_GROUPS.clear()
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=60)


# --- clients ------------------------------------------------------------------------------------
@dataclass
class Level:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    answered: int = 0  # the warm-up's too (the CPU is read around both)
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float | None, error: str = "") -> None:
        with self.lock:
            self.answered += 1
            if ms is not None:
                self.times.append(ms)
            if error:
                self.errors += 1
                if len(self.samples) < 3:
                    self.samples.append(error[:160])


def requests_for(mix: str, data: dict[str, Any], client: int, rng: random.Random) -> tuple[str, str, Any, int]:
    """The next request of `client` in `mix`: method, path, body, expected status."""
    today = date.today()
    treasurer = data["treasurers"][client % len(data["treasurers"])]
    office = data["offices"][client % len(data["offices"])]

    def write() -> tuple[str, str, Any, int]:
        return ("POST", f"/api/v1/groups/{treasurer['kube']}/transactions",
                {"kind": "sale", "amount": rng.randint(1, 50) * 1000, "description": "Penjualan harian",
                 "date": today.isoformat()}, 201)

    def read() -> tuple[str, str, Any, int]:
        r = rng.random()
        if r < 0.35:
            return "GET", f"/api/v1/dashboard/{office['region']}", None, 200
        if r < 0.5:
            return "GET", "/api/v1/dashboard/32", None, 200
        if r < 0.75:
            return "GET", f"/api/v1/dashboard/{office['region']}/groups?attention_only=true&page_size=50", None, 200
        return "GET", f"/api/v1/groups?region={office['region']}&page_size=50", None, 200

    if mix == "write":
        return write()
    if mix == "read":
        return read()
    r = rng.random()
    if r < 0.25:
        return write()
    if r < 0.40:
        return "GET", f"/api/v1/groups/{treasurer['kube']}/cash-book?month={today:%Y-%m}", None, 200
    return read()


def token_for(data: dict[str, Any], client: int, path: str) -> str:
    if path.startswith("/api/v1/dashboard/32") and not path.startswith("/api/v1/dashboard/32."):
        return str(data["province"])
    if "/transactions" in path or "/cash-book" in path:
        return str(data["treasurers"][client % len(data["treasurers"])]["token"])
    return str(data["offices"][client % len(data["offices"])]["token"])


def client_loop(ports: list[int], mix: str, data: dict[str, Any], client: int, level: Level, measure_from: float,
                until: float) -> None:
    rng = random.Random(client * 7919 + hash(mix) % 1000)
    conns = {port: http.client.HTTPConnection("127.0.0.1", port, timeout=120) for port in ports}
    turn = client
    while time.monotonic() < until:
        port = ports[turn % len(ports)]
        turn += 1
        method, path, body, expect = requests_for(mix, data, client, rng)
        headers = {"Authorization": f"Bearer {token_for(data, client, path)}", "Content-Type": "application/json"}
        if method == "POST":
            headers["Idempotency-Key"] = uuid.uuid4().hex
        began, started = time.monotonic(), time.perf_counter()
        error = ""
        for attempt in (1, 2):
            try:
                conns[port].request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
                response = conns[port].getresponse()
                payload = response.read()
                if response.status != expect:
                    error = f"{method} {path}: {response.status} {payload[:120]!r}"
                break
            except (http.client.HTTPException, OSError) as exc:
                conns[port].close()
                conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                error = f"{method} {path}: {exc!r}"
                if attempt == 2 or not isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError,
                                                        BrokenPipeError)):
                    break
                error = ""  # an idle keep-alive connection closed by the server: send again (the key makes it safe)
        ms = (time.perf_counter() - started) * 1000
        level.add(ms if began >= measure_from else None, error)  # the warm-up's errors count, not its times
    for conn in conns.values():
        conn.close()


def run_level(ports: list[int], mix: str, data: dict[str, Any], clients: int, seconds: float) -> tuple[Level, float]:
    level = Level()
    measure_from = time.monotonic() + WARM_UP
    until = measure_from + seconds
    threads = [threading.Thread(target=client_loop, args=(ports, mix, data, c, level, measure_from, until))
               for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return level, seconds


def floor(ports: list[int], seconds: float = 3.0, at_least: int = 20) -> str:
    """One client reading /healthz: the machine's own latency at that moment (a loaded machine shows)."""
    conn = http.client.HTTPConnection("127.0.0.1", ports[0], timeout=30)
    times: list[float] = []
    until = time.monotonic() + seconds
    while time.monotonic() < until or len(times) < at_least:
        started = time.perf_counter()
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return f"GET /healthz, one client: p50 {percentile(times, .5):.1f} ms, p95 {percentile(times, .95):.1f} ms (n={len(times)})"


# --- report -------------------------------------------------------------------------------------
def measure(name: str, ports: list[int], data: dict[str, Any], mixes: list[str], levels: list[int],
            seconds: float) -> list[str]:
    # Every worker imports and connects before anything is timed: 16 clients of the realistic mix for 6 s.
    run_level(ports, "realistic", data, 16, 6.0 - WARM_UP)
    lines = [f"#### {name}", "", f"Floor (same run) before: {floor(ports)}", ""]
    for mix in mixes:
        rows, knee = [], None
        for clients in levels:
            before = cpu_by_part()
            level, elapsed = run_level(ports, mix, data, clients, seconds)
            after = cpu_by_part()
            rate = len(level.times) / elapsed
            p50, p95 = percentile(level.times, .5), percentile(level.times, .95)
            # CPU per request answered while it was read, the warm-up's included.
            cpu = " / ".join(f"{(after[k] - before[k]) * 1000 / max(1, level.answered):.1f}"
                             for k in ("client", "app", "drain", "database"))
            rows.append(f"| {clients} | {rate:.1f} | {p50:.0f} | {p95:.0f} | {level.errors} | {cpu} |")
            if p95 <= KNEE_P95_MS and (knee is None or rate > knee[1]):
                knee = (clients, rate, p95)
            print(f"{name} {mix} c={clients}: {rate:.1f}/s p50 {p50:.0f} p95 {p95:.0f} errors {level.errors}"
                  f" CPU ms/req client/app/drain/db {cpu}", *level.samples, flush=True)
        knee_text = (f"knee: **{knee[1]:.1f}/s at {knee[0]} clients** (p95 {knee[2]:.0f} ms)" if knee
                     else "knee: none (p95 over 300 ms from the first level)")
        lines += [f"{mix} mix — {knee_text}", "", "| clients | req/s | p50 ms | p95 ms | errors | CPU ms per request: clients / app / drain / database |",
                  "|---|---|---|---|---|---|",
                  *rows, ""]
    lines += [f"Floor (same run) after: {floor(ports)}; load average {os.getloadavg()[0]:.1f}", ""]
    return lines


def writer_queue(writers_levels: list[int], hold_ms: float = 30.0, seconds: float = 5.0) -> str:
    """The queue alone, without HTTP: writers that each hold the write lock `hold_ms` (a posting's
    ~30 ms, issue 21), closed loop, with the file-lock queue and with SQLite's busy handler only."""
    from django.db import connections, transaction

    lines = [f"#### Writer queue alone: each transaction holds the lock {hold_ms:.0f} ms, {seconds:.0f} s per row", "",
             "| writers | queue | transactions/s | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|---|"]
    for writers in writers_levels:
        for lock in (False, True):
            path = DATA_DIR / "queue.sqlite3"
            for suffix in ("", "-wal", "-shm", "-writer.lock"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            alias = f"queue_{writers}_{int(lock)}"
            connections.settings[alias] = {
                "ENGINE": "lib.sqlite", "NAME": str(path), "TIME_ZONE": None, "CONN_MAX_AGE": 0,
                "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {},
                "USER": "", "PASSWORD": "", "HOST": "", "PORT": "",
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 60, "writer_lock": lock,
                            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=60000"}}
            with connections[alias].cursor() as cursor:
                cursor.execute("CREATE TABLE IF NOT EXISTS entry (id INTEGER PRIMARY KEY, n INTEGER)")
            times: list[float] = []
            times_lock = threading.Lock()
            until = time.monotonic() + seconds

            def writer(alias: str = alias, until: float = until, times: list[float] = times,
                       times_lock: threading.Lock = times_lock) -> None:
                while time.monotonic() < until:
                    started = time.perf_counter()
                    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                        cursor.execute("INSERT INTO entry (n) VALUES (1)")
                        time.sleep(hold_ms / 1000)
                    with times_lock:
                        times.append((time.perf_counter() - started) * 1000)
                connections[alias].close()

            threads = [threading.Thread(target=writer) for _ in range(writers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            lines.append(f"| {writers} | {'queue (after)' if lock else 'busy handler only (before)'} | {len(times) / seconds:.1f} | "
                         f"{percentile(times, .5):.0f} | {percentile(times, .95):.0f} | {max(times):.0f} |")
            print(lines[-1], flush=True)
    return "\n".join(lines) + "\n"


def main() -> None:
    if "--writer-queue" in sys.argv:
        setup_django("queue-unused.sqlite3")
        text = writer_queue([int(x) for x in arg("--levels", "2,8,16").split(",")])
        OUT_DIR.mkdir(exist_ok=True)
        (OUT_DIR / "capacity-writer-queue.md").write_text(text)
        print(text)
        return
    postgres = "--postgres" in sys.argv
    sqlite_path = arg("--sqlite", "")
    mixes = arg("--mixes", "write,read,realistic").split(",")
    levels = [int(x) for x in arg("--levels", ",".join(map(str, LEVELS))).split(",")]
    seconds = float(arg("--seconds", "8"))
    groups = int(arg("--groups", "320"))
    if postgres:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            sys.exit("--postgres needs DATABASE_URL (run under scripts/with_postgres.sh)")
    elif sqlite_path:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(sqlite_path).resolve()}"
    else:
        os.environ.pop("DATABASE_URL", None)
        for suffix in ("", "-wal", "-shm", "-writer.lock"):
            (DATA_DIR / f"capacity.sqlite3{suffix}").unlink(missing_ok=True)
    setup_django("capacity.sqlite3")
    started = time.monotonic()
    data = prepare(build_groups=0 if sqlite_path else groups, clients=max(levels))
    prepared = time.monotonic() - started
    from django.db import connections

    connections.close_all()
    if postgres:
        count, workers, threads = 2, int(arg("--workers", "2")), int(arg("--threads", "4"))
        name = f"PostgreSQL, two app servers ({workers} workers × {threads} threads each), client alternating"
    else:
        count, workers, threads = 1, int(arg("--workers", "4")), int(arg("--threads", "4"))
        lock = "on" if os.environ.get("SQLITE_WRITER_LOCK", "1") != "0" else "off (before)"
        name = f"SQLite, one app server ({workers} workers × {threads} threads), writer queue {lock}"
    header = [f"### Capacity — {name}", "",
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {git_rev()}, {machine()}, SQLite "
              f"{sqlite_version()}; load average at start {os.getloadavg()[0]:.1f}", "",
              f"Data: {data['groups']:,} groups ({'copy of ' + sqlite_path if sqlite_path else 'built through the services'}),"
              f" {len(data['treasurers'])} treasurers in {len(data['kabupaten'])} kabupaten; prepared in {prepared:.0f} s."
              f" {seconds:.0f} s per level after a {WARM_UP:.0f} s warm-up.", ""]
    with app_servers(count, workers, threads) as ports:
        body = measure(name, ports, data, mixes, levels, seconds)
    text = "\n".join(header + body) + "\n"
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / f"capacity-{'postgres' if postgres else 'sqlite'}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
