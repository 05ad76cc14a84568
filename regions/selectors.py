from __future__ import annotations

from django.db.models import QuerySet

from regions.models import Region, search_key_for


def kecamatan_exists(code: str) -> bool:
    """Whether a kecamatan of this code is in the table (a NIK's first six digits name one)."""
    return Region.objects.filter(pk=code, level=3).exists()


def region_children(parent: str | None) -> QuerySet[Region]:
    qs = Region.objects.filter(is_active=True)
    if parent:
        return qs.filter(parent_id=parent).order_by("code")
    return qs.filter(level=1).order_by("code")


def region_search(q: str, *, level: int | None = None, within: str = "", limit: int = 20) -> list[Region]:
    """Regions whose name starts with, then contains, the typed text (desa first when no level)."""
    key = search_key_for(q)
    if len(key) < 3:
        return []
    qs = Region.objects.filter(is_active=True)
    if level:
        qs = qs.filter(level=level)
    if within:
        from lib.regioncode import within_q

        qs = qs.filter(within_q("code", within))
    found = list(qs.filter(search_key__startswith=key).order_by("level", "search_key", "code")[:limit])
    if len(found) < limit:
        seen = {r.code for r in found}
        more = qs.filter(search_key__contains=key).order_by("level", "search_key", "code")[: limit * 2]
        found += [r for r in more if r.code not in seen][: limit - len(found)]
    return found
