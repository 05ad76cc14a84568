from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from api.pagination import Page, PageParams, paginate
from lib.errors import SikubeError
from lib.regioncode import normalize
from regions.models import Region
from regions.selectors import region_children, region_search

router = Router(tags=["wilayah"])


class RegionOut(Schema):
    code: str
    name: str
    kind: str
    level: int
    parent: str | None
    path: str
    postal_code: str

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent_id


@router.get("", response=Page[RegionOut], summary="Daftar wilayah")
def list_regions(request: HttpRequest, parent: str | None = None, q: str | None = None,
                 pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    """Tanpa `parent`: provinsi. Dengan `parent`: wilayah di bawahnya. `q`: cari nama (min. 3 huruf)."""
    if q:
        found = region_search(q, within=normalize(parent) if parent else "", limit=50)
        return {"count": len(found), "page": 1, "page_size": len(found), "items": found}
    code = normalize(parent) if parent is not None else None
    if parent is not None and not (code and Region.objects.filter(pk=code).exists()):
        raise SikubeError(_("Kode wilayah %(code)s tidak dikenal.") % {"code": parent},
                          code="unknown_region", field="parent")
    return paginate(region_children(code), pages, order=("code",))
