"""Mentoring at national scale: a mentor's workspace for 60 groups.

Data: the registry benchmark's 100,000 groups and the books benchmark's ledger, plus a year of
monthly visits for every group (1.2 million visits with attendance counts, a quarterly book audit
and follow-ups), written once with bulk inserts. One mentor is given 60 groups of one kabupaten.
Target (issue "Mentoring"): the workspace renders under 150 ms p95. Measured over HTTP (gunicorn on
loopback, as in the books benchmark) and through the JSON API.
Run: .venv/bin/python -m bench.mentoring_bench
"""

from __future__ import annotations

import json
import random
import time
from datetime import date, timedelta

from bench.books_bench import PASSWORD, Session
from bench.common import gunicorn_server, percentile, report, setup_django

SEED = 17
MONTHS = 12
GROUPS_PER_MENTOR = 60


def generate_visits() -> None:
    """A year of visits for every group, unless the table already holds them."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Min

    from accounts.models import Role, User
    from mentoring.models import BookAudit, FollowUp, Visit
    from registry.models import Kube, Member

    call_command("migrate", verbosity=0)
    if Visit.objects.count() >= 1_000_000:
        return
    if Visit.objects.exists():
        raise SystemExit("a partial visit table is in the bench database; delete bench/data/ and start again")
    started = time.monotonic()
    rng = random.Random(SEED)
    mentor, _ = User.objects.get_or_create(username="bench.pendamping.umum",
                                           defaults={"full_name": "Pendamping (bench)", "role": Role.PENDAMPING})
    # One member per group is enough to carry a follow-up.
    person = dict(Member.objects.order_by().values("kube_id").annotate(m=Min("id")).values_list("kube_id", "m"))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
    today = date(2026, 11, 7)
    visit_id = 1
    kubes = list(Kube.objects.values_list("id", "formed_on"))
    for chunk in range(0, len(kubes), 5000):
        visits, audits, follow_ups = [], [], []
        for kube_id, formed_on in kubes[chunk:chunk + 5000]:
            lapse = rng.random() < 0.15  # some groups have not been visited lately
            for m in range(MONTHS, 0, -1):
                day = today - timedelta(days=30 * m + rng.randint(0, 4))
                if day < formed_on or (lapse and m < 3):
                    continue
                active = rng.randint(6, 12)
                visits.append(Visit(id=visit_id, kube_id=kube_id, pendamping_id=mentor.pk, kind="rutin", date=day,
                                    place="Rumah ketua", problems="Pelaporan keuangan", solutions="Dievaluasi",
                                    members_active=active, members_present=rng.randint(3, active),
                                    treasurer_report_reviewed=True, cash_balance=rng.randint(0, 5_000_000),
                                    recorded_by_id=mentor.pk))
                if m % 3 == 0:
                    audits += [BookAudit(visit_id=visit_id, book=b, checked=True, in_order=rng.random() < .8)
                               for b in ("kas", "anggota", "agenda", "iks")]
                if rng.random() < 0.3 and kube_id in person:
                    closed = m > 1 and rng.random() < 0.85
                    follow_ups.append(FollowUp(kube_id=kube_id, visit_id=visit_id, action="Lengkapi buku kas",
                                               person_id=person[kube_id], due_on=day + timedelta(days=21),
                                               closed_on=day + timedelta(days=25) if closed else None))
                visit_id += 1
        with transaction.atomic():
            Visit.objects.bulk_create(visits, batch_size=2000)
            BookAudit.objects.bulk_create(audits, batch_size=2000)
            FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    print(f"generated {visit_id - 1:,} visits in {time.monotonic() - started:.0f} s")


def _mentor_with_groups() -> tuple[int, str, list[int]]:
    """A mentor given 60 groups of one kabupaten (one mentor per kecamatan is usual; 60 is the target)."""
    from accounts.models import Role, User
    from lib.regioncode import within_q
    from registry.models import Kube

    username = "bench.pendamping.60"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name="Pendamping 60 KUBE (bench)", role=Role.PENDAMPING)
        user.set_password(PASSWORD)
        user.save()
    ids = list(Kube.objects.filter(pendamping=user).values_list("id", flat=True))
    if len(ids) != GROUPS_PER_MENTOR:
        Kube.objects.filter(pendamping=user).update(pendamping=None)
        ids = list(Kube.objects.filter(within_q("desa_id", "32.04")).exclude(status="bubar")
                   .order_by("id").values_list("id", flat=True)[:GROUPS_PER_MENTOR])
        Kube.objects.filter(id__in=ids).update(pendamping=user)
    return user.pk, username, ids


def main() -> None:
    setup_django()
    generate_visits()
    from accounts.models import User
    from accounts.services import token_create
    from mentoring.models import FollowUp, Visit

    user_id, username, ids = _mentor_with_groups()
    visits, follow_ups = Visit.objects.count(), FollowUp.objects.count()
    with gunicorn_server() as port:
        web = Session(port)
        web.sign_in(username)
        page_ms, api_ms = [], []
        for i in range(65):
            started = time.perf_counter()
            status, data = web.request("GET", "/pendampingan/")
            elapsed = (time.perf_counter() - started) * 1000
            assert status == 200 and data.count(b'class="ws-row') == GROUPS_PER_MENTOR, status
            if i >= 5:  # both workers warmed
                page_ms.append(elapsed)
        _t, raw = token_create(user=User.objects.get(pk=user_id), name="bench")
        api = Session(port)
        for i in range(65):
            started = time.perf_counter()
            status, data = api.request("GET", f"/api/v1/mentors/{user_id}/workspace",
                                       headers={"Authorization": f"Bearer {raw}"})
            elapsed = (time.perf_counter() - started) * 1000
            assert status == 200 and len(json.loads(data)) == GROUPS_PER_MENTOR, status
            if i >= 5:
                api_ms.append(elapsed)
    print(report("Mentoring at national scale", [
        ("data", f"{visits:,} visits, {follow_ups:,} follow-ups over the national groups",
         "a year of monthly visits for 100,000 groups"),
        (f"a mentor's workspace page for {len(ids)} groups over HTTP (gunicorn 2×2, loopback)",
         f"p50 {percentile(page_ms, .5):.0f} ms, p95 {percentile(page_ms, .95):.0f} ms (n={len(page_ms)})",
         "p95 < 150 ms"),
        ("the same attention list as JSON (/api/v1/mentors/{id}/workspace)",
         f"p50 {percentile(api_ms, .5):.0f} ms, p95 {percentile(api_ms, .95):.0f} ms (n={len(api_ms)})",
         "p95 < 150 ms"),
    ]))


if __name__ == "__main__":
    main()
