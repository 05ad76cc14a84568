"""SIGKILL in the middle of a burst of postings and an import; backup while posting, then restore.

Each test runs a real installation (testing/live.py): gunicorn over its own SQLite file, or
over a new database on the test run's PostgreSQL server when the suite runs on PostgreSQL. The
crash runs two app servers at once on the one database, the posters alternating between them as
behind a load balancer, and kills both: several processes writing at once must lose nothing and
double nothing (retries with the same Idempotency-Key may land on the other server).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid

import pytest

from testing.live import Live, multipart
from testing.registry import build

pytestmark = pytest.mark.django_db(transaction=True)

SALE = {"kind": "sale", "amount": 15_000, "description": "Penjualan keripik", "date": "2026-02-10"}


class Burst:
    """Posters sending sales (each with its own Idempotency-Key) until the server goes away."""

    def __init__(self, live: Live, posters: int = 4) -> None:
        self.live = live
        self.acknowledged: dict[str, int] = {}  # key -> transaction id
        self.unanswered: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._post, daemon=True) for _ in range(posters)]

    def _post(self) -> None:
        seed = self.live.seed
        while not self.stop.is_set():
            key = uuid.uuid4().hex
            try:
                status, body = self.live.request("POST", f"/api/v1/groups/{seed['kube']}/transactions",
                                                 token=seed["ketua"], body=SALE, headers={"Idempotency-Key": key})
            except (OSError, http.client.HTTPException):  # the server died under this request (a reset, or an
                # answer cut off: IncompleteRead): it may or may not have been saved
                with self.lock:
                    self.unanswered.append(key)
                return
            assert status == 201, body
            with self.lock:
                self.acknowledged[key] = body["id"]

    def __enter__(self) -> Burst:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)

    def wait_for(self, n: int) -> None:
        deadline = time.monotonic() + 60
        while len(self.acknowledged) < n and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.acknowledged) >= n


def test_two_killed_app_servers_keep_every_acknowledged_posting_and_no_half_transaction(live):
    live.start(servers=2)
    first_servers = list(live.ports)
    seed = live.seed
    import_answer: list[int] = []
    workbook, content_type = multipart("file", "impor.xlsx", build(150))

    def send_import() -> None:
        try:
            status, _body = live.request("POST", "/api/v1/imports", token=seed["kab"], data=workbook,
                                         content_type=content_type, timeout=120)
            import_answer.append(status)
        except OSError:
            import_answer.append(0)

    importer = threading.Thread(target=send_import, daemon=True)
    with Burst(live) as burst:
        burst.wait_for(10)
        importer.start()
        burst.wait_for(len(burst.acknowledged) + 15)  # the import is being read and written meanwhile
        live.kill()
    importer.join(timeout=60)
    assert len(burst.acknowledged) >= 25
    assert all(live.answered[port] >= 5 for port in first_servers)  # both servers were posting

    after = json.loads(live.python("ops.tests.probe"))
    assert after["ledger_problems"] == []
    stored = set(after["transactions"])
    assert set(burst.acknowledged.values()) <= stored  # nothing acknowledged is lost
    # All of the import or nothing of it; all of it if it was acknowledged.
    assert (after["imported_groups"], after["imported_members"]) in ((0, 0), (150, 1500))
    if import_answer == [201]:
        assert after["imported_groups"] == 150

    # The phones retry what went unanswered, with the same keys: nothing is posted twice, whichever
    # server each retry reaches.
    live.start(servers=2)
    for key in burst.unanswered:
        status, body = live.request("POST", f"/api/v1/groups/{seed['kube']}/transactions", token=seed["ketua"],
                                    body=SALE, headers={"Idempotency-Key": key})
        assert status == 201, body
        burst.acknowledged[key] = body["id"]
    for key in list(burst.acknowledged)[:6]:  # and what was answered, replayed (on both servers)
        status, body = live.request("POST", f"/api/v1/groups/{seed['kube']}/transactions", token=seed["ketua"],
                                    body=SALE, headers={"Idempotency-Key": key})
        assert status == 201 and body["id"] == burst.acknowledged[key]
    live.stop()
    final = json.loads(live.python("ops.tests.probe"))
    assert set(burst.acknowledged.values()) <= set(final["transactions"])
    assert len(final["transactions"]) == 1 + len(burst.acknowledged)  # the seed's capital, then one per key
    assert final["ledger_problems"] == []


def test_a_backup_taken_while_posting_restores_whole(live):
    live.start()
    with Burst(live, posters=3) as burst:
        burst.wait_for(10)
        made = live.manage("backup", "--dir", str(live.var / "backups"))
        at_backup = len(burst.acknowledged)
        burst.wait_for(at_backup + 10)
    live.stop()
    path = made.stdout.split("Cadangan dibuat: ", 1)[1].split(" (", 1)[0]
    before_restore = json.loads(live.python("ops.tests.probe"))
    refused = live.manage("restore", path, check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    restored = live.manage("restore", path, "--yes")
    assert "Buku besar utuh" in restored.stdout
    after = json.loads(live.python("ops.tests.probe"))
    assert after["ledger_problems"] == []
    # A snapshot of some instant during the burst: everything before it, nothing after the restore's source.
    assert 10 <= len(after["transactions"]) - 1 <= len(before_restore["transactions"]) - 1
    assert set(after["transactions"]) <= set(before_restore["transactions"])
    assert set(burst.acknowledged.values()) <= set(before_restore["transactions"])
    assert len(after["transactions"]) < len(before_restore["transactions"])  # the later postings are gone
