"""One pagination shape for every list in the API: stable order, page numbers."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Path, Query, Schema

T = TypeVar("T")

MAX_PAGE_SIZE = 200


class PageParams(Schema):
    page: int = Query(1, ge=1, le=1_000_000, description="Halaman, mulai dari 1")  # type: ignore[assignment]
    page_size: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="Baris per halaman")  # type: ignore[assignment]


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    items: list[T]


def paginate(qs: QuerySet[Any], params: PageParams, *, order: tuple[str, ...] = ("pk",),
             count: int | None = None, cap: int | None = None) -> dict[str, Any]:
    """Slice an ordered queryset. A tie-breaking key keeps pages stable between calls.

    `count`: the rows already counted (a name search counts as it searches); `cap`: there are
    more than `cap` rows and nobody counted further (registry.search.COUNT_CAP), so `count` says
    `cap`, `more` is true, and the pages end at the cap's row, as the list page's do."""
    if not qs.ordered or order != ("pk",):
        qs = qs.order_by(*order)
    start = (params.page - 1) * params.page_size
    stop = start + params.page_size if cap is None else min(start + params.page_size, cap)
    return {
        "count": cap if cap is not None else qs.count() if count is None else count,
        "more": cap is not None,
        "page": params.page,
        "page_size": params.page_size,
        "items": list(qs[start:stop]) if stop > start else [],
    }


# A path id that the database can hold: anything else is a 422, never an overflow.
ObjectId = Annotated[int, Path(ge=1, le=2**63 - 1)]
