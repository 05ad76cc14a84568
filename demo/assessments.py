"""PEKA for the demo: seed 003's story on KUBE Maju Sejahtera 11 (a session in February with six
weak characteristics, priorities and an RTL, a re-assessment in June with more participants and
higher scores), and one session for most other mentored groups, lower where the books faded."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from assessments.instrument import CODE
from assessments.models import Assessment, InstrumentVersion
from assessments.services import (
    assessment_start,
    priorities_set,
    rtl_action_add,
    rtl_action_status,
    rtl_to_work_plan,
    scores_save,
)
from registry.models import Kube

SEED_003_WEAK = {9, 13, 14, 19, 23, 26}


def _score(rng: random.Random, centre: float) -> int:
    return max(1, min(4, round(rng.gauss(centre, 0.55))))


def _session(kube: Kube, version: InstrumentVersion, *, day: date, rng: random.Random, present: float,
             centres: dict[int, float], default: float, **extra: Any) -> Assessment:
    members = list(kube.members.filter(joined_on__lte=day).exclude(left_on__lt=day).order_by("id"))
    chosen = members[: max(3, round(len(members) * present))]
    assessment = assessment_start(actor=kube.pendamping, kube=kube, version=version, date=day, participants=chosen,
                                  facilitator_name=kube.pendamping.full_name if kube.pendamping else "",
                                  **extra)
    scores: dict[tuple[int | None, int], int | None] = {(p.pk, item.pk): _score(rng, centres.get(item.number, default))
              for p in assessment.participants.all() for item in version.items.all()}
    scores_save(actor=kube.pendamping, assessment=assessment, scores=scores)
    return assessment


def _main_group(kube: Kube, version: InstrumentVersion, rng: random.Random) -> None:
    weak_before = {n: 2.1 for n in SEED_003_WEAK}
    first = _session(kube, version, day=max(date(2026, 2, 21), kube.formed_on + timedelta(days=60)), rng=rng,
                     present=0.8, centres=weak_before, default=3.1,
                     place="Rumah pendamping (Ibu Rosina)",
                     history=[("2024", "Warga Kelurahan Cibeunying membentuk KUBE Maju Sejahtera 11"),
                              ("Awal 2025", "Bantuan stimulan diterima; usaha warung sembako dimulai"),
                              ("Akhir 2025", "Tabungan anggota mulai disetor ke koperasi"),
                              ("Februari 2026", "Penilaian kapasitas pertama bersama pendamping")],
                     reflection=("Tujuan kelompok: usaha sembako berjalan, anggota menabung, dan keluarga miskin "
                                 "di sekitar ikut merasakan manfaat. Pembukuan dan laporan kepada anggota belum "
                                 "rutin."))
    results = {r.item.number: r for r in first.item_results.select_related("item")}
    weak = sorted((r for r in results.values() if r.weak), key=lambda r: (r.mean, r.item.number))
    if not weak:
        return
    priorities_set(actor=kube.pendamping, assessment=first, items=[r.item for r in weak[:3]])
    officers = {o.position: o.member for o in kube.officers.filter(ended_on__isnull=True).select_related("member")}
    plans = [
        ("Sosialisasi manajemen administrasi keuangan", "Pengurus dan anggota memahami pembukuan dan laporan",
         officers.get("bendahara"), date(2026, 3, 19), "Buku kas ditutup tiap bulan dan dibacakan pada rapat"),
        ("Studi banding ke kelompok usaha yang sudah maju", "Motivasi dan pengetahuan jaringan usaha bertambah",
         officers.get("ketua"), date(2026, 4, 17), "90 % peserta menerima pesan kegiatan dengan baik"),
        ("Bakti sosial KUBER bagi keluarga miskin", "Kegiatan KUBE bermanfaat bagi masyarakat sekitar",
         officers.get("sekretaris"), date(2026, 6, 20), "Kegiatan direncanakan dan dijalankan tanpa pendamping"),
    ]
    for (activity, aim, person, due, indicator), priority in zip(plans, weak[:3], strict=False):
        action = rtl_action_add(actor=kube.pendamping, assessment=first, item=priority.item, activity=activity,
                                aim=aim, person=person, due_on=due, indicator=indicator)
        rtl_to_work_plan(actor=kube.pendamping, action=action)
        rtl_action_status(actor=kube.pendamping, action=action, status="selesai", note="Dilaksanakan sesuai rencana")
    _session(kube, version, day=date(2026, 6, 13), rng=rng, present=1.0,
             centres={n: (2.3 if n in (23, 26) else 2.9) for n in SEED_003_WEAK}, default=3.3,
             place="Rumah pendamping (Ibu Rosina)",
             reflection="Laporan keuangan kini dibacakan tiap bulan; anggota lebih banyak hadir.")


def demo_assessments(kubes: list[Kube], *, rng: random.Random) -> int:
    version = InstrumentVersion.objects.get(instrument__code=CODE, number=1)
    count = 0
    for n, kube in enumerate(kubes):
        kube.refresh_from_db()
        if kube.status == "bubar" or kube.pendamping is None:
            continue
        if kube.name == "KUBE Maju Sejahtera 11":
            _main_group(kube, version, rng)
            count += 2
            continue
        if n % 4 == 3:
            continue  # not every group has been assessed yet
        fading = kube.status == "stagnan" or n % 9 == 4
        weak_items = rng.sample(range(1, 31), 4)
        centres = {i: 2.0 for i in weak_items}
        day = max(date(2026, rng.randint(3, 9), rng.randint(1, 25)), kube.formed_on + timedelta(days=45))
        _session(kube, version, day=min(day, date(2026, 11, 7)), rng=rng,
                 present=0.5 if fading else 0.85, centres=centres, default=2.3 if fading else 3.0)
        count += 1
    return count
