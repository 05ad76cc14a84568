"""Copies of one keyed posting sent at the same instant to two app servers: one posting, one answer.

On SQLite the keyed transaction begins at the view's first write (lib.sqlite.base), so several
copies may all pass the first look for the key and read side by side; the first to write records
the key, and every other is stopped at its own first write and gets the first answer. On
PostgreSQL the copies wait on the key's unique index instead. Either way: exactly once.
"""

from __future__ import annotations

import json
import threading

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

SALE = {"kind": "sale", "amount": 15_000, "description": "Penjualan keripik", "date": "2026-02-10"}


def test_copies_racing_on_two_servers_post_once_and_get_one_answer(live):
    live.start(servers=2)
    seed = live.seed
    url = f"/api/v1/groups/{seed['kube']}/transactions"
    keys = [f"race-{n}" for n in range(8)]
    answers: dict[str, list[tuple[int, str]]] = {key: [] for key in keys}
    lock = threading.Lock()

    def send(key: str, barrier: threading.Barrier) -> None:
        barrier.wait(timeout=30)
        status, body = live.request("POST", url, token=seed["ketua"], body=SALE, headers={"Idempotency-Key": key})
        with lock:
            answers[key].append((status, json.dumps(body, sort_keys=True)))

    for key in keys:
        barrier = threading.Barrier(6)
        threads = [threading.Thread(target=send, args=(key, barrier)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    live.stop()
    for key in keys:
        assert [status for status, _b in answers[key]] == [201] * 6, answers[key]
        assert len({body for _s, body in answers[key]}) == 1, answers[key]  # the same posting, the same answer
    final = json.loads(live.python("ops.tests.probe"))
    assert len(final["transactions"]) == 1 + len(keys)  # the seed's capital, then one per key
    assert final["ledger_problems"] == []
