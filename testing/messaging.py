"""Helpers of the messaging tests: phones and consent for a group's members, a recording gateway,
and a local fake HTTP server that answers as a provider does."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from messaging.backends import Outcome, Outgoing
from messaging.models import ConsentMethod
from messaging.services import consent_record
from registry.models import Kube, Member


def give_phones(kube: Kube) -> list[Member]:
    """Every member of the group a distinct valid +62 number."""
    members = list(kube.members.order_by("id"))
    for i, member in enumerate(members):
        member.phone = f"+62812{kube.pk:03d}{i:05d}"
        Member.objects.filter(pk=member.pk).update(phone=member.phone)
    return members


def consent_all(kube: Kube, actor: Any, members: list[Member] | None = None) -> list[Member]:
    members = members if members is not None else give_phones(kube)
    for member in members:
        consent_record(actor=actor, member=member, given_on=date(2026, 1, 5), method=ConsentMethod.FORM)
    return members


@dataclass
class RecordingBackend:
    """A gateway that keeps every message handed to it (no deduplication: a repeat is counted)."""

    name: str = "recording"
    deduplicates: bool = False
    answer: Callable[[Outgoing], Outcome] | None = None
    sent: list[Outgoing] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0

    def send(self, message: Outgoing) -> Outcome:
        if self.delay:
            import time

            time.sleep(self.delay)
        with self.lock:
            self.sent.append(message)
        if self.answer is not None:
            return self.answer(message)
        return Outcome(ok=True, provider_id=f"p-{message.client_ref}")


@dataclass
class FakeGateway:
    """What a fake provider received (path, headers, body) and how it answers."""

    url: str
    requests: list[dict[str, Any]]
    respond: list[Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]]


@contextmanager
def fake_gateway(respond: Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]) -> Iterator[FakeGateway]:
    """A threading HTTP server on 127.0.0.1 that records each POST and answers with `respond`."""
    received: list[dict[str, Any]] = []
    answer = [respond]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length).decode()
            request = {"path": self.path, "headers": dict(self.headers.items()), "raw": raw,
                       "content_type": self.headers.get("Content-Type", "")}
            received.append(request)
            status, body = answer[0](request)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeGateway(url=f"http://127.0.0.1:{server.server_address[1]}", requests=received, respond=answer)
    finally:
        server.shutdown()
        server.server_close()
