"""In Chromium at laptop width (a session projected in a meeting): a mentor runs a PEKA session with
five participants, sees the weak items, builds a two-action RTL and downloads the report."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

pytestmark = pytest.mark.browser

WEAK = {9: "2", 13: "2"}  # everyone gives 2 to items 9 and 13, 3 to every other


@pytest.fixture
def mentor(transactional_db):
    import testing

    cast = testing.build_cast()
    cast.pendamping.set_password(PASSWORD)
    cast.pendamping.save()
    return cast


def add_action(page, item_label: str, activity: str, person_index: int, due: str) -> None:
    form = page.locator("[data-testid=rtl-form]")
    if not form.is_visible():
        page.click("details:has([data-testid=rtl-form]) > summary")
    page.select_option("#id_item", label=item_label)
    page.fill("#id_activity", activity)
    page.fill("#id_aim", "Anggota mengetahui keadaan keuangan kelompok")
    page.select_option("#id_person", index=person_index)
    page.fill("#id_due_on", due)
    page.fill("#id_indicator", "Dibahas pada rapat awal bulan")
    page.click("[data-testid=rtl-save]")
    page.wait_for_selector(".messages")


def test_a_mentor_runs_a_peka_session_on_a_laptop(browser, live_server, mentor):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kube = mentor.kube_a
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="id-ID")
    page = context.new_page()
    csp = watch_csp(page)
    sign_in(page, live_server.url, mentor.pendamping.username)
    page.goto(f"{live_server.url}/kube/{kube.pk}/")
    page.click("[data-hub=peka]")  # the group hub
    page.click("[data-testid=peka-new]")
    page.fill("#id_place", "Rumah Ketua KUBE")
    for i in range(5):
        page.check(f"#id_participants_{i}")
    page.fill("#id_history", "Maret 2024 | KUBE dibentuk dengan 6 anggota\nJuni 2024 | Bantuan UEP diterima")
    page.fill("#id_reflection", "Usaha warung berjalan; laporan keuangan belum rutin")
    page.click("main form button[type=submit]")

    page.wait_for_selector("[data-testid=score-grid]")
    inputs = page.locator("[data-testid=score-grid] input[type=number]")
    assert inputs.count() == 5 * 30
    for i in range(inputs.count()):
        field = inputs.nth(i)
        number = int(re.findall(r"\((\d+)\)", field.get_attribute("aria-label") or "")[0])
        field.fill(WEAK.get(number, "3"))
    page.screenshot(path=str(ARTIFACTS / "peka-grid-1366.png"))
    page.click("[data-testid=scores-done]")

    page.wait_for_selector("[data-testid=weak-items]")
    weak = page.locator("[data-testid=weak-items] li")
    assert [weak.nth(i).get_attribute("data-item") for i in range(weak.count())] == ["9", "13"]
    assert "2,00" in page.inner_text("[data-testid=weak-items]")
    page.wait_for_selector("canvas.radar-chart")
    page.select_option("select[name^=p-] >> nth=0", "1")
    page.select_option("select[name^=p-] >> nth=1", "2")
    page.click("[data-testid=priorities-save]")
    page.wait_for_selector("[data-testid=priorities]")

    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    add_action(page, "1. (9) " + page.inner_text("[data-testid=priorities] li >> nth=0").split(") ", 1)[1],
               "Laporan pertanggungjawaban tertulis tiap bulan", 1, due)
    add_action(page, "2. (13) " + page.inner_text("[data-testid=priorities] li >> nth=1").split(") ", 1)[1],
               "Papan informasi keuangan di tempat usaha", 2, due)
    assert page.locator("[data-testid=rtl-action]").count() == 2
    page.screenshot(path=str(ARTIFACTS / "peka-results-1366.png"), full_page=True)

    href = page.get_attribute("[data-testid=peka-pdf]", "href")
    response = page.context.request.get(f"{live_server.url}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages))
    assert "Papan informasi keuangan di tempat usaha" in text and "(nilai 2,00)" in text
    assert csp == []
    context.close()
