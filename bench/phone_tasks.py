"""The daily tasks on a 360 × 740 phone (issue 15): taps, screens scrolled and bytes transferred.

Chromium (Playwright) performs each task on the demo data as its user would, from the user's
home: a sale and an expense from the group hub, the savings of ten members at a meeting, a
mentor's visit with 6 of 7 present, 3 books audited and one follow-up, the member's own savings,
the month close. Then every page of a group is loaded in a fresh browser (first visit, nothing
cached) and again (repeat visit), and the offices' dashboard likewise.

Counting: a *tap* is a press on a button, link, name, checkbox or choice. Putting the cursor in a
field to type is counted with the typing (*fields typed*), as a phone's "next" key moves between
fields. *Screens scrolled* is the distance the page had to scroll to reach what was tapped, summed
over the task's pages, in screen heights (740 px); 0 means everything was on the first screen.
*Bytes* are what went over the wire (Chrome's encodedDataLength: headers and compressed bodies).

The data is the demo (`manage.py demo_load`) in its own SQLite file, bench/data/phone-demo.sqlite3,
built once (about two minutes) and copied afresh for every run, so the month close always has a
month to close. gunicorn serves it with the deployment's settings (collected, hashed and
pre-compressed static files; DEBUG off) on loopback.

Run: make bench-phone      (or .venv/bin/python -m bench.phone_tasks [--rebuild])
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, DATA_DIR, report

PRISTINE = DATA_DIR / "phone-demo.sqlite3"
WORK = DATA_DIR / "phone-run.sqlite3"
VAR = DATA_DIR / "phone-var"
PASSWORD = os.environ.get("SIKUBE_DEMO_PASSWORD", "kube-demo-2026")
WIDTH, HEIGHT = 360, 740
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def env_for(database: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SIKUBE_VAR_DIR": str(VAR),
            "DEBUG": "0", "HTTPS": "0", "AXES_ENABLED": "0", "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "127.0.0.1", "OUTBOX_DRAIN": "sync", "DJANGO_SETTINGS_MODULE": "sikube.settings",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 50)}


def manage(database: Path, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BENCH_DIR.parent, env=env_for(database), check=True)


def prepare(rebuild: bool) -> None:
    """The demo database once; a fresh copy of it for this run; the static files collected."""
    DATA_DIR.mkdir(exist_ok=True)
    if rebuild or not PRISTINE.exists():
        PRISTINE.unlink(missing_ok=True)
        manage(PRISTINE, "migrate", "--noinput", "-v0")
        manage(PRISTINE, "regions_load", "--skip-checks")
        manage(PRISTINE, "demo_load", "--skip-checks")
        manage(PRISTINE, "monitoring_refresh", "--pending", "-v0", "--skip-checks")
    else:
        manage(PRISTINE, "migrate", "--noinput", "-v0")  # a branch's new migrations
    for suffix in ("", "-wal", "-shm"):
        Path(f"{WORK}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(PRISTINE, WORK)
    manage(WORK, "collectstatic", "--noinput", "-v0", "--skip-checks")


@contextmanager
def server() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "sikube.wsgi:application", "--bind",
                             f"127.0.0.1:{port}", "--workers", "2", "--threads", "2", "--log-level", "warning"],
                            cwd=BENCH_DIR.parent, env=env_for(WORK))
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


@dataclass
class Meter:
    """Taps, fields typed, scrolling and bytes of one task in one browser page."""

    page: Any
    taps: int = 0
    typed: int = 0
    scrolled: dict[str, float] = field(default_factory=dict)
    bytes: int = 0

    def attach(self, *, cold: bool = False) -> None:
        cdp = self.page.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        if cold:  # a first visit: nothing in the browser's cache (the sign-in page filled it)
            cdp.send("Network.clearBrowserCache")
        cdp.on("Network.loadingFinished", lambda e: setattr(self, "bytes", self.bytes + int(e["encodedDataLength"])))

    def _reach(self, selector: str) -> Any:
        element = self.page.locator(selector).first
        element.scroll_into_view_if_needed()
        url = self.page.url.split("?")[0]
        self.scrolled[url] = max(self.scrolled.get(url, 0.0), self.page.evaluate("window.scrollY"))
        return element

    def tap(self, selector: str) -> None:
        self.taps += 1
        self._reach(selector).click()
        self.page.wait_for_load_state()

    def type(self, selector: str, text: str) -> None:
        self.typed += 1
        self._reach(selector).fill(text)

    def choose(self, selector: str, index: int) -> None:
        self.taps += 1
        self._reach(selector).select_option(index=index)

    @property
    def screens(self) -> float:
        return sum(self.scrolled.values()) / HEIGHT


def signed_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def task_entry(browser: Any, base: str, kind: str) -> Meter:
    page = signed_in(browser, base, "bendahara.majusejahtera")  # lands on the group hub
    meter = Meter(page)
    meter.attach()
    meter.tap(f"[data-testid=home-entry-{kind}]")
    meter.type("#id_amount", "45000")
    page.wait_for_selector("[data-testid=amount-words]:has-text('rupiah')")
    meter.tap("[data-testid=entry-save]")
    assert "Tersimpan" in page.inner_text(".messages"), page.inner_text("main")
    page.context.close()
    return meter


def task_meeting(browser: Any, base: str) -> Meter:
    page = signed_in(browser, base, "bendahara.kubemajusejahtera15")  # ten members
    meter = Meter(page)
    meter.attach()
    meter.tap("[data-testid=task-meeting_savings]")
    fields = page.locator("input[data-column=deposit]")
    assert fields.count() == 10, fields.count()
    for i in range(10):
        meter.type(f"input[data-column=deposit] >> nth={i}", "20000")
    page.wait_for_selector("[data-testid=sheet-deposits]:has-text('Rp200.000')")
    meter.tap("[data-testid=sheet-save]")
    assert page.locator(".msg-success").count(), page.inner_text("main")
    page.context.close()
    return meter


def task_visit(browser: Any, base: str) -> Meter:
    page = signed_in(browser, base, "pendamping.cimenyan")  # lands on the workspace
    page.goto(f"{base}/kube/6/")  # KUBE Sugih Mukti 06, seven members (the workspace is its own bench)
    meter = Meter(page)
    meter.attach()
    meter.tap("[data-testid=task-visit_new]")
    meter.type("#id_place", "Rumah ketua")
    assert page.locator("label.chip").count() == 7
    meter.tap("label.chip >> nth=6")  # one did not come
    meter.tap("[data-testid=visit-next]")
    for book in ("kas", "tabungan", "anggota"):
        meter.tap(f"label.audit-check:has(#id_audit_{book}_checked)")
    meter.type("#id_problems", "Pemasaran masih sulit")
    meter.tap("[data-testid=follow-up-add] >> nth=0")
    meter.type("#id_fu_0_action", "Titip jual di warung desa")
    meter.choose("#id_fu_0_person", 1)
    meter.type("#id_fu_0_due_on", "2026-12-15")
    meter.tap("[data-testid=visit-save]")
    assert "kehadiran 6 dari 7" in page.inner_text(".messages"), page.inner_text("main")
    page.context.close()
    return meter


def task_member(browser: Any, base: str) -> Meter:
    page = signed_in(browser, base, "anggota.majusejahtera")
    meter = Meter(page)
    meter.attach()
    meter.tap("[data-testid=task-mine]")
    assert page.locator("[data-testid=my-savings]").count()
    page.context.close()
    return meter


def task_close(browser: Any, base: str) -> Meter:
    page = signed_in(browser, base, "bendahara.majusejahtera")
    meter = Meter(page)
    meter.attach()
    meter.tap("[data-testid=task-close]")
    meter.tap("[data-testid=close-month]")
    meter.tap("[data-testid=close-confirm]")
    assert "/buku/lpj/" in page.url, page.url
    page.context.close()
    return meter


def page_weights(browser: Any, base: str, username: str, paths: list[str]) -> list[tuple[str, int, int]]:
    """Each page's bytes on a first visit (a new browser, nothing cached) and on a repeat visit."""
    rows = []
    for path in paths:
        page = signed_in(browser, base, username)
        meter = Meter(page)
        meter.attach(cold=True)
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        first = meter.bytes
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        rows.append((path, first, meter.bytes - first))
        page.context.close()
    return rows


def hub_paths(browser: Any, base: str) -> list[str]:
    page = signed_in(browser, base, "bendahara.majusejahtera")
    links = page.eval_on_selector_all("[data-hub], [data-testid=hub-tasks] a",
                                      "els => els.map(e => e.getAttribute('href').split('#')[0])")
    page.context.close()
    return list(dict.fromkeys(["/kube/1/", *links]))


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def main() -> None:
    from playwright.sync_api import sync_playwright

    prepare("--rebuild" in sys.argv)
    with server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        tasks = [("a sale from the group hub", task_entry(browser, base, "sale"), "≤ 2 taps"),
                 ("an expense from the group hub", task_entry(browser, base, "expense"), "≤ 2 taps"),
                 ("savings of 10 members at a meeting", task_meeting(browser, base), "≤ 12 taps + typing"),
                 ("a visit: 6 of 7 present, 3 books audited, 1 follow-up", task_visit(browser, base),
                  "≤ 10 taps + typing, ≤ 2 screens"),
                 ("a member's own savings from their home", task_member(browser, base), "—"),
                 ("the month close, confirmed", task_close(browser, base), "—")]
        group = page_weights(browser, base, "bendahara.majusejahtera", hub_paths(browser, base))
        dashboards = page_weights(browser, base, "dinsos.bandung", ["/pemantauan/", "/kube/"])
        browser.close()
    rows = [(name, f"{m.taps} taps, {m.typed} fields typed, {m.screens:.1f} screens scrolled, {kb(m.bytes)}", goal)
            for name, m, goal in tasks]
    heaviest = max(group, key=lambda r: r[1])
    heaviest_repeat = max(group, key=lambda r: r[2])
    rows.append((f"{len(group)} pages of a group, first visit (largest)", f"{kb(heaviest[1])} ({heaviest[0]})", "≤ 60 KB"))
    rows.append(("the same, repeat visit (largest)", f"{kb(heaviest_repeat[2])} ({heaviest_repeat[0]})", "≤ 15 KB"))
    for path, first, repeat in dashboards:
        rows.append((f"office page {path}, first / repeat visit", f"{kb(first)} / {kb(repeat)}", "≤ 130 KB / ≤ 15 KB"))
    text = report("Phone tasks", rows)
    text += "\n| page of the group | first visit | repeat visit |\n|---|---|---|\n"
    text += "".join(f"| {path} | {kb(first)} | {kb(repeat)} |\n" for path, first, repeat in group)
    (BENCH_DIR / "out" / "phone-tasks.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
