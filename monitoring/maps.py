"""The dashboard's map: which regions it draws and each one's value of the figure chosen on the page.

The boundaries are a static file (static/map/wilayah.json, from scripts/boundaries_convert.py); the
page hands the script (static/js/map.js) only the figures of the sub-regions it already shows in
its table, so the map and the table always agree. Provinces are drawn at the national tier and the
kabupaten/kota of a province below it; there are no kecamatan boundaries, so no map further down.

The colour classes are fixed thresholds, not quantiles, so a colour means the same in every region
and every month (the legend states them; map.js holds the same numbers).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from monitoring.selectors import APPROVED_VALUE, Dashboard, Figures

# Per figure: the thresholds between the five classes and whether higher is worse.
BINS: dict[str, tuple[list[int], bool]] = {
    "kritis": ([0, 10, 25, 50], True),    # share of groups kritis, %: 0 | <10 | 10–25 | 25–50 | ≥50
    "par30": ([0, 5, 10, 20], True),      # PAR 30, %
    "visits": ([25, 50, 75, 90], False),  # visits done / due, %: <25 | 25–50 | 50–75 | 75–90 | ≥90
}


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def values_of(f: Figures) -> dict[str, Decimal | None]:
    return {"kritis": _share(f["health_kritis"], f["groups"]), "par30": f.par30, "visits": f.visits_share}


def colour_class(figure: str, value: Decimal | float | None) -> int | None:
    """0 (best) … 4 (worst), None without data: the class map.js gives, restated for the tests."""
    if value is None:
        return None
    cuts, higher_worse = BINS[figure]
    if higher_worse:
        if value == 0:
            return 0
        return 1 + sum(1 for c in cuts[1:] if value >= c)
    return 4 - sum(1 for c in cuts if value >= c)


def _legend(figure: str) -> list[str]:
    a, b, c, d = BINS[figure][0]
    if figure == "visits":
        return [f"≥ {d} %", f"{c}–{d} %", f"{b}–{c} %", f"{a}–{b} %", f"< {a} %"]
    return ["0 %", f"< {b} %", f"{b}–{c} %", f"{c}–{d} %", f"≥ {d} %"]


def map_spec(board: Dashboard, *, period_code: str) -> str | None:
    """The JSON the page's map reads, or None below the province (no boundaries there)."""
    if board.scope.level > 1:
        return None
    figures = {
        "kritis": _("KUBE kritis (% dari KUBE)"),
        "par30": _("PAR 30 (% pinjaman)"),
        "visits": _("Kunjungan dilakukan / seharusnya (%)"),
    }
    children: dict[str, Any] = {}
    for region, f in board.children:
        values = values_of(f)
        children[region.code] = {"name": region.name, "groups": f["groups"],
                                 **{k: (float(v) if v is not None else None) for k, v in values.items()}}
    return json.dumps({
        "level": board.scope.level, "region": board.scope.code, "period": period_code,
        "angka": APPROVED_VALUE if board.approved_only else "",
        "figures": [{"key": k, "label": label, "legend": _legend(k), "cuts": BINS[k][0], "higher_worse": BINS[k][1]}
                    for k, label in figures.items()],
        "no_data": _("tanpa data"), "groups_word": _("KUBE"),
        "children": children,
    })
