"""Registry at national scale: list/filter a kabupaten, search a name, import 10,000 members.

Targets (issue "Group registry"): list/filter a kabupaten and search a name under 200 ms p95 on
SQLite; importing a 10,000-member sheet under 60 s. Requests go through the whole Django stack
(middleware, view, template) with the test client, in one process.
Run: .venv/bin/python -m bench.registry_bench
"""

from __future__ import annotations

import io
import time
from datetime import date

from bench.common import report, setup_django, timed


def main() -> None:
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
    pusat, _ = User.objects.get_or_create(username="bench.pusat", defaults={"role": Role.PUSAT,
                                                                            "full_name": "Pusat"})
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
    national = [office_get(pusat, {"q": names[i]}) for i in range(10)]
    rows.append(("search a member's name nationally (pusat)", _fmt(timed(cycle(national), runs=20)),
                 "(no target; for reference)"))

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
                       "", "Fakir miskin", "Miskin", "", "Tidak", "", "",
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
