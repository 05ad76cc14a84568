"""Duplicate people: found among 100,000 with every planted one and almost no false pair, warned
before a registration or an import creates one, listed for the office and resolved."""

import time
from datetime import date

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from dtsen.models import DuplicatePair
from dtsen.services import duplicate_resolve, duplicates_scan
from registry.duplicates import Kind, Person, compare, find_pairs, find_pairs_sorted, nik_kind
from registry.errors import RegistryError
from registry.importer import import_workbook
from registry.models import DtsenRecord, Member
from registry.rules import MemberData
from registry.services import dtsen_record_add, member_add
from testing.dtsen import population
from testing.registry import build, upload

BIRTH = date(1980, 5, 17)


def person(pk, nik, name="Siti Aminah", kk="3204061234000001", birth=BIRTH, sex="P"):
    return Person(pk=pk, nik=nik, kk_number=kk, name=name, birth_date=birth, sex=sex)


def test_a_typo_and_a_transposition_are_told_apart():
    assert nik_kind("3204065705800012", "3204065705800013") == Kind.NIK_TYPO
    assert nik_kind("3204065705800012", "3204065705800021") == Kind.NIK_TRANSPOSED
    assert nik_kind("3204065705800012", "3204065705800031") is None  # two digits wrong
    assert nik_kind("3204065705800012", "3204065705800012") == Kind.SAME_NIK


def test_the_same_name_kk_and_birth_date_with_a_mistyped_nik_is_a_pair():
    a = person(1, "3204065705800012")
    typo = compare(a, person(2, "3204065705800013", name="SITI  AMINAH"))
    swapped = compare(a, person(2, "3204065705800021", name="Aminah Siti"))
    assert typo is not None and typo.kind == Kind.NIK_TYPO
    assert swapped is not None and swapped.kind == Kind.NIK_TRANSPOSED


def test_a_spelling_variant_counts_when_the_nik_differs_outside_the_serial():
    variant = compare(person(1, "3204065705800012"), person(2, "3204075705800012", name="Sity Aminah"))
    assert variant is not None and variant.kind == Kind.NIK_TYPO
    assert compare(person(1, "3204065705800012"), person(2, "3204065705800013", name="Sity Aminah")) is None


def test_twins_are_not_a_pair():
    # Same KK, birth date and sex, NIKs one serial apart: only the name tells them apart, even one letter.
    assert compare(person(1, "3204061705800012", name="Hasan Sutisna", sex="L"),
                   person(2, "3204061705800013", name="Husen Sutisna", sex="L")) is None
    assert compare(person(1, "3204065705800012", name="Yati Lestari"),
                   person(2, "3204065705800013", name="Yanti Lestari")) is None
    assert compare(person(1, "3204065705800012"), person(2, "3204065705800013", sex="L")) is None
    assert compare(person(1, "3204065705800012"), person(2, "3204065705800013", kk="3204061234000002")) is None
    assert compare(person(1, "3204065705800012"), person(2, "3204065705800013", birth=date(1980, 5, 18))) is None


def test_every_planted_duplicate_among_100000_is_found_with_at_most_one_false_pair_in_1000():
    pop = population(100_000, planted=400)
    started = time.perf_counter()
    found = {(m.first, m.second) for m in find_pairs(pop.people)}
    ordered = sorted(pop.people, key=lambda p: (p.kk_number, p.birth_date))
    streamed = {(m.first, m.second) for m in find_pairs_sorted(ordered)}
    elapsed = time.perf_counter() - started
    assert pop.planted <= found, sorted(pop.planted - found)[:5]
    assert streamed == found
    false = found - pop.planted
    assert len(false) * 1000 <= len(found), sorted(false)[:5]
    assert elapsed < 60  # a sanity bound on the test's own length, not a speed target (bench/dtsen_bench.py)


def _twin_of(member, nik, **extra):
    return MemberData(nik=nik, kk_number=member.kk_number, name=member.name.upper(), sex=member.sex,
                      birth_date=member.birth_date, **extra)


def _transpose_serial(nik):
    """Two neighbouring digits of the NIK's serial (its last four) swapped, a typing slip."""
    i = next(i for i in (14, 13, 12) if nik[i] != nik[i + 1])
    return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2:]


def _last_with_a_serial_to_transpose(members):
    """The last of `members` whose serial has two different neighbouring digits (a generated NIK
    may end "0000"; swapping the region's digits instead made a NIK of no known kecamatan)."""
    return next(m for m in members.order_by("-id") if len(set(m.nik[12:])) > 1)


def test_a_new_registration_is_warned_before_it_creates_a_likely_duplicate(cast):
    original = _last_with_a_serial_to_transpose(cast.kube_a.members)
    nik = _transpose_serial(original.nik)
    with pytest.raises(RegistryError) as warned:
        member_add(actor=cast.kab, kube=cast.kube_b, data=_twin_of(original, nik))
    message = warned.value.message
    assert "Kemungkinan orang yang sama" in message and original.name in message and "KUBE Maju Sejahtera 11" in message
    assert original.nik not in message and nik not in message
    assert not Member.objects.filter(nik=nik).exists()
    added = member_add(actor=cast.kab, kube=cast.kube_b, data=_twin_of(original, nik, accept_duplicate=True))
    assert added.pk and added.kube_id == cast.kube_b.pk


def test_the_warning_names_a_group_outside_reach_only_as_such(cast):
    original = _last_with_a_serial_to_transpose(cast.kube_c.members)  # Kota Bogor
    with pytest.raises(RegistryError) as warned:
        member_add(actor=cast.kab, kube=cast.kube_b, data=_twin_of(original, _transpose_serial(original.nik)))
    assert "KUBE lain di luar wilayah Anda" in warned.value.message and "Cempaka" not in warned.value.message


def test_an_import_warns_of_a_likely_duplicate_until_the_office_accepts_it(cast):
    original = _last_with_a_serial_to_transpose(cast.kube_a.members)

    def tweak(serial, row):
        if serial == 4:
            row[1], row[2], row[3], row[4], row[5] = (_transpose_serial(original.nik), original.kk_number,
                                                      original.name, original.sex, original.birth_date)
        return row

    data = build(1, tweak=tweak)
    result = import_workbook(actor=cast.kab, upload=upload(data))
    assert not result.ok
    assert [(i.row, i.column) for i in result.issues] == [(5, "NIK")]
    assert "Kemungkinan orang yang sama" in result.issues[0].problem
    accepted = import_workbook(actor=cast.kab, upload=upload(data), accept_duplicates=True)
    assert accepted.ok and accepted.members == 10


@pytest.fixture
def pair(cast):
    original = _last_with_a_serial_to_transpose(cast.kube_a.members.filter(offices__isnull=True))
    dtsen_record_add(actor=cast.kab, member=original, status="found", desil=2, source="manual")
    copy = member_add(actor=cast.kab, kube=cast.kube_b,
                      data=_twin_of(original, _transpose_serial(original.nik), accept_duplicate=True))
    result = duplicates_scan(actor=cast.kab, region_code="32.04")
    assert (result.pairs, result.new) == (1, 1)
    assert duplicates_scan(actor=cast.kab, region_code="32.04").new == 0  # listed once
    found = DuplicatePair.objects.get()
    assert {found.first_id, found.second_id} == {original.pk, copy.pk} and found.kind == Kind.NIK_TRANSPOSED
    return found


def test_merging_keeps_one_membership_and_ends_the_other(cast, pair):
    original, copy = pair.first, pair.second
    resolved = duplicate_resolve(actor=cast.kab, pair=pair, decision="merge", member_id=original.pk, note="KTP dilihat")
    copy.refresh_from_db()
    assert resolved.state == DuplicatePair.State.MERGED and resolved.kept == original
    assert copy.left_on == timezone.localdate() and copy.left_reason == "lainnya" and "Data ganda" in copy.left_note
    assert resolved.resolved_by == cast.kab
    assert AuditEntry.objects.filter(object_type="dtsen.duplicatepair", object_id=str(pair.pk)).exists()
    with pytest.raises(Exception, match="sudah diselesaikan"):
        duplicate_resolve(actor=cast.kab, pair=pair, decision="different")


def test_merging_into_the_unchecked_copy_carries_the_dtsen_standing_over(cast, pair):
    original, copy = pair.first, pair.second
    duplicate_resolve(actor=cast.kab, pair=pair, decision="merge", member_id=copy.pk)
    copy.refresh_from_db()
    assert (copy.dtsen_status, copy.dtsen_desil) == ("found", 2)
    assert DtsenRecord.objects.filter(member=copy, note__contains=str(original.pk)).exists()


def test_correcting_the_nik_goes_through_the_member_rules(cast, pair):
    copy = pair.second
    with pytest.raises(RegistryError, match="16 digit"):
        duplicate_resolve(actor=cast.kab, pair=pair, decision="correct", member_id=copy.pk, nik="123")
    good = copy.nik[:12] + "0999"
    resolved = duplicate_resolve(actor=cast.kab, pair=pair, decision="correct", member_id=copy.pk, nik=good)
    copy.refresh_from_db()
    assert copy.nik == good and resolved.state == DuplicatePair.State.CORRECTED


def test_different_people_are_not_listed_again(cast, pair):
    duplicate_resolve(actor=cast.kab, pair=pair, decision="different", note="Kembar")
    assert duplicates_scan(actor=cast.kab, region_code="32.04").new == 0
    assert DuplicatePair.objects.get().state == DuplicatePair.State.DIFFERENT
