"""The dashboard's map: the national map draws the 38 provinces, Jawa Barat's map its 27 kabupaten/kota,
each coloured by the figure chosen, a click drills down, and nothing is fetched from outside the site."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.utils import timezone

from testing.browser import ARTIFACTS, PASSWORD, sign_in, watch_csp

MAP_FILE = Path(settings.BASE_DIR) / "static" / "map" / "wilayah.json"
# The legend's classes, restated here from the page's promise (best first), and the palette of map.js.
PALETTE = ["#1a9850", "#a6d96a", "#fee08b", "#fc8d59", "#d73027"]
NO_DATA = "#d9dee1"


def expected_class(figure: str, value: Decimal | None) -> int | None:
    if value is None:
        return None
    if figure == "visits":  # higher is better: ≥90 | 75–90 | 50–75 | 25–50 | <25
        return next(i for i, floor in enumerate((90, 75, 50, 25, -1)) if value >= floor)
    cuts = {"kritis": (10, 25, 50), "par30": (5, 10, 20)}[figure]
    if value == 0:
        return 0
    return 1 + sum(1 for c in cuts if value >= c)


def test_the_map_file_is_small_and_has_every_province_and_kabupaten():
    raw = MAP_FILE.read_bytes()
    assert len(gzip.compress(raw, 9)) < 400 * 1024
    regions = json.loads(raw)["regions"]
    provinces = [c for c in regions if "." not in c]
    assert len(provinces) == 38
    assert len([c for c in regions if c.count(".") == 1]) == 514
    assert len([c for c in regions if c.startswith("32.")]) == 27
    assert all(r["p"] and all(len(ring) >= 8 for poly in r["p"] for ring in poly[:1]) for r in regions.values())
    assert "MIT" in (MAP_FILE.parent / "README.md").read_text() and "cahyadsn/wilayah_boundaries" in json.loads(raw)["source"]


@pytest.fixture
def national(transactional_db):
    import testing
    from books.models import TxnKind
    from books.services import cash_entry_record

    cast = testing.build_cast()
    cast.pusat.set_password(PASSWORD)
    cast.pusat.save()
    day = timezone.localdate().replace(day=1) - timedelta(days=3)
    # Kota Bogor's one group lively (0 % kritis), Kab. Bandung one of two kritis, Jawa Tengah all:
    # the maps show several classes, not one colour everywhere.
    testing.make_lively(cast.kube_a, actor=cast.ketua, day=day)
    testing.make_lively(cast.kube_c, actor=cast.ketua, day=day)
    for kube in (cast.kube_b, cast.kube_d):
        cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.CAPITAL_IN, amount=750_000, date=day,
                          description="Modal")
    return cast


def _expected(user, code: str | None, figure: str) -> dict[str, str]:
    """Each sub-region's colour, from the summaries' raw figures (share of groups kritis, PAR 30,
    visits done / due), computed here rather than read from the page."""
    from monitoring.selectors import dashboard, default_period, scope_for

    scope = scope_for(user, code)
    board = dashboard(scope, default_period(scope, today=timezone.localdate()))
    colours = {}
    for region, f in board.children:
        if figure == "kritis":
            value = (Decimal(f["health_kritis"]) * 100 / f["groups"]) if f["groups"] else None
        elif figure == "par30":
            value = (Decimal(f["par30_amount"]) * 100 / f["loans_outstanding"]) if f["loans_outstanding"] else None
        else:
            value = (Decimal(f["visits"]) * 100 / f["visits_due"]) if f["visits_due"] else None
        if value is not None:
            value = value.quantize(Decimal("0.1"))
        cls = expected_class(figure, value)
        colours[region.code] = NO_DATA if cls is None else PALETTE[cls]
    return colours


def _fills(page) -> dict[str, str]:
    return page.eval_on_selector_all("svg.map path[data-region]",
                                     "ps => Object.fromEntries(ps.map(p => [p.dataset.region, p.getAttribute('fill')]))")


@pytest.mark.browser
def test_the_map_draws_colours_drills_down_and_fetches_nothing_outside(browser, live_server, national):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    site = urlparse(live_server.url).netloc
    outside: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")

    def guard(route):
        if urlparse(route.request.url).netloc != site:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    csp = watch_csp(page)
    sign_in(page, live_server.url, national.pusat.username)
    page.goto(f"{live_server.url}/pemantauan/")
    page.wait_for_selector("[data-testid=region-map][data-drawn='38']")
    fills = _fills(page)
    assert len(fills) == 38
    wanted = _expected(national.pusat, None, "kritis")
    assert set(wanted) == {"32", "33"} and len(set(wanted.values())) == 2
    for code, colour in fills.items():
        assert colour == wanted.get(code, NO_DATA), code
    # Only the provinces the table lists are links, and the legend has five classes and "no data".
    assert page.eval_on_selector_all("svg.map a", "as => as.length") == 2
    assert page.eval_on_selector_all("[data-testid=map-legend] li", "ls => ls.length") == 6
    page.select_option("[data-testid=map-figure]", "visits")
    visits = _expected(national.pusat, None, "visits")
    assert {c: f for c, f in _fills(page).items() if c in visits} == visits
    page.screenshot(path=str(ARTIFACTS / "map-national-1280.png"), full_page=True)

    page.click("svg.map a[href*='wilayah=32&'] path")
    page.wait_for_selector("h1:has-text('Jawa Barat')")
    page.wait_for_selector("[data-testid=region-map][data-drawn='27']")
    fills = _fills(page)
    assert len(fills) == 27 and all(code.startswith("32.") for code in fills)
    wanted = _expected(national.pusat, "32", "kritis")
    assert set(wanted) == {"32.04", "32.71"} and len(set(wanted.values())) == 2
    for code, colour in fills.items():
        assert colour == wanted.get(code, NO_DATA), code
    page.screenshot(path=str(ARTIFACTS / "map-jabar-1280.png"), full_page=True)

    page.click("svg.map a[href*='wilayah=32.04&'] path")
    page.wait_for_selector("h1:has-text('Kabupaten Bandung')")
    assert page.query_selector("[data-testid=region-map]") is None  # no kecamatan boundaries: the table only

    phone = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID", storage_state=context.storage_state())
    phone.route("**/*", guard)
    small = phone.new_page()
    small.goto(f"{live_server.url}/pemantauan/?wilayah=32")
    small.wait_for_selector("[data-testid=region-map][data-drawn='27']")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width  # the province's map fits the phone's width
    small.locator("[data-testid=region-map]").screenshot(path=str(ARTIFACTS / "map-jabar-360.png"))
    small.goto(f"{live_server.url}/pemantauan/")
    small.wait_for_selector("[data-testid=region-map][data-drawn='38']")
    small.locator("[data-testid=region-map]").screenshot(path=str(ARTIFACTS / "map-national-360.png"))
    assert small.evaluate("document.documentElement.scrollWidth") <= 360  # the map scrolls inside its box
    assert outside == []
    assert csp == []
    phone.close()
    context.close()
