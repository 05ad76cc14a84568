"""The demo's members against DTSEN: most have a desil the office wrote down at registration
(builders._member, desil 1–4), two members of a UEP group (desil 1–4) were found above it, and
one woman of a KUBE Maju Sejahtera group was registered again in a Cileunyi group under a NIK
with two digits swapped: the district office's pair to resolve at /dtsen/duplikat/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from accounts.models import User
from dtsen.services import duplicates_scan
from registry.choices import DtsenSource, DtsenStatus
from registry.models import Kube, Member
from registry.rules import MemberData
from registry.services import dtsen_record_add, member_add

OUTSIDE_DESIL = (6, 7)


def _swapped(nik: str) -> str:
    for i in range(12, 15):
        if nik[i] != nik[i + 1]:
            return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2:]
    return nik[:6] + nik[7] + nik[6] + nik[8:]


def demo_dtsen(created: list[Kube], *, offices: dict[str, User], today: Any) -> dict[str, int]:
    bandung = offices["32.04"]
    uep = next(k for k in created if k.programme.target_desil_max and k.desa_id.startswith("32.04.")
               and k.status == "aktif")
    plain = list(uep.members.filter(left_on__isnull=True, offices__isnull=True).order_by("id")[:2])
    for member, desil in zip(plain, OUTSIDE_DESIL, strict=True):
        dtsen_record_add(actor=bandung, member=member, status=DtsenStatus.FOUND, desil=desil,
                         source=DtsenSource.MANUAL, data_date=today - timedelta(days=20),
                         note="Hasil pemeriksaan SIKS-NG")
    source_kube = Kube.objects.get(name="KUBE Maju Sejahtera 12")
    person = source_kube.members.filter(left_on__isnull=True, offices__isnull=True, sex="P").order_by("id").first()
    assert person is not None
    target = next(k for k in created if k.desa_id.startswith("32.04.05.") and k.status == "aktif"
                  and k.members.filter(left_on__isnull=True).count() < k.programme.max_members)
    member_add(actor=bandung, kube=target, data=MemberData(
        nik=_swapped(person.nik), kk_number=person.kk_number, name=person.name.upper(), sex=person.sex,
        birth_date=person.birth_date, address=person.address, phone=person.phone, joined_on=today - timedelta(days=10),
        accept_duplicate=True))
    result = duplicates_scan(actor=bandung, region_code="32.04")
    return {"outside_target": len(plain), "pairs": result.pairs,
            "desil_known": Member.objects.filter(dtsen_status=DtsenStatus.FOUND).count()}
