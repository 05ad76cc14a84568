"""/api/v1 for the audit trail: the administrator's page (audit/views.py) as JSON."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from accounts.access import Kind, require
from api.pagination import Page, PageParams, paginate
from api.types import Codes, Date
from audit.models import Action, AuditEntry
from lib.errors import SikubeError

router = Router(tags=["audit"])


class AuditError(SikubeError):
    pass


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor: int | None
    actor_username: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    kube: int | None
    changes: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: AuditEntry) -> int | None:
        return obj.actor_id

    @staticmethod
    def resolve_kube(obj: AuditEntry) -> int | None:
        return obj.kube_id


class AuditParams(Schema):
    user: str = Field("", max_length=150, description="Nama pengguna yang melakukan")
    kube: int | None = Field(None, ge=1, le=2**63 - 1, description="id KUBE")
    action: Annotated[str, Codes(Action, blank=True)] = Field("", description="Jenis tindakan; kosong: semua")
    date_from: Date | None = Field(None, description="Sejak tanggal (termasuk)")
    date_to: Date | None = Field(None, description="Sampai tanggal (termasuk)")


@router.get("/audit", response=Page[AuditEntryOut], summary="Jejak audit")
def list_audit(request: HttpRequest, filters: AuditParams = Query(...),  # noqa: B008
               pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    """Terbaru dulu. NIK, No. KK dan nomor HP di dalam `changes` sudah tersamar saat dicatat."""
    require(request.user, Kind.AUDIT)
    qs = AuditEntry.objects.all()
    username = filters.user.strip()
    if username:
        qs = qs.filter(actor_username=username.lower())
    if filters.kube is not None:
        qs = qs.filter(kube_id=filters.kube)
    if filters.action:
        if filters.action not in Action.values:
            raise AuditError(_("Tindakan %(a)s tidak dikenal.") % {"a": filters.action}, field="action")
        qs = qs.filter(action=filters.action)
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise AuditError(_("Tanggal akhir tidak boleh sebelum tanggal awal."), field="date_to")
    tz = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz))
    if filters.date_to:
        qs = qs.filter(at__lte=datetime.combine(filters.date_to, time.max, tzinfo=tz))
    return paginate(qs, pages, order=("-at", "-id"))
