"""In Chromium at 360 px: a district office registers a group with six members and its officers."""

from __future__ import annotations

from datetime import date

import pytest

from lib.nik import nik_date_part
from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

pytestmark = pytest.mark.browser

BIRTH = date(1983, 11, 2)
NAMES = ["Euis Kurniasih", "Dedeh Rohaeti", "Asep Saepudin", "Iis Nurhayati", "Ujang Sopandi", "Entin Sumarni"]


@pytest.fixture
def office(transactional_db):
    import testing

    cast = testing.build_cast()
    cast.kab.set_password(PASSWORD)
    cast.kab.save()
    return cast


def test_registering_a_group_with_six_members_on_a_phone(browser, live_server, office):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    csp = watch_csp(page)
    sign_in(page, live_server.url, office.kab.username)
    page.click("[data-testid=nav-narrow] summary")
    page.click("[data-testid=nav-narrow] a[data-menu=kube_new]")
    page.wait_for_url(f"{live_server.url}/kube/baru/")

    page.fill("#id_name", "KUBE Sauyunan 07")
    # Region: the office's province and kabupaten are fixed; pick the kecamatan, then find the desa by name.
    page.select_option("#rp-desa select[data-level='3']", "32.04.06")
    page.wait_for_selector("#rp-desa select[data-level='4']")
    page.fill("#rp-desa input[type=search]", "cimenyan")
    page.click("#rp-desa-results button:has-text('Desa Cimenyan')")
    page.wait_for_selector("[data-testid=region-value-desa][value='32.04.06.2003']", state="attached")
    page.fill("#id_address", "Kp. Sukamulya")
    page.fill("#id_rt", "003")
    page.fill("#id_rw", "001")
    page.fill("#id_formed_on", "2025-07-14")
    page.select_option("#id_business_type", "pangan")
    page.check("input[name=bonds][value=tempat_tinggal]")

    page.click("[data-testid=add-row]")  # five rows are drawn; the sixth is added
    page.wait_for_selector("[data-testid=member-row] >> nth=5")
    assert page.input_value("#id_name") == "KUBE Sauyunan 07"  # what was typed survives
    for i, name in enumerate(NAMES):
        sex = "L" if name.startswith(("Asep", "Ujang")) else "P"
        page.fill(f"#id_m-{i}-nik", f"320406{nik_date_part(BIRTH, sex)}{300 + i:04d}")
        page.fill(f"#id_m-{i}-kk_number", f"32040612340{i:05d}")
        page.fill(f"#id_m-{i}-name", name)
        page.check(f"input[name='m-{i}-sex'][value={sex}]")
        page.fill(f"#id_m-{i}-birth_date", BIRTH.isoformat())
        if i < 3:
            page.select_option(f"#id_m-{i}-position", ["ketua", "sekretaris", "bendahara"][i])
        else:
            page.fill(f"#id_m-{i}-task", "Produksi keripik")
    page.screenshot(path=str(ARTIFACTS / "register-360-filled.png"), full_page=True)
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=kube-name]")
    assert page.inner_text("[data-testid=kube-name]") == "KUBE Sauyunan 07"
    assert "Euis Kurniasih" in page.inner_text("[data-testid=officer-ketua]")
    assert "Asep Saepudin" in page.inner_text("[data-testid=officer-bendahara]")
    assert page.locator("[data-testid=member-table] tbody tr").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    page.screenshot(path=str(ARTIFACTS / "kube-detail-360.png"), full_page=True)
    assert not csp, csp
    context.close()

    from registry.models import Kube

    kube = Kube.objects.get(name="KUBE Sauyunan 07")
    assert kube.desa_id == "32.04.06.2003" and kube.members.count() == 6
