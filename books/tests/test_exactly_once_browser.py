"""In Chromium at 360 px: a quick sale sent again (a reload after its answer was lost, a refusal
then the corrected form, a double tap on a slow connection) is exactly one posting, counted in the database. The page forms' one-time key (`{% submission_key %}`,
api/idempotency.PageIdempotencyMiddleware) and the busy button (static/js/sikube.js) are what hold."""

from __future__ import annotations

import re

import pytest

from testing.browser import ARTIFACTS, SLOW_PHONE, sign_in, watch_csp

pytestmark = pytest.mark.browser

BUTTON = "[data-testid=entry-save]"


def postings(description: str) -> int:
    """The group's postings with this description, read from the database (not from the page)."""
    from books.models import Transaction

    return Transaction.objects.filter(description=description).count()


def open_sale(browser, base: str, cast, *, slow: bool = False):
    """The treasurer signed in on a 360 px phone, the sale form open (optionally on a slow line)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    csp = watch_csp(page)
    sign_in(page, base, cast.ketua.username)
    url = f"{base}/kube/{cast.kube_a.pk}/buku/catat/sale/"
    page.goto(url)
    page.wait_for_selector("[data-testid=entry-form]")
    if slow:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_PHONE)
    return context, page, url, csp


def fill(page, description: str, amount: str = "12500") -> None:
    page.fill("#id_amount", amount)
    page.fill("#id_description", description)


def books_home(base: str, cast) -> re.Pattern[str]:
    """Where a sale without `next` lands: the group's books (Post/Redirect/Get)."""
    return re.compile(re.escape(f"{base}/kube/{cast.kube_a.pk}/buku/") + r"$")


def tapper(page):
    """A finger on the middle of the save button, whatever state it is in: measured once, before the
    first tap, since a locator waits for the navigation the tap starts."""
    box = page.locator(BUTTON).bounding_box()
    assert box
    return lambda: page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_a_reload_after_a_lost_answer_saves_once_and_shows_the_receipt(browser, live_server, treasurer):
    base = live_server.url
    context, page, url, _csp = open_sale(browser, base, treasurer)
    fill(page, "Jawaban hilang")
    answered: list[int] = []

    def lose_the_answer(route):
        if route.request.method != "POST" or answered:
            route.continue_()
            return
        response = route.fetch(max_redirects=0)  # the server saves it and answers ...
        answered.append(response.status)
        route.abort("connectionreset")           # ... and the answer never reaches the phone

    page.route(url, lose_the_answer)
    page.click(BUTTON, no_wait_after=True)
    page.wait_for_function("() => document.querySelector('[data-testid=entry-form]') === null", timeout=10_000)
    assert answered == [302]
    assert postings("Jawaban hilang") == 1
    page.reload()  # the browser sends the same form, with the same key, again
    page.wait_for_url(books_home(base, treasurer))
    messages = page.inner_text(".messages")
    assert "Tersimpan: Penjualan Rp12.500, nomor bukti" in messages  # the first result, its receipt
    assert "tidak ada yang dicatat dua kali" in messages
    assert postings("Jawaban hilang") == 1
    page.screenshot(path=str(ARTIFACTS / "entry-replayed-360.png"), full_page=True)
    context.close()


def test_a_refused_form_corrected_and_sent_saves_once(browser, live_server, treasurer):
    base = live_server.url
    context, page, url, _csp = open_sale(browser, base, treasurer)
    first_key = page.input_value("[data-submission]")
    fill(page, "Ditolak lalu dibetulkan", amount="dua belas ribu")
    page.click(BUTTON)
    page.wait_for_selector("[data-testid=entry-form] .errorlist")  # refused, shown again with the message
    assert page.url == url
    assert postings("Ditolak lalu dibetulkan") == 0
    assert page.input_value("[data-submission]") != first_key  # a new rendering, a new key
    assert page.locator(BUTTON).is_enabled() and page.inner_text(BUTTON).strip() == "Simpan"
    page.fill("#id_amount", "12500")
    page.click(BUTTON)
    page.wait_for_url(books_home(base, treasurer))
    assert "Tersimpan: Penjualan Rp12.500" in page.inner_text(".messages")
    assert "dua kali" not in page.inner_text(".messages")  # a new submission, not a replay
    assert postings("Ditolak lalu dibetulkan") == 1
    context.close()


def test_on_a_slow_connection_a_double_tap_saves_one_sale(browser, live_server, treasurer):
    base = live_server.url
    context, page, _url, _csp = open_sale(browser, base, treasurer, slow=True)
    fill(page, "Sinyal lemah")
    tap = tapper(page)
    tap()
    page.wait_for_timeout(250)  # the first POST is still on its way at 400 ms latency
    tap()
    page.wait_for_url(books_home(base, treasurer), timeout=60_000)
    assert "Tersimpan: Penjualan Rp12.500" in page.inner_text(".messages")
    assert postings("Sinyal lemah") == 1
    context.close()


def test_back_and_send_again_saves_once(browser, live_server, treasurer):
    """After a save, Back renders the form again (no-store): the key it was sent with is put back,
    so sending it again shows the first result instead of saving a second sale."""
    base = live_server.url
    context, page, url, _csp = open_sale(browser, base, treasurer)
    fill(page, "Kembali lalu kirim")
    page.click(BUTTON)
    page.wait_for_url(books_home(base, treasurer))
    assert postings("Kembali lalu kirim") == 1
    page.go_back()
    page.wait_for_selector("[data-testid=entry-form]")
    fill(page, "Kembali lalu kirim")
    page.click(BUTTON)
    page.wait_for_url(books_home(base, treasurer))
    assert "tidak ada yang dicatat dua kali" in page.inner_text(".messages")
    assert postings("Kembali lalu kirim") == 1
    # A new visit to the form (not Back) records a new sale with a new key.
    page.goto(url)
    fill(page, "Kembali lalu kirim")
    page.click(BUTTON)
    page.wait_for_url(books_home(base, treasurer))
    assert postings("Kembali lalu kirim") == 2
    context.close()
