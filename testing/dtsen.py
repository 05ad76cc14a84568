"""DTSEN test data: extracts as .xlsx or CSV bytes, members in bulk, and a population of people with
planted duplicates (used by the duplicate tests and bench/dtsen_bench.py)."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from lib.nik import nik_date_part
from registry.duplicates import Person
from registry.models import Kube, Member

HEADERS = ["NIK", "NO_KK", "NAMA", "DESIL", "ALAMAT"]


def xlsx_bytes(rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS, delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def bulk_members(kube: Kube, n: int, *, start: int = 1, desil: int | None = 3, kecamatan: str = "320406") -> list[Member]:
    """`n` active members of `kube` straight into the table (test set-up, past the services), each
    found in DTSEN at `desil`; NIK, KK and name from the serial."""
    birth = date(1979, 1, 1)
    rows = []
    for i in range(start, start + n):
        day = birth + timedelta(days=i % 3000)
        rows.append(Member(kube=kube, nik=f"{kecamatan}{nik_date_part(day, 'L')}{i % 10000:04d}",
                           kk_number=f"{kecamatan}77{i:08d}", name=f"Warga Ekstrak {i}", sex="L", birth_date=day,
                           joined_on=kube.formed_on, dtsen_status="found" if desil else "unchecked",
                           dtsen_desil=desil))
    return Member.objects.bulk_create(rows, batch_size=500)


WOMEN = ["Ani", "Euis", "Yati", "Yanti", "Neneng", "Nining", "Cucu", "Imas", "Siti", "Dewi", "Rina", "Rini", "Tuti",
         "Lilis", "Mimin", "Popon", "Sari", "Yani", "Aminah", "Fatimah", "Ratna", "Nur", "Enok", "Entin"]
MEN = ["Asep", "Ujang", "Dedi", "Dede", "Agus", "Budi", "Cecep", "Dadang", "Eman", "Iwan", "Jajang", "Rudi", "Tatang",
       "Wawan", "Yusuf", "Hasan", "Husen", "Ade", "Deden", "Dadan", "Endang", "Aep"]
# Twins' names one letter apart: the case the duplicate rule must not take for one person.
NEAR = {"Yati": "Yanti", "Rina": "Rini", "Dedi": "Dede", "Deden": "Dadan", "Yani": "Yanti", "Hasan": "Husen"}
FAMILY = ["Suryani", "Rohmat", "Sopandi", "Hidayat", "Permana", "Nugraha", "Saputra", "Kurnia", "Setiawan",
          "Gunawan", "Rahayu", "Lestari", "Wijaya", "Hermawan", "Sutisna", "Sumarna", "Rukmana", "Hamdani"]


@dataclass(frozen=True)
class Population:
    people: list[Person]
    planted: set[tuple[int, int]]   # (smaller pk, larger pk) of every planted duplicate


def _typo(nik: str, rng: random.Random) -> str:
    i = rng.randrange(12, 16) if rng.random() < .6 else rng.randrange(0, 6)  # serial or kecamatan digits
    digit = rng.choice([d for d in "0123456789" if d != nik[i]])
    return nik[:i] + digit + nik[i + 1:]


def _transposed(nik: str, rng: random.Random) -> str:
    choices = [i for i in list(range(0, 5)) + list(range(12, 15)) if nik[i] != nik[i + 1]]
    i = rng.choice(choices)
    return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2:]


def population(n: int, *, planted: int, seed: int = 19) -> Population:
    """`n` people in families (one KK each, one to six people, some twins: same KK and birth date,
    NIKs one serial apart, other names), and `planted` of them registered a second time with a NIK
    mistyped (one digit) or with two neighbouring digits swapped, same KK, birth date and name
    (sometimes in other capitals or spacing)."""
    rng = random.Random(seed)
    people: list[Person] = []
    serial = 0
    kecamatans = [f"3204{k:02d}" for k in range(1, 40)] + [f"3271{k:02d}" for k in range(1, 7)]
    while len(people) < n - planted:
        kk = f"{rng.choice(kecamatans)}{rng.randint(10**9, 10**10 - 1)}"
        family = rng.choice(FAMILY)
        size = rng.choice([1, 1, 2, 2, 3, 4, 5, 6])
        twins = rng.random() < .03
        birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000))
        used: set[str] = set()
        previous = ("", "")
        for k in range(size):
            sex = rng.choice("LP")
            if twins and k == 1:  # the twin of the one before: same birth date, often the same sex
                sex = previous[1] if rng.random() < .7 else sex
                near = NEAR.get(previous[0])
                names = WOMEN if sex == "P" else MEN
                first = near if near and near in names and near not in used and rng.random() < .5 else \
                    rng.choice([f for f in names if f not in used])
            else:
                birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000))
                first = rng.choice([f for f in (WOMEN if sex == "P" else MEN) if f not in used])
            used.add(first)
            previous = (first, sex)
            serial += 1
            nik = f"{kk[:6]}{nik_date_part(birth, sex)}{serial % 9999 + 1:04d}"
            people.append(Person(pk=len(people) + 1, nik=nik, kk_number=kk, name=f"{first} {family}",
                                 birth_date=birth, sex=sex))
            if len(people) >= n - planted:
                break
    planted_pairs: set[tuple[int, int]] = set()
    originals = rng.sample(people, planted)
    for original in originals:
        nik = _typo(original.nik, rng) if rng.random() < .5 else _transposed(original.nik, rng)
        name = original.name.upper() if rng.random() < .3 else original.name.replace(" ", "  ")
        copy = replace(original, pk=len(people) + 1, nik=nik, name=name)
        people.append(copy)
        planted_pairs.add((original.pk, copy.pk))
    rng.shuffle(people)
    return Population(people=people, planted=planted_pairs)
