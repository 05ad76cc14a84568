"""The limits on attempts at a password hold across workers and proxies (accounts/limits.py).

The scenarios of the penetration test: 40 attempts in 8 seconds; 100 with a different
X-Forwarded-For each; spraying across usernames and across the three doors (sign-in page, token
endpoint, password change); the counts of another worker process."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import ApiToken
from lib.env import Window
from testing import bearer

# A fixed minute: the per-minute window does not roll over in the middle of a test.
MINUTE = datetime(2026, 11, 20, 2, 0, 0, tzinfo=UTC)


def token(client, username, password="salah-sekali", **extra):  # noqa: S107 - a wrong guess
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json", **extra)


def codes(answers):
    return [a.json()["code"] if a.status_code != 201 else "ok" for a in answers]


@pytest.fixture
def frozen():
    with time_machine.travel(MINUTE, tick=False) as traveller:
        yield traveller


def test_forty_attempts_in_eight_seconds_from_one_address_are_throttled_after_thirty(client, db, frozen):
    answers = []
    for i in range(40):
        answers.append(token(client, f"tebakan{i}", REMOTE_ADDR="198.51.100.7"))
        frozen.shift(0.2)
    assert codes(answers) == ["bad_credentials"] * 30 + ["rate_limited"] * 10
    last = answers[-1]
    assert last.status_code == 429 and "Tunggu" in last.json()["message"]
    assert 0 < last.json()["details"]["retry_after"] <= 60
    # Another address is not held back by this one.
    assert token(client, "tebakan0", REMOTE_ADDR="198.51.100.8").json()["code"] == "bad_credentials"


def test_a_hundred_made_up_forwarded_addresses_do_not_escape_the_limit(client, db, frozen, settings):
    settings.BEHIND_PROXY = False  # no proxy: X-Forwarded-For is the client's own writing
    answers = [token(client, f"u{i}", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.0.{i}.1")
               for i in range(100)]
    assert codes(answers).count("rate_limited") == 70


def test_behind_a_proxy_only_its_own_hop_counts(client, db, frozen, settings):
    settings.BEHIND_PROXY = True
    # The client writes anything left of the proxy's entry; the proxy (REMOTE_ADDR) appends what it saw.
    spoofed = [token(client, f"u{i}", REMOTE_ADDR="127.0.0.1",
                     HTTP_X_FORWARDED_FOR=f"10.0.{i}.1, 203.0.113.7") for i in range(100)]
    assert codes(spoofed).count("rate_limited") == 70
    # Many real clients behind the same proxy each have their own count.
    real = [token(client, f"v{i}", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{100 + i}")
            for i in range(35)]
    assert "rate_limited" not in codes(real)


def test_one_address_has_one_budget_for_the_sign_in_page_the_token_and_the_password_change(
        client, cast, frozen, settings):
    settings.PASSWORD_CHANGE_RATE = (Window(100, 60),)
    address = {"REMOTE_ADDR": "198.51.100.9"}
    for i in range(13):
        assert client.post(reverse("accounts:login"), {"username": f"a{i}", "password": "x"},
                           **address).status_code == 200
    for i in range(13):
        assert token(client, f"b{i}", **address).status_code == 400
    auth = bearer(cast.anggota)
    for _ in range(4):  # (a fifth wrong current password would lock the account)
        response = client.post("/api/v1/auth/password", {"current_password": "x", "password": "y"},
                               content_type="application/json", **auth, **address)
        assert response.status_code == 400
    page = client.post(reverse("accounts:login"), {"username": "c", "password": "x"}, **address)
    assert page.status_code == 429 and "Terlalu banyak percobaan kata sandi" in page.content.decode()
    assert 0 < int(page["Retry-After"]) <= 60
    assert token(client, "d", **address).json()["code"] == "rate_limited"


def test_the_count_is_shared_with_another_worker_process(client, db, settings):
    """Another gunicorn worker is another process: it counts into the same store."""
    settings.SIGNIN_RATE = (Window(30, 86400),)
    script = ("import os, sys, django; django.setup()\n"
              "from django.conf import settings\n"
              "settings.CACHES['default']['LOCATION'] = sys.argv[1]\n"
              "from lib.ratelimit import hit\n"
              "for _ in range(20): hit('signin', '198.51.100.20', settings.SIGNIN_RATE)\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sikube.settings", "SIGNIN_RATE": "30/d"}
    subprocess.run([sys.executable, "-c", script, settings.CACHES["default"]["LOCATION"]],
                   check=True, env=env, timeout=60)
    answers = [token(client, f"w{i}", REMOTE_ADDR="198.51.100.20") for i in range(20)]
    assert codes(answers) == ["bad_credentials"] * 10 + ["rate_limited"] * 10


def test_the_lockout_reads_the_same_address_as_the_limits(client, cast, settings):
    """django-axes locks a username per client address: behind the proxy the proxy's hop, not the
    proxy itself (which would lock the user for everyone) nor the client's own writing."""
    settings.BEHIND_PROXY = True
    cast.kab.set_password("rahasia-yang-panjang-7")
    cast.kab.save()
    for i in range(5):
        token(client, cast.kab.username, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.{i}.9, 203.0.113.5")
    locked = token(client, cast.kab.username, "rahasia-yang-panjang-7", REMOTE_ADDR="127.0.0.1",
                   HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.5")
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    elsewhere = token(client, cast.kab.username, "rahasia-yang-panjang-7", REMOTE_ADDR="127.0.0.1",
                      HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert elsewhere.status_code == 201


def test_the_password_change_api_is_locked_like_sign_in(client, cast, settings):
    settings.PASSWORD_CHANGE_RATE = (Window(100, 60),)  # the lockout alone
    cast.anggota.set_password("sandi-anggota-lama-1")
    cast.anggota.save()
    auth = bearer(cast.anggota)

    def change(current):
        return client.post("/api/v1/auth/password", {"current_password": current, "password": "jagung-biru-lompat"},
                           content_type="application/json", REMOTE_ADDR="198.51.100.30", **auth)

    # The fifth failure locks, as on the sign-in page.
    assert [change(f"tebakan-{i}").json()["code"] for i in range(5)] == ["bad_credentials"] * 4 + ["locked_out"]
    locked = change("sandi-anggota-lama-1")
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    cast.anggota.refresh_from_db()
    assert cast.anggota.check_password("sandi-anggota-lama-1")
    # ... and so is signing in with it, from that address.
    assert client.post(reverse("accounts:login"), {"username": cast.anggota.username,
                                                   "password": "sandi-anggota-lama-1"},
                       REMOTE_ADDR="198.51.100.30").status_code == 429


def test_a_stolen_token_guessing_from_many_addresses_is_throttled_per_account(client, cast):
    auth = bearer(cast.anggota)
    answers = [client.post("/api/v1/auth/password", {"current_password": f"t{i}", "password": "jagung-biru-lompat"},
                           content_type="application/json", REMOTE_ADDR=f"198.51.100.{40 + i}", **auth)
               for i in range(8)]
    assert [a.json()["code"] for a in answers] == ["bad_credentials"] * 5 + ["rate_limited"] * 3


def test_the_profile_page_asks_the_current_password_and_revokes_the_tokens(client, cast):
    user = cast.anggota
    user.set_password("sandi-anggota-lama-1")
    user.save()
    bearer(user)
    bearer(user)
    client.force_login(user)
    url = reverse("accounts:profile")
    wrong = client.post(url, {"current_password": "tebakan", "password": "jagung-biru-lompat",
                              "password2": "jagung-biru-lompat"})
    assert wrong.status_code == 200 and "Kata sandi sekarang salah" in wrong.content.decode()
    user.refresh_from_db()
    assert user.check_password("sandi-anggota-lama-1")
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 2
    done = client.post(url, {"current_password": "sandi-anggota-lama-1", "password": "jagung-biru-lompat",
                             "password2": "jagung-biru-lompat"}, follow=True)
    assert "2 token API dicabut" in done.content.decode()
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert "_auth_user_id" in client.session  # this session stays signed in


def test_locked_on_the_profile_page_after_five_wrong_current_passwords(client, cast, settings):
    settings.PASSWORD_CHANGE_RATE = (Window(100, 60),)
    client.force_login(cast.anggota)
    body = {"current_password": "tebakan", "password": "jagung-biru-lompat", "password2": "jagung-biru-lompat"}
    for _ in range(5):
        client.post(reverse("accounts:profile"), body)
    locked = client.post(reverse("accounts:profile"), body)
    assert locked.status_code == 429 and "dikunci sementara" in locked.content.decode()


def test_an_administrators_reset_revokes_the_users_tokens_page_and_api(client, cast):
    bearer(cast.kab)
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user_password", args=[cast.kab.pk]),
                           {"password": "jagung-biru-lompat", "password2": "jagung-biru-lompat"}, follow=True)
    assert "1 token API miliknya dicabut" in response.content.decode()
    assert not ApiToken.objects.filter(user=cast.kab, revoked_at__isnull=True).exists()
    kept = bearer(cast.kab)
    api = client.post(f"/api/v1/users/{cast.kab.pk}/password", {"password": "padi-merah-tidur-siang"},
                      content_type="application/json", **bearer(cast.admin))
    assert api.status_code == 200
    assert client.get("/api/v1/auth/me", **kept).status_code == 401
