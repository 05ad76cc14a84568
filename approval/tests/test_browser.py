"""In Chromium: the treasurer submits October's LPJ on a 360-px phone (the chair confirmed already),
the mentor verifies it, Kab. Bandung approves ten verified LPJ at once, submits its report, and
Jawa Barat sees the district's completeness and accepts the report."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from approval import services
from approval.models import Lpj, Report, Step
from books.services import period_close
from testing import DESA_A2, make_kube
from testing.approval import build_chain, officer_account
from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

pytestmark = pytest.mark.browser
OCT = 202610


@pytest.fixture
def chain_live(transactional_db):
    import testing

    cast = testing.build_cast()
    chain = build_chain(cast)
    with time_machine.travel("2026-11-03 08:00 +0700", tick=False):
        for kube in (chain.kube_a, chain.kube_b):
            period_close(actor=chain.ketua_a, kube=kube, period=OCT)
        services.lpj_confirm(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
        # Nine more groups of the district, submitted and verified already.
        for i in range(9):
            kube = make_kube(name=f"KUBE Sejahtera Cimenyan {i + 1:02d}", desa=DESA_A2, actor=cast.kab,
                             pendamping=cast.pendamping, formed_on=date(2025, 1, 1))
            ketua = officer_account(kube, "ketua", f"ketua.sc{i}")
            bendahara = officer_account(kube, "bendahara", f"bendahara.sc{i}")
            period_close(actor=ketua, kube=kube, period=OCT)
            services.lpj_confirm(actor=ketua, kube=kube, period=OCT)
            services.lpj_verify(actor=cast.pendamping,
                                lpj=services.lpj_confirm(actor=bendahara, kube=kube, period=OCT))
    for user in (chain.bendahara_a, cast.pendamping, cast.kab, cast.prov):
        user.set_password(PASSWORD)
        user.save()
    return chain


def test_the_chain_in_the_browser(browser, live_server, chain_live):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chain, cast, base = chain_live, chain_live.cast, live_server.url
    with time_machine.travel("2026-11-05 09:00 +0700", tick=True):
        phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
        page = phone.new_page()
        csp = watch_csp(page)
        sign_in(page, base, chain.bendahara_a.username)
        page.goto(f"{base}/kube/{chain.kube_a.pk}/")
        page.click("[data-testid=lpj-months-link]")
        page.wait_for_selector("[data-testid=confirm-2026-10]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 361
        page.screenshot(path=str(ARTIFACTS / "approval-treasurer-360.png"), full_page=True)
        page.click("[data-testid=confirm-2026-10]")
        page.wait_for_selector("text=diajukan ke pendamping")
        assert "Menunggu Pendamping" in page.inner_text("[data-testid=state-2026-10]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 361
        page.screenshot(path=str(ARTIFACTS / "approval-treasurer-submitted-360.png"), full_page=True)
        phone.close()

        desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        page = desk.new_page()
        csp += watch_csp(page)
        sign_in(page, base, cast.pendamping.username)
        page.wait_for_selector("[data-testid=worklist]")
        assert "1 LPJ menunggu verifikasi" in page.inner_text("[data-testid=worklist]")
        page.click("text=1 LPJ menunggu verifikasi")
        lpj = Lpj.objects.get(kube=chain.kube_a, period=OCT)
        page.click(f"[data-testid=open-{lpj.pk}]")
        page.fill("[data-testid=note]", "Kas dan nota cocok")
        page.click("[data-testid=act-next]")
        page.wait_for_selector("text=diverifikasi dan diteruskan")
        desk.clear_cookies()

        sign_in(page, base, cast.kab.username)
        page.goto(f"{base}/pelaporan/")
        page.wait_for_selector("[data-testid=bulk-form]")
        assert page.inner_text("[data-testid=approval-count]") == "10"
        ticks = page.locator("[data-testid^=tick-]")
        assert ticks.count() == 10
        for i in range(10):
            ticks.nth(i).check()
        page.screenshot(path=str(ARTIFACTS / "approval-district-1280.png"), full_page=True)
        page.click("[data-testid=bulk-approve]")
        page.wait_for_selector("text=10 LPJ disetujui")
        assert Step.objects.filter(action="approve").count() == 10
    with time_machine.travel("2026-11-20 09:00 +0700", tick=True):
        from outbox import drainer

        drainer.drain()
        desk.clear_cookies()
        sign_in(page, base, cast.kab.username)
        page.goto(f"{base}/pelaporan/")
        page.fill("[data-testid=report-period]", "2026-10")
        page.click("[data-testid=report-submit]")
        page.wait_for_selector("text=diajukan")
        desk.clear_cookies()

        sign_in(page, base, cast.prov.username)
        page.goto(f"{base}/pelaporan/kelengkapan/?periode=2026-10")
        page.click("[data-testid=child-32\\.04] a")
        page.wait_for_selector("[data-testid=c-approved]")
        assert page.inner_text("[data-testid=c-approved]") == "10"
        assert page.inner_text("[data-testid=c-expected]") == "11"
        page.screenshot(path=str(ARTIFACTS / "approval-province-completeness-1280.png"), full_page=True)
        report = Report.objects.get(region_id="32.04", period="2026-10")
        page.goto(f"{base}/pelaporan/laporan/{report.pk}/")
        page.click("[data-testid=report-accept]")
        page.wait_for_selector("text=Laporan diterima")
        report.refresh_from_db()
        assert report.reached == 2 and report.snapshot
        page.screenshot(path=str(ARTIFACTS / "approval-province-accepted-1280.png"), full_page=True)
        desk.close()
    assert csp == []
