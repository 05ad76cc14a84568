"""In Chromium with a persistent profile (storage survives closing the browser): the treasurer and
the mentor work without signal, the outbox sends each item once, a refusal is corrected, another
user on the same phone sees nothing of the first, and the worker keeps no page with a NIK."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

pytestmark = pytest.mark.browser

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


ANDROID = ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/130.0.0.0 Mobile Safari/537.36")


def launch(browser, profile, *, offline=False, width=360, workers="allow", **extra):
    """A browser with `profile` as its user-data folder, so that IndexedDB and the worker survive.
    `workers="block"` where a test cuts answers with page.route, which a service worker would bypass."""
    return browser.browser_type.launch_persistent_context(
        str(profile), executable_path="/usr/bin/chromium", headless=True, args=ARGS, offline=offline,
        viewport={"width": width, "height": 800}, locale="id-ID", service_workers=workers, **extra)


@pytest.fixture
def cast(transactional_db):
    import testing
    from books.models import TxnKind
    from books.services import cash_entry_record

    cast = testing.build_cast()
    for user in (cast.ketua, cast.pendamping, cast.kab):
        user.set_password(PASSWORD)
        user.save()
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=timezone.localdate() - timedelta(days=70), description="Modal anggota")
    return cast


def second_officer(cast):
    from accounts.models import Role
    from registry.models import Member
    from testing import make_user

    user = make_user("bendahara.maju", Role.PENGURUS)
    user.set_password(PASSWORD)
    user.save()
    bendahara = {o.position: o.member for o in cast.kube_a.officers.all()}["bendahara"]
    Member.objects.filter(pk=bendahara.pk).update(user=user)
    return user


def ready_offline_page(page, base, path="/app/kas/", testid="kas-group", worker=True):
    """Open a shell online once: the worker installed and the snapshot kept."""
    page.goto(f"{base}{path}")
    page.wait_for_selector(f"[data-testid={testid}]:not(:empty)" if testid == "kas-group" else f"[data-testid={testid}]")
    if not worker:
        return
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()  # the first load was not yet under the worker
        page.wait_for_selector(f"[data-testid={testid}]")


def entry(page, testid, amount, *, date=None, member=None):
    page.click(f"[data-testid={testid}]")
    page.wait_for_selector("[data-testid=off-form]:visible")
    if member:
        page.select_option("[data-testid=off-member]", label=member)
    page.fill("[data-testid=off-amount]", amount)
    if date:
        page.fill("[data-testid=off-date]", date)
    page.click("[data-testid=off-save]")
    page.wait_for_selector("[data-testid=off-form]", state="hidden")


def a_photo(width, height):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 137, 90)).save(out, "PNG")
    return out.getvalue()


def states(page):
    return page.eval_on_selector_all("[data-testid=outbox-item]", "els => els.map(e => e.dataset.state)")


def wait_states(page, expected):
    page.wait_for_function(
        "want => Array.from(document.querySelectorAll('[data-testid=outbox-item]')).map(e => e.dataset.state).sort().join() == want",
        arg=",".join(sorted(expected)), timeout=30_000)


def sign_out_and_send_as(page, base, username):
    """Sign out from the narrow menu with nothing waiting (no question asked), sign `username` in
    and wait on the cash page until that user's one waiting item is sent."""
    page.goto(f"{base}/")
    page.click("[data-testid=nav-narrow] summary")
    page.click("[data-testid=nav-narrow] button:has-text('Keluar')")
    page.wait_for_url(f"{base}/akun/masuk/**")
    sign_in(page, base, username)
    page.goto(f"{base}/app/kas/")
    wait_states(page, ["sent"])


def posted(kube, **filters):
    from books.models import Transaction

    return Transaction.objects.filter(kube=kube, **filters)


def test_the_treasurer_records_offline_closes_the_browser_and_everything_arrives_once(browser, live_server, cast, tmp_path):
    from books.models import Transaction
    from books.selectors import cash_balance

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kube, base = cast.kube_a, live_server.url
    context = launch(browser, tmp_path / "hp")
    page = context.pages[0] if context.pages else context.new_page()
    csp = watch_csp(page)
    sign_in(page, base, cast.ketua.username)
    ready_offline_page(page, base)
    assert page.inner_text("[data-testid=kas-cash]") == "Rp1.000.000"
    before = Transaction.objects.count()

    context.set_offline(True)
    page.reload()  # the worker serves the shell, the phone's IndexedDB fills it
    page.wait_for_selector("[data-testid=kas-group]:not(:empty)")
    assert page.is_visible("[data-testid=net-state]")
    page.click("[data-testid=off-sale]")
    page.fill("[data-testid=off-amount]", "45.000,50")  # the phone's own check, as the server's
    page.click("[data-testid=off-save]")
    assert "tanpa sen" in page.inner_text("[data-error=amount]")
    page.click("[data-cancel]")
    for amount in ("45.000", "30000", "Rp 12.500"):
        entry(page, "off-sale", amount)
    member = kube.members.filter(left_on__isnull=True).order_by("joined_on", "id")[2]
    entry(page, "off-deposit", "20000", member=f"3. {member.name}")
    assert page.inner_text("[data-testid=outbox-count]") == "4 menunggu dikirim"
    assert states(page) == ["waiting"] * 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    page.screenshot(path=str(ARTIFACTS / "offline-kas-360.png"), full_page=True)
    context.close()

    context = launch(browser, tmp_path / "hp", offline=True)  # the phone again, still without signal
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{base}/app/kas/")
    page.wait_for_selector("[data-testid=outbox-item]")
    assert states(page) == ["waiting"] * 4
    assert page.inner_text("[data-testid=outbox-count]") == "4 menunggu dikirim"
    assert Transaction.objects.count() == before

    context.set_offline(False)
    page.click("[data-testid=send-now]")
    wait_states(page, ["sent"] * 4)
    assert Transaction.objects.count() == before + 4
    assert sorted(posted(kube, kind="sale").values_list("amount", flat=True)) == [12_500, 30_000, 45_000]
    deposit = Transaction.objects.get(kube=kube, lines__member=member)
    assert deposit.amount == 20_000
    shown = page.eval_on_selector_all("[data-testid=outbox-state]", "els => els.map(e => e.textContent)")
    receipts = {t.receipt for t in Transaction.objects.order_by("-id")[:4]}
    assert {s.removeprefix("terkirim, bukti ") for s in shown} == receipts
    page.wait_for_function("() => document.querySelector('[data-testid=kas-cash]').textContent == 'Rp1.107.500'")
    assert cash_balance(kube) == 1_107_500
    assert page.is_hidden("[data-testid=outbox-count]")
    page.screenshot(path=str(ARTIFACTS / "offline-kas-sent-360.png"), full_page=True)
    assert csp == []
    context.close()


def test_a_connection_lost_mid_sync_still_posts_once_and_a_closed_month_is_corrected(browser, live_server, cast, tmp_path):
    from books.models import Transaction
    from books.services import period_close

    kube, base = cast.kube_a, live_server.url
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=10)
    context = launch(browser, tmp_path / "hp", workers="block")
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, base, cast.ketua.username)
    ready_offline_page(page, base, worker=False)
    context.set_offline(True)
    entry(page, "off-sale", "10000")
    entry(page, "off-expense", "2000")
    entry(page, "off-sale", "5000", date=last_month.isoformat())
    before = Transaction.objects.count()
    period_close(actor=cast.ketua, kube=kube, period=last_month.year * 100 + last_month.month)  # meanwhile

    lost: list[int] = []

    def answer_lost(route):
        response = route.fetch()  # the server saves it …
        if not lost:
            lost.append(response.status)
            route.abort("connectionreset")  # … and the answer never reaches the phone
        else:
            route.fulfill(response=response)

    page.route("**/api/v1/groups/*/transactions", answer_lost)
    # Back online, the phone sends by itself (one sync, from the online event). A tap on "Kirim
    # sekarang" as well would start a second sync once the first stopped, and that one would send
    # the next item while this test counts.
    context.set_offline(False)
    for _ in range(100):
        if lost:
            break
        page.wait_for_timeout(100)
    wait_states(page, ["waiting"] * 3)  # the first answer lost: the sync stops, every item still waits
    assert lost == [201] and Transaction.objects.count() == before + 1
    page.click("[data-testid=send-now]")  # the same key again: the server replays the first answer
    wait_states(page, ["sent", "sent", "refused"])
    assert Transaction.objects.count() == before + 2
    assert sorted(posted(kube, date__gte=timezone.localdate().replace(day=1)).exclude(kind="capital_in")
                  .values_list("amount", flat=True)) == [2_000, 10_000]
    refused = page.inner_text("[data-testid=outbox-item][data-state=refused]")
    assert "ditutup" in refused.lower() and "Perbaiki lalu kirim lagi" in refused
    page.screenshot(path=str(ARTIFACTS / "offline-refused-360.png"), full_page=True)
    page.click("[data-testid=outbox-fix]")
    page.fill("[data-testid=off-date]", timezone.localdate().isoformat())
    page.click("[data-testid=off-save]")
    wait_states(page, ["sent"] * 3)
    assert Transaction.objects.count() == before + 3
    assert posted(kube, kind="sale", amount=5_000, date=timezone.localdate()).count() == 1
    context.close()


def test_a_mentor_logs_a_visit_offline_and_it_arrives_once(browser, live_server, cast, tmp_path):
    from mentoring.models import FollowUp, Visit

    kube, base = cast.kube_a, live_server.url
    context = launch(browser, tmp_path / "hp", user_agent=ANDROID)
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, base, cast.pendamping.username)
    # On Android "Pasang aplikasi" is in the menu: the browser's prompt where it offers one, else the
    # how-to for Chrome's menu (headless Chromium may fire the prompt: the page is opened directly).
    page.click("[data-testid=nav-narrow] summary")
    assert page.is_visible("[data-testid=nav-narrow] [data-menu=install]")
    assert page.get_attribute("[data-testid=nav-narrow] [data-menu=install]", "href") == "/app/pasang/"
    page.goto(f"{base}/app/pasang/")
    assert "Tambahkan ke layar utama" in page.inner_text("main")
    ready_offline_page(page, base, "/app/kunjungan/", "visit-form")
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("[data-testid=visit-form]:visible")
    members = list(kube.members.filter(left_on__isnull=True).order_by("joined_on", "id"))
    page.click("[data-testid=visit-save]")
    assert "Isi tempat" in page.inner_text("[data-error=place]")
    page.fill("[data-testid=visit-place]", "Rumah ketua")
    page.fill("[data-testid=visit-problems]", "Buku kas belum ditulis dua minggu")
    page.check("[data-testid=present-1]")
    page.check("[data-testid=present-3]")
    page.check("[data-testid=audit-checked-kas]")
    page.fill("[data-testid=visit-fu-action]", "Tulis ulang buku kas bulan ini")
    page.select_option("[data-testid=visit-fu-person]", label=f"1. {members[0].name}")
    page.click("[data-testid=visit-save]")
    assert "batas waktu" in page.inner_text("[data-error=fu_due]")  # as the server would say, on the phone
    page.fill("[data-testid=visit-fu-due]", (timezone.localdate() + timedelta(days=14)).isoformat())
    page.set_input_files("[data-testid=visit-photos]", files=[{"name": "buku.png", "mimeType": "image/png",
                                                                "buffer": a_photo(3000, 2000)}])
    page.click("[data-testid=visit-save]")
    page.wait_for_selector("[data-testid=outbox-item][data-state=waiting]")
    assert page.inner_text("[data-testid=outbox-count]") == "1 menunggu dikirim"
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    page.screenshot(path=str(ARTIFACTS / "offline-visit-360.png"), full_page=True)
    assert not Visit.objects.exists()
    context.set_offline(False)
    page.click("[data-testid=send-now]")
    wait_states(page, ["sent"])
    page.click("[data-testid=send-now]")
    visit = Visit.objects.get()
    assert visit.kube == kube and visit.pendamping == cast.pendamping and visit.place == "Rumah ketua"
    assert set(visit.attendance.filter(present=True).values_list("member_id", flat=True)) == {members[0].pk, members[2].pk}
    assert list(visit.audits.filter(checked=True).values_list("book", flat=True)) == ["kas"]
    assert FollowUp.objects.get().person == members[0]
    [photo] = visit.photos.all()  # made smaller on the phone, sent once after the visit
    assert max(photo.width, photo.height) <= 1600
    assert Visit.objects.count() == 1
    context.close()


def test_another_user_on_the_same_phone_neither_sees_nor_sends_the_outbox(browser, live_server, cast, tmp_path):
    from books.models import Transaction

    base = live_server.url
    bendahara = second_officer(cast)
    context = launch(browser, tmp_path / "hp")
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, base, cast.ketua.username)
    ready_offline_page(page, base)
    context.set_offline(True)
    entry(page, "off-income", "7000")
    before = Transaction.objects.count()
    # The session ends while offline (a working day passes): the item stays, waiting.
    context.clear_cookies()
    context.set_offline(False)
    page.click("[data-testid=send-now]")
    page.wait_for_selector("[data-testid=session-note]:visible")
    assert states(page) == ["waiting"] and Transaction.objects.count() == before
    # Someone else signs in on this phone: nothing of the first user's shows or goes.
    sign_in(page, base, bendahara.username)
    page.goto(f"{base}/app/kas/")
    page.wait_for_selector("[data-testid=kas-group]:not(:empty)")
    page.evaluate("() => SikubeOffline.sync()")  # no "Kirim sekarang" here: nothing of theirs waits
    page.wait_for_timeout(1000)
    assert states(page) == [] and page.is_hidden("[data-testid=outbox-count]")
    assert Transaction.objects.count() == before
    # Signing out with nothing waiting asks nothing; the first user signs in again: the item goes, once.
    sign_out_and_send_as(page, base, cast.ketua.username)
    assert Transaction.objects.count() == before + 1
    # With an item waiting, signing out asks first; refusing keeps the user signed in.
    context.set_offline(True)
    entry(page, "off-sale", "1000")
    context.set_offline(False)
    page.route("**/api/v1/groups/*/transactions", lambda route: route.abort())  # it cannot leave yet
    page.goto(f"{base}/")
    dialogs: list[str] = []

    def refuse(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.click("[data-testid=nav-narrow] summary")
    page.click("[data-testid=nav-narrow] button:has-text('Keluar')")
    page.wait_for_timeout(500)
    assert dialogs and "belum terkirim" in dialogs[0]
    assert "/akun/masuk/" not in page.url
    context.close()


def test_an_item_is_never_sent_under_the_session_of_another_user_who_signed_in_meanwhile(
        browser, live_server, cast, tmp_path):
    """The page still takes the first user for the phone's user (the snapshot that would tell it
    otherwise did not arrive), while the browser's session is by now a second user's: the item goes
    with its owner's id, the server refuses it, and the page learns who is signed in (CI once saw
    the sign-in race this rebuilds book the first user's entry under the second user's name)."""
    from django.test import Client

    from books.models import Transaction

    base = live_server.url
    bendahara = second_officer(cast)
    context = launch(browser, tmp_path / "hp", workers="block")  # page.route sees every request
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, base, cast.ketua.username)
    ready_offline_page(page, base, worker=False)
    context.set_offline(True)
    entry(page, "off-income", "7000")
    before = Transaction.objects.count()
    other = Client()
    other.force_login(bendahara)  # the second user signs in on this phone (the page is not reloaded)
    context.clear_cookies(name="sessionid")
    context.add_cookies([{"name": "sessionid", "value": other.cookies["sessionid"].value, "url": base}])
    lost: list[str] = []

    def lose(route):
        lost.append(route.request.url)
        route.abort()

    page.route("**/api/v1/me/offline", lose)
    context.set_offline(False)
    page.click("[data-testid=send-now]")
    for _ in range(100):
        if len(lost) >= 2:  # the online event's and the button's
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(1000)
    assert lost and Transaction.objects.count() == before  # not booked under the bendahara's name
    page.unroute("**/api/v1/me/offline")
    page.click("[data-testid=send-now]")  # now the page learns who is signed in: nothing of the ketua's shows
    page.wait_for_function("() => document.querySelectorAll('[data-testid=outbox-item]').length === 0")
    assert Transaction.objects.count() == before
    sign_out_and_send_as(page, base, cast.ketua.username)  # the bendahara signs out; the item goes, once
    assert Transaction.objects.count() == before + 1
    context.close()


def test_the_worker_keeps_no_page_with_a_nik(browser, live_server, cast, tmp_path):
    base = live_server.url
    member = cast.kube_a.members.first()
    context = launch(browser, tmp_path / "hp", width=1280)
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, base, cast.kab.username)  # an office that sees NIKs unmasked
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.goto(f"{base}/kube/anggota/{member.pk}/ubah/")
    assert member.nik in page.content()
    page.goto(f"{base}/kube/{cast.kube_a.pk}/")
    page.goto(f"{base}/app/kas/")
    kept = page.evaluate("""async () => {
        const out = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
                out.push([new URL(request.url).pathname, await (await cache.match(request)).text()]);
            }
        }
        return out;
    }""")
    paths = [p for p, _body in kept]
    assert "/offline/" in paths and "/app/kas/" in paths
    assert all(p.startswith("/static/") or p in ("/offline/", "/app/kas/", "/app/kunjungan/") for p in paths), paths
    for _path, body in kept:
        assert member.nik not in body and member.kk_number not in body and cast.kab.username not in body
    page.screenshot(path=str(ARTIFACTS / "offline-menu-1280.png"))
    context.close()


def test_a_refused_visit_is_corrected_on_the_phone_and_arrives_once(browser, live_server, cast, tmp_path):
    """The server refuses a visit dated tomorrow; "Perbaiki" puts it back in the form as it was saved,
    the mentor corrects the date, and it is sent once (with a new key: the body changed)."""
    from mentoring.models import Visit

    kube, base = cast.kube_a, live_server.url
    context = launch(browser, tmp_path / "hp")
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, base, cast.pendamping.username)
    ready_offline_page(page, base, "/app/kunjungan/", "visit-form")
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("[data-testid=visit-form]:visible")
    tomorrow, today = timezone.localdate() + timedelta(days=1), timezone.localdate()
    page.fill("[data-testid=visit-form] input[name=date]", tomorrow.isoformat())
    page.fill("[data-testid=visit-place]", "Balai desa")
    page.fill("[data-testid=visit-problems]", "Kas kecil belum dihitung")
    page.check("[data-testid=present-2]")
    page.check("[data-testid=audit-checked-kas]")
    page.check("[data-testid=audit-order-kas]")
    page.click("[data-testid=visit-save]")
    page.wait_for_selector("[data-testid=outbox-item][data-state=waiting]")
    context.set_offline(False)
    page.click("[data-testid=send-now]")
    wait_states(page, ["refused"])
    assert "masa depan" in page.inner_text("[data-testid=outbox-item]")
    assert not Visit.objects.exists()
    page.click("[data-testid=outbox-fix]")
    form = "[data-testid=visit-form]"
    assert page.input_value(f"{form} input[name=date]") == tomorrow.isoformat()
    assert page.input_value("[data-testid=visit-place]") == "Balai desa"
    assert page.is_checked("[data-testid=present-2]") and not page.is_checked("[data-testid=present-1]")
    assert page.is_checked("[data-testid=audit-checked-kas]") and page.is_checked("[data-testid=audit-order-kas]")
    page.fill(f"{form} input[name=date]", today.isoformat())
    page.click("[data-testid=visit-save]")
    page.click("[data-testid=send-now]")
    wait_states(page, ["sent"])
    visit = Visit.objects.get()
    assert visit.kube == kube and visit.date == today and visit.place == "Balai desa"
    assert list(visit.audits.filter(in_order=True).values_list("book", flat=True)) == ["kas"]
    page.click("[data-testid=send-now]")
    assert Visit.objects.count() == 1
    context.close()
