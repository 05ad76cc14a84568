"""A member's DTSEN standing is a history of records (the DTKS fields of before became its first
record), and phone numbers are kept as +62… as the phonenumbers library reads them."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from registry.errors import RegistryError
from registry.models import DtsenRecord, Member, Programme
from registry.rules import normalize_phone
from registry.services import dtsen_record_add, member_add, member_update
from testing import member_data


@pytest.mark.parametrize(("typed", "stored"), [
    ("081234567890", "+6281234567890"), ("0812-3456-7890", "+6281234567890"), ("62 812 3456 7890", "+6281234567890"),
    ("+62 812-3456-7890", "+6281234567890"), ("(0812) 3456 7890", "+6281234567890"), ("", ""),
])
def test_phone_numbers_are_stored_as_plus_62(typed, stored):
    assert normalize_phone(typed) == stored


def test_a_phone_number_that_is_not_one_is_refused(cast):
    with pytest.raises(RegistryError, match="Nomor HP tidak valid") as refused:
        member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(phone="0812"))
    assert refused.value.field == "phone"
    added = member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(phone="0812 3456 7890"))
    assert added.phone == "+6281234567890"


def test_each_record_is_kept_and_the_member_shows_the_latest(cast):
    member = cast.kube_a.members.filter(user__isnull=True).first()
    dtsen_record_add(actor=cast.kab, member=member, status="found", desil=3, source="manual",
                     data_date=date(2026, 1, 31))
    dtsen_record_add(actor=cast.kab, member=member, status="not_found", desil=None, source="manual")
    member.refresh_from_db()
    assert (member.dtsen_status, member.dtsen_desil) == ("not_found", None)
    assert list(member.dtsen_records.order_by("id").values_list("status", "desil")) == [("found", 3), ("not_found", None)]
    with pytest.raises(RegistryError, match="Isi desil"):
        dtsen_record_add(actor=cast.kab, member=member, status="found", desil=None, source="manual")
    with pytest.raises(RegistryError, match="1 sampai 10"):
        dtsen_record_add(actor=cast.kab, member=member, status="found", desil=11, source="manual")


def test_editing_a_member_with_a_new_desil_adds_a_record(cast):
    member = cast.kube_a.members.filter(user__isnull=True).first()
    data = member_data(name=member.name, birth=member.birth_date, sex=member.sex)
    data.nik, data.kk_number, data.dtsen_desil = member.nik, member.kk_number, 5
    member_update(actor=cast.kab, member=member, data=data)
    member_update(actor=cast.kab, member=member, data=data)  # the same desil again: no second record
    assert list(member.dtsen_records.values_list("desil", "source")) == [(5, "manual")]


@pytest.mark.django_db(transaction=True)
def test_the_dtks_fields_become_the_first_record_of_each_member(cast):
    executor = MigrationExecutor(connection)
    executor.migrate([("registry", "0002_member_name_search")])
    old = executor.loader.project_state([("registry", "0002_member_name_search")]).apps
    OldMember, OldProgramme = old.get_model("registry", "Member"), old.get_model("registry", "Programme")
    ids = list(OldMember.objects.order_by("id").values_list("id", flat=True)[:3])
    OldMember.objects.filter(pk=ids[0]).update(dtks_number="DTKS-123", dtks_verified=True, phone="0812-3456-7890")
    OldMember.objects.filter(pk=ids[1]).update(dtks_number="DTKS-456", dtks_verified=False, phone="12")
    OldProgramme.objects.filter(code="kube-fm").update(requires_dtks=True)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    first, second, third = (Member.objects.get(pk=pk) for pk in ids)
    assert (first.dtsen_status, first.phone) == ("found", "+6281234567890")
    assert list(first.dtsen_records.values_list("status", "reference", "source")) == [("found", "DTKS-123", "dtks")]
    assert (second.dtsen_status, second.phone) == ("unchecked", "12")  # a number it cannot read is left as it was
    assert list(second.dtsen_records.values_list("status", "reference")) == [("unchecked", "DTKS-456")]
    assert not third.dtsen_records.exists() and third.dtsen_status == "unchecked"
    assert DtsenRecord.objects.count() == 2
    assert Programme.objects.get(code="kube-fm").target_desil_max == 4
