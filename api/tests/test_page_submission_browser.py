"""In Chromium against a real app server (gunicorn, its own SQLite file): a sale's form sent twice,
its answer lost and reloaded, or sent again after going back, is one posting, and the reload or
the resubmit shows the first one's receipt. The button says it is sending and cannot be pressed again."""

from __future__ import annotations

import contextlib
import json

import pytest

from testing.browser import ARTIFACTS, sign_in, watch_csp
from testing.live import Live

pytestmark = pytest.mark.browser

SLOW = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}


@pytest.fixture
def live(tmp_path, transactional_db):
    installation = Live(tmp_path)
    try:
        installation.manage("migrate", "--noinput")
        installation.seed = json.loads(installation.python("api.tests.page_seed"))
        installation.start()
        yield installation
    finally:
        installation.close()


def postings(live, description: str) -> int:
    return json.loads(live.python("api.tests.page_seed", "count")).get(description, 0)


def open_sale(browser, live, *, javascript: bool = True, slow: bool = False):
    base = f"http://127.0.0.1:{live.port}"
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID",
                                  java_script_enabled=javascript)
    page = context.new_page()
    csp = watch_csp(page)
    sign_in(page, base, live.seed["ketua"])
    url = f"{base}/kube/{live.seed['kube']}/buku/catat/sale/"
    page.goto(url)
    if slow:  # a cheap phone on a bad connection: 400 kbps, 400 ms
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW)
    return context, page, url, csp


def fill(page, description: str) -> None:
    page.fill("#id_amount", "12500")
    page.fill("#id_description", description)


def hold_posts(page, url):
    """Every POST to the form held in the phone until the test lets it go (a slow answer)."""
    held: list = []
    page.route(url, lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    return held


def test_two_taps_250_ms_apart_save_one_sale_and_the_button_says_it_is_sending(browser, live):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page, url, csp = open_sale(browser, live)
    fill(page, "Dua ketukan")
    held = hold_posts(page, url)
    button = page.locator("[data-testid=entry-save]")
    box = button.bounding_box()
    assert box
    button.click(no_wait_after=True)
    page.wait_for_timeout(250)
    assert button.is_disabled() and button.inner_text() == "Menyimpan…"
    page.screenshot(path=str(ARTIFACTS / "entry-sending-360.png"))
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the second tap
    page.wait_for_timeout(250)
    assert len(held) == 1  # the second tap sent nothing
    held[0].continue_()
    page.wait_for_url(f"http://127.0.0.1:{live.port}/kube/{live.seed['kube']}/", timeout=30_000)
    assert "nomor bukti" in page.inner_text(".messages")
    assert postings(live, "Dua ketukan") == 1
    assert csp == []
    context.close()


def test_without_a_script_two_taps_250_ms_apart_still_save_one_sale(browser, live):
    context, page, url, _csp = open_sale(browser, live, javascript=False)
    fill(page, "Tanpa skrip")
    held = hold_posts(page, url)
    page.click("[data-testid=entry-save]", no_wait_after=True)
    page.wait_for_timeout(250)
    page.click("[data-testid=entry-save]", no_wait_after=True)  # the old page, its answer not yet there
    page.wait_for_timeout(250)
    assert len(held) == 2  # without the script the browser sends both
    first = held[0].fetch(max_redirects=0)  # the first reaches the server and is saved ...
    assert first.status == 302
    with contextlib.suppress(Exception):  # ... though the browser has given up on it for the second
        held[0].fulfill(response=first)
    held[1].continue_()
    page.wait_for_url(f"http://127.0.0.1:{live.port}/kube/{live.seed['kube']}/", timeout=30_000)
    assert postings(live, "Tanpa skrip") == 1
    messages = page.inner_text(".messages")
    assert "nomor bukti" in messages and "tidak ada yang dicatat dua kali" in messages
    context.close()


def test_a_reload_after_a_lost_answer_saves_once_and_shows_the_receipt(browser, live):
    context, page, url, _csp = open_sale(browser, live)
    fill(page, "Jawaban hilang")
    answered: list[int] = []

    def lose_the_answer(route):
        if route.request.method != "POST" or answered:
            route.continue_()
            return
        response = route.fetch(max_redirects=0)  # the server saves it and answers ...
        answered.append(response.status)
        route.abort("connectionreset")          # ... and the answer never reaches the phone

    page.route(url, lose_the_answer)
    page.click("[data-testid=entry-save]", no_wait_after=True)
    page.wait_for_timeout(1500)
    assert answered == [302] and postings(live, "Jawaban hilang") == 1
    page.screenshot(path=str(ARTIFACTS / "entry-answer-lost-360.png"))
    page.reload()  # the browser sends the same form again
    page.wait_for_url(f"http://127.0.0.1:{live.port}/kube/{live.seed['kube']}/", timeout=30_000)
    messages = page.inner_text(".messages")
    assert "Tersimpan: Penjualan Rp12.500, nomor bukti" in messages
    assert postings(live, "Jawaban hilang") == 1
    page.screenshot(path=str(ARTIFACTS / "entry-reloaded-360.png"), full_page=True)
    context.close()


def test_back_and_resubmit_saves_once_and_shows_the_first_result(browser, live):
    context, page, _url, _csp = open_sale(browser, live)
    key = page.input_value("[data-submission]")
    fill(page, "Kembali lalu kirim")
    page.click("[data-testid=entry-save]")
    page.wait_for_url(f"http://127.0.0.1:{live.port}/kube/{live.seed['kube']}/")
    page.go_back()
    page.wait_for_selector("[data-testid=entry-form]")
    assert page.input_value("[data-submission]") == key  # the browser restored the form as it was sent
    assert page.locator("[data-testid=entry-save]").is_enabled()
    page.click("[data-testid=entry-save]")
    page.wait_for_url(f"http://127.0.0.1:{live.port}/kube/{live.seed['kube']}/")
    assert "tidak ada yang dicatat dua kali" in page.inner_text(".messages")
    assert postings(live, "Kembali lalu kirim") == 1
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(ARTIFACTS / "entry-resubmitted-1280.png"), full_page=True)
    context.close()
