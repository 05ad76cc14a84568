"""In Chromium at 360 px: the officer closes 2025, has the share-out proposed, records the meeting's
decision and posts it; a member reads her share and its working; the yearly LPJ PDF carries it."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

pytestmark = pytest.mark.browser


@pytest.fixture
def year_live(transactional_db):
    import testing
    from shareout.services import share_rule_adopt
    from testing.shareout import build_year

    cast = testing.build_cast()
    year = build_year(cast)
    for user in (year.officer, year.member_user):
        user.set_password(PASSWORD)
        user.save()
    share_rule_adopt(actor=cast.kab, kube=year.kube, adopted_on=date(2026, 1, 5), capital_percent=30,
                     members_percent=70, weight_savings=100, leavers="pro_rata")
    return year


def test_the_share_out_on_a_phone(browser, live_server, year_live):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kube = year_live.kube
    base = live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    csp = watch_csp(page)
    sign_in(page, base, year_live.officer.username)
    page.goto(f"{base}/kube/{kube.pk}/")
    page.click("[data-hub=shareout]")  # the group hub
    page.wait_for_selector("[data-testid=share-rule]")
    assert page.inner_text("[data-testid=rule-members]") == "70 %"
    page.click("[data-testid=close-year-2025]")
    page.wait_for_selector("[data-testid=propose-2025]")
    page.click("[data-testid=propose-2025]")
    page.wait_for_selector("[data-testid=working]")
    assert page.inner_text("[data-testid=members-total]") == "Rp980.000"
    assert page.inner_text("[data-testid=capital]") == "Rp420.005"
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    page.screenshot(path=str(ARTIFACTS / "share-out-proposal-360.png"), full_page=True)
    page.fill("#id_meeting_date", "2026-01-10")
    page.fill("#id_present", "7")
    page.fill("#id_decision", "Disetujui musyawarah anggota.")
    page.click("[data-testid=decide]")
    page.wait_for_selector("[data-testid=post]")
    page.click("[data-testid=post]")
    page.wait_for_selector("[data-testid=receipt]")
    assert page.inner_text("[data-testid=status]") == "Dibukukan"
    page.screenshot(path=str(ARTIFACTS / "share-out-posted-360.png"), full_page=True)
    pdf = page.request.get(f"{base}/kube/{kube.pk}/buku/lpj/2025/pdf/")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "pembagian hasil usaha" in text.lower() and "Rp180.000" in text
    (ARTIFACTS / "lpj-2025-share-out.pdf").write_bytes(pdf.body())

    context.clear_cookies()
    sign_in(page, base, year_live.member_user.username)
    page.goto(f"{base}/kube/{kube.pk}/buku/saya/")
    page.click("[data-testid=my-share-link]")
    page.wait_for_selector("[data-testid=my-share-2025]")
    assert page.inner_text("[data-testid=my-final]") == "Rp180.000"
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    page.screenshot(path=str(ARTIFACTS / "share-out-member-360.png"), full_page=True)
    assert csp == []
    context.close()
