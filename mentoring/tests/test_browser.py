"""In Chromium at 360 px: a mentor opens their workspace, logs a visit with attendance, a book audit,
a follow-up and a photo, and sees the group move down their attention list."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

pytestmark = pytest.mark.browser


@pytest.fixture
def mentor(transactional_db):
    import testing
    from mentoring.services import AuditLine, NewFollowUp, visit_log
    from registry.services import kube_assign_pendamping

    cast = testing.build_cast()
    cast.pendamping.set_password(PASSWORD)
    cast.pendamping.save()
    today = timezone.localdate()
    kube_assign_pendamping(actor=cast.kab, kube=cast.kube_b, pendamping=cast.pendamping,
                           start_on=today - timedelta(days=60))
    for kube in (cast.kube_a, cast.kube_b):  # both meet and keep their books: only the visits differ
        testing.make_lively(kube, actor=cast.ketua, day=today - timedelta(days=5))
    # Mekar Jaya was visited and audited ten days ago; Maju Sejahtera fifty days ago, with a follow-up
    # whose date has passed.
    visit_log(actor=cast.pendamping, kube=cast.kube_b, date=today - timedelta(days=10), place="Balai desa",
              problems="Usaha berjalan", present=list(cast.kube_b.members.all()),
              audits=[AuditLine("kas", True, True)])
    visit_log(actor=cast.pendamping, kube=cast.kube_a, date=today - timedelta(days=50), place="Rumah ketua",
              problems="Buku kas belum diisi", present=list(cast.kube_a.members.all()[:4]),
              follow_ups=[NewFollowUp("Isi buku kas", cast.kube_a.members.order_by("id").first(),
                                      today - timedelta(days=40))])
    return cast


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (180, 110, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def order(page) -> list[str]:
    return page.eval_on_selector_all("[data-testid=workspace] li[data-kube]", "els => els.map(e => e.dataset.kube)")


def test_a_mentor_logs_a_visit_on_a_phone(browser, live_server, mentor):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kube = mentor.kube_a
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    csp = watch_csp(page)
    sign_in(page, live_server.url, mentor.pendamping.username)
    page.wait_for_selector("[data-testid=workspace]")  # a mentor's home is the workspace
    assert order(page) == ["KUBE Maju Sejahtera 11", "KUBE Mekar Jaya 02"]
    assert "Kunjungan terlambat" in page.inner_text(f"[data-testid=ws-{kube.pk}]")  # why it is on top
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    page.screenshot(path=str(ARTIFACTS / "workspace-before-360.png"), full_page=True)

    page.click(f"[data-testid=log-{kube.pk}]")
    page.wait_for_selector("[data-testid=visit-form]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    assert page.is_hidden("[data-testid=visit-step-2]")  # two screens: who came, then the books
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "11:00")
    page.fill("#id_place", "Rumah Ketua KUBE (Ibu Ani)")
    assert page.is_checked("#id_present_5")             # everyone present to begin with
    page.click("label.chip:has(#id_present_5)")         # one tap: the sixth member did not come
    assert not page.is_checked("#id_present_5")
    page.screenshot(path=str(ARTIFACTS / "visit-form-1-360.png"), full_page=True)
    page.click("[data-testid=visit-next]")
    assert page.is_hidden("[data-testid=visit-step-1]")
    assert page.is_hidden("#id_audit_kas_findings")     # no findings field before its book is checked
    assert page.locator("details.follow-up[open]").count() == 0  # no empty follow-up block
    page.check("#id_treasurer_report_reviewed")
    page.check("#id_audit_kas_checked")
    assert page.is_visible("#id_audit_kas_findings")    # checked, not yet in order: a finding may be needed
    page.check("#id_audit_kas_in_order")
    assert page.is_hidden("#id_audit_kas_findings")     # in order: no finding needed
    page.check("#id_audit_anggota_checked")
    page.fill("#id_audit_anggota_findings", "Dua anggota belum ada foto KTP")
    page.fill("#id_problems", "Buku kas sudah diisi; pemasaran keripik masih sulit")
    page.fill("#id_solutions", "Titip jual di warung desa")
    page.check("#id_close_0")                           # last month's follow-up is done
    page.click("[data-testid=follow-up-add] >> nth=0")  # one follow-up block, on demand
    assert page.locator("details.follow-up[open]").count() == 1
    page.fill("#id_fu_0_action", "Lengkapi foto KTP anggota")
    page.select_option("#id_fu_0_person", index=1)
    page.fill("#id_fu_0_due_on", (timezone.localdate() + timedelta(days=14)).isoformat())
    if not page.is_visible("[data-testid=photos]"):
        page.click("[data-testid=photos-add]")          # photos are optional: behind one tap
    page.set_input_files("[data-testid=photos]", files=[
        {"name": "rapat.jpg", "mimeType": "image/jpeg", "buffer": photo()}])
    page.screenshot(path=str(ARTIFACTS / "visit-form-360.png"), full_page=True)
    page.fill("#id_problems", "")                       # a refusal: scrolled to the field, cursor in it
    page.click("[data-testid=visit-save]")
    page.wait_for_selector("[data-testid=visit-form]")
    assert page.is_visible("[data-testid=visit-step-2]") and page.is_hidden("[data-testid=visit-step-1]")
    assert page.evaluate("document.activeElement.id") == "id_problems"
    assert page.locator("details.follow-up[open]").count() == 1  # nothing typed is lost
    assert page.input_value("#id_fu_0_action") == "Lengkapi foto KTP anggota"
    assert not page.is_checked("#id_present_5")
    page.fill("#id_problems", "Buku kas sudah diisi; pemasaran keripik masih sulit")
    if not page.is_visible("[data-testid=photos]"):
        page.click("[data-testid=photos-add]")          # photos are optional: behind one tap
    page.set_input_files("[data-testid=photos]", files=[
        {"name": "rapat.jpg", "mimeType": "image/jpeg", "buffer": photo()}])
    page.click("[data-testid=visit-save]")
    page.wait_for_selector("[data-testid=attendance]")
    assert page.inner_text("[data-testid=attendance]") == "5/6 (83 %)"
    assert "kehadiran 5 dari 6 anggota" in page.inner_text(".messages")
    page.wait_for_selector("[data-testid=photos] img")
    assert page.eval_on_selector("[data-testid=photos] img", "img => img.naturalWidth") == 320  # the thumbnail
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    page.screenshot(path=str(ARTIFACTS / "visit-detail-360.png"), full_page=True)

    page.click("[data-testid=nav-narrow] summary")
    page.click("[data-testid=nav-narrow] a[data-menu=workspace]")
    page.wait_for_selector("[data-testid=workspace]")
    assert order(page) == ["KUBE Mekar Jaya 02", "KUBE Maju Sejahtera 11"]  # moved down: visited, nothing late
    assert "Kunjungan terlambat" not in page.inner_text(f"[data-testid=ws-{kube.pk}]")
    page.screenshot(path=str(ARTIFACTS / "workspace-after-360.png"), full_page=True)
    assert csp == []
    context.close()
