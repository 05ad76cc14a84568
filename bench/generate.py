"""The national-scale benchmark database: 100,000 groups with ~1,000,000 members.

Rows are written with bulk inserts (the services would take hours at this size);
they obey the same constraints (one active membership per NIK, valid region codes,
three officers per group). Later capabilities add their own generators here.
Run: .venv/bin/python -m bench.generate [--groups N]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import setup_django

SEED = 7
GROUPS = 100_000


def generate(groups: int = GROUPS) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import Role, User
    from demo import names
    from lib.nik import nik_date_part
    from regions.models import Region
    from registry.models import Kube, Member, Officer, PendampingAssignment, Programme
    from registry.search import member_name_reindex

    call_command("migrate", verbosity=0)
    call_command("regions_load", verbosity=0)
    if Kube.objects.count() >= groups:
        print(f"bench database already has {Kube.objects.count()} groups")
        return
    rng = random.Random(SEED)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
    desas = list(Region.objects.filter(level=4).values_list("code", flat=True))
    rng.shuffle(desas)
    programme, _ = Programme.objects.get_or_create(
        code="kube-fm", defaults={"name": "KUBE Fakir Miskin", "min_members": 5, "max_members": 10,
                                  "size_exempt_targets": ["terasing", "kumuh"]})
    uep, _ = Programme.objects.get_or_create(
        code="uep-2019", defaults={"name": "Bantuan UEP KUBE (Permensos 2/2019)", "min_members": 5,
                                   "max_members": 20, "min_age": 18, "target_desil_max": 4})
    kabupaten = sorted({d[:5] for d in desas})
    with transaction.atomic():
        for kab in kabupaten:
            User.objects.get_or_create(username=f"dinsos.{kab}", defaults={
                "full_name": f"Dinas Sosial {kab}", "role": Role.KABUPATEN, "region_id": kab})
        mentors = {}
        for kec in sorted({d[:8] for d in desas}):
            mentors[kec] = User.objects.get_or_create(username=f"pendamping.{kec}", defaults={
                "full_name": f"Pendamping {kec}", "role": Role.PENDAMPING, "region_id": kec})[0].pk
    print(f"users: {time.monotonic() - started:.0f} s")

    words = names.GROUP_WORDS
    kubes = []
    for i in range(groups):
        desa = desas[i % len(desas)]
        formed = date(2016, 1, 1) + timedelta(days=rng.randint(0, 3500))
        kubes.append(Kube(
            name=f"KUBE {rng.choice(words)} {i:06d}", reg_number=f"KUBE-{desa[:5].replace('.', '')}-B{i:07d}",
            desa_id=desa, address=f"{rng.choice(names.STREETS)} No. {rng.randint(1, 200)}",
            rt=f"{rng.randint(1, 15):03d}", rw=f"{rng.randint(1, 9):03d}", formed_on=formed,
            programme=uep if i % 5 == 0 else programme, target_group="fakir_miskin",
            business_type=rng.choice(["warung", "ternak", "pangan", "kerajinan", "jasa", "simpan_pinjam"]),
            business_mode="kelompok", bonds=["tempat_tinggal"], pendamping_id=mentors[desa[:8]],
            stage=rng.choice(["pembentukan", "pengembangan", "pengembangan", "kemandirian"]),
            status=rng.choice(["aktif"] * 8 + ["stagnan", "bubar"]),
        ))
    with transaction.atomic():
        Kube.objects.bulk_create(kubes, batch_size=2000)
    ids = list(Kube.objects.order_by("id").values_list("id", "desa_id", "formed_on", "pendamping_id"))
    print(f"groups: {len(ids)} in {time.monotonic() - started:.0f} s")

    serial: dict[str, int] = {}
    members: list[Member] = []
    total = 0
    assignments = []
    for n, (kube_id, desa, formed, mentor) in enumerate(ids):
        kec = desa[:8]
        # UEP groups (every fifth) are larger: ~10 members per group on average, ~1,000,000 in all.
        size = rng.randint(12, 16) if n % 5 == 0 else rng.randint(8, 10)
        assignments.append(PendampingAssignment(kube_id=kube_id, pendamping_id=mentor, start_on=formed))
        for _j in range(size):
            count = serial.get(kec, 0)
            serial[kec] = count + 1
            sex = "P" if rng.random() < 0.6 else "L"
            # A distinct (birth date, serial) per member of a kecamatan keeps NIKs unique.
            birth = date(1950, 1, 1) + timedelta(days=count // 9000 * 37 + rng.randint(0, 36))
            nik = f"{kec.replace('.', '')}{nik_date_part(birth, sex)}{count % 9000 + 1:04d}"
            first = rng.choice(names.WOMEN if sex == "P" else names.MEN)
            members.append(Member(
                kube_id=kube_id, nik=nik, kk_number=f"{kec.replace('.', '')}{rng.randint(10**9, 10**10 - 1)}",
                name=f"{first} {rng.choice(names.FAMILY)}", sex=sex, birth_date=birth,
                address=f"{rng.choice(names.STREETS)} No. {rng.randint(1, 200)}",
                phone=f"08{rng.randint(10**9, 10**10 - 1)}", joined_on=formed,
                welfare_level=rng.choice(["fakir_miskin", "miskin", "hampir_miskin"]),
                task=rng.choice(names.TASKS),
            ))
        if len(members) >= 50_000:
            total += _flush(members)
            members = []
            print(f"members: {total} in {time.monotonic() - started:.0f} s")
    total += _flush(members)
    PendampingAssignment.objects.bulk_create(assignments, batch_size=5000)
    # Three officers per group: its first three members.
    from django.db.models import Min

    firsts = Member.objects.values("kube_id").annotate(first=Min("id")).values_list("kube_id", "first")
    rows = []
    for kube_id, first in firsts.iterator(chunk_size=20000):
        for k, position in enumerate(("ketua", "sekretaris", "bendahara")):
            rows.append(Officer(kube_id=kube_id, member_id=first + k, position=position,
                                chosen_on=date(2024, 1, 1), term_start=date(2024, 1, 1),
                                term_end=date(2027, 1, 1)))
        if len(rows) >= 60_000:
            Officer.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Officer.objects.bulk_create(rows, batch_size=5000)
    member_name_reindex()  # the members were bulk-created past the services
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"done: {len(ids)} groups, {total} members in {time.monotonic() - started:.0f} s "
          f"({Path(connection.settings_dict['NAME']).stat().st_size / 1e9:.2f} GB)")


def _flush(members: list) -> int:
    from django.db import transaction

    from registry.models import Member

    with transaction.atomic():
        Member.objects.bulk_create(members, batch_size=5000)
    return len(members)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=GROUPS)
    args = parser.parse_args()
    setup_django()
    generate(args.groups)
