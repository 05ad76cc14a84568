"""The JSON a <canvas class="chart"> carries for static/js/charts.js (no inline script: the CSP)."""

from __future__ import annotations

import json
from typing import Any


def chart_json(kind: str, labels: list[str], series: list[tuple[str, list[Any]]], **extra: Any) -> str:
    """kind: radar | line | bar | doughnut; series: (name, values) with None for a missing value;
    extra: top (radar scale), stacked, horizontal, colours, height (px)."""
    return json.dumps({"type": kind, "labels": labels, **extra,
                       "series": [{"name": name, "values": [float(v) if v is not None else None for v in values]}
                                  for name, values in series]})
