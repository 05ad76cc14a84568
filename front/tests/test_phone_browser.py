"""In Chromium at 360 × 740: every page of a group, reached from its hub, fits the width, offers
no tap target narrower (or, outside a sentence, lower) than 44 px and has a way back to the hub;
the meeting sheet saves eight deposits as one receipt; the month close asks first; the language
chosen stays on the account, into a new browser."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

pytestmark = pytest.mark.browser

# Every visible thing one can tap: its box (a checkbox or radio: its label's). A link inside a
# sentence (display: inline) may be lower than 44 px (WCAG 2.5.8's inline exception), not narrower.
TARGETS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
    const shut = el.closest("details:not([open])");
    if (shut && !(el.tagName === "SUMMARY" && el.parentElement === shut)) continue;
    let target = el;
    if (el.matches("input[type=checkbox], input[type=radio]"))
      target = el.closest("label") || (el.id && document.querySelector('label[for="' + el.id + '"]')) || el;
    const style = getComputedStyle(target);
    const box = target.getBoundingClientRect();
    if (!box.width || !box.height || style.visibility === "hidden" || target.closest("[hidden]")) continue;
    if (box.width < 44 || (style.display !== "inline" && box.height < 43.5))
      bad.push(target.tagName + " " + (target.innerText || target.name || "").trim().slice(0, 40) + " "
               + Math.round(box.width) + "x" + Math.round(box.height));
  }
  return bad;
}"""


@pytest.fixture
def group(transactional_db):
    import testing
    from books.services import period_close
    from lib.periods import period_of, shift
    from registry.services import member_add

    cast = testing.build_cast()
    for user in (cast.ketua, cast.anggota, cast.pendamping, cast.kab):
        user.set_password(PASSWORD)
        user.save()
    kube = cast.kube_a
    for _ in range(2):  # eight members
        member_add(actor=cast.kab, kube=kube, data=testing.member_data(joined_on=kube.formed_on))
    # Lively as of three days ago, but closed only through the month before last: last month stays
    # open for the month-close test on any day of the month (from the 4th, closing the month before
    # "three days ago" closed last month and left nothing to close).
    today = timezone.localdate()
    testing.make_lively(kube, actor=cast.ketua, day=today - timedelta(days=3), close=False)
    period_close(actor=cast.ketua, kube=kube, period=shift(period_of(today), -2))
    return cast


def check_page(page, base, kube, path, problems):
    page.goto(f"{base}{path}")
    page.wait_for_load_state()
    if page.evaluate("document.documentElement.scrollWidth") > 360:
        problems.append(f"{path}: scrolls sideways")
    for bad in page.evaluate(TARGETS):
        problems.append(f"{path}: {bad}")
    if path.split("?")[0] != f"/kube/{kube.pk}/" and not page.locator(f"a[href='/kube/{kube.pk}/']").count():
        problems.append(f"{path}: no way back to the group")


def test_every_page_of_the_group_fits_a_phone(browser, live_server, group):
    kube = group.kube_a
    base = live_server.url
    problems: list[str] = []
    for user, extra in ((group.ketua, [f"/kube/{kube.pk}/buku/catat/sale/", f"/kube/{kube.pk}/buku/pinjaman/baru/",
                                       f"/kube/{kube.pk}/buku/agenda/baru/", f"/kube/{kube.pk}/buku/rencana/baru/", f"/kube/{kube.pk}/buku/inventaris/baru/"]),
                        (group.pendamping, [f"/kube/{kube.pk}/pendampingan/baru/"]),
                        (group.anggota, [])):
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
        page = context.new_page()
        csp = watch_csp(page)
        sign_in(page, base, user.username)
        page.goto(f"{base}/kube/{kube.pk}/")
        assert page.is_hidden("nav.tabs")  # no tab strip on a phone
        links = page.eval_on_selector_all("[data-hub], [data-testid=hub-tasks] a",
                                          "els => els.map(e => e.getAttribute('href').split('#')[0])")
        assert len(links) >= 18
        for path in dict.fromkeys([f"/kube/{kube.pk}/", *links, *extra]):
            check_page(page, base, kube, path, problems)
        assert not csp, csp
        context.close()
    assert not problems, "\n".join(problems)


def test_the_meeting_sheet_saves_eight_deposits_as_one_receipt(browser, live_server, group):
    from books.models import Line, Transaction, TxnKind

    kube = group.kube_a
    members = list(kube.members.filter(left_on__isnull=True).order_by("name"))
    assert len(members) == 8
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live_server.url, group.ketua.username)
    page.goto(f"{live_server.url}/kube/{kube.pk}/")
    page.click("[data-testid=task-meeting_savings]")                 # one tap from the hub
    page.wait_for_selector("[data-testid=meeting-sheet]")
    inputs = page.locator("input[data-column=deposit]")
    for i in range(8):
        inputs.nth(i).fill(f"{50_000 + 1_000 * i}")
    page.wait_for_selector("[data-testid=sheet-deposits]:has-text('Rp428.000')")
    page.screenshot(path=str(ARTIFACTS / "meeting-sheet-360.png"), full_page=True)
    before = Transaction.objects.filter(kube=kube, kind=TxnKind.SAVINGS_DEPOSIT).count()
    page.click("[data-testid=sheet-save]")
    page.wait_for_selector(".messages")
    deposits = Transaction.objects.filter(kube=kube, kind=TxnKind.SAVINGS_DEPOSIT)
    assert deposits.count() == before + 1                             # one receipt for the meeting
    receipt = deposits.order_by("-id").first()
    assert receipt is not None and receipt.amount == 428_000
    for i, member in enumerate(members):                              # each balance, from the ledger lines
        sums = Line.objects.filter(member=member, account__role="savings").aggregate(c=Sum("credit"), d=Sum("debit"))
        assert (sums["c"] or 0) - (sums["d"] or 0) == 50_000 + 1_000 * i
    context.close()


def test_the_month_close_is_refused_without_the_confirmation(browser, live_server, group):
    from books.models import PeriodClose
    from lib.periods import period_of, shift

    kube = group.kube_a
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live_server.url, group.ketua.username)
    page.goto(f"{live_server.url}/kube/{kube.pk}/")
    closed = PeriodClose.objects.filter(kube=kube).count()
    page.click("[data-hub=close]")
    page.wait_for_selector("[data-testid=close-form]")
    # A forged POST without the confirmation field (the browser's own cookies and CSRF token).
    token = page.input_value("[data-testid=close-form] input[name=csrfmiddlewaretoken]")
    period = page.input_value("#id_period")
    assert period == str(shift(period_of(timezone.localdate()), -1))  # last month, the only one open
    page.evaluate("""([token, period]) => { const f = document.createElement("form"); f.method = "post";
        for (const [k, v] of [["csrfmiddlewaretoken", token], ["period", period]]) {
          const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; f.appendChild(i); }
        document.body.appendChild(f); f.submit(); }""", [token, period])
    page.wait_for_selector("[data-testid=close-confirm-box]")        # it only asks
    assert PeriodClose.objects.filter(kube=kube).count() == closed
    assert "dikunci untuk selamanya" in page.inner_text("[data-testid=close-sentence]")
    page.click("[data-testid=close-cancel]")
    page.wait_for_selector("[data-testid=close-form]")
    assert PeriodClose.objects.filter(kube=kube).count() == closed
    page.click("[data-testid=close-month]")
    page.click("[data-testid=close-confirm]")
    page.wait_for_url(f"{live_server.url}/kube/{kube.pk}/buku/lpj/**")
    assert PeriodClose.objects.filter(kube=kube).count() > closed
    context.close()


def test_the_language_stays_english_in_a_new_browser(browser, live_server, group):
    base = live_server.url
    first = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = first.new_page()
    sign_in(page, base, group.ketua.username)
    page.click("[data-lang=en]")
    page.wait_for_selector("html[lang=en]")
    page.click("[data-testid=nav-narrow] summary")
    page.click("[data-testid=nav-narrow] button[type=submit]")        # sign out
    page.wait_for_url(f"{base}/akun/masuk/**")
    sign_in(page, base, group.ketua.username)
    assert page.get_attribute("html", "lang") == "en"
    first.close()
    fresh = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")  # no cookie
    page = fresh.new_page()
    page.goto(f"{base}/akun/masuk/")
    assert page.get_attribute("html", "lang") == "id"
    sign_in(page, base, group.ketua.username)
    assert page.get_attribute("html", "lang") == "en"
    assert date.today() and "Cash" in page.inner_text("[data-testid=books-summary]")
    fresh.close()
