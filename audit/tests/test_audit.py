from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import audit_record
from registry.errors import RegistryError
from registry.services import member_add, member_update
from testing import member_data


def test_adding_a_member_leaves_a_trace_with_the_nik_masked(cast):
    data = member_data(name="Siti Aminah")
    member = member_add(actor=cast.kab, kube=cast.kube_a, data=data)
    entry = AuditEntry.objects.get(object_type="registry.member", object_id=str(member.pk))
    assert entry.actor == cast.kab and entry.actor_username == "dinsos.bandung"
    assert entry.kube_id == cast.kube_a.pk
    old, new = entry.changes["nik"]
    assert old is None and new == data.nik[:4] + "********" + data.nik[-4:]
    assert data.nik not in str(entry.changes)
    assert data.kk_number not in str(entry.changes)


def test_a_change_records_only_what_changed(cast):
    member = cast.kube_a.members.order_by("id").last()
    data = member_data(name=member.name)
    data.nik, data.kk_number, data.birth_date, data.sex = member.nik, member.kk_number, member.birth_date, member.sex
    data.task = "Pemasaran"
    member_update(actor=cast.pendamping, member=member, data=data)
    entry = AuditEntry.objects.filter(object_id=str(member.pk), action="update").get()
    assert entry.changes == {"task": ["", "Pemasaran"]}


def test_a_refused_change_leaves_no_trace(cast):
    before = AuditEntry.objects.count()
    bad = member_data()
    bad.nik = "123"
    with pytest.raises(RegistryError):
        member_add(actor=cast.kab, kube=cast.kube_a, data=bad)
    assert AuditEntry.objects.count() == before


def test_audit_rows_are_written_only_inside_the_change_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="create", object_type="x")
    with transaction.atomic():
        audit_record(actor=None, action="create", object_type="x")


def test_the_admin_browses_the_trail_by_user_group_and_date(client, cast):
    member_add(actor=cast.pendamping, kube=cast.kube_a, data=member_data(name="Dewi Lestari"))
    client.force_login(cast.admin)
    url = reverse("audit:list")
    page = client.get(url, {"user": "pendamping.cimenyan"}).content.decode()
    assert "Dewi Lestari" in page
    page = client.get(url, {"user": "dinsos.bogor"}).content.decode()
    assert "Dewi Lestari" not in page
    page = client.get(url, {"kube": cast.kube_c.pk}).content.decode()
    assert "Dewi Lestari" not in page and "KUBE Cempaka" in page
    today = date.today().isoformat()
    assert "Dewi Lestari" in client.get(url, {"from": today, "to": today}).content.decode()
    assert "Dewi Lestari" not in client.get(url, {"to": "2020-01-01"}).content.decode()


def test_only_the_admin_sees_the_trail(client, cast):
    for user in (cast.kab, cast.pusat, cast.pendamping, cast.ketua):
        client.force_login(user)
        assert client.get(reverse("audit:list")).status_code == 404
