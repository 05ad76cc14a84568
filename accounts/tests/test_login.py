import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import user_create


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR="10.1.2.3")


@pytest.fixture
def budi(cast):
    user = cast.kab
    user.set_password("rahasia-yang-panjang-7")
    user.save()
    return user


def test_the_login_page_speaks_indonesian(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Masuk ke SIKUBE" in html
    assert "Kata sandi" in html
    assert 'lang="id"' in html


def test_signing_in_leads_home(client, budi):
    response = login(client, budi.username, "rahasia-yang-panjang-7")
    assert response.status_code == 302
    assert response["Location"] == reverse("front:home")


def test_a_wrong_password_says_so_in_indonesian_and_does_not_sign_in(client, budi):
    response = login(client, budi.username, "salah")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_after_five_failures_the_account_is_locked_even_with_the_right_password(client, budi):
    for _ in range(5):
        login(client, budi.username, "salah")
    response = login(client, budi.username, "rahasia-yang-panjang-7")
    assert response.status_code == 429
    assert "dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
@pytest.mark.django_db
def test_passwords_are_stored_with_argon2(regions):
    user = user_create(actor=None, username="baru", full_name="Pengguna Baru", role=Role.PUSAT,
                       password="kata-sandi-kuat-2026")
    assert identify_hasher(User.objects.get(pk=user.pk).password).algorithm == "argon2"


def test_logout_is_a_post_and_ends_the_session(client, budi):
    client.force_login(budi)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_sessions_expire_within_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY


def test_pages_need_a_signed_in_user(client, db):
    response = client.get(reverse("registry:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_forms_are_csrf_protected(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.admin)
    response = strict.post(reverse("accounts:user_new"), {"username": "x"})
    assert response.status_code == 403
