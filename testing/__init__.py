"""Shared test helpers: the region subset, people with valid NIKs, and the cast of users.

The cast (after healthchecks' hc/test.py) has one user per role, each with a known
reach, and `outsider`, an account that must see nothing anywhere:

- kube_a  KUBE Maju Sejahtera 11, Kel. Cibeunying, Kec. Cimenyan, Kab. Bandung (32.04)
- kube_b  in Kec. Cileunyi, Kab. Bandung
- kube_c  in Kota Bogor (32.71), Jawa Barat
- kube_d  in Kota Semarang (33.74), Jawa Tengah: outside every Jawa Barat reach

admin, pusat: everything; prov: Jawa Barat (a, b, c); kab: Kab. Bandung (a, b);
kab_other: Kota Bogor (c); pendamping: kube_a (home region Kab. Bandung); pendamping_other:
kube_c (home region Kota Bogor);
ketua (Pengurus) and anggota: kube_a; anggota_d: kube_d; outsider: nothing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from accounts.models import Role, User
from lib.nik import nik_date_part
from regions.models import Region
from regions.services import regions_sync
from registry.models import Kube, Member, Programme

DESA_A = "32.04.06.1002"   # Kel. Cibeunying, Kec. Cimenyan, Kab. Bandung
DESA_A2 = "32.04.06.2003"  # Desa Cimenyan
DESA_B = "32.04.05.2001"   # Desa Cileunyi Kulon, Kec. Cileunyi
DESA_C = "32.71.04.1002"   # Kel. Sindang Barang, Kec. Bogor Barat, Kota Bogor
DESA_D = "33.74.01.1001"   # Kota Semarang, Jawa Tengah
TEST_REGIONS = {DESA_A, DESA_A2, DESA_B, DESA_C, DESA_D, "32.04.10", "31", "11"}

_serial = itertools.count(1)


def ensure_regions() -> None:
    """The reference data tests rely on: the region subset, the chart of accounts, the stage
    criteria and the PEKA instrument (a transactional test's flush removes what the migrations
    put there)."""
    from assessments.instrument import ensure_default_instrument
    from books.chart import ensure_chart
    from mentoring.criteria import ensure_criteria

    if Region.objects.filter(pk__in=TEST_REGIONS).count() < len(TEST_REGIONS):
        regions_sync(only=TEST_REGIONS)
    ensure_chart()
    ensure_criteria()
    ensure_default_instrument()


def nik_for(kecamatan: str, birth: date, sex: str) -> str:
    return f"{kecamatan.replace('.', '')}{nik_date_part(birth, sex)}{next(_serial) % 9999 + 1:04d}"


def member_data(*, kecamatan: str = "32.04.06", name: str | None = None, sex: str = "P",
                birth: date = date(1980, 5, 17), position: str = "", **extra: Any) -> Any:
    from registry.rules import MemberData

    serial = next(_serial)
    return MemberData(
        nik=nik_for(kecamatan, birth, sex), kk_number=f"{kecamatan.replace('.', '')}1234{serial:06d}",
        name=name or f"Warga {serial}", sex=sex, birth_date=birth, position=position, **extra)


def founding_members(n: int = 6, *, kecamatan: str = "32.04.06", names: list[str] | None = None) -> list[Any]:
    positions = ["ketua", "sekretaris", "bendahara"] + [""] * (n - 3)
    return [member_data(kecamatan=kecamatan, position=positions[i],
                        name=(names[i] if names and i < len(names) else None)) for i in range(n)]


def programme_fm() -> Programme:
    programme, _ = Programme.objects.get_or_create(
        code="kube-fm", defaults={"name": "KUBE Fakir Miskin", "min_members": 5, "max_members": 10,
                                  "size_exempt_targets": ["terasing", "kumuh"]})
    return programme


def programme_uep() -> Programme:
    programme, _ = Programme.objects.get_or_create(
        code="uep-2019", defaults={"name": "Bantuan UEP KUBE (Permensos 2/2019)", "min_members": 5,
                                   "max_members": 20, "min_age": 18, "target_desil_max": 4,
                                   "grant_per_member": 2_000_000})
    return programme


def make_user(username: str, role: str, region: str | None = None, **extra: Any) -> User:
    return User.objects.create(username=username, full_name=username.replace(".", " ").title(),
                               role=role, region_id=region, **extra)


def make_kube(*, name: str, desa: str, actor: User | None = None, pendamping: User | None = None,
              n: int = 6, formed_on: date = date(2024, 3, 1), programme: Programme | None = None,
              member_names: list[str] | None = None, **extra: Any) -> Kube:
    from registry.services import kube_register

    kecamatan = desa.rsplit(".", 1)[0]
    return kube_register(
        actor=actor, name=name, desa=Region.objects.get(pk=desa), formed_on=formed_on,
        programme=programme or programme_fm(), business_type="warung", pendamping=pendamping,
        members=founding_members(n, kecamatan=kecamatan, names=member_names), **extra)


@dataclass
class Cast:
    admin: User
    pusat: User
    prov: User
    prov_other: User
    kab: User
    kab_other: User
    pendamping: User
    pendamping_other: User
    ketua: User
    anggota: User
    anggota_d: User
    outsider: User
    kube_a: Kube
    kube_b: Kube
    kube_c: Kube
    kube_d: Kube

    def role_users(self) -> dict[str, User]:
        return {"admin": self.admin, "pusat": self.pusat, "provinsi": self.prov,
                "kabupaten": self.kab, "pendamping": self.pendamping, "pengurus": self.ketua,
                "anggota": self.anggota, "outsider": self.outsider}


def build_cast() -> Cast:
    ensure_regions()
    admin = make_user("admin", Role.ADMIN, is_staff=True)
    kab = make_user("dinsos.bandung", Role.KABUPATEN, "32.04")
    kab_other = make_user("dinsos.bogor", Role.KABUPATEN, "32.71")
    pendamping = make_user("pendamping.cimenyan", Role.PENDAMPING, "32.04")   # employed by Kab. Bandung
    pendamping_other = make_user("pendamping.bogor", Role.PENDAMPING, "32.71")  # by Kota Bogor
    kube_a = make_kube(name="KUBE Maju Sejahtera 11", desa=DESA_A, actor=kab, pendamping=pendamping,
                       member_names=["Ani Suryani", "Euis Rohmat", "Yati Sopandi", "Neneng Hidayat",
                                     "Cucu Permana", "Imas Nugraha"])
    kube_b = make_kube(name="KUBE Mekar Jaya 02", desa=DESA_B, actor=kab)
    kube_c = make_kube(name="KUBE Cempaka", desa=DESA_C, actor=kab_other, pendamping=pendamping_other)
    kube_d = make_kube(name="KUBE Sido Rukun", desa=DESA_D, actor=admin)
    ketua = make_user("ketua.maju", Role.PENGURUS)
    anggota = make_user("anggota.maju", Role.ANGGOTA)
    anggota_d = make_user("anggota.sido", Role.ANGGOTA)
    officers = {o.position: o.member for o in kube_a.officers.all()}
    Member.objects.filter(pk=officers["ketua"].pk).update(user=ketua)
    plain = kube_a.members.filter(offices__isnull=True).order_by("id").first()
    assert plain is not None
    Member.objects.filter(pk=plain.pk).update(user=anggota)
    d_member = kube_d.members.order_by("id").last()
    assert d_member is not None
    Member.objects.filter(pk=d_member.pk).update(user=anggota_d)
    return Cast(
        admin=admin, pusat=make_user("pusat", Role.PUSAT),
        prov=make_user("dinsos.jabar", Role.PROVINSI, "32"),
        prov_other=make_user("dinsos.jateng", Role.PROVINSI, "33"),
        kab=kab, kab_other=kab_other, pendamping=pendamping, pendamping_other=pendamping_other,
        ketua=ketua, anggota=anggota, anggota_d=anggota_d,
        outsider=make_user("outsider", Role.ANGGOTA),
        kube_a=kube_a, kube_b=kube_b, kube_c=kube_c, kube_d=kube_d,
    )


def assert_csp_clean(html: str, where: str = "") -> None:
    """No inline script, style or event handler: the Content-Security-Policy would block them."""
    import re

    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
        assert "src=" in attrs and not body.strip(), (where, attrs)
    assert "<style" not in html, where
    assert not re.search(r"\sstyle=", html), where
    assert not re.search(r"\son[a-z]+=", html), where


def make_lively(kube: Kube, *, actor: User, day: date, close: bool = True) -> None:
    """Records that make a group look healthy to the early warning as of `day`: a task for every
    member, a meeting with everyone present, a capital entry, every month before `day`'s closed
    (unless `close` is False: then no month is closed)."""
    from books.models import TxnKind
    from books.services import cash_entry_record, period_close
    from books.services.registers import activity_record
    from registry.services import member_set_task

    members = list(kube.members.filter(left_on__isnull=True).order_by("id"))
    for member in members:
        if not member.task:
            member_set_task(actor=actor, member=member, task="Produksi dan penjualan")
    previous = date(day.year, day.month, 1) - timedelta(days=1)
    if close and previous >= kube.formed_on:
        period_close(actor=actor, kube=kube, period=previous.year * 100 + previous.month)
    activity_record(actor=actor, kube=kube, date=day, kind="rapat", place="Rumah ketua", agenda="Rapat bulanan",
                    present=members)
    cash_entry_record(actor=actor, kube=kube, kind=TxnKind.CAPITAL_IN, amount=500_000, date=day,
                      description="Iuran modal anggota")


def bearer(user: User, name: str = "api") -> dict[str, Any]:
    """Test-client keyword arguments carrying a new API token of `user`."""
    from accounts.services import token_create

    _t, raw = token_create(user=user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
