"""Members over time: joining, tasks, leaving (history kept), officers and accounts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from registry.errors import RegistryError
from registry.models import Officer
from registry.services import (
    kube_status_change,
    member_account_create,
    member_add,
    member_leave,
    member_set_task,
    officers_set,
)
from testing import member_data


def active(kube):
    return kube.members.filter(left_on__isnull=True)


def test_a_member_joins_and_later_leaves_and_the_history_stays(cast):
    kube = cast.kube_a
    member = member_add(actor=cast.pendamping, kube=kube, data=member_data(name="Lilis"))
    assert active(kube).count() == 7
    member_leave(actor=cast.pendamping, member=member, left_on=timezone.localdate(),
                 reason="pindah", note="ikut suami ke Garut")
    member.refresh_from_db()
    assert member.left_on == timezone.localdate() and member.left_reason == "pindah"
    assert active(kube).count() == 6 and kube.members.count() == 7
    # Having left, the same person may join another group.
    again = member_data()
    again.nik, again.birth_date, again.sex, again.kk_number = member.nik, member.birth_date, member.sex, member.kk_number
    assert member_add(actor=cast.kab, kube=cast.kube_b, data=again).kube == cast.kube_b


def test_the_group_cannot_grow_past_its_programme_maximum(cast):
    for _ in range(4):
        member_add(actor=cast.kab, kube=cast.kube_a, data=member_data())
    with pytest.raises(RegistryError, match="batas program"):
        member_add(actor=cast.kab, kube=cast.kube_a, data=member_data())


def test_an_officer_cannot_leave_before_being_replaced(cast):
    ketua = cast.kube_a.officers.get(position="ketua", ended_on__isnull=True).member
    with pytest.raises(RegistryError, match="masih menjabat Ketua"):
        member_leave(actor=cast.kab, member=ketua, left_on=timezone.localdate(), reason="mundur")


def test_leaving_needs_a_reason_and_a_sensible_date(cast):
    member = active(cast.kube_a).filter(offices__isnull=True).first()
    with pytest.raises(RegistryError, match="alasan"):
        member_leave(actor=cast.kab, member=member, left_on=timezone.localdate(), reason="")
    with pytest.raises(RegistryError, match="sebelum tanggal masuk"):
        member_leave(actor=cast.kab, member=member, left_on=date(2020, 1, 1), reason="mundur")
    with pytest.raises(RegistryError, match="masa depan"):
        member_leave(actor=cast.kab, member=member, left_on=timezone.localdate() + timedelta(days=2),
                     reason="mundur")
    with pytest.raises(RegistryError, match="Lainnya"):
        member_leave(actor=cast.kab, member=member, left_on=timezone.localdate(), reason="lainnya")


def test_new_officers_replace_the_old_ones_and_the_history_is_kept(cast):
    kube = cast.kube_a
    plain = list(active(kube).filter(offices__isnull=True).order_by("id"))
    chosen = timezone.localdate()
    officers_set(actor=cast.pendamping, kube=kube, ketua=plain[0], sekretaris=plain[1],
                 bendahara=plain[2], chosen_on=chosen)
    current = {o.position: o.member for o in kube.officers.filter(ended_on__isnull=True)}
    assert current == {"ketua": plain[0], "sekretaris": plain[1], "bendahara": plain[2]}
    assert Officer.objects.filter(kube=kube, ended_on=chosen).count() == 3
    # The old ketua's account becomes an ordinary member's; the new ketua (if any) a Pengurus.
    cast.ketua.refresh_from_db()
    assert cast.ketua.role == Role.ANGGOTA


def test_officers_must_be_three_distinct_active_members_of_the_group(cast):
    kube = cast.kube_a
    m = list(active(kube).order_by("id"))
    today = timezone.localdate()
    with pytest.raises(RegistryError, match="tiga orang yang berbeda"):
        officers_set(actor=cast.kab, kube=kube, ketua=m[0], sekretaris=m[0], bendahara=m[1], chosen_on=today)
    outsider = cast.kube_b.members.first()
    with pytest.raises(RegistryError, match=r"Ketua dengan id .* tidak ditemukan"):  # of another group: 404
        officers_set(actor=cast.kab, kube=kube, ketua=outsider, sekretaris=m[1], bendahara=m[2], chosen_on=today)


def test_a_task_can_be_given_and_members_without_one_are_listed(client, cast):
    kube = cast.kube_a
    plain = list(active(kube).filter(offices__isnull=True))
    member_set_task(actor=cast.pendamping, member=plain[0], task="Belanja stok")
    client.force_login(cast.pendamping)
    page = client.get(f"/kube/{kube.pk}/").content.decode()
    section = page.split('data-testid="no-task"')[1].split("</p>")[0]
    assert plain[0].name not in section
    assert all(m.name in section for m in plain[1:])


def test_an_account_for_a_member_follows_their_office(cast):
    kube = cast.kube_a
    bendahara = kube.officers.get(position="bendahara", ended_on__isnull=True).member
    user = member_account_create(actor=cast.kab, member=bendahara, username="bendahara.maju",
                                 password="panjang-sekali-2026")
    assert user.role == Role.PENGURUS
    plain = active(kube).filter(offices__isnull=True, user__isnull=True).first()
    plain_user = member_account_create(actor=cast.kab, member=plain, username="warga.maju",
                                       password="panjang-sekali-2026")
    assert plain_user.role == Role.ANGGOTA


def test_dissolving_a_group_ends_every_membership_and_it_cannot_be_revived(cast):
    kube = cast.kube_b
    today = timezone.localdate()
    kube_status_change(actor=cast.kab, kube=kube, status="bubar", effective_on=today,
                       reason="Sepakat bubar")
    assert not active(kube).exists()
    assert not kube.officers.filter(ended_on__isnull=True).exists()
    assert set(kube.members.values_list("left_reason", flat=True)) == {"kube_bubar"}
    with pytest.raises(RegistryError, match="tidak dapat diaktifkan kembali"):
        kube_status_change(actor=cast.kab, kube=kube, status="aktif", effective_on=today, reason="x")
    with pytest.raises(RegistryError, match="bubar"):
        member_add(actor=cast.kab, kube=kube, data=member_data())
