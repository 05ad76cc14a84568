"""In Chromium at 360 px: the district office opens DTSEN from the menu, uploads an extract, reads
the preview, applies it, and opens a duplicate pair side by side."""

from __future__ import annotations

import re

import pytest

from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp
from testing.dtsen import csv_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def office(transactional_db):
    import testing
    from dtsen.services import duplicates_scan
    from registry.rules import MemberData
    from registry.services import member_add

    cast = testing.build_cast()
    cast.kab.set_password(PASSWORD)
    cast.kab.save()
    original = cast.kube_a.members.filter(offices__isnull=True).order_by("id").last()
    assert original is not None
    i = next(i for i in (14, 13, 12) if original.nik[i] != original.nik[i + 1])
    member_add(actor=cast.kab, kube=cast.kube_b, data=MemberData(
        nik=original.nik[:i] + original.nik[i + 1] + original.nik[i] + original.nik[i + 2:],
        kk_number=original.kk_number, name=original.name, sex=original.sex, birth_date=original.birth_date,
        accept_duplicate=True))
    duplicates_scan(actor=cast.kab, region_code="32.04")
    return cast


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 361, page.url


def test_dtsen_on_a_phone(browser, live_server, office):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    csp = watch_csp(page)
    sign_in(page, live_server.url, office.kab.username)
    page.click("[data-testid=nav-narrow] summary")
    page.click("[data-testid=nav-narrow] a[data-menu=dtsen]")
    page.wait_for_url(f"{live_server.url}/dtsen/")
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "dtsen-overview-360.png"), full_page=True)

    page.click("[data-testid=upload]")
    page.wait_for_url(f"{live_server.url}/dtsen/ekstrak/")
    rows = [[m.nik, m.kk_number, m.name, 6 if k == 0 else 3, ""] for k, m in
            enumerate(office.kube_a.members.order_by("id"))]
    page.set_input_files("#id_file", files=[{"name": "siks-ng.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}])
    page.fill("#id_data_date", "2026-10-31")
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "dtsen-upload-360.png"), full_page=True)
    page.click("[data-testid=extract-submit]")
    page.wait_for_url(re.compile(r".*/dtsen/ekstrak/\d+/$"))
    assert page.locator("[data-testid=new-desil] tbody tr").count() == 6
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "dtsen-preview-360.png"), full_page=True)
    page.click("[data-testid=apply]")
    page.wait_for_selector("text=catatan DTSEN anggota tersimpan")

    page.goto(f"{live_server.url}/dtsen/duplikat/")
    page.click("[data-testid=pairs] tbody a")
    page.wait_for_selector("[data-testid=evidence]")
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "dtsen-pair-360.png"), full_page=True)
    assert not csp, csp
    context.close()
