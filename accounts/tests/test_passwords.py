"""Passwords anyone would guess first at SIKUBE are refused, in Indonesian (accounts/passwords.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.errors import AccountsError
from accounts.models import Role, User
from accounts.services import user_create, user_set_password


@pytest.mark.parametrize("password", [
    "kube2026", "Sikube!23", "KUBE-2026-kube", "sikube2026!!", "budi.santoso1990", "Santoso2026", "password-2026",
    "kubekube12345678",
])
def test_domain_words_names_and_years_are_refused(regions, password):
    with pytest.raises(AccountsError) as exc:
        user_create(actor=None, username="budi.santoso", full_name="Budi Santoso", role=Role.PUSAT,
                    password=password)
    assert exc.value.field == "password"
    assert "mudah ditebak" in exc.value.message
    assert not User.objects.filter(username="budi.santoso").exists()


@pytest.mark.parametrize("password", ["jagung-biru-lompat-pagi", "kube-panen-jagung-di-cimenyan", "x7#9!2$4Qp"])
def test_a_passphrase_that_mentions_kube_still_passes(regions, password):
    user = user_create(actor=None, username="budi.santoso", full_name="Budi Santoso", role=Role.PUSAT,
                       password=password)
    assert user.check_password(password)


def test_djangos_own_validators_answer_in_indonesian(cast):
    for weak, words in (("pendek", "terlalu pendek"), ("12345678", "seluruhnya terdiri dari angka")):
        with pytest.raises(AccountsError) as exc:
            user_set_password(actor=cast.admin, user=cast.kab, password=weak)
        assert words in exc.value.message and "mudah ditebak" not in exc.value.message


def test_the_api_and_the_page_refuse_kube2026(client, cast):
    from testing import bearer

    answer = client.post(f"/api/v1/users/{cast.kab.pk}/password", {"password": "kube2026"},
                         content_type="application/json", **bearer(cast.admin))
    assert answer.status_code == 400 and answer.json()["field"] == "password"
    assert "mudah ditebak" in answer.json()["message"]
    client.force_login(cast.admin)
    page = client.post(reverse("accounts:user_password", args=[cast.kab.pk]),
                       {"password": "kube2026", "password2": "kube2026"}, follow=True)
    assert "mudah ditebak" in page.content.decode()
    cast.kab.refresh_from_db()
    assert not cast.kab.check_password("kube2026")


def test_the_demo_password_would_be_refused_but_demo_accounts_are_loaded_past_the_validators(regions):
    """demo/builders.py creates the demo accounts with validate=False, so `kube-demo-2026` signs
    in there (demo/tests/test_demo.py) although no user could choose it."""
    with pytest.raises(AccountsError):
        user_create(actor=None, username="demo.x", full_name="Demo", role=Role.PUSAT,
                    password=settings.DEMO_PASSWORD)
    user = user_create(actor=None, username="demo.x", full_name="Demo", role=Role.PUSAT,
                       password=settings.DEMO_PASSWORD, validate=False)
    assert user.check_password("kube-demo-2026")
