"""Searching a member's name on the KUBE list goes through the name index (registry/search.py),
which the member services keep in step: a new member is found, a renamed one under the new name
and not the old, and the search finds only groups in the searcher's reach."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from registry.models import Member
from registry.rules import MemberData
from registry.search import FTS_TABLE, KEY, member_name_reindex, name_matches
from registry.selectors import KubeFilters, kube_list
from registry.services import member_add, member_leave, member_update
from testing import member_data


def found(user, q: str) -> set[int]:
    return set(kube_list(user, KubeFilters(q=q)).values_list("pk", flat=True))


def renamed(member: Member, name: str) -> MemberData:
    return MemberData(nik=member.nik, kk_number=member.kk_number, name=name, sex=member.sex,
                      birth_date=member.birth_date, address=member.address, task=member.task)


def test_a_new_member_is_found_by_part_of_a_name_within_reach_only(cast):
    member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Ratna Kusumawardhani"))
    for q in ("Ratna Kusumawardhani", "kusumaward", "WARDHANI", "a kusuma", "  ratna   kusuma "):
        assert found(cast.kab, q) == {cast.kube_b.pk}, q
        assert found(cast.pusat, q) == {cast.kube_b.pk}, q
        assert found(cast.kab_other, q) == set(), q  # Kota Bogor's office: the group is outside its reach
        assert found(cast.prov_other, q) == set(), q
    assert found(cast.kab, "Ratna Kusumawardhanii") == set()


def test_a_renamed_member_is_found_under_the_new_name_and_not_the_old(cast):
    member = member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Euis Komalasari"))
    assert found(cast.pusat, "komalasari") == {cast.kube_b.pk}
    member_update(actor=cast.kab, member=member, data=renamed(member, "Euis Purnamasari"))
    assert found(cast.pusat, "purnamasari") == {cast.kube_b.pk}
    assert found(cast.kab, "Euis Purnama") == {cast.kube_b.pk}
    assert found(cast.pusat, "komalasari") == set()
    assert found(cast.kab_other, "purnamasari") == set()


def test_a_member_who_left_is_still_found_as_before(cast):
    member = member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Imas Nurjanah"))
    member_leave(actor=cast.kab, member=member, left_on=timezone.localdate(), reason="pindah")
    assert found(cast.kab, "nurjanah") == {cast.kube_b.pk}


@pytest.mark.parametrize("q", ["Warga", "arg", "WA", "a", "Mü", "müller", "MÜLLER", "Zoë", "zoe", "50%", "x_y",
                               'Dewi "Sri"', "Maju", "ller Zo"])
def test_the_index_answers_exactly_what_the_plain_search_answers(cast, q):
    for name in ("Hans Müller Zoë", "Dewi \"Sri\" Lestari", "Ani 50% x_y", "ÉLISE Maju"):
        member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name=name))
    q = " ".join(q.split())
    with_index = set(Member.objects.filter(name_matches(q)).values_list("pk", flat=True))
    assert with_index == set(Member.objects.filter(name__icontains=q).values_list("pk", flat=True))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its GIN index itself")
def test_on_sqlite_the_index_holds_each_members_current_name_and_can_be_rebuilt(cast):
    # A transactional test before this one (a live server's) flushes Django's tables but not the
    # index, which is no model: start from the members as they are, then change them.
    member_name_reindex()
    member = member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Cucu Suryani"))
    member_update(actor=cast.kab, member=member, data=renamed(member, "Cucu Suryana"))

    def indexed() -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, name FROM {FTS_TABLE}")  # noqa: S608
            return {rowid % KEY: name for rowid, name in cursor.fetchall()}

    assert indexed() == dict(Member.objects.values_list("pk", "name"))
    assert indexed()[member.pk] == "Cucu Suryana"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    assert found(cast.pusat, "suryana") == set()
    member_name_reindex()
    assert indexed() == dict(Member.objects.values_list("pk", "name"))
    assert found(cast.pusat, "suryana") == {cast.kube_b.pk}
