"""Members' messages (issue 20): the worker sends 10,000 waiting messages to a local fake WhatsApp
Cloud API, two worker processes at once, and the fake counts what it received by client reference
(the request's `biz_opaque_callback_data`), so a message sent twice would show.

Its own database (bench/data/messages.sqlite3, deleted afterwards unless --keep); the gateway is a
threading HTTP server in this process answering as the Cloud API does (`messages[0].id`).

Run: .venv/bin/python -m bench.messages_bench [--messages 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.common import DATA_DIR, report, setup_django

DB_NAME = "messages.sqlite3"


def build(messages: int) -> None:
    from django.core.management import call_command

    from messaging.models import Consent, Event, Message
    from regions.models import Region
    from regions.services import regions_sync
    from registry.models import Kube, Member, Programme

    call_command("migrate", verbosity=0)
    desa = "32.04.06.1002"
    regions_sync(only={desa})
    programme, _ = Programme.objects.get_or_create(code="kube-fm", defaults={"name": "KUBE Fakir Miskin"})
    kube = Kube.objects.create(name="KUBE Bench Pesan", reg_number="B-1", desa=Region.objects.get(pk=desa),
                               formed_on=date(2024, 1, 1), programme=programme, business_type="warung")
    members = Member.objects.bulk_create([
        Member(kube=kube, nik=f"320406{i:010d}", kk_number=f"320406{i:010d}", name=f"Warga {i}", sex="P",
               birth_date=date(1980, 1, 1), phone=f"+6281200{i:06d}", joined_on=date(2024, 1, 1)) for i in range(100)])
    Consent.objects.bulk_create([Consent(member=m, given_on=date(2024, 1, 2), method="form") for m in members])
    Message.objects.bulk_create([
        Message(kube=kube, member=members[i % len(members)], event=Event.DEPOSIT, event_ref=f"bench{i}",
                text=f"KUBE Bench Pesan: setoran simpanan Anda Rp{1000 + i} tgl 01/06/2026.",
                params=["KUBE Bench Pesan", f"Rp{1000 + i}", "01/06/2026", "Rp0"]) for i in range(messages)],
        batch_size=2000)


def fake_cloud_api() -> tuple[ThreadingHTTPServer, Counter[str]]:
    received: Counter[str] = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            ref = body.get("biz_opaque_callback_data", "")
            with lock:
                received[ref] += 1
            answer = json.dumps({"messaging_product": "whatsapp", "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                 "messages": [{"id": f"wamid.{ref}"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # two senders × MESSAGING_CONCURRENCY connections at once

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def run_worker(url: str) -> None:
    """One worker process: everything due, in passes of 200, until a pass takes nothing."""
    from messaging import worker
    from messaging.backends import WhatsAppBackend
    from messaging.models import Message, Status

    backend = WhatsAppBackend(base_url=url, version="v21.0", phone_number_id="1", token="bench", language="id")  # noqa: S106 - a fake gateway
    sent = worker.run_all(backend).sent
    while Message.objects.filter(status__in=(Status.PENDING, Status.SENDING)).exists():  # a retry due later
        time.sleep(0.5)
        sent += worker.run_all(backend).sent
    print(sent)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep bench/data/messages.sqlite3 afterwards")
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)  # internal: run one worker against this URL
    args = parser.parse_args()
    path = DATA_DIR / DB_NAME
    if args.worker:
        setup_django(DB_NAME)
        run_worker(args.worker)
        return
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    setup_django(DB_NAME)
    from django.db import connection

    from messaging.models import Message, Status

    build(args.messages)
    connection.close()
    server, received = fake_cloud_api()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "bench.messages_bench", "--worker", url],
                              env={**os.environ, "MESSAGING_BACKOFF_SECONDS": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(args.workers)]
    per_worker = []
    for proc in procs:
        out, err = proc.communicate(timeout=3600)
        if proc.returncode:
            raise SystemExit(err[-3000:])
        per_worker.append(int(out.split()[-1]))
    elapsed = time.perf_counter() - started
    server.shutdown()
    twice = sum(1 for n in received.values() if n > 1)
    statuses = Counter(Message.objects.values_list("status", flat=True))
    text = report("Members' messages sent", [
        ("messages waiting", f"{args.messages:,}", ""),
        (f"sent by {args.workers} worker processes at once (each)", ", ".join(f"{n:,}" for n in per_worker), ""),
        ("wall time, first claim to last record", f"{elapsed:.1f} s", ""),
        ("rate", f"{args.messages / elapsed:,.0f} messages/s", "at least a gateway's own limit (Cloud API: 80/s per number)"),
        ("received by the fake gateway", f"{sum(received.values()):,} requests, {len(received):,} distinct references",
         f"{args.messages:,}, each once"),
        ("sent twice", f"{twice}", "0"),
        ("rows marked sent", f"{statuses.get(Status.SENT, 0):,}", f"{args.messages:,}"),
        ("retried after a refused connection (then sent)", f"{Message.objects.filter(attempts__gt=1).count():,}", ""),
    ])
    print(text)
    if not args.keep:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-writer.lock")):
            leftover.unlink(missing_ok=True)
    if twice or len(received) != args.messages:
        raise SystemExit("a message was sent twice or not at all")


if __name__ == "__main__":
    main()
