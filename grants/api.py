"""/api/v1 for grants: record (offices), plan, realisation and onward transfer (the group's officers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as Reply

from accounts.access import Kind, access_child, access_kube, body_ref
from api.pagination import ObjectId
from api.types import Codes, Date, Filled, Flag, Money
from grants.errors import GrantsError
from grants.models import Grant, GrantSource, RecipientKind
from grants.selectors import GrantView, grant_view, grant_views
from grants.services import grant_record, grant_spend, onward_transfer, plan_set

router = Router(tags=["bantuan"])


class PlanLineOut(Schema):
    id: int
    item: str
    quantity: int
    unit: str
    unit_cost: int
    total: int
    is_asset: bool
    spent: int


class RecipientOut(Schema):
    name: str
    nik: str
    amount: int


class TransferOut(Schema):
    id: int
    date: dt.date
    amount: int
    recipient_kind: str
    recipient_kube: int | None
    note: str
    recipients: list[RecipientOut]


class GrantOut(Schema):
    id: int
    kube: int
    name: str
    source: str
    decree_number: str
    amount: int
    received_on: dt.date
    bank_name: str
    account_number: str
    account_name: str
    transaction: int
    passed_on: int
    plan: list[PlanLineOut]
    onward_transfers: list[TransferOut]


class GrantIn(Schema):
    name: Annotated[str, Filled(150)]
    source: Annotated[str, Codes(GrantSource)]
    decree_number: str = Field(..., max_length=100)
    amount: Money = Field(...)
    received_on: Date
    bank_name: str = Field(..., max_length=60)
    account_number: str = Field(..., max_length=40)
    account_name: str = Field(..., max_length=150)


class PlanLineIn(Schema):
    item: str = Field(..., max_length=200)
    quantity: int = Field(1, ge=1, le=1_000_000)
    unit: str = Field("paket", max_length=20)
    unit_cost: Money = Field(...)
    is_asset: Flag = False


class PlanIn(Schema):
    lines: list[PlanLineIn] = Field(..., max_length=200)


class SpendIn(Schema):
    plan_line: int = Field(..., ge=1, le=2**63 - 1)
    amount: Money = Field(...)
    description: str = Field("", max_length=250)
    date: Date | None = None
    location: str = Field("", max_length=150)


class RecipientIn(Schema):
    name: str = Field(..., max_length=150)
    nik: str = Field("", max_length=20)
    amount: Money = Field(...)


class OnwardIn(Schema):
    recipient_kind: Annotated[str, Codes(RecipientKind)]
    recipient_kube: int | None = Field(None, ge=1, le=2**63 - 1)
    recipients: list[RecipientIn] = Field(..., max_length=200)
    date: Date | None = None
    note: str = Field("", max_length=250)


def _grant_in_reach(request: HttpRequest, grant_id: int, *, write: Kind | None = None) -> Grant:
    return access_child(request.user, Grant.objects.select_related("kube"), grant_id, write=write)


@router.get("/groups/{kube_id}/grants", response=list[GrantOut], summary="Bantuan stimulan KUBE")
def list_grants(request: HttpRequest, kube_id: ObjectId) -> list[GrantView]:
    kube = access_kube(request.user, kube_id)
    return grant_views(request.user, kube)


@router.post("/groups/{kube_id}/grants", response={201: GrantOut}, summary="Catat bantuan yang diterima")
def create_grant(request: HttpRequest, kube_id: ObjectId, payload: GrantIn) -> Reply[GrantView]:
    kube = access_kube(request.user, kube_id, write=Kind.GRANT)
    grant = grant_record(actor=request.user, kube=kube, **payload.dict())
    return Reply(201, grant_view(request.user, grant))


@router.get("/grants/{grant_id}", response=GrantOut, summary="Satu bantuan dengan RAB dan perguliran")
def get_grant(request: HttpRequest, grant_id: ObjectId) -> GrantView:
    return grant_view(request.user, _grant_in_reach(request, grant_id))


@router.put("/grants/{grant_id}/plan", response=GrantOut, summary="Tetapkan RAB")
def set_plan(request: HttpRequest, grant_id: ObjectId, payload: PlanIn) -> GrantView:
    grant = _grant_in_reach(request, grant_id, write=Kind.GRANT)
    plan_set(actor=request.user, grant=grant,
             lines=[(ln.item, ln.quantity, ln.unit, ln.unit_cost, ln.is_asset) for ln in payload.lines])
    return grant_view(request.user, grant)


@router.post("/grants/{grant_id}/spends", response={201: GrantOut}, summary="Catat realisasi bantuan")
def spend(request: HttpRequest, grant_id: ObjectId, payload: SpendIn) -> Reply[GrantView]:
    grant = _grant_in_reach(request, grant_id, write=Kind.BOOKS)
    line = body_ref(request.user, grant.plan_lines.all(), payload.plan_line, field="plan_line",
                    label=_("Baris RAB bantuan ini"), error=GrantsError)
    grant_spend(actor=request.user, plan_line=line, amount=payload.amount, description=payload.description,
                date=payload.date, location=payload.location)
    return Reply(201, grant_view(request.user, grant))


@router.post("/grants/{grant_id}/onward-transfers", response={201: GrantOut}, summary="Catat perguliran")
def onward(request: HttpRequest, grant_id: ObjectId, payload: OnwardIn) -> Reply[GrantView]:
    grant = _grant_in_reach(request, grant_id, write=Kind.BOOKS)
    recipient_kube = None
    if payload.recipient_kube is not None:
        recipient_kube = access_kube(request.user, payload.recipient_kube)
    onward_transfer(actor=request.user, grant=grant, recipient_kind=payload.recipient_kind,
                    recipients=[(r.name, r.nik, r.amount) for r in payload.recipients], date=payload.date,
                    recipient_kube=recipient_kube, note=payload.note)
    return Reply(201, grant_view(request.user, grant))
