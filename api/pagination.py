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


def paginate(qs: QuerySet[Any], params: PageParams, *, order: tuple[str, ...] = ("pk",)) -> dict[str, Any]:
    """Slice an ordered queryset. A tie-breaking key keeps pages stable between calls."""
    if not qs.ordered or order != ("pk",):
        qs = qs.order_by(*order)
    start = (params.page - 1) * params.page_size
    return {
        "count": qs.count(),
        "page": params.page,
        "page_size": params.page_size,
        "items": list(qs[start:start + params.page_size]),
    }


# A path id that the database can hold: anything else is a 422, never an overflow.
ObjectId = Annotated[int, Path(ge=1, le=2**63 - 1)]
