"""In Chromium: a provincial office opens the dashboard, drills down to a kabupaten, a kecamatan and
a group, and downloads the period report."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

pytestmark = pytest.mark.browser


@pytest.fixture
def province(transactional_db):
    import testing
    from books.models import TxnKind
    from books.services import cash_entry_record

    cast = testing.build_cast()
    cast.prov.set_password(PASSWORD)
    cast.prov.save()
    day = timezone.localdate() - timedelta(days=timezone.localdate().day + 3)  # in last month
    testing.make_lively(cast.kube_a, actor=cast.ketua, day=day)
    for kube in (cast.kube_b, cast.kube_c):
        cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.CAPITAL_IN, amount=750_000, date=day,
                          description="Modal")
    return cast


def test_a_province_drills_down_from_its_dashboard_to_a_group(browser, live_server, province):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    csp = watch_csp(page)
    sign_in(page, live_server.url, province.prov.username)
    page.goto(f"{live_server.url}/")
    page.click("[data-testid=nav-wide] a[data-menu=monitoring]")
    page.wait_for_selector("[data-testid=kpis]")
    assert page.inner_text("h1") == "Jawa Barat"
    assert page.inner_text("[data-testid=kpi-groups]") == "3"
    page.wait_for_selector("canvas.chart")
    page.screenshot(path=str(ARTIFACTS / "dashboard-province-1280.png"), full_page=True)

    page.click("[data-testid=children] a:has-text('Bandung')")
    page.wait_for_selector("h1:has-text('Kabupaten Bandung')")
    assert page.inner_text("[data-testid=kpi-groups]") == "2"
    page.click("[data-testid=children] a:has-text('Cimenyan')")
    page.wait_for_selector("h1:has-text('Cimenyan')")
    assert "Kabupaten Bandung" in page.inner_text("[data-testid=breadcrumbs]")
    page.click("[data-testid=group-link]:has-text('KUBE Maju Sejahtera 11')")
    page.wait_for_selector("[data-testid=health]")
    assert re.search(r"Sehat|Perlu perhatian|Kritis", page.inner_text("[data-testid=health]"))
    assert page.inner_text("[data-testid=klass]") in ("Belum Tumbuh", "Tumbuh", "Berkembang", "Maju/Mandiri")
    page.screenshot(path=str(ARTIFACTS / "group-health-1280.png"), full_page=True)

    page.go_back()
    page.wait_for_selector("[data-testid=report-xlsx]")
    href = page.get_attribute("[data-testid=report-xlsx]", "href")
    response = page.context.request.get(f"{live_server.url}{href}")
    assert response.ok
    book = load_workbook(io.BytesIO(response.body()))
    assert book["Ringkasan"].cell(2, 1).value.startswith("Kec")
    pdf = page.context.request.get(f"{live_server.url}{page.get_attribute('[data-testid=report-pdf]', 'href')}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert csp == []
    context.close()
