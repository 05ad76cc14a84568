"""A deterministic demo: Jawa Barat, two kabupaten/kota, ~40 groups, an account per role.

Everything is created through the services, like real input, so the demo also
exercises the rules. The same seed always gives the same data. Later capabilities
extend `demo_load` with their own records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from accounts.models import Role, User
from accounts.services import user_create
from demo import names
from demo.approval import demo_approval
from demo.dtsen import demo_dtsen
from demo.passwords import shared_hash
from lib.nik import nik_date_part
from outbox.services import batch
from regions.models import Region
from registry.choices import (
    Bond,
    BusinessMode,
    BusinessType,
    Sex,
    Stage,
    Status,
    TargetGroup,
    WelfareLevel,
)
from registry.models import Kube, Programme
from registry.rules import MemberData
from registry.services import (
    kube_register,
    kube_stage_change,
    kube_status_change,
    member_account_create,
    programme_save,
)

SEED = 20161105
TODAY_ANCHOR = date(2026, 11, 1)  # the demo's "now": groups formed up to this month


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    full_name: str
    region: str = ""
    note: str = ""


OFFICE_ACCOUNTS = [
    DemoAccount("admin", Role.ADMIN, "Admin Sistem SIKUBE", note="administrator sistem"),
    DemoAccount("pusat", Role.PUSAT, "Direktorat PFM Kemensos", note="Kementerian Sosial"),
    DemoAccount("dinsos.jabar", Role.PROVINSI, "Dinas Sosial Provinsi Jawa Barat", "32"),
    DemoAccount("dinsos.bandung", Role.KABUPATEN, "Dinas Sosial Kabupaten Bandung", "32.04"),
    DemoAccount("dinsos.bogor", Role.KABUPATEN, "Dinas Sosial Kota Bogor", "32.71"),
    # A mentor's region is their home region: the office that employs them.
    DemoAccount("pendamping.cimenyan", Role.PENDAMPING, "Rosina Marpaung", "32.04",
                note="pendamping Kec. Cimenyan"),
    DemoAccount("pendamping.cileunyi", Role.PENDAMPING, "Deden Supriatna", "32.04",
                note="pendamping Kec. Cileunyi dan Margaasih"),
    DemoAccount("pendamping.bogor", Role.PENDAMPING, "Titin Rusmana", "32.71",
                note="pendamping Kec. Bogor Barat"),
]

# (kecamatan code, desas to use, pendamping username, groups)
PLAN = [
    ("32.04.06", ["32.04.06.1002", "32.04.06.1001", "32.04.06.2003", "32.04.06.2005"],
     "pendamping.cimenyan", 14),
    ("32.04.05", ["32.04.05.2001", "32.04.05.2004", "32.04.05.2005"], "pendamping.cileunyi", 8),
    ("32.04.10", ["32.04.10.2001", "32.04.10.2003"], "pendamping.cileunyi", 6),
    ("32.71.04", ["32.71.04.1002", "32.71.04.1003", "32.71.04.1008"], "pendamping.bogor", 10),
    ("32.71.01", ["32.71.01.1001"], "", 2),
]

OPERATORS = ["12", "13", "21", "52", "57", "77", "95"]
MAIN_KUBE = "KUBE Maju Sejahtera 11"  # seed 003: chaired by Ibu Ani in Kelurahan Cibeunying


def demo_programmes(actor: User) -> tuple[Programme, Programme]:
    fm = Programme.objects.filter(code="kube-fm").first() or programme_save(
        actor=actor, code="kube-fm", name="KUBE Fakir Miskin",
        legal_basis="Pedoman Penumbuhan dan Pengembangan KUBE (PROKESOS)",
        min_members=5, max_members=10,
        size_exempt_targets=[TargetGroup.MASYARAKAT_TERASING, TargetGroup.KUMUH],
        min_age=None, max_age=None, target_desil_max=None, grant_per_member=None, is_active=True)
    uep = Programme.objects.filter(code="uep-2019").first() or programme_save(
        actor=actor, code="uep-2019", name="Bantuan UEP KUBE (Permensos 2/2019)",
        legal_basis="Permensos No. 2 Tahun 2019", min_members=5, max_members=20,
        size_exempt_targets=[], min_age=18, max_age=None, target_desil_max=4,
        grant_per_member=2_000_000, is_active=True)
    return fm, uep


class _People:
    """Unique, valid NIKs and KKs for generated people."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serial = 0

    def person(self, kecamatan: str, *, sex: str | None = None, min_age: int = 22,
               max_age: int = 64) -> dict[str, object]:
        rng = self.rng
        sex = sex or rng.choice([Sex.PEREMPUAN, Sex.PEREMPUAN, Sex.LAKI_LAKI])
        first = rng.choice(names.WOMEN if sex == Sex.PEREMPUAN else names.MEN)
        name = f"{first} {rng.choice(names.FAMILY)}"
        age_days = rng.randint(min_age * 365, max_age * 365)
        birth = TODAY_ANCHOR - timedelta(days=age_days)
        self.serial += 1
        digits = kecamatan.replace(".", "")
        nik = f"{digits}{nik_date_part(birth, sex)}{self.serial:04d}"
        kk = f"{digits}{rng.randint(100000, 999999)}{self.serial % 10000:04d}"
        return {"name": name, "sex": sex, "birth_date": birth, "nik": nik, "kk_number": kk}


def _member(people: _People, kecamatan: str, rng: random.Random, *, position: str = "",
            programme: Programme, name: str | None = None, sex: str | None = None) -> MemberData:
    p = people.person(kecamatan, sex=sex)
    # The same draws as when members carried a DTKS number and flag, so the rest of the demo is unchanged:
    # a number when the programme targets a desil (or for 70 %), and a desil known to the office for 60 %.
    number = (rng.randint(10**9, 10**10 - 1) if programme.target_desil_max is not None or rng.random() < .7
              else None)
    known = rng.random() < .6
    return MemberData(
        nik=str(p["nik"]), kk_number=str(p["kk_number"]), name=name or str(p["name"]),
        sex=str(p["sex"]), birth_date=p["birth_date"],  # type: ignore[arg-type]
        address=f"{rng.choice(names.STREETS)} No. {rng.randint(1, 120)}",
        phone=f"08{rng.choice(OPERATORS)}{rng.randint(10_000_000, 99_999_999)}",
        target_group=TargetGroup.FAKIR_MISKIN,
        welfare_level=rng.choice([WelfareLevel.FAKIR_MISKIN, WelfareLevel.MISKIN,
                                  WelfareLevel.MISKIN, WelfareLevel.HAMPIR_MISKIN]),
        dtsen_number=f"DTKS-{number}" if number else "",
        dtsen_desil=1 + number % 4 if number and known else None,
        skills=rng.choice(names.SKILLS),
        task=rng.choice(names.TASKS) if not position else "",
        position=position,
    )


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Everything through the services; the outbox rows for monitoring's summaries are written once, at the end."""
    with batch():
        return _demo_load()


def _demo_load() -> dict[str, int]:
    rng = random.Random(SEED)
    password = settings.DEMO_PASSWORD
    accounts: dict[str, User] = {}
    admin = None
    for acc in OFFICE_ACCOUNTS:
        region = Region.objects.get(pk=acc.region) if acc.region else None
        user = user_create(actor=admin, username=acc.username, full_name=acc.full_name,
                           role=acc.role, password=password, region=region,
                           institution=acc.note, validate=False, password_hash=shared_hash(password))
        if acc.role == Role.ADMIN:
            admin = user
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        accounts[acc.username] = user
    assert admin is not None
    fm, uep = demo_programmes(admin)
    office = {"32.04": accounts["dinsos.bandung"], "32.71": accounts["dinsos.bogor"]}
    people = _People(rng)
    words = list(names.GROUP_WORDS)
    counter = 0
    created: list[Kube] = []
    for kecamatan, desas, mentor, count in PLAN:
        for i in range(count):
            counter += 1
            desa = Region.objects.get(pk=desas[i % len(desas)])
            programme = uep if (counter % 4 == 0) else fm
            if kecamatan == "32.04.06" and i < 5:
                name = f"KUBE Maju Sejahtera {11 + i}"   # the five groups of seed 003
                desa = Region.objects.get(pk="32.04.06.1002")
            elif kecamatan == "32.71.04" and i < 2:
                name = ["KUBE Cempaka", "KUBE Tulip"][i]   # seed 004
            else:
                name = f"KUBE {words[counter % len(words)]} {counter:02d}"
            size = rng.randint(programme.min_members + 1, min(programme.max_members, 10))
            positions = ["ketua", "sekretaris", "bendahara"] + [""] * (size - 3)
            members = [_member(people, kecamatan, rng, position=pos, programme=programme)
                       for pos in positions]
            if name == MAIN_KUBE:
                members[0].name, members[0].sex = "Ani Suryani", Sex.PEREMPUAN
                members[0].birth_date = date(1978, 4, 12)
                members[0].nik = f"320406{nik_date_part(members[0].birth_date, Sex.PEREMPUAN)}0911"
            formed = TODAY_ANCHOR - timedelta(days=rng.randint(200, 1800))
            business = rng.choice([BusinessType.WARUNG_SEMBAKO, BusinessType.WARUNG_SEMBAKO,
                                   BusinessType.TERNAK, BusinessType.OLAHAN_PANGAN,
                                   BusinessType.KERAJINAN, BusinessType.JASA,
                                   BusinessType.SIMPAN_PINJAM])
            kube = kube_register(
                actor=office[kecamatan[:5]], name=name, desa=desa, formed_on=formed,
                programme=programme, business_type=business,
                business_mode=rng.choice(list(BusinessMode)),
                business_description=f"Usaha {BusinessType(business).label.lower()}",
                bonds=rng.sample([b.value for b in Bond], 2),
                address=f"{rng.choice(names.STREETS)} No. {rng.randint(1, 99)}",
                rt=f"{rng.randint(1, 9):03d}", rw=f"{rng.randint(1, 12):03d}",
                pendamping=accounts.get(mentor), members=members,
            )
            created.append(kube)
            age_days = (TODAY_ANCHOR - formed).days
            mentor_user = accounts.get(mentor) or office[kecamatan[:5]]
            if age_days > 500:
                kube_stage_change(actor=mentor_user, kube=kube, stage=Stage.PENGEMBANGAN,
                                  effective_on=formed + timedelta(days=180),
                                  reason="Usaha berjalan dan buku kas rutin diisi")
            if age_days > 1400 and rng.random() < .5:
                kube_stage_change(actor=mentor_user, kube=kube, stage=Stage.KEMANDIRIAN,
                                  effective_on=formed + timedelta(days=1000),
                                  reason="Merencanakan dan menjalankan bakti sosial tanpa pendamping")
            if name == "KUBE Tulip":
                kube_status_change(actor=office["32.71"], kube=kube, status=Status.STAGNAN,
                                   effective_on=TODAY_ANCHOR - timedelta(days=90),
                                   reason="Tidak ada pertemuan dan pembukuan sejak tiga bulan")
            elif counter == 37:
                kube_status_change(actor=office[kecamatan[:5]], kube=kube, status=Status.BUBAR,
                                   effective_on=TODAY_ANCHOR - timedelta(days=30),
                                   reason="Anggota sepakat membubarkan diri; modal dibagi sesuai musyawarah")

    main = Kube.objects.get(name=MAIN_KUBE)
    officers = {o.position: o.member for o in main.officers.filter(ended_on__isnull=True)}
    ketua = member_account_create(actor=admin, member=officers["ketua"], username="ketua.majusejahtera",
                                  password=password, validate=False, password_hash=shared_hash(password))
    member_account_create(actor=admin, member=officers["sekretaris"],
                          username="sekretaris.majusejahtera", password=password, validate=False,
                          password_hash=shared_hash(password))
    bendahara = member_account_create(actor=admin, member=officers["bendahara"],
                                      username="bendahara.majusejahtera", password=password, validate=False,
                                      password_hash=shared_hash(password))
    plain = main.members.filter(left_on__isnull=True, offices__isnull=True).first()
    assert plain is not None
    member_account_create(actor=admin, member=plain, username="anggota.majusejahtera",
                          password=password, validate=False, password_hash=shared_hash(password))
    from demo.books import demo_all_books
    from demo.messaging import demo_consents, demo_messages_sent

    consenting = demo_consents(main, actor=main.pendamping or office["32.04"])
    demo_all_books(created, password=password, offices=office, rng=rng)
    demo_messages_sent(consenting)
    from demo.mentoring import demo_mentoring

    visits = demo_mentoring(created, offices=office, rng=rng)
    from demo.assessments import demo_assessments

    assessments = demo_assessments(created, rng=rng)
    demo_dtsen(created, offices=office, today=TODAY_ANCHOR)
    demo_approval(main, ketua=ketua, bendahara=bendahara, mentor=main.pendamping or office["32.04"], office=office["32.04"])
    return {"users": User.objects.count(), "kubes": len(created), "visits": visits, "assessments": assessments}


def demo_account_rows() -> list[tuple[str, str, str]]:
    """The accounts worth printing, each group account with its own group; the other groups'
    treasurers and secretaries are summed up in one line each."""
    from registry.models import Member

    group_of = dict(Member.objects.filter(user__isnull=False, left_on__isnull=True)
                    .values_list("user_id", "kube__name"))
    main_accounts = set(Member.objects.filter(kube__name=MAIN_KUBE, user__isnull=False)
                        .values_list("user_id", flat=True))
    others = {prefix: User.objects.filter(username__startswith=f"{prefix}.", role__in=(Role.PENGURUS, Role.ANGGOTA))
              .exclude(pk__in=main_accounts) for prefix in ("sekretaris", "bendahara")}
    hidden = {pk for qs in others.values() for pk in qs.values_list("pk", flat=True)}
    rows = []
    for user in User.objects.select_related("region").exclude(pk__in=hidden).order_by("id"):
        where = user.region.label if user.region else user.institution
        if user.role in (Role.PENGURUS, Role.ANGGOTA):
            where = group_of.get(user.pk, "")
        elif user.role == Role.PENDAMPING and user.region:
            where = f"{user.institution} ({user.region.label})" if user.institution else user.region.label
        rows.append((user.username, str(Role(user.role).label), where))
    for prefix, qs in others.items():
        first = qs.order_by("id").first()
        if first is not None:
            rows.append((f"{prefix}.<nama KUBE>", str(Role.PENGURUS.label),
                         f"{qs.count()} KUBE lain, misalnya {first.username} ({group_of.get(first.pk, '')})"))
    return rows
