"""The language switch is kept on the account and applied at sign-in, in any browser; pages are
sent compressed, with the CSRF token masked anew each time."""

from __future__ import annotations

import gzip

from django.conf import settings
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry

PASSWORD = "rahasia-yang-panjang-7"


def sign_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD},
                       REMOTE_ADDR="10.1.2.3")


def test_the_choice_is_stored_on_the_account_and_applied_in_a_new_browser(cast):
    user = cast.kab
    user.set_password(PASSWORD)
    user.save()
    first = Client()
    sign_in(first, user)
    response = first.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    assert AuditEntry.objects.filter(object_id=str(user.pk), changes__language=["", "en"]).exists()
    first.post(reverse("accounts:logout"))

    fresh = Client()  # a new browser: no language cookie
    assert 'lang="id"' in fresh.get(reverse("accounts:login")).content.decode()
    response = sign_in(fresh, user)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in fresh.get(reverse("front:home")).content.decode()


def test_a_signed_out_choice_changes_only_the_cookie(client, db):
    response = client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_an_unknown_language_is_not_stored(cast):
    client = Client()
    client.force_login(cast.kab)
    client.post(reverse("accounts:language"), {"language": "xx", "next": "/"})
    cast.kab.refresh_from_db()
    assert cast.kab.language == ""


def test_pages_are_compressed_and_the_csrf_token_differs_each_time(client, db):
    url = reverse("accounts:login")
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    second = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    one, two = gzip.decompress(first.content).decode(), gzip.decompress(second.content).decode()
    assert "csrfmiddlewaretoken" in one

    def token(html: str) -> str:
        return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    assert token(one) != token(two)  # masked per response: nothing constant for BREACH to find
    assert "Content-Encoding" not in client.get(url)  # a client that does not ask gets it plain
