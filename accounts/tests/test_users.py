import pytest
from django.urls import reverse

from accounts.errors import AccountsError
from accounts.models import Role, User
from accounts.services import user_create
from audit.models import AuditEntry
from regions.models import Region


def new_user_form(**overrides):
    data = {"username": "dinsos.garut", "full_name": "Dinas Sosial Garut", "role": Role.KABUPATEN,
            "region": "32.04", "institution": "", "phone": "", "password": "panjang-sekali-2026"}
    data.update(overrides)
    return data


def test_the_admin_creates_an_office_account_with_its_region(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user_new"), new_user_form())
    assert response.status_code == 302
    user = User.objects.get(username="dinsos.garut")
    assert (user.role, user.region_id) == (Role.KABUPATEN, "32.04")
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert entry.actor == cast.admin and entry.action == "create"


def test_an_unknown_region_code_is_refused_and_nothing_is_saved(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user_new"), new_user_form(region="32.99"))
    assert response.status_code == 200
    assert "Kode wilayah 32.99 tidak dikenal" in response.content.decode()
    assert not User.objects.filter(username="dinsos.garut").exists()


def test_an_office_role_needs_a_region_of_its_own_level(regions):
    with pytest.raises(AccountsError, match="harus sebuah kabupaten/kota"):
        user_create(actor=None, username="x", full_name="X", role=Role.KABUPATEN,
                    password="panjang-sekali-2026", region=Region.objects.get(pk="32"))
    with pytest.raises(AccountsError, match="Pilih wilayah kerja"):
        user_create(actor=None, username="y", full_name="Y", role=Role.PROVINSI,
                    password="panjang-sekali-2026")
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_a_weak_password_is_refused_in_indonesian(regions):
    with pytest.raises(AccountsError) as exc:
        user_create(actor=None, username="z", full_name="Z", role=Role.PUSAT, password="12345678")
    assert exc.value.field == "password"
    assert "terlalu umum" in exc.value.message or "angka" in exc.value.message


def test_the_admin_cannot_demote_or_disable_themselves(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user_edit", args=[cast.admin.pk]), {
        "full_name": "Admin", "role": Role.PUSAT, "region": "", "is_active": "on"})
    assert "tidak dapat menonaktifkan" in response.content.decode()
    cast.admin.refresh_from_db()
    assert cast.admin.role == Role.ADMIN


def test_createsuperuser_makes_an_administrator(db):
    user = User.objects.create_superuser("kepala", password="panjang-sekali-2026", full_name="Kepala Sistem")
    assert user.role == Role.ADMIN and user.is_superuser
