"""What the offline app keeps on a phone, and how fast the cash form opens on a repeat visit (issue 16).

A throw-away installation (its own SQLite file, gunicorn on loopback, testing.live) with the test
cast and a mentor assigned GROUPS groups of MEMBERS members each; Chromium with its own profile:

- the treasurer and the mentor each sign in and open their offline page once; then the bytes kept
  on the phone: the IndexedDB snapshot (its JSON), the service worker's cache (every body) and
  Chrome's own estimate of the origin's storage (navigator.storage.estimate, which counts the
  IndexedDB files as stored, with their overhead);
- the time to a usable cash-entry form (the group's name and cash shown, the entry buttons there)
  on a repeat visit of /app/kas/ at 400 kbps / 400 ms (Chrome DevTools' Network emulation), online
  and with the network off. Median of RUNS loads.

Run: .venv/bin/python -m bench.offline_size [--groups 60] [--members 10] [--runs 5]
(`--groups 5 --members 6 --runs 2` proves it works in a minute.)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "kata-sandi-uji-2026"
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}


def seed(groups: int, members: int) -> None:
    """In the installation's own process: the cast, and the mentor's groups."""
    import django

    django.setup()
    from datetime import date

    from books.models import TxnKind
    from books.services import cash_entry_record
    from testing import DESA_A, build_cast, make_kube

    cast = build_cast()
    for user in (cast.ketua, cast.pendamping):
        user.set_password(PASSWORD)
        user.save()
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 2, 2), description="Modal")
    for n in range(groups - 1):  # kube_a is the first
        make_kube(name=f"KUBE Dampingan {n + 1:03d}", desa=DESA_A, actor=cast.kab, pendamping=cast.pendamping, n=members)
    print(json.dumps({"ketua": cast.ketua.username, "pendamping": cast.pendamping.username}))


STORED = """async () => {
    const db = await new Promise((ok, no) => { const r = indexedDB.open("sikube-offline"); r.onsuccess = () => ok(r.result); r.onerror = no; });
    const rows = await new Promise((ok) => { const r = db.transaction("snapshots").objectStore("snapshots").getAll(); r.onsuccess = () => ok(r.result); });
    let cache = 0, entries = 0;
    for (const name of await caches.keys()) {
        const c = await caches.open(name);
        for (const req of await c.keys()) { cache += (await (await c.match(req)).arrayBuffer()).byteLength; entries += 1; }
    }
    const estimate = await navigator.storage.estimate();
    return {snapshot: rows.reduce((n, r) => n + JSON.stringify(r).length, 0), groups: rows.length ? rows[0].data.groups.length : 0,
            cache, entries, estimate: estimate.usage};
}"""


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: url.startswith(base) and "/akun/masuk/" not in url)


def measure_storage(pw: Any, base: str, username: str, path: str, ready: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True,
                                                        args=["--no-sandbox", "--disable-gpu"])
        page = context.new_page()
        sign_in(page, base, username)
        page.goto(f"{base}{path}")
        page.wait_for_selector(ready)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_timeout(1500)  # the worker's precache settles
        result = page.evaluate(STORED)
        context.close()
    return result


def repeat_visit(pw: Any, base: str, username: str, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True,
                                                        args=["--no-sandbox", "--disable-gpu"])
        page = context.new_page()
        sign_in(page, base, username)
        page.goto(f"{base}/app/kas/")
        page.wait_for_selector("[data-testid=kas-group]:not(:empty)")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        page.wait_for_selector("[data-testid=kas-group]:not(:empty)")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        times: dict[str, float] = {}
        for label, offline in (("online", False), ("offline", True)):
            cdp.send("Network.emulateNetworkConditions", {**SLOW, "offline": offline})
            context.set_offline(offline)
            samples = []
            for _ in range(runs):
                page.goto(f"{base}/")  # from elsewhere (online: the group's page; offline: the offline page)
                start = time.perf_counter()
                page.goto(f"{base}/app/kas/", wait_until="commit")
                page.wait_for_selector("[data-testid=kas-group]:not(:empty)")
                page.wait_for_selector("[data-testid=off-sale]:visible")
                samples.append(time.perf_counter() - start)
            times[label] = statistics.median(samples)
        context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=60)
    parser.add_argument("--members", type=int, default=10)  # the programme allows 5 to 10 KK
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(args.groups, args.members)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikube.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SIKUBE_VAR_DIR"] = str(Path(tmp) / "outer")
        import django

        django.setup()
        from playwright.sync_api import sync_playwright

        from testing.live import Live

        live = Live(Path(tmp))
        try:
            live.manage("migrate", "--noinput")
            cast = json.loads(live.python("bench.offline_size", "--seed", "--groups", str(args.groups),
                                          "--members", str(args.members)).strip().splitlines()[-1])
            live.start()
            base = f"http://127.0.0.1:{live.port}"
            with sync_playwright() as pw:
                treasurer = measure_storage(pw, base, cast["ketua"], "/app/kas/", "[data-testid=kas-group]:not(:empty)")
                mentor = measure_storage(pw, base, cast["pendamping"], "/app/kunjungan/", "[data-testid=visit-form]:visible")
                times = repeat_visit(pw, base, cast["ketua"], args.runs)
        finally:
            live.close()
    kb = 1024
    print(f"offline_size: {args.groups} groups of {args.members} members for the mentor, {args.runs} runs")
    for who, row in (("treasurer", treasurer), ("mentor", mentor)):
        print(f"  {who:9s} snapshot {row['snapshot'] / kb:7.1f} KB ({row['groups']} groups)   worker cache "
              f"{row['cache'] / kb:7.1f} KB ({row['entries']} files)   origin storage (Chrome's estimate) "
              f"{row['estimate'] / kb:7.1f} KB")
    print(f"  cash form usable, repeat visit at 400 kbps / 400 ms: online {times['online']:.2f} s, "
          f"offline {times['offline']:.2f} s (median)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
