"""The summary drainer beside each app server (sikube/gunicorn_conf.py): a posting reaches the
dashboard within seconds with nobody running `monitoring_refresh`, the workers themselves never
drain, and the drainer does not outlive its server, even one killed with SIGKILL."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from testing.live import Live

pytestmark = pytest.mark.django_db(transaction=True)

PERIOD = "2026-02"


def dashboard(live: Live) -> dict[str, Any]:
    status, body = live.request("GET", f"/api/v1/dashboard/{live.seed['region']}?period={PERIOD}",
                                token=live.seed["kab"])
    assert status == 200, body
    return body


def post_sale(live: Live, amount: int) -> None:
    status, body = live.request("POST", f"/api/v1/groups/{live.seed['kube']}/transactions", token=live.seed["ketua"],
                                body={"kind": "sale", "amount": amount, "description": "Penjualan keripik",
                                      "date": "2026-02-10"},
                                headers={"Idempotency-Key": os.urandom(8).hex()})
    assert status == 201, body


def processes() -> dict[int, tuple[int, str]]:
    """Every process on the machine: pid → (parent pid, command line)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        found[int(entry.name)] = (ppid, cmdline)
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def drainers_of(master: int) -> list[int]:
    return [pid for pid, (ppid, cmd) in processes().items() if ppid == master and "--follow" in cmd]


def wait_for(what, seconds: float = 15) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.1)
    return what()


def test_a_posting_reaches_the_dashboard_through_the_servers_drainer(live):
    live.start()
    master = live.servers[0].pid
    assert len(wait_for(lambda: drainers_of(master))) == 1  # one drainer, a child of the master
    before = dashboard(live)["total"]["values"].get("revenue", 0)
    posted = time.monotonic()
    post_sale(live, 15_000)
    post_sale(live, 5_000)
    shown = wait_for(lambda: dashboard(live)["total"]["values"].get("revenue", 0) == before + 20_000)
    assert shown, dashboard(live)
    assert time.monotonic() - posted < 10
    assert dashboard(live)["pending_changes"] == 0


def test_the_workers_only_record_and_a_stopped_drainer_leaves_the_rows_for_the_next(live):
    live.start()
    master = live.servers[0].pid
    (drainer,) = wait_for(lambda: drainers_of(master))
    os.kill(drainer, 19)  # SIGSTOP: the drainer is paused, the workers go on
    try:
        before = dashboard(live)["total"]["values"].get("revenue", 0)
        post_sale(live, 15_000)
        time.sleep(2)  # longer than any debounce or poll: a drain in the workers would have run
        figures = dashboard(live)
        assert figures["pending_changes"] == 1 and figures["total"]["values"].get("revenue", 0) == before
    finally:
        os.kill(drainer, 18)  # SIGCONT
    assert wait_for(lambda: dashboard(live)["pending_changes"] == 0)


@pytest.mark.parametrize("how", ["stop", "kill"])
def test_the_drainer_ends_with_its_server(live, how):
    live.start()
    master = live.servers[0].pid
    (drainer,) = wait_for(lambda: drainers_of(master))
    if how == "kill":  # the master alone, SIGKILL: nothing of gunicorn's own shutdown runs
        os.kill(master, 9)
        assert wait_for(lambda: not alive(drainer), seconds=10)
    live.stop()
    assert wait_for(lambda: not alive(drainer), seconds=10)
