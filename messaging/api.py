"""/api/v1 for members' messages: a group's counts and the phones that keep failing. Reading needs
the group in reach; phones are masked for those who do not see personal data, as on the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from accounts.access import access_kube, sees_personal_data
from api.pagination import ObjectId
from lib.personal import mask_phone
from messaging.selectors import group_messages

router = Router(tags=["pesan kepada anggota"])


class FailingOut(Schema):
    member: int
    name: str
    phone: str
    last_error: str
    last_at: dt.datetime | None


class GroupMessagesOut(Schema):
    kube: int
    waiting: int
    sent: int
    delivered: int
    failed: int
    uncertain: int
    cancelled: int
    consenting: int
    failing: list[FailingOut]


@router.get("/groups/{kube_id}/messages", response=GroupMessagesOut,
            summary="Pesan kepada anggota KUBE: jumlah terkirim, sampai, gagal; nomor HP yang terus gagal")
def group_messages_read(request: HttpRequest, kube_id: ObjectId) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id)
    view = group_messages(kube)
    c = view.counts

    def phone(row: Any) -> str:
        number = row.member.phone
        return number if sees_personal_data(request.user, row.member) else mask_phone(number)

    return {"kube": kube.pk, "waiting": c.waiting, "sent": c.sent, "delivered": c.delivered, "failed": c.failed,
            "uncertain": c.uncertain, "cancelled": c.cancelled,
            "consenting": sum(1 for r in view.members if r.consent is not None),
            "failing": [{"member": r.member.pk, "name": r.member.name, "phone": phone(r), "last_error": r.last_error,
                         "last_at": r.last_at} for r in view.failing]}
