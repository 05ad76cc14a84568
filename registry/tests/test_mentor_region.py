"""A mentor belongs to a region (the office that employs them) and is assigned only within it.

A mentor reads their groups' members unmasked, so giving a group to another province's mentor
hands them personal data. The page, the API, the Excel import and the per-kecamatan assignment all
go through the service's check (accounts.access.check_mentor_assignable).
"""

from __future__ import annotations

import importlib
import io
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from accounts.errors import AccountsError
from accounts.models import Role, User
from accounts.services import user_create
from mentoring.errors import MentoringError
from mentoring.services import mentor_assign_kecamatan
from regions.models import Region
from registry.errors import RegistryError
from registry.importer import KUBE_COLUMNS, import_workbook
from registry.models import Kube, PendampingAssignment
from registry.services import kube_assign_pendamping, kube_register
from testing import DESA_A, bearer, founding_members, make_kube, make_user
from testing.registry import build, upload

TODAY = date.today().isoformat()


@pytest.fixture
def semarang_mentor(cast) -> User:
    """Employed by Kota Semarang (Jawa Tengah): nobody in Jawa Barat may assign them."""
    return make_user("pendamping.semarang", Role.PENDAMPING, "33.74")


def _post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def _unchanged(kube: Kube, mentor: User) -> None:
    kube.refresh_from_db()
    assert kube.pendamping_id != mentor.pk
    assert not PendampingAssignment.objects.filter(pendamping=mentor).exists()


def test_the_api_refuses_another_provinces_mentor_like_a_missing_one(client, cast, semarang_mentor):
    auth = bearer(cast.kab)
    url = f"/api/v1/groups/{cast.kube_a.pk}/pendamping"
    foreign = _post(client, url, {"pendamping": semarang_mentor.pk, "start_on": TODAY}, auth)
    missing = _post(client, url, {"pendamping": 99_999_999, "start_on": TODAY}, auth)
    assert foreign.status_code == missing.status_code == 404, foreign.json()
    assert foreign.json()["field"] == missing.json()["field"] == "pendamping"
    assert foreign.json()["code"] == "not_found"
    assert "Pendamping" in foreign.json()["message"] and "Pilih" in foreign.json()["message"]
    _unchanged(cast.kube_a, semarang_mentor)


def test_registering_a_group_with_another_provinces_mentor_creates_nothing(client, cast, semarang_mentor):
    from testing.registry import group_body

    body = {**group_body(), "pendamping": semarang_mentor.pk}
    before = Kube.objects.count()
    response = _post(client, "/api/v1/groups", body, bearer(cast.kab))
    assert response.status_code == 404 and response.json()["field"] == "pendamping", response.json()
    assert Kube.objects.count() == before


def test_the_service_refuses_it_whoever_calls_it(cast, semarang_mentor):
    with pytest.raises(RegistryError) as refused:
        kube_assign_pendamping(actor=cast.kab, kube=cast.kube_a, pendamping=semarang_mentor, start_on=date.today())
    assert refused.value.field == "pendamping" and refused.value.status == 404
    with pytest.raises(RegistryError):
        kube_register(actor=cast.kab, name="KUBE Seberang", desa=Region.objects.get(pk=DESA_A),
                      formed_on=date(2025, 1, 6), programme=cast.kube_a.programme, business_type="warung",
                      pendamping=semarang_mentor, members=founding_members(6))
    with pytest.raises(MentoringError):
        mentor_assign_kecamatan(actor=cast.kab, kecamatan=Region.objects.get(pk="32.04.06"),
                                pendamping=semarang_mentor, start_on=date.today())
    _unchanged(cast.kube_a, semarang_mentor)
    # Another kabupaten of the same province is outside the district office's reach too.
    with pytest.raises(RegistryError):
        kube_assign_pendamping(actor=cast.kab, kube=cast.kube_a, pendamping=cast.pendamping_other,
                               start_on=date.today())


def test_the_admin_assigns_only_where_the_mentor_works(cast, semarang_mentor):
    with pytest.raises(RegistryError) as refused:
        kube_assign_pendamping(actor=cast.admin, kube=cast.kube_a, pendamping=semarang_mentor, start_on=date.today())
    assert "tidak mencakup" in refused.value.message and semarang_mentor.full_name in refused.value.message
    kube_assign_pendamping(actor=cast.admin, kube=cast.kube_d, pendamping=semarang_mentor, start_on=date.today())
    assert Kube.objects.get(pk=cast.kube_d.pk).pendamping == semarang_mentor


def test_a_mentor_without_a_home_region_is_assigned_only_by_the_admin(cast):
    drifter = make_user("pendamping.lama", Role.PENDAMPING)
    with pytest.raises(RegistryError):
        kube_assign_pendamping(actor=cast.kab, kube=cast.kube_b, pendamping=drifter, start_on=date.today())
    kube_assign_pendamping(actor=cast.admin, kube=cast.kube_b, pendamping=drifter, start_on=date.today())
    assert Kube.objects.get(pk=cast.kube_b.pk).pendamping == drifter


def test_a_provincial_mentor_is_the_provinces_not_the_districts(cast):
    provincial = make_user("pendamping.jabar", Role.PENDAMPING, "32")
    with pytest.raises(RegistryError):
        kube_assign_pendamping(actor=cast.kab, kube=cast.kube_b, pendamping=provincial, start_on=date.today())
    kube_assign_pendamping(actor=cast.admin, kube=cast.kube_b, pendamping=provincial, start_on=date.today())


def test_the_import_refuses_another_provinces_mentor_by_row(cast, semarang_mentor):
    column = [c.key for c in KUBE_COLUMNS].index("pendamping") + 1
    book = load_workbook(io.BytesIO(build(2)))
    book["KUBE"].cell(row=3, column=column, value=semarang_mentor.username)
    buffer = io.BytesIO()
    book.save(buffer)
    before = Kube.objects.count()
    result = import_workbook(actor=cast.kab, upload=upload(buffer.getvalue()))
    assert not result.ok and Kube.objects.count() == before
    [issue] = result.issues
    assert (issue.sheet, issue.row) == ("KUBE", 3)
    assert semarang_mentor.username in issue.problem and "wilayah kerja Anda" in issue.problem


def test_the_office_lists_only_its_own_mentors(client, cast, semarang_mentor):
    # An assignment made before mentors had a home region: the group is the office's, the mentor is not.
    Kube.objects.filter(pk=cast.kube_b.pk).update(pendamping=semarang_mentor)
    colleague = make_user("pendamping.cileunyi", Role.PENDAMPING, "32.04")
    body = client.get("/api/v1/mentors", **bearer(cast.kab)).json()
    assert {m["id"] for m in body["items"]} == {cast.pendamping.pk, colleague.pk}
    client.force_login(cast.kab)
    page = client.get(reverse("mentoring:mentors")).content.decode()
    assert colleague.full_name in page and semarang_mentor.full_name not in page
    form = client.get(reverse("registry:assign", args=[cast.kube_a.pk])).context["form"]
    assert set(form.fields["pendamping"].queryset) == {cast.pendamping, colleague}


def test_a_new_mentor_needs_a_home_region(cast):
    with pytest.raises(AccountsError) as refused:
        user_create(actor=cast.admin, username="pendamping.baru", full_name="Baru", role=Role.PENDAMPING,
                    password="Tanah-Air-Beta-77", validate=False)
    assert refused.value.field == "region"
    with pytest.raises(AccountsError):
        user_create(actor=cast.admin, username="pendamping.baru", full_name="Baru", role=Role.PENDAMPING,
                    password="Tanah-Air-Beta-77", region=Region.objects.get(pk="32.04.06"), validate=False)
    mentor = user_create(actor=cast.admin, username="pendamping.baru", full_name="Baru", role=Role.PENDAMPING,
                         password="Tanah-Air-Beta-77", region=Region.objects.get(pk="32.04"), validate=False)
    assert mentor.region_id == "32.04"


def test_the_user_api_sets_and_shows_a_mentors_home_region(client, cast):
    auth = bearer(cast.admin)
    created = _post(client, "/api/v1/users", {"username": "pendamping.baru", "full_name": "Baru",
                                              "role": "pendamping", "region": "32.71",
                                              "password": "Tanah-Air-Beta-77"}, auth)
    assert created.status_code == 201 and created.json()["region"] == "32.71", created.json()
    bare = _post(client, "/api/v1/users", {"username": "pendamping.lain", "full_name": "Lain",
                                           "role": "pendamping", "password": "Tanah-Air-Beta-77"}, auth)
    assert bare.status_code == 400 and bare.json()["field"] == "region"


def test_the_migration_derives_a_home_region_from_todays_groups(cast):
    migration = importlib.import_module("accounts.migrations.0002_mentor_home_region")
    bandung = make_user("pendamping.bandung", Role.PENDAMPING)
    jabar = make_user("pendamping.jabar", Role.PENDAMPING)
    roaming = make_user("pendamping.keliling", Role.PENDAMPING)
    make_user("pendamping.kosong", Role.PENDAMPING)
    Kube.objects.filter(pk=cast.kube_a.pk).update(pendamping=bandung)
    Kube.objects.filter(pk=cast.kube_b.pk).update(pendamping=jabar)
    make_kube(name="KUBE Bogor Dua", desa="32.71.04.1002", actor=cast.admin, pendamping=jabar)
    Kube.objects.filter(pk=cast.kube_c.pk).update(pendamping=roaming)
    Kube.objects.filter(pk=cast.kube_d.pk).update(pendamping=roaming)
    User.objects.filter(pk__in=[cast.pendamping.pk, cast.pendamping_other.pk]).update(region=None)
    migration.derive_home_regions(apps, None)
    regions = dict(User.objects.filter(role=Role.PENDAMPING).values_list("username", "region_id"))
    assert regions["pendamping.bandung"] == "32.04"
    assert regions["pendamping.jabar"] == "32"          # Kab. Bandung and Kota Bogor: the province
    assert regions["pendamping.keliling"] is None       # two provinces: only the admin assigns them
    assert regions["pendamping.kosong"] is None
    assert regions["pendamping.cimenyan"] is None       # lost kube_a above: no group, no guess
    assert regions["pendamping.bogor"] is None
