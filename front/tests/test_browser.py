"""In Chromium: sign in, use the menu on a phone and on a desktop, switch language."""

from __future__ import annotations

import pytest

from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    import testing

    cast = testing.build_cast()
    for user in (cast.kab, cast.ketua):
        user.set_password(PASSWORD)
        user.save()
    return cast


def test_an_office_user_signs_in_and_uses_the_menu_at_360px_and_desktop(browser, live_server, people):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    csp = watch_csp(page)
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("#id_username", people.kab.username)
    page.fill("#id_password", "salah")
    page.click("button[type=submit]")
    assert "Nama pengguna atau kata sandi salah" in page.inner_text("[data-testid=login-error]")
    sign_in(page, live_server.url, people.kab.username)
    assert page.is_hidden("[data-testid=nav-wide]")
    page.screenshot(path=str(ARTIFACTS / "home-360.png"), full_page=True)
    page.click("[data-testid=nav-narrow] summary")
    page.click("[data-testid=nav-narrow] a[data-menu=kube_list]")
    page.wait_for_url(f"{live_server.url}/kube/")
    assert "KUBE Maju Sejahtera 11" in page.inner_text("[data-testid=kube-table]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.screenshot(path=str(ARTIFACTS / "list-360.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.is_visible("[data-testid=nav-wide]")
    page.click("[data-testid=nav-wide] a[data-menu=kube_new]")
    page.wait_for_url(f"{live_server.url}/kube/baru/")
    page.screenshot(path=str(ARTIFACTS / "register-desktop.png"))

    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert "Register a group" in page.inner_text("h1")
    page.click("button[data-lang=id]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "id"
    assert not csp, csp
    context.close()


def test_a_group_officer_lands_on_their_group(browser, live_server, people):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server.url, people.ketua.username)
    assert page.inner_text("[data-testid=kube-name]") == "KUBE Maju Sejahtera 11"
    page.click("[data-testid=nav-narrow] summary")
    assert page.is_visible("[data-testid=nav-narrow] a[data-menu=my_kube]")
    assert page.locator("[data-testid=nav-narrow] a[data-menu=kube_list]").count() == 0
    page.screenshot(path=str(ARTIFACTS / "kube-home-360.png"), full_page=True)
    context.close()
