"""Registering a group: the programme's rules, the one-group-per-person rule, the officers."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from regions.models import Region
from registry.errors import RegistryError
from registry.models import Kube, LifecycleChange, Member, Officer
from registry.services import dtsen_record_add, kube_register
from testing import DESA_A, DESA_B, founding_members, make_kube, member_data, programme_fm, programme_uep


def register(actor, members, **extra):
    values: dict = {"name": "KUBE Sauyunan", "desa": Region.objects.get(pk=DESA_A),
              "formed_on": date(2025, 2, 1), "programme": programme_fm(), "business_type": "warung"}
    values.update(extra)
    return kube_register(actor=actor, members=members, **values)


def test_a_group_with_six_families_and_its_officers_is_registered(cast):
    kube = register(cast.kab, founding_members(6))
    assert kube.reg_number == "KUBE-3204-2025-0001"
    assert kube.members.filter(left_on__isnull=True).count() == 6
    assert {o.position for o in kube.officers.all()} == {"ketua", "sekretaris", "bendahara"}
    officer = kube.officers.get(position="ketua")
    assert officer.chosen_on == date(2025, 2, 1) and officer.term_end == date(2028, 2, 1)
    assert LifecycleChange.objects.get(kube=kube).new_value == "pembentukan"
    second = register(cast.kab, founding_members(5), name="KUBE Sauyunan 2")
    assert second.reg_number == "KUBE-3204-2025-0002"


def test_four_families_are_refused_under_a_five_to_ten_programme(cast):
    with pytest.raises(RegistryError, match="5 sampai 10 KK") as exc:
        register(cast.kab, founding_members(4))
    assert exc.value.field == "members"
    assert not Kube.objects.filter(name="KUBE Sauyunan").exists()


def test_eleven_families_are_refused_but_the_uep_programme_allows_twenty(cast):
    with pytest.raises(RegistryError, match="5 sampai 10 KK"):
        register(cast.kab, founding_members(11))
    members = founding_members(12)
    kube = register(cast.kab, members, programme=programme_uep())
    assert kube.members.count() == 12


def test_isolated_communities_are_formed_per_settlement_unit_without_the_size_limit(cast):
    kube = register(cast.kab, founding_members(14), target_group="terasing")
    assert kube.members.count() == 14
    kumuh = register(cast.kab, founding_members(3), target_group="kumuh", name="KUBE RSDK Cibeunying")
    assert kumuh.members.count() == 3


def test_a_person_already_active_in_a_group_is_refused_with_that_groups_name(cast):
    taken = cast.kube_b.members.first()
    members = founding_members(6)
    members[4].nik, members[4].birth_date, members[4].sex = taken.nik, taken.birth_date, taken.sex
    with pytest.raises(RegistryError) as exc:
        register(cast.kab, members)
    assert "KUBE Mekar Jaya 02" in exc.value.message and cast.kube_b.reg_number in exc.value.message
    assert exc.value.details[0]["member"] == 4


def test_the_other_group_is_not_named_to_someone_who_cannot_see_it(cast):
    taken = cast.kube_c.members.first()  # Kota Bogor, outside Kab. Bandung
    members = founding_members(6)
    members[5].nik, members[5].birth_date, members[5].sex = taken.nik, taken.birth_date, taken.sex
    with pytest.raises(RegistryError) as exc:
        register(cast.kab, members)
    assert "KUBE lain di luar wilayah Anda" in exc.value.message
    assert "Cempaka" not in exc.value.message


def test_the_database_itself_refuses_a_second_active_membership(cast):
    taken = cast.kube_b.members.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(kube=cast.kube_a, nik=taken.nik, kk_number=taken.kk_number, name="X",
                              sex=taken.sex, birth_date=taken.birth_date, joined_on=date(2025, 1, 1))


def test_two_ketua_are_refused(cast):
    members = founding_members(6)
    members[3].position = "ketua"
    with pytest.raises(RegistryError, match="Ketua hanya boleh satu orang"):
        register(cast.kab, members)


def test_a_missing_bendahara_is_refused(cast):
    members = founding_members(6)
    members[2].position = ""
    with pytest.raises(RegistryError, match="Belum ada Bendahara"):
        register(cast.kab, members)


def test_a_malformed_nik_is_refused_with_what_to_fix(cast):
    members = founding_members(6)
    members[1].nik = "32040615089"
    with pytest.raises(RegistryError, match="NIK harus 16 digit angka") as exc:
        register(cast.kab, members)
    assert exc.value.field == "nik" and "Anggota ke-2" in exc.value.message


def test_a_nik_from_an_unknown_kecamatan_is_refused(cast):
    members = founding_members(6)
    members[0].nik = "320499" + members[0].nik[6:]
    with pytest.raises(RegistryError, match="bukan kode kecamatan yang dikenal"):
        register(cast.kab, members)


def test_a_nik_whose_birth_date_part_disagrees_is_refused(cast):
    members = founding_members(6)
    m = members[0]
    m.birth_date = date(1980, 5, 18)  # the NIK says 17 May (women: 57)
    with pytest.raises(RegistryError, match="tidak cocok dengan tanggal lahir") as exc:
        register(cast.kab, members)
    assert "seharusnya 580580" in exc.value.message  # DDMMYY with the day 18+40
    m.birth_date, m.sex = date(1980, 5, 17), "L"  # same date, but a man would have day 17
    with pytest.raises(RegistryError, match="seharusnya 170580"):
        register(cast.kab, members)


def test_age_bounds_of_the_programme_apply(cast):
    members = founding_members(6)
    young = member_data(birth=date(2010, 1, 1), position="")
    members[5] = young
    with pytest.raises(RegistryError, match="di bawah batas program"):
        register(cast.kab, members, programme=programme_uep())


def test_a_member_outside_the_target_desil_is_flagged_on_the_group_not_refused(client, cast):
    members = founding_members(6)
    members[4].dtsen_desil, members[5].dtsen_desil, members[3].dtsen_desil = 7, 4, 2
    kube = register(cast.kab, members, programme=programme_uep())  # the UEP programme targets desil 1–4
    outside = kube.members.get(name=members[4].name)
    assert (outside.dtsen_status, outside.dtsen_desil) == ("found", 7)
    record = outside.dtsen_records.get()
    assert (record.source, record.recorded_by) == ("manual", cast.kab)
    client.force_login(cast.kab)
    page = client.get(reverse("registry:detail", args=[kube.pk])).content.decode()
    assert page.count('data-testid="dtsen-flag"') == 1
    assert "Desil 7 di luar sasaran program Bantuan UEP KUBE (Permensos 2/2019) (desil 1–4)." in page



def test_group_members_do_not_read_each_others_desil(client, cast):
    Kube.objects.filter(pk=cast.kube_a.pk).update(programme=programme_uep())
    other = cast.kube_a.members.filter(user__isnull=True).first()
    dtsen_record_add(actor=cast.kab, member=other, status="not_found", desil=None, source="manual")
    for user, shown in ((cast.kab, True), (cast.pendamping, True), (cast.prov, True), (cast.ketua, False)):
        client.force_login(user)
        page = client.get(reverse("registry:detail", args=[cast.kube_a.pk])).content.decode()
        assert ("Tidak ditemukan di DTSEN" in page) == shown, user


def test_the_same_name_twice_in_one_desa_is_refused(cast):
    with pytest.raises(RegistryError, match="Sudah ada KUBE bernama"):
        register(cast.kab, founding_members(6), name="kube maju sejahtera 11")
    kube = register(cast.kab, founding_members(6), name="KUBE Maju Sejahtera 11",
                    desa=Region.objects.get(pk=DESA_B))
    assert kube.pk


def test_a_non_desa_region_is_refused(cast):
    with pytest.raises(RegistryError, match="desa/kelurahan"):
        register(cast.kab, founding_members(6), desa=Region.objects.get(pk="32.04.06"))


def test_nothing_is_half_saved_when_a_late_member_fails(cast):
    before = (Kube.objects.count(), Member.objects.count(), Officer.objects.count())
    members = founding_members(10)
    members[9].kk_number = "12"
    with pytest.raises(RegistryError):
        register(cast.kab, members)
    assert (Kube.objects.count(), Member.objects.count(), Officer.objects.count()) == before


def test_make_kube_helper_builds_a_valid_group(cast):
    kube = make_kube(name="KUBE Uji", desa=DESA_B, actor=cast.kab)
    assert kube.members.count() == 6
