"""Registry at national scale: list/filter a kabupaten, search a name, import 10,000 members.

Targets (issue "Group registry"): list/filter a kabupaten and search a name under 200 ms p95 on
SQLite; importing a 10,000-member sheet under 60 s; a national member-name search (pusat) under
50 ms p95 on SQLite and PostgreSQL (issue 14, through the name index of registry/search.py).
Requests go through the whole Django stack (middleware, view, template) with the test client, in
one process.
Run: .venv/bin/python -m bench.registry_bench
     .venv/bin/python -m bench.registry_bench --search-only --members 1000000   (the searches only,
        after topping the members up to a million with generated rows when the database has fewer)
     scripts/with_postgres.sh .venv/bin/python -m bench.registry_bench --postgres --members 1000000
        (regions, users and groups copied from the SQLite database by bench/pg_copy.py, the members
        generated there)
"""

from __future__ import annotations

import io
import random
import sys
import time
from datetime import date, datetime

from bench.common import report, setup_django, timed


def top_up_members(target: int) -> int:
    """Generated members (names as bench/generate.py draws them) until there are `target`; the
    index is rebuilt on SQLite (rows written past the services), PostgreSQL keeps its own."""
    from django.db import connection, transaction

    from demo import names
    from registry.models import Kube, Member
    from registry.search import member_name_reindex

    have = Member.objects.count()
    if have >= target:
        return 0
    kubes = list(Kube.objects.values_list("pk", flat=True))
    rng = random.Random(14)
    table = Member._meta.db_table
    columns = ["kube_id", "nik", "kk_number", "name", "sex", "birth_date", "address", "phone", "target_group",
               "welfare_level", "dtsen_status", "skills", "task", "joined_on", "left_reason",
               "left_note", "created_at"]
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    now = datetime(2026, 1, 1, 0, 0)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(have, target, 50_000):
            rows = []
            for i in range(start, min(start + 50_000, target)):
                sex = "P" if i % 2 else "L"
                first = rng.choice(names.WOMEN if sex == "P" else names.MEN)
                rows.append((kubes[i % len(kubes)], f"99{i:014d}", f"98{i:014d}", f"{first} {rng.choice(names.FAMILY)}",
                             sex, date(1970 + i % 30, 1 + i % 12, 1 + i % 28), "", "", "fakir_miskin", "miskin", "unchecked",
                             "", "", date(2025, 1, 1), "", "", now))
            cursor.executemany(sql, rows)
        member_name_reindex()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return target - have


def national_search(rows: list[tuple[str, str, str]]) -> None:
    """The pusat account searching ten members' full names and ten single first names, page 1."""
    from django.db import connection
    from django.test import Client

    from accounts.models import Role, User
    from registry.models import Member

    pusat, _ = User.objects.get_or_create(username="bench.pusat", defaults={"role": Role.PUSAT,
                                                                            "full_name": "Pusat"})
    rng = random.Random(7)
    top = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    names: list[str] = []
    while len(names) < 10:
        found = Member.objects.filter(pk__gte=rng.randint(1, top)).order_by("pk").values_list("name", flat=True).first()
        if found:
            names.append(found)
    client = Client()
    client.force_login(pusat)

    def search(q: str):
        def go():
            response = client.get("/kube/", {"q": q})
            assert response.status_code == 200
        return go

    full = [search(n) for n in names]
    first = [search(n.split()[0]) for n in names]
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    rows.append((f"search a member's full name nationally (pusat), {vendor}", _fmt(timed(_cycle(full), runs=40)),
                 "p95 <= 50 ms"))
    rows.append((f"search a first name nationally (pusat; ~1/60 of all members match), {vendor}",
                 _fmt(timed(_cycle(first), runs=40)), "—"))
    inside = [search(n.lower()[1:6]) for n in names]
    rows.append((f"search five letters inside a name nationally (pusat), {vendor}", _fmt(timed(_cycle(inside), runs=40)),
                 "—"))


def _cycle(fn_list):
    it = iter(fn_list * 100)
    return lambda: next(it)()


def search_only(postgres: bool, members: int) -> None:
    if postgres:
        from bench.pg_copy import copy_summaries_to_postgres

        setup_django()
        copied = copy_summaries_to_postgres()
    else:
        setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        copied = ""
    from django.test.utils import setup_test_environment

    from registry.models import Kube, Member

    setup_test_environment()
    started = time.monotonic()
    added = top_up_members(members) if members else 0
    generated = f"; {added:,} members generated in {time.monotonic() - started:.0f} s" if added else ""
    rows = [("data", f"{Kube.objects.count():,} groups, {Member.objects.count():,} members{generated}"
             + (f"; groups copied ({copied})" if copied else ""), "1,000,000 members")]
    national_search(rows)
    print(report("Member-name search" + (" (PostgreSQL)" if postgres else ""), rows))


def main() -> None:
    if "--search-only" in sys.argv or "--postgres" in sys.argv:
        members = int(sys.argv[sys.argv.index("--members") + 1]) if "--members" in sys.argv else 0
        search_only("--postgres" in sys.argv, members)
        return
    setup_django()
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from openpyxl import Workbook

    from accounts.models import Role, User
    from lib.nik import nik_date_part
    from regions.models import Region
    from registry.importer import KUBE_COLUMNS, MEMBER_COLUMNS, import_workbook
    from registry.models import Kube, Member

    setup_test_environment()
    kube_total, member_total = Kube.objects.count(), Member.objects.count()
    offices = list(User.objects.filter(role=Role.KABUPATEN).order_by("?")[:20])
    names = list(Member.objects.order_by("?").values_list("name", flat=True)[:50])
    client = Client()
    rows = [("data", f"{kube_total:,} groups, {member_total:,} members", "100,000 / ~1,000,000")]

    def cycle(fn_list):
        it = iter(fn_list * 100)
        return lambda: next(it)()

    def office_get(user, params):
        def go():
            client.force_login(user)
            response = client.get("/kube/", params)
            assert response.status_code == 200
        return go

    listing = [office_get(u, {}) for u in offices]
    rows.append(("list a kabupaten (page 1, 25 rows) as its office",
                 _fmt(timed(cycle(listing), runs=60)), "p95 < 200 ms"))
    filtering = [office_get(u, {"stage": "pengembangan", "status": "aktif", "page": "2"}) for u in offices]
    rows.append(("filter a kabupaten by stage + status, page 2",
                 _fmt(timed(cycle(filtering), runs=60)), "p95 < 200 ms"))
    kecamatan = [office_get(u, {"region": Region.objects.filter(parent_id=u.region_id).order_by("?").first().pk})
                 for u in offices]
    rows.append(("filter a kabupaten by kecamatan", _fmt(timed(cycle(kecamatan), runs=60)), "p95 < 200 ms"))
    member_search = [office_get(u, {"q": names[i % len(names)]}) for i, u in enumerate(offices)]
    rows.append(("search a member's name within a kabupaten", _fmt(timed(cycle(member_search), runs=60)),
                 "p95 < 200 ms"))
    group_search = [office_get(u, {"q": "Sejahtera 0"}) for u in offices]
    rows.append(("search a group name within a kabupaten", _fmt(timed(cycle(group_search), runs=60)),
                 "p95 < 200 ms"))
    national_search(rows)

    # Import: 1,000 groups × 10 members into desas of one kabupaten, rolled back afterwards.
    office = offices[0]
    desas = list(Region.objects.filter(level=4, code__startswith=office.region_id + ".").values_list("code", flat=True))
    wb = Workbook()
    ws = wb.active
    ws.title = "KUBE"
    ws.append([c.header for c in KUBE_COLUMNS])
    ms = wb.create_sheet("Anggota")
    ms.append([c.header for c in MEMBER_COLUMNS])
    for g in range(1000):
        desa = desas[g % len(desas)]
        ws.append([f"B{g}", f"KUBE Impor Bench {g:04d}", desa, "Jl. Uji", "001", "001", date(2025, 1, 1),
                   "kube-fm", "Fakir miskin", "Warung sembako", "", "Usaha kelompok", "", "", None])
        kec = desa[:8].replace(".", "")
        for j in range(10):
            serial = g * 10 + j
            # 336 birth dates × a serial from 9100 up: unique, and apart from the generated members'.
            born = date(1971, 1 + serial % 336 // 28, 1 + serial % 28)
            nik = f"{kec}{nik_date_part(born, 'L')}{9100 + serial // 336:04d}"
            ms.append([f"B{g}", nik, f"{kec}77{serial:08d}", f"Warga Bench {serial}", "L", born, "Jl. Uji",
                       "", "Fakir miskin", "Miskin", "", "", "", "",
                       ["Ketua", "Sekretaris", "Bendahara"][j] if j < 3 else "", None])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()

    class Upload(io.BytesIO):
        size = len(data)

    started = time.perf_counter()
    with transaction.atomic():
        result = import_workbook(actor=office, upload=Upload(data))
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    assert result.ok, result.issues[:5]
    rows.append((f"import {result.members:,} members in {result.kubes:,} groups (xlsx {len(data) / 1e6:.1f} MB)",
                 f"{elapsed:.1f} s", "< 60 s"))
    print(report("Registry at national scale", rows))


def _fmt(t: dict[str, float]) -> str:
    return f"p50 {t['p50']:.0f} ms, p95 {t['p95']:.0f} ms (n={t['n']})"


if __name__ == "__main__":
    main()
