"""In Chromium at 360 px: the treasurer records a sale and an expense, closes the month, gets the LPJ PDF."""

from __future__ import annotations

import io

import pytest
import time_machine
from pypdf import PdfReader

from testing.browser import ARTIFACTS, sign_in, watch_csp

pytestmark = pytest.mark.browser


def record(page, base, kube_id, testid, amount):
    page.click(f"[data-testid={testid}]")                       # tap 1: the kind of entry
    page.wait_for_selector("[data-testid=entry-form]")
    page.fill("#id_amount", amount)                             # tap 2: the amount
    page.wait_for_selector("[data-testid=amount-words]:has-text('rupiah')")  # no eval: the CSP forbids it
    words = page.inner_text("[data-testid=amount-words]")
    page.click("[data-testid=entry-save]")                      # tap 3: save
    page.wait_for_url(f"{base}/kube/{kube_id}/")
    return words


def test_the_treasurer_keeps_the_books_on_a_phone(browser, live_server, treasurer):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kube = treasurer.kube_a
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    csp = watch_csp(page)
    with time_machine.travel("2026-10-20 09:00 +0700", tick=True):
        sign_in(page, live_server.url, treasurer.ketua.username)
        assert page.inner_text("[data-testid=home-cash]") == "Rp1.000.000"
        words = record(page, live_server.url, kube.pk, "home-entry-sale", "450000")
        assert words == "Empat ratus lima puluh ribu rupiah"
        assert "Tersimpan: Penjualan Rp450.000" in page.inner_text(".messages")
        record(page, live_server.url, kube.pk, "home-entry-expense", "75.000")
        assert page.inner_text("[data-testid=home-cash]") == "Rp1.375.000"
        page.screenshot(path=str(ARTIFACTS / "treasurer-home-360.png"), full_page=True)
        page.click("[data-hub=cash]")  # the group hub
        page.wait_for_selector("[data-testid=closing]")
        assert page.inner_text("[data-testid=closing]") == "Rp1.375.000"
        assert page.evaluate("document.documentElement.scrollWidth") <= 361
        page.screenshot(path=str(ARTIFACTS / "cash-book-360.png"), full_page=True)
    with time_machine.travel("2026-11-02 08:00 +0700", tick=True):
        sign_in(page, live_server.url, treasurer.ketua.username)  # yesterday's session has expired
        page.click("[data-hub=close]")
        page.wait_for_selector("[data-testid=close-form]")
        assert page.input_value("#id_period") == "202610"
        page.click("[data-testid=close-month]")
        assert "Oktober 2026 dikunci untuk selamanya: laba Rp375.000" in page.inner_text("[data-testid=close-sentence]")
        page.click("[data-testid=close-confirm]")
        page.wait_for_url(f"{live_server.url}/kube/{kube.pk}/buku/lpj/2026-10/")
        assert page.inner_text("[data-testid=lpj-profit]") == "Rp375.000"
        page.screenshot(path=str(ARTIFACTS / "lpj-360.png"), full_page=True)
        href = page.get_attribute("[data-testid=lpj-pdf]", "href")
        response = context.request.get(f"{live_server.url}{href}")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Bulan Oktober 2026" in text
    assert "Rp1.450.000" in text  # money in: capital 1,000,000 + sale 450,000
    assert "Rp75.000" in text and "Rp1.375.000" in text and "Rp375.000" in text
    assert "SEMENTARA" not in text  # the month is closed
    assert not csp, csp
    context.close()
