"""Registry at national scale: list/filter a kabupaten, search a name, import 10,000 members.

Targets (issue "Group registry"): list/filter a kabupaten and search a name under 200 ms p95 on
SQLite; importing a 10,000-member sheet under 60 s; a national member-name search (pusat) under
50 ms p95 on SQLite and PostgreSQL (issue 14, through the name index of registry/search.py).
Requests go through the whole Django stack (middleware, view, template) with the test client, in
one process.
Run: .venv/bin/python -m bench.registry_bench
     .venv/bin/python -m bench.registry_bench --search-only --members 1000000   (the searches only,
        after topping the members up to a million with generated rows when the database has fewer)
     .venv/bin/python -m bench.registry_bench --pages   (the page and the API for pusat, a provinsi and a
        kabupaten on the search's own database, bench/data/search.sqlite3, as --names builds it)
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


def top_up_members(target: int, kubes: list[int] | None = None) -> int:
    """Generated members (names as bench/generate.py draws them) until there are `target`; the
    index is rebuilt on SQLite (rows written past the services), PostgreSQL keeps its own."""
    from django.db import connection, transaction

    from demo import names
    from registry.models import Kube, Member
    from registry.search import member_name_reindex

    have = Member.objects.count()
    if have >= target:
        return 0
    if kubes is None:
        kubes = list(Kube.objects.values_list("pk", flat=True))
    rng = random.Random(14)
    table = Member._meta.db_table
    columns = ["kube_id", "nik", "kk_number", "name", "sex", "birth_date", "address", "phone", "target_group",
               "welfare_level", "dtsen_status", "skills", "task", "joined_on", "left_reason",
               "left_note", "created_at", "version"]
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    now = datetime(2026, 1, 1, 0, 0)
    gin = []
    if connection.vendor == "postgresql":
        # The trigram indexes are built once after the load, not kept row by row (958 s before).
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                           [table, "% USING gin %"])
            gin = cursor.fetchall()
            for name, _definition in gin:
                cursor.execute(f'DROP INDEX "{name}"')
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(have, target, 50_000):
            rows = []
            for i in range(start, min(start + 50_000, target)):
                sex = "P" if i % 2 else "L"
                first = rng.choice(names.WOMEN if sex == "P" else names.MEN)
                rows.append((kubes[i % len(kubes)], f"99{i:014d}", f"98{i:014d}", f"{first} {rng.choice(names.FAMILY)}",
                             sex, date(1970 + i % 30, 1 + i % 12, 1 + i % 28), "", "", "fakir_miskin", "miskin", "unchecked",
                             "", "", date(2025, 1, 1), "", "", now, 1))
            cursor.executemany(sql, rows)
        member_name_reindex()
    with connection.cursor() as cursor:  # after the commit: not with the load's deferred checks pending
        for _name, definition in gin:
            cursor.execute(definition)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return target - have


SEARCH_DB = "search.sqlite3"


def build_search_db(groups: int = 100_000, members: int = 1_000_000) -> str:
    """The search's own national database (bench/data/search.sqlite3): the regions, 100,000
    groups and 1,000,000 members named as bench/generate.py names them (60 first names × 24 family
    names), one account per kabupaten; no books. Built once (minutes), then reused."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import Role, User
    from demo import names
    from regions.models import Region
    from registry.models import Kube, Member, Programme

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if not Region.objects.filter(level=4).exists():
        call_command("regions_load", verbosity=0)
    if Member.objects.count() >= members:
        mentors = assign_mentors()
        return f"reused{f', {mentors:,} mentors added' if mentors else ''}"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    rng = random.Random(14)
    desas = list(Region.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    rng.shuffle(desas)
    programme, _ = Programme.objects.get_or_create(
        code="kube-fm", defaults={"name": "KUBE Fakir Miskin", "min_members": 5, "max_members": 10})
    with transaction.atomic():
        for kab in sorted({d[:5] for d in desas}):
            User.objects.get_or_create(username=f"dinsos.{kab}", defaults={
                "full_name": f"Dinas Sosial {kab}", "role": Role.KABUPATEN, "region_id": kab})
        have = Kube.objects.count()
        Kube.objects.bulk_create([Kube(
            name=f"KUBE {rng.choice(names.GROUP_WORDS)} {i:06d}", reg_number=f"KUBE-S{i:07d}",
            desa_id=desas[i % len(desas)], formed_on=date(2020, 1, 1), programme=programme,
            business_type="warung") for i in range(have, groups)], batch_size=5000)
    kubes = list(Kube.objects.order_by("pk").values_list("pk", flat=True))
    added = top_up_members(members, kubes=kubes)
    assign_mentors()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return f"built: {len(kubes):,} groups, {added:,} members in {time.monotonic() - started:.0f} s"


def assign_mentors() -> int:
    """One mentor per kecamatan holding its groups, as bench/generate.py assigns them (the list's
    mentor filter reads them: a province has hundreds, a kabupaten dozens); the number created."""
    from django.db import connection, transaction

    from accounts.models import Role, User
    from registry.models import Kube

    if User.objects.filter(role=Role.PENDAMPING).exists():
        return 0
    kecamatan = sorted({desa[:8] for desa in Kube.objects.values_list("desa_id", flat=True).distinct()})
    with transaction.atomic():
        User.objects.bulk_create([User(username=f"pendamping.{kec}", full_name=f"Pendamping {kec}",
                                       password="!",  # noqa: S106 - unusable, as set_unusable_password writes it
                                       role=Role.PENDAMPING, region_id=kec) for kec in kecamatan], batch_size=2000)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Kube._meta.db_table} SET pendamping_id = (SELECT u.id FROM {User._meta.db_table} u "
                           "WHERE u.role = %s AND u.region_id = substr(desa_id, 1, 8))", [Role.PENDAMPING])
    return len(kecamatan)


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


def _old_search(user, q: str):
    """The list's name search as it was before the word indexes (commit 709b6e3), for the
    before/after in one run: the members' trigram phrase, the groups' names read with LIKE, a
    full count and the first page."""
    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Q
    from django.db.models.expressions import RawSQL

    from accounts.access import kubes_for_user
    from registry.models import Member
    from registry.search import FTS_TABLE

    q = " ".join(q.split())
    qs = kubes_for_user(user)
    plain = Q(name__icontains=q)
    if len(q) >= 3 and connection.vendor == "sqlite":  # PostgreSQL: the GIN index serves icontains
        phrase = '"' + q.replace('"', '""') + '"'
        plain &= Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [phrase]))  # noqa: S611
    by_member = Member.objects.filter(plain, kube__in=qs.values("pk")).values("kube_id")
    qs = qs.filter(Q(name__icontains=q) | Q(pk__in=by_member)).order_by("name", "id")
    page = Paginator(qs.select_related("desa", "programme", "pendamping", "state"), 25).get_page(1)
    return page.paginator.count, [k.pk for k in page]


def _new_search(user, q: str):
    """The list's name search now, as the page runs it: the capped count and the first page."""
    from django.core.paginator import Paginator

    from registry.selectors import KubeFilters, kube_search

    found = kube_search(user, KubeFilters(q=q))
    paginator = Paginator(found.kubes.select_related("desa", "programme", "pendamping", "state"), 25)
    if found.count is not None or found.more:
        paginator.count = found.cap + 1 if found.count is None else found.count
    page = paginator.get_page(1)
    return page.paginator.count, [k.pk for k in page]


def _search_setup(members: int) -> tuple[str, str, tuple]:
    """Django on the search's own database (built once), and the three users the searches run as:
    pusat, a provinsi (Jawa Barat) and a kabupaten (Kab. Bandung)."""
    setup_django(SEARCH_DB)
    from django.db import connection
    from django.test.utils import setup_test_environment

    from accounts.models import Role, User

    setup_test_environment()
    built = build_search_db(groups=members // 10, members=members)
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    if connection.vendor == "postgresql":
        # The tables as autovacuum leaves them once a load has settled, their visibility maps set:
        # measured straight after the load, an index-only read visited every row it listed, and
        # PostgreSQL chose other plans (a province's page without a search: 23 → 47 ms). A vacuum
        # right after the load may still leave pages unmarked while another transaction's snapshot
        # (autovacuum's own) predates the mentors' update, so it runs here, before every measurement.
        with connection.cursor() as cursor:
            for table in ("registry_kube", "registry_member", "registry_kube_member_names", "accounts_user"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    pusat, _ = User.objects.get_or_create(username="bench.pusat", defaults={"role": Role.PUSAT, "full_name": "Pusat"})
    prov, _ = User.objects.get_or_create(username="bench.jabar", defaults={
        "role": Role.PROVINSI, "full_name": "Dinas Sosial Jawa Barat", "region_id": "32"})
    return built, vendor, (pusat, prov, User.objects.get(username="dinsos.32.04"))


def name_search(postgres: bool, members: int) -> None:
    """Member-name search on the search's own database (bench/data/search.sqlite3, built once;
    on PostgreSQL generated in the throw-away cluster): the floor, the selector before and after,
    and the page, for pusat, a provinsi and a kabupaten."""
    built, vendor, (pusat, prov, kab) = _search_setup(members)  # Django first: the models need it
    from django.test import Client

    from registry.models import Kube, Member

    rows = [("data", f"{vendor}: {Kube.objects.count():,} groups, {Member.objects.count():,} members ({built})",
             "1,000,000 members")]
    rng = random.Random(7)
    top = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks = [rng.randint(1, top) for _ in range(10)]
    rows.append(("floor: one member by its number (primary key)", _fmt(timed(_cycle(
        [lambda pk=pk: Member.objects.filter(pk=pk).values_list("name", flat=True).first() for pk in picks]),
        runs=200)), "—"))
    names = [Member.objects.get(pk=pk).name for pk in picks]
    kinds = {
        "a member's full name": names,
        "a first name (~1/60 of members)": [n.split()[0] for n in names],
        "five letters inside a name": [n.lower()[1:6] for n in names],
        "a family name (~1/24)": [n.split()[-1].upper() for n in names],
        "a group-name word": ["Sejahtera", "mekar jaya", "Sinar Tani", "sugih", "Padasuka"] * 2,
    }
    tiers = (("pusat", pusat), ("provinsi Jawa Barat", prov), ("kabupaten Bandung", kab))
    for label, user in tiers:
        for kind, queries in kinds.items():
            if user is not pusat and kind not in list(kinds)[:3]:
                continue
            for q in queries:
                (n_old, page_old), (n_new, page_new) = _old_search(user, q), _new_search(user, q)
                assert page_old == page_new and (n_old == n_new or n_old > n_new == 1001), (q, n_old, n_new)
            before = timed(_cycle([lambda q=q, u=user: _old_search(u, q) for q in queries]), runs=20)
            after = timed(_cycle([lambda q=q, u=user: _new_search(u, q) for q in queries]), runs=40)
            rows.append((f"{kind}, {label}, count + first page: before → after",
                         f"{_fmt(before)} → {_fmt(after)}", "p95 <= 50 ms"))
    client = Client()

    def page(user, q: str):
        def go():
            client.force_login(user)
            response = client.get("/kube/", {"q": q})
            assert response.status_code == 200
        return go

    for label, user in tiers:
        for kind in ("a member's full name", "a first name (~1/60 of members)", "five letters inside a name"):
            rows.append((f"page /kube/?q= ({kind}), {label}",
                         _fmt(timed(_cycle([page(user, q) for q in kinds[kind]]), runs=20)), "—"))
        rows.append((f"page /kube/ without a search, {label} (the page's own cost)",
                     _fmt(timed(page(user, ""), runs=20)), "—"))
    print(report(f"Member-name search ({vendor})", rows))


PAGE_RUNS = 40  # each row's requests: its p95 is the 38th of 40, not the 19th of 20


def page_search(members: int) -> None:
    """The page `/kube/?q=` and `GET /api/v1/groups?q=` for pusat, a provinsi (Jawa Barat) and a
    kabupaten (Kab. Bandung), each kind of query, and the page without a search: the whole stack
    only, on the search's own database (no old-search comparison, so it runs in minutes; run it
    with the tree before and after a change on copies of the same database). CPU time is given
    beside the wall time: SQLite runs inside this process, and the CPU is steadier on a shared
    machine."""
    built, vendor, (pusat, prov, kab) = _search_setup(members)  # Django first: the models need it
    from django.test import Client

    from accounts.models import Role, User
    from lib.workers import freeze_loaded_app
    from registry.models import Kube, Member

    mentors = User.objects.filter(role=Role.PENDAMPING).count()
    rows = [("data", f"{vendor}: {Kube.objects.count():,} groups, {Member.objects.count():,} members, "
             f"{mentors:,} mentors ({built})", "1,000,000 members")]
    rng = random.Random(7)
    top = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks = [rng.randint(1, top) for _ in range(10)]
    rows.append(("floor: one member by its number (primary key)", _fmt_cpu(_timed_cpu(_cycle(
        [lambda pk=pk: Member.objects.filter(pk=pk).values_list("name", flat=True).first() for pk in picks]),
        runs=200)), "—"))
    names = [Member.objects.get(pk=pk).name for pk in picks]
    kinds = {
        "full name": names,
        "first name": [n.split()[0] for n in names],
        "family name": [n.split()[-1].upper() for n in names],
        "five letters inside": [n.lower()[1:6] for n in names],
    }
    # Each user signed in once, as a user who searches is: signing in again before every request
    # (as this benchmark did until 2026-12-03) wrote a new session and the user's last login, 2–3 ms
    # of every row on PostgreSQL.
    tiers = (("pusat", pusat), ("provinsi Jawa Barat", prov), ("kabupaten Bandung", kab))
    clients = {}
    for _label, user in tiers:
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
        assert clients[user.pk].get("/kube/").status_code == 200
    # What an app server's worker does once the app is loaded (sikube/gunicorn_conf.py).
    freeze_loaded_app()

    def get(user, path: str, q: str):
        client = clients[user.pk]

        def go():
            response = client.get(path, {"q": q} if q else {})
            assert response.status_code == 200
        return go

    for label, user in tiers:
        for kind, queries in kinds.items():
            rows.append((f"page /kube/?q= ({kind}), {label}",
                         _fmt_cpu(_timed_cpu(_cycle([get(user, "/kube/", q) for q in queries]), runs=PAGE_RUNS)),
                         "p95 <= 50 ms"))
        rows.append((f"API /api/v1/groups?q= (first name), {label}",
                     _fmt_cpu(_timed_cpu(_cycle([get(user, "/api/v1/groups", q) for q in kinds["first name"]]),
                                         runs=PAGE_RUNS)), "—"))
        rows.append((f"page /kube/ without a search, {label}",
                     _fmt_cpu(_timed_cpu(get(user, "/kube/", ""), runs=PAGE_RUNS)), "—"))
    print(report(f"Member-name search through the page ({vendor})", rows))


def _timed_cpu(fn, *, runs: int, warmup: int = 3) -> dict[str, float]:
    """`timed`, with the process's CPU time of each run beside its wall time."""
    import statistics

    from bench.common import percentile

    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return {"n": runs, "p50": statistics.median(wall), "p95": percentile(wall, 0.95),
            "cpu50": statistics.median(cpu), "cpu95": percentile(cpu, 0.95)}


def _fmt_cpu(t: dict[str, float]) -> str:
    return (f"p50 {t['p50']:.0f} ms, p95 {t['p95']:.0f} ms; CPU p50 {t['cpu50']:.0f}, "
            f"p95 {t['cpu95']:.0f} ms (n={t['n']})")


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
    if "--pages" in sys.argv:
        page_search(int(sys.argv[sys.argv.index("--members") + 1]) if "--members" in sys.argv else 1_000_000)
        return
    if "--names" in sys.argv:
        members = int(sys.argv[sys.argv.index("--members") + 1]) if "--members" in sys.argv else 1_000_000
        name_search("--postgres" in sys.argv, members)
        return
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
