from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lib.regioncode import normalize
from regions.forms import picker_context
from regions.selectors import region_search


def _bounded(raw: str | None, default: int) -> int:
    try:
        return min(4, max(1, int(raw or default)))
    except ValueError:
        return default


def _name(request: HttpRequest) -> str:
    name = request.GET.get("field", "region")
    return name if name.replace("_", "").replace("-", "").isalnum() and len(name) <= 40 else "region"


@login_required
@require_GET
def picker(request: HttpRequest) -> HttpResponse:
    """Re-draw the picker after a choice: `_rp_<field>` holds the deepest chosen code."""
    name = _name(request)
    code = normalize(request.GET.get(f"_rp_{name}", ""))
    context = picker_context(
        name, code,
        max_level=_bounded(request.GET.get("max"), 4),
        min_level=_bounded(request.GET.get("min"), 4),
        root=normalize(request.GET.get("root", "")),
    )
    return render(request, "regions/picker_inner.html", {"picker": context})


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    name = _name(request)
    max_level = _bounded(request.GET.get("max"), 4)
    min_level = _bounded(request.GET.get("min"), 4)
    root = normalize(request.GET.get("root", ""))
    found = [r for r in region_search(request.GET.get("_rp_q", ""), within=root, limit=30)
             if min_level <= r.level <= max_level][:15]
    return render(request, "regions/search_results.html", {
        "results": found, "name": name, "max_level": max_level, "min_level": min_level,
        "root": root, "q": request.GET.get("_rp_q", ""),
    })
