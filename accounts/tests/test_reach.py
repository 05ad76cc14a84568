"""Every reach decision in accounts/access.py: a group's child objects, regions, mentors' workspaces,
dissolved groups, and the services' own checks of objects they are handed.

Each test says the rule as a user meets it; the expectations are written out here, not read from
access.py.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import (
    Kind,
    access_child,
    access_kube,
    access_mentor_workspace,
    kubes_for_user,
    may_write,
    region_in_reach,
    require_office,
)
from accounts.models import Role, User
from books.errors import BooksError
from books.models import Transaction, TxnKind
from books.services import cash_entry_record, savings_deposit
from mentoring.errors import MentoringError
from mentoring.services import mentor_assign_kecamatan, visit_log
from regions.models import Region
from registry.errors import RegistryError
from registry.models import Kube, Member
from registry.services import kube_register, kube_status_change, kube_update
from testing import DESA_B, DESA_C, founding_members, make_user, programme_fm

DAY = date(2026, 3, 10)


def _txn(cast, kube):
    return cash_entry_record(actor=cast.admin, kube=kube, kind=TxnKind.CAPITAL_IN, amount=100_000, date=DAY,
                             description="Modal")


# --- a group's child objects --------------------------------------------------------------------

def test_a_missing_object_and_one_outside_reach_answer_alike_and_both_are_logged(cast, caplog):
    caplog.set_level(logging.WARNING, logger="sikube.security")
    far = _txn(cast, cast.kube_c)  # Kota Bogor: outside Kab. Bandung
    answers = []
    for ident in (far.pk, 99_999_999, "x"):
        with pytest.raises(Http404) as caught:
            access_child(cast.kab, Transaction, ident)
        answers.append(str(caught.value))
    assert len(set(answers)) == 1
    logged = [r.getMessage() for r in caplog.records]
    assert f"refused user={cast.kab.pk} role=kabupaten what=transaction (not found or outside reach) id={far.pk}" \
        in logged
    assert f"refused user={cast.kab.pk} role=kabupaten what=transaction (not found or outside reach) id=99999999" \
        in logged
    assert f"refused user={cast.kab.pk} role=kabupaten what=transaction (not an id) id=x" in logged
    assert access_child(cast.kab_other, Transaction, far.pk) == far


def test_a_role_that_may_not_write_is_refused_before_anything_is_looked_up(cast, django_assert_num_queries):
    own = _txn(cast, cast.kube_a)
    for ident in (own.pk, 99_999_999):  # the same answer for an object in reach and a missing one
        with django_assert_num_queries(0), pytest.raises(PermissionDenied):
            access_child(cast.kab, Transaction, ident, write=Kind.BOOKS)
    assert access_child(cast.ketua, Transaction, own.pk, write=Kind.BOOKS) == own
    with pytest.raises(Http404):  # a writer still meets reach: another group's is not there
        access_child(cast.ketua, Transaction, _txn(cast, cast.kube_b).pk, write=Kind.BOOKS)


def test_several_kinds_let_a_writer_of_any_of_them_through(cast):
    visit = visit_log(actor=cast.pendamping, kube=cast.kube_a, date=DAY, place="Balai", problems="Stok",
                      present=list(cast.kube_a.members.all()))
    kinds = (Kind.VISIT, Kind.BOOKS)  # a follow-up is closed by the mentor or by the officers
    assert access_child(cast.pendamping, type(visit), visit.pk, write=kinds) == visit
    assert access_child(cast.ketua, type(visit), visit.pk, write=kinds) == visit
    with pytest.raises(PermissionDenied):
        access_child(cast.anggota, type(visit), visit.pk, write=kinds)


def test_a_dissolved_group_leaves_its_former_members_and_stays_with_the_office(cast):
    txn = _txn(cast, cast.kube_a)
    assert access_child(cast.anggota, Transaction, txn.pk) == txn
    kube = kube_status_change(actor=cast.kab, kube=cast.kube_a, status="bubar", effective_on=DAY, reason="Bubar")
    with pytest.raises(Http404):  # dissolving ended their membership
        access_child(cast.anggota, Transaction, txn.pk)
    assert access_child(cast.kab, Transaction, txn.pk) == txn
    assert access_child(cast.pendamping, Transaction, txn.pk) == txn
    # Its books, visits, stage, PEKA and members are closed; its record and grants are not.
    assert not may_write(cast.ketua, kube, Kind.BOOKS)
    assert not may_write(cast.pendamping, kube, Kind.VISIT)
    assert not may_write(cast.kab, kube, Kind.MEMBER)
    assert may_write(cast.kab, kube, Kind.GRANT)
    assert may_write(cast.kab, kube, Kind.KUBE)
    assert may_write(cast.ketua, cast.kube_b, Kind.BOOKS)  # a live group: the role decides


# --- regions ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "inside", "outside"), [
    ("admin", ["32.04", "33.74.01"], []),
    ("pusat", ["32.04", "33.74.01"], []),
    ("provinsi", ["32", "32.04.06.1002", "32.71"], ["33.74", "3", "32x"]),
    ("kabupaten", ["32.04", "32.04.06"], ["32", "32.71", "32.040"]),
    ("pendamping", [], ["32.04.06.1002"]),
    ("pengurus", [], ["32.04.06.1002"]),
    ("outsider", [], ["32"]),
])
def test_a_region_is_inside_the_area_of_an_office_only(cast, role, inside, outside):
    user = cast.role_users()[role]
    assert all(region_in_reach(user, code) for code in inside)
    assert not any(region_in_reach(user, code) for code in outside)


def test_a_district_office_registers_a_group_only_in_its_own_area_whoever_calls_the_service(cast):
    before = Kube.objects.count()
    with pytest.raises(RegistryError) as caught:
        kube_register(actor=cast.kab, name="KUBE Seberang", desa=Region.objects.get(pk=DESA_C),
                      formed_on=date(2024, 3, 1), programme=programme_fm(), business_type="warung",
                      members=founding_members(6, kecamatan=DESA_C.rsplit(".", 1)[0]))
    assert caught.value.status == 404 and caught.value.field == "desa"
    assert Kube.objects.count() == before


def test_a_district_office_does_not_move_its_group_out_of_its_area(cast):
    with pytest.raises(RegistryError) as caught:
        kube_update(actor=cast.kab, kube=cast.kube_b, name=cast.kube_b.name, desa=Region.objects.get(pk=DESA_C),
                    formed_on=cast.kube_b.formed_on, programme=cast.kube_b.programme,
                    business_type=cast.kube_b.business_type, target_group=cast.kube_b.target_group,
                    business_mode=cast.kube_b.business_mode)
    assert caught.value.status == 404 and caught.value.field == "desa"
    cast.kube_b.refresh_from_db()
    assert cast.kube_b.desa_id == DESA_B


def test_a_mentor_is_assigned_to_a_kecamatan_only_inside_the_office_area(cast):
    kecamatan = Region.objects.get(pk=DESA_C.rsplit(".", 1)[0])  # Kec. Bogor Barat, Kota Bogor
    with pytest.raises(MentoringError) as caught:
        mentor_assign_kecamatan(actor=cast.kab, kecamatan=kecamatan, pendamping=cast.pendamping, start_on=DAY)
    assert caught.value.status == 404 and caught.value.field == "kecamatan"


# --- the services' own checks of what they are handed ---------------------------------------------

def test_a_service_handed_a_member_of_another_group_refuses_it_like_a_missing_one(cast, caplog):
    caplog.set_level(logging.WARNING, logger="sikube.security")
    stranger = cast.kube_b.members.first()
    with pytest.raises(BooksError) as caught:
        savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=stranger, amount=10_000, date=DAY)
    assert (caught.value.status, caught.value.code, caught.value.field) == (404, "not_found", "member")
    with pytest.raises(MentoringError) as caught_visit:
        visit_log(actor=cast.pendamping, kube=cast.kube_a, date=DAY, place="Balai", problems="Stok",
                  present=[*cast.kube_a.members.all(), stranger])
    assert (caught_visit.value.status, caught_visit.value.field) == (404, "present")
    logged = [r.getMessage() for r in caplog.records]
    assert f"refused user={cast.ketua.pk} role=pengurus what=member of another group id={stranger.pk}" in logged


# --- mentors' workspaces and the office pages --------------------------------------------------------

def test_who_opens_a_mentors_workspace(cast):
    idle = make_user("pendamping.baru", Role.PENDAMPING, "32.04")  # employed by Kab. Bandung, no group yet
    assert access_mentor_workspace(cast.pendamping, None)[0] == cast.pendamping
    assert access_mentor_workspace(cast.pendamping, cast.pendamping.pk)[0] == cast.pendamping
    assert list(access_mentor_workspace(cast.kab, cast.pendamping.pk)[1]) == [cast.kube_a]
    assert access_mentor_workspace(cast.kab, idle.pk)[0] == idle  # its own mentor, before any assignment
    assert access_mentor_workspace(cast.pusat, idle.pk)[0] == idle
    for user, mentor_id in [(cast.kab, cast.pendamping_other.pk),  # Kota Bogor's mentor
                            (cast.pendamping, cast.pendamping_other.pk), (cast.ketua, cast.pendamping.pk),
                            (cast.kab, cast.kab.pk), (cast.kab, None), (cast.outsider, idle.pk)]:
        with pytest.raises(Http404):
            access_mentor_workspace(user, mentor_id)


@pytest.mark.parametrize("role", ["pendamping", "pengurus", "anggota", "outsider"])
def test_only_offices_have_office_pages(cast, role):
    with pytest.raises(Http404):
        require_office(cast.role_users()[role])


# --- the group read for a posting ---------------------------------------------------------------

def test_the_group_read_for_a_posting_reaches_exactly_the_groups_of_the_reach_list(cast):
    """access_kube(related=False), the posting's lookup, decides reach on the group's row
    (access.reaches) instead of the queryset kubes_for_user: for every role, every group, a former
    member and an inactive office, both must answer alike, and the group read must be the same row."""
    Member.objects.filter(user=cast.anggota).update(left_on=DAY, left_reason="mundur")  # the member left: the group is gone for them
    asleep = make_user("dinsos.nonaktif", Role.KABUPATEN, "32.04")
    User.objects.filter(pk=asleep.pk).update(is_active=False)
    asleep.refresh_from_db()
    users = [*cast.role_users().values(), cast.kab_other, cast.prov_other, cast.pendamping_other, cast.anggota_d,
             asleep]
    kubes = [cast.kube_a, cast.kube_b, cast.kube_c, cast.kube_d]
    reached = set()
    for user in users:
        for kube in kubes:
            listed = kubes_for_user(user).filter(pk=kube.pk).exists()
            try:
                found = access_kube(user, kube.pk, related=False)
            except Http404:
                found = None
            assert (found is not None) == listed, (user.username, kube.name)
            if found is not None:
                reached.add((user.username, kube.name))
                stored = Kube.objects.get(pk=kube.pk)
                assert [getattr(found, f.attname) for f in Kube._meta.concrete_fields] == \
                    [getattr(stored, f.attname) for f in Kube._meta.concrete_fields]
        with pytest.raises(Http404):
            access_kube(user, 99_999_999, related=False)
    assert ("ketua.maju", cast.kube_a.name) in reached and ("ketua.maju", cast.kube_b.name) not in reached
    assert ("pendamping.cimenyan", cast.kube_a.name) in reached
    assert ("pendamping.cimenyan", cast.kube_b.name) not in reached
    assert not any(name in ("anggota.maju", "dinsos.nonaktif", "outsider") for name, _k in reached)
    assert ("anggota.sido", cast.kube_d.name) in reached
    assert {k for name, k in reached if name == "dinsos.bandung"} == {cast.kube_a.name, cast.kube_b.name}
