"""The books at national scale (20 million ledger lines over 100,000 groups, SQLite).

Targets (issue "The group's books"): recording one cash entry over HTTP under 50 ms p95; a
group's cash book page under 150 ms p95; an LPJ PDF for a month of 300 lines under 1 s.
HTTP here is real: gunicorn on loopback serving the benchmark database, driven from this process.
Run: .venv/bin/python -m bench.books_bench
"""

from __future__ import annotations

import http.client
import json
import random
import re
import time
from datetime import date
from urllib.parse import urlencode

from bench.common import gunicorn_server, percentile, report, setup_django

PASSWORD = "bench-password-2026"


def _prepare(samples: int) -> list[tuple[int, int, str]]:
    """Treasurer accounts for a sample of groups: (kube id, user id, username)."""
    from django.db import transaction

    from accounts.models import Role, User
    from registry.models import Kube, Member

    rng = random.Random(5)
    ids = list(Kube.objects.filter(status="aktif").values_list("id", flat=True)[:50_000])
    chosen = rng.sample(ids, samples)
    out = []
    with transaction.atomic():
        for kube_id in chosen:
            member = Member.objects.filter(kube_id=kube_id, left_on__isnull=True, user__isnull=True).first()
            username = f"bench.bendahara.{kube_id}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, full_name=username, role=Role.PENGURUS)
                user.set_password(PASSWORD)
                user.save()
                if member is not None:
                    Member.objects.filter(pk=member.pk).update(user=user)
            out.append((kube_id, user.pk, username))
    return out


class Session:
    """A browser-like session over http.client: cookies, CSRF, sign-in through the login form."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
                ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        hdrs = {"Host": "127.0.0.1"} | (headers or {})
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=hdrs)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data

    def sign_in(self, username: str) -> None:
        _status, page = self.request("GET", "/akun/masuk/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, _ = self.request("POST", "/akun/masuk/", urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}),
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"})
        assert status == 302, status


def main() -> None:
    setup_django()
    from accounts.models import User
    from accounts.services import token_create
    from books.documents import lpj_document
    from books.lpj import lpj_build, parse_period
    from books.models import Line, Transaction
    from registry.models import Kube

    lines, groups = Line.objects.count(), Kube.objects.count()
    treasurers = _prepare(40)
    with gunicorn_server() as port:
        post_ms, page_ms = [], []
        for kube_id, user_id, username in treasurers:
            _t, raw = token_create(user=User.objects.get(pk=user_id), name="bench")
            api = Session(port)
            auth = {"Authorization": f"Bearer {raw}", "Content-Type": "application/json"}
            body = json.dumps({"kind": "sale", "amount": 125_000, "description": "Penjualan (bench)",
                               "date": date.today().isoformat()})
            for i in range(6):
                started = time.perf_counter()
                status, data = api.request("POST", f"/api/v1/groups/{kube_id}/transactions", body, auth)
                elapsed = (time.perf_counter() - started) * 1000
                assert status == 201, (status, data[:300])
                if i:  # the first request of a connection warms the worker for this group
                    post_ms.append(elapsed)
            web = Session(port)
            web.sign_in(username)
            for month in ("2026-10", "2026-09", "2026-08", "2026-07"):
                started = time.perf_counter()
                status, data = web.request("GET", f"/kube/{kube_id}/buku/kas/?bulan={month}")
                page_ms.append((time.perf_counter() - started) * 1000)
                assert status == 200 and b"Buku Kas Umum" in data, status

    # An LPJ PDF for a month of 300 lines (150 transactions) in one group.
    kube_id = treasurers[0][0]
    kube = Kube.objects.get(pk=kube_id)
    from books.models import TxnKind
    from books.services import cash_entry_record

    user = User.objects.get(pk=treasurers[0][1])
    month_lines = Line.objects.filter(kube=kube, date__gte=date(2026, 11, 1)).count()
    while month_lines < 300:
        cash_entry_record(actor=user, kube=kube, kind=TxnKind.SALE, amount=10_000 + month_lines,
                          description="Penjualan harian (bench)", date=date.today())
        month_lines += 2
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        pdf = lpj_document(lpj_build(kube, parse_period(date.today().strftime("%Y-%m"))))
        timings.append(time.perf_counter() - started)
    print(report("Books at national scale", [
        ("data", f"{lines:,} ledger lines, {Transaction.objects.count():,} transactions, {groups:,} groups",
         "20 million lines over 100,000 groups"),
        ("record one cash entry over HTTP (API, gunicorn 2×2, loopback)",
         f"p50 {percentile(post_ms, .5):.0f} ms, p95 {percentile(post_ms, .95):.0f} ms (n={len(post_ms)})", "p95 < 50 ms"),
        ("a group's Buku Kas Umum page for a month over HTTP",
         f"p50 {percentile(page_ms, .5):.0f} ms, p95 {percentile(page_ms, .95):.0f} ms (n={len(page_ms)})",
         "p95 < 150 ms"),
        (f"LPJ PDF for a month of {month_lines} lines ({len(pdf) // 1024} KB)",
         f"best {min(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms (n=5)", "< 1 s"),
    ]))


if __name__ == "__main__":
    main()
