import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db.utils import OperationalError
from django.urls import reverse

from front.navigation import menu_for
from testing import assert_csp_clean


def test_healthz_answers_200_with_the_database_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(client, db):
    with mock.patch("front.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_pages_carry_security_headers_and_are_not_cached(client, cast):
    client.force_login(cast.kab)
    response = client.get(reverse("registry:detail", args=[cast.kube_a.pk]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def _pages_for(cast):
    return [
        reverse("front:home"), reverse("registry:list"), reverse("registry:create"),
        reverse("registry:detail", args=[cast.kube_a.pk]), reverse("registry:import"),
        reverse("registry:officers", args=[cast.kube_a.pk]),
        reverse("registry:member_add", args=[cast.kube_a.pk]),
        reverse("accounts:profile"), reverse("accounts:user_list"), reverse("accounts:user_new"),
        reverse("audit:list"), reverse("registry:programme_list"),
    ]


def test_no_page_needs_inline_script_or_style(client, cast):
    """The CSP forbids inline code; a page that used it would break in the browser."""
    client.force_login(cast.admin)
    for url in _pages_for(cast):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response.content.decode(), url)


def test_assets_are_vendored_not_fetched_from_a_cdn():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    app_templates = Path(settings.BASE_DIR).glob("*/templates/**/*.html")
    for path in [*templates, *app_templates]:
        text = path.read_text()
        assert not re.search(r"(src|href)=\"https?://", text), path
    for asset in ("vendor/htmx/htmx.min.js", "vendor/pico/pico.jade.min.css",
                  "vendor/chartjs/chart.umd.min.js"):
        assert Path(settings.BASE_DIR, "static", asset).stat().st_size > 10_000


@pytest.mark.parametrize("role,expected,absent", [
    ("admin", {"users", "audit", "programmes", "kube_new", "kube_import", "mentors", "events", "peka", "monitoring",
               "dtsen"},
     {"workspace"}),
    ("pusat", {"kube_list", "mentors", "events", "peka", "monitoring", "dtsen"}, {"users", "audit", "kube_new", "kube_import", "workspace"}),
    ("provinsi", {"kube_list", "kube_import", "mentors", "events", "peka", "dtsen"}, {"users", "audit", "kube_new"}),
    ("kabupaten", {"kube_list", "kube_new", "kube_import", "mentors", "events", "peka", "dtsen"}, {"users", "audit", "workspace"}),
    ("pendamping", {"workspace", "kube_list", "events"},
     {"kube_new", "kube_import", "users", "audit", "mentors", "peka", "monitoring", "dtsen"}),
    ("pengurus", {"my_kube"}, {"kube_list", "kube_new", "users", "audit", "workspace", "mentors", "events", "dtsen"}),
    ("anggota", {"my_kube"}, {"kube_list", "kube_new", "users", "audit", "workspace", "mentors", "events"}),
    ("outsider", {"home", "profile"}, {"my_kube", "kube_list", "kube_new", "users", "audit", "workspace"}),
])
def test_each_role_sees_only_the_menu_it_can_use(cast, role, expected, absent):
    keys = {item.key for item in menu_for(cast.role_users()[role])}
    assert expected <= keys
    assert not keys & absent


def test_every_menu_entry_opens_for_its_user(client, cast):
    for role, user in cast.role_users().items():
        client.force_login(user)
        for item in menu_for(user):
            assert client.get(item.url).status_code == 200, (role, item.url)


def test_the_interface_switches_to_english(client, cast):
    client.force_login(cast.kab)
    assert "Daftar KUBE" in client.get(reverse("registry:list")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/kube/"})
    assert response.status_code == 302
    html = client.get(reverse("registry:list")).content.decode()
    assert "Group list" in html and 'lang="en"' in html


def test_indonesian_is_the_default_even_for_an_english_browser(client, cast):
    client.force_login(cast.kab)
    html = client.get(reverse("registry:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Daftar KUBE" in html and 'lang="id"' in html
