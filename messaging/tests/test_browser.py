"""In Chromium: the district office opens a group's tab "Pesan", records a member's consent, and sees
the counts and a phone that keeps failing; at 360 px the page fits the phone."""

from __future__ import annotations

import pytest

from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

pytestmark = pytest.mark.browser


@pytest.fixture
def group(transactional_db):
    import testing
    from messaging.models import Event, Message, Status
    from testing.messaging import consent_all, give_phones

    cast = testing.build_cast()
    cast.kab.set_password(PASSWORD)
    cast.kab.save()
    members = give_phones(cast.kube_a)
    consent_all(cast.kube_a, cast.kab, members[1:3])
    for i, status in enumerate((Status.FAILED, Status.FAILED, Status.DELIVERED)):
        Message.objects.create(kube=cast.kube_a, member=members[1 if i < 2 else 2], event=Event.DEPOSIT,
                               event_ref=f"b{i}", text="x", status=status,
                               last_error="Nomor tidak aktif" if status == Status.FAILED else "")
    return cast, members


@pytest.mark.parametrize("width", [1280, 360])
def test_the_office_records_consent_on_the_groups_messages_tab(browser, live_server, group, width):
    cast, members = group
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    csp = watch_csp(page)
    sign_in(page, live_server.url, cast.kab.username)
    page.goto(f"{live_server.url}/kube/{cast.kube_a.pk}/")
    page.click("[data-hub=messages]")  # from the group's hub, at every width
    page.wait_for_selector("[data-testid=message-counts]")
    assert page.inner_text("[data-testid=count-failed]") == "2"
    assert members[1].name in page.inner_text("[data-testid=failing-phones]")
    page.click("[data-testid=consent-form] >> xpath=.. >> summary")
    page.select_option("#id_member", str(members[0].pk))
    page.fill("#id_given_on", "2026-06-01")
    page.select_option("#id_method", "form")
    page.click("[data-testid=consent-save]")
    page.wait_for_selector(f"text=Persetujuan {members[0].name} menerima pesan dicatat.")
    rows = page.inner_text("[data-testid=consents]")
    assert rows.count("setuju sejak") == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"messages-{width}.png"), full_page=True)
    assert csp == []
    context.close()
