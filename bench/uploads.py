"""Photo uploads against other users' writes: does decoding a photo hold the database's write lock?

While a mentor uploads three photos at once (again and again, a bounded number of rounds), a
treasurer of another group posts cash entries over the API with a token, one after another, and
each is timed. Four phases in the same run, on the same server:

1. floor: the cash entries alone;
2. the issue's case: three 60-megapixel PNGs (a few hundred KB on the wire), over the limit;
3. three 23.9-megapixel PNGs, under the 24-MP limit of formats decoded whole, so they are really
   decoded and resized;
4. three 39-megapixel JPEGs, under the 40-MP JPEG limit (a JPEG is decoded already reduced).

The workers' memory (VmRSS from /proc) is sampled every 20 ms: the peak of any one worker is
reported, and what it keeps a second after the uploads stop.

The data is a fresh SQLite database (regions, two groups built through the services); gunicorn
runs the project's settings on loopback, 4 workers × 2 threads as README's deployment example.
The uploads carry no Idempotency-Key; `--idempotency-key` sends one with each upload (the API's
idempotency middleware holds one transaction around the whole request).

Run: .venv/bin/python -m bench.uploads [--entries 120] [--rounds 6] [--idempotency-key]
"""

from __future__ import annotations

import http.client
import io
import json
import os
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import DATA_DIR, gunicorn_server, percentile, report, setup_django

WORKERS, THREADS = 4, 2


def arg(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def seed() -> dict[str, Any]:
    from django.core.management import call_command

    from accounts.models import Role
    from accounts.services import token_create
    from books.models import TxnKind
    from books.services import cash_entry_record
    from mentoring.services import visit_log
    from regions.services import regions_sync
    from registry.models import Member
    from testing import DESA_A, DESA_B, make_kube, make_user, programme_fm

    call_command("migrate", verbosity=0)
    regions_sync()
    programme_fm()
    office = make_user("bench.kab", Role.KABUPATEN, "32.04")
    mentor = make_user("bench.pendamping", Role.PENDAMPING, "32.04")  # a mentor of the office's kabupaten
    treasurer = make_user("bench.bendahara", Role.PENGURUS)
    photographed = make_kube(name="KUBE Foto", desa=DESA_A, actor=office, pendamping=mentor, formed_on=date(2025, 1, 6))
    booked = make_kube(name="KUBE Kas", desa=DESA_B, actor=office, formed_on=date(2025, 1, 6))
    Member.objects.filter(pk=booked.officers.get(position="bendahara").member_id).update(user=treasurer)
    cash_entry_record(actor=treasurer, kube=booked, kind=TxnKind.CAPITAL_IN, amount=50_000_000,
                      date=date(2025, 2, 1), description="Modal awal")
    visit = visit_log(actor=mentor, kube=photographed, date=date(2025, 3, 5), place="Balai desa", problems="Pemasaran",
                      present=list(photographed.members.all()[:4]))
    return {"visit": visit.pk, "kube": booked.pk, "mentor": token_create(user=mentor, name="bench")[1],
            "treasurer": token_create(user=treasurer, name="bench")[1]}


def png(width: int, height: int) -> bytes:
    return encoded("PNG", width, height, compress_level=9)


def jpeg(width: int, height: int) -> bytes:
    return encoded("JPEG", width, height, quality=85)


def encoded(fmt: str, width: int, height: int, **options: Any) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 60)).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def multipart(data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"rapat.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def workers(port: int) -> list[int]:
    """The gunicorn processes serving `port` (the master and its workers share the command line)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if f"127.0.0.1:{port}".encode() in (proc / "cmdline").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Sampler(threading.Thread):
    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peak, self.running = pids, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak = max([self.peak, *(rss_mb(p) for p in self.pids)])
            time.sleep(0.02)


def cash_entries(port: int, users: dict[str, Any], n: int, stop: threading.Event | None = None) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {users['treasurer']}", "Content-Type": "application/json"}
    times = []
    for i in range(n):
        if stop is not None and stop.is_set():
            break
        body = json.dumps({"kind": "sale", "amount": 1000 + i, "description": "Penjualan harian",
                           "date": date.today().isoformat()})
        started = time.perf_counter()
        conn.request("POST", f"/api/v1/groups/{users['kube']}/transactions", body=body,
                     headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status == 201, response.status
        time.sleep(0.03)
    conn.close()
    return times


def uploader(port: int, users: dict[str, Any], photo: bytes, rounds: int, key: bool,
             out: list[tuple[float, int]]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    for _ in range(rounds):
        body, content_type = multipart(photo)
        headers = {"Authorization": f"Bearer {users['mentor']}", "Content-Type": content_type}
        if key:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        started = time.perf_counter()
        conn.request("POST", f"/api/v1/visits/{users['visit']}/photos", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        out.append(((time.perf_counter() - started) * 1000, response.status))
    conn.close()


def phase(port: int, users: dict[str, Any], pids: list[int], entries: int, photo: bytes | None, rounds: int,
          key: bool) -> dict[str, Any]:
    sampler = Sampler(pids)
    sampler.start()
    uploads: list[tuple[float, int]] = []
    threads = [threading.Thread(target=uploader, args=(port, users, photo, rounds, key, uploads))
               for _ in range(3 if photo else 0)]
    for t in threads:
        t.start()
    time.sleep(0.2 if photo else 0)  # the uploads are on their way before the first entry
    stop = threading.Event()
    done = threading.Thread(target=lambda: ([t.join() for t in threads], stop.set()))
    done.start()
    # While uploads run, time entries until they end (at most `entries`); the floor takes all of them.
    times = cash_entries(port, users, entries, stop if photo else None)
    done.join()
    sampler.running = False
    sampler.join()
    time.sleep(1.0)
    return {"times": times, "uploads": uploads, "peak": sampler.peak, "after": max(rss_mb(p) for p in pids)}


def main() -> None:
    key = "--idempotency-key" in sys.argv
    entries, rounds = arg("--entries", 150), arg("--rounds", 6)
    for suffix in ("", "-wal", "-shm"):
        (DATA_DIR / f"uploads.sqlite3{suffix}").unlink(missing_ok=True)
    os.environ.setdefault("SIKUBE_VAR_DIR", str(DATA_DIR / "var-uploads"))
    setup_django("uploads.sqlite3")
    users = seed()
    from django.db import connections

    connections.close_all()
    big = png(7740, 7740)  # 59.9 MP: the size the issue reported, under main's old 60 MP check
    allowed, camera = png(5650, 4230), jpeg(7200, 5400)  # 23.9 MP PNG, 38.9 MP JPEG: under their limits
    rows = []
    with gunicorn_server(workers=WORKERS, threads=THREADS) as port:
        cash_entries(port, users, 20)  # warm every worker up; not timed
        pids = workers(port)
        idle = max(rss_mb(p) for p in pids)
        results = {
            "floor": phase(port, users, pids, entries, None, 0, key),
            "60 MP PNG": phase(port, users, pids, entries, big, rounds, key),
            "23.9 MP PNG": phase(port, users, pids, entries, allowed, rounds, key),
            "38.9 MP JPEG": phase(port, users, pids, entries, camera, rounds, key),
        }
    rows.append(("setup", f"gunicorn {WORKERS} workers × {THREADS} threads, loopback, SQLite; uploads "
                 f"{'with' if key else 'without'} Idempotency-Key; 3 uploaders × {rounds} rounds; "
                 f"60 MP PNG {len(big) // 1024} KB, 23.9 MP PNG {len(allowed) // 1024} KB, "
                 f"38.9 MP JPEG {len(camera) // 1024} KB; "
                 f"largest worker idle {idle:.0f} MB", "—"))
    for name, r in results.items():
        t = r["times"]
        what = "cash entries alone (floor)" if name == "floor" else f"cash entries while 3 × {name} upload"
        rows.append((what, f"n={len(t)}, p50 {percentile(t, .5):.0f} ms, p95 {percentile(t, .95):.0f} ms, "
                     f"max {max(t):.0f} ms", "p95 < 50 ms"))
        if r["uploads"]:
            ms = [u[0] for u in r["uploads"]]
            statuses = sorted({u[1] for u in r["uploads"]})
            rows.append((f"  the {name} uploads", f"n={len(ms)}, answers {statuses}, p50 {percentile(ms, .5):.0f} ms, "
                         f"max {max(ms):.0f} ms", "—"))
        rows.append((f"  largest worker RSS ({name})", f"peak {r['peak']:.0f} MB, 1 s after {r['after']:.0f} MB",
                     "peak < 300 MB"))
    print(report("Uploads beside writes" + (" (Idempotency-Key)" if key else ""), rows))
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)


if __name__ == "__main__":
    main()
