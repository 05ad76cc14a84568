"""Reads for grants: a group's grants with their plan (RAB), what each line has spent and what
has been passed on, as one read model that the pages and the API both show.

Built in a fixed number of queries whatever the number of grants, plan lines, spends and
transfers (grants/tests/test_query_counts.py pins it): the earlier per-line `plan_spent` and
per-grant `passed_on` cost two queries a line. A reversed spend or transfer counts for nothing,
as in grants.services.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from accounts.access import sees_personal_data
from books.selectors import reversed_ids
from grants.models import Grant, OnwardTransfer, PlanLine, Spend
from lib.personal import mask_id
from registry.models import Kube


@dataclass(frozen=True)
class PlanLineView:
    id: int
    item: str
    quantity: int
    unit: str
    unit_cost: int
    total: int
    is_asset: bool
    spent: int

    @property
    def spent_percent(self) -> int:
        """Rounded to the nearest whole percent, as the page's {% widthratio %} did."""
        return round(100 * self.spent / self.total) if self.total else 0


@dataclass(frozen=True)
class RecipientView:
    name: str
    nik: str  # masked for a viewer who may not see personal data
    amount: int


@dataclass(frozen=True)
class TransferView:
    id: int
    date: dt.date
    amount: int
    recipient_kind: str
    recipient_kind_label: str
    recipient_kube: int | None
    recipient_kube_name: str
    note: str
    recipients: list[RecipientView]


@dataclass(frozen=True)
class GrantView:
    id: int
    kube: int
    name: str
    source: str
    source_label: str
    decree_number: str
    amount: int
    received_on: dt.date
    bank_name: str
    account_number: str
    account_name: str
    transaction: int
    receipt: str
    passed_on: int
    plan: list[PlanLineView] = field(default_factory=list)
    onward_transfers: list[TransferView] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return sum(line.total for line in self.plan)

    @property
    def spent(self) -> int:
        return sum(line.spent for line in self.plan)


def grant_views(viewer: Any, kube: Kube, grants: QuerySet[Grant] | None = None) -> list[GrantView]:
    """The group's grants (or those of `grants`, a queryset of this group's), oldest first.

    Six queries: the group's reversals, the grants, their plan lines, the spends, the onward
    transfers and their recipients."""
    undone = reversed_ids(kube)
    qs = grants if grants is not None else Grant.objects.filter(kube=kube)
    rows = list(qs.select_related("transaction").order_by("received_on", "id"))
    ids = [g.pk for g in rows]
    lines: dict[int, list[PlanLine]] = defaultdict(list)
    for line in PlanLine.objects.filter(grant_id__in=ids).order_by("id"):
        lines[line.grant_id].append(line)
    spent: dict[int, int] = defaultdict(int)
    for line_id, txn_id, amount in Spend.objects.filter(plan_line__grant_id__in=ids).values_list(
            "plan_line_id", "transaction_id", "transaction__amount"):
        if txn_id not in undone:
            spent[line_id] += amount
    show = sees_personal_data(viewer)
    transfers: dict[int, list[TransferView]] = defaultdict(list)
    passed: dict[int, int] = defaultdict(int)
    for t in (OnwardTransfer.objects.filter(grant_id__in=ids).select_related("transaction", "recipient_kube")
              .prefetch_related("recipients").order_by("id")):
        if t.transaction_id not in undone:
            passed[t.grant_id] += t.transaction.amount
        transfers[t.grant_id].append(TransferView(
            id=t.pk, date=t.transaction.date, amount=t.transaction.amount, recipient_kind=t.recipient_kind,
            recipient_kind_label=str(t.get_recipient_kind_display()), recipient_kube=t.recipient_kube_id,
            recipient_kube_name=t.recipient_kube.name if t.recipient_kube else "", note=t.note,
            recipients=[RecipientView(r.name, r.nik if show else mask_id(r.nik), r.amount)
                        for r in sorted(t.recipients.all(), key=lambda r: r.pk)]))
    return [GrantView(
        id=g.pk, kube=g.kube_id, name=g.name, source=g.source, source_label=str(g.get_source_display()),
        decree_number=g.decree_number, amount=g.amount, received_on=g.received_on, bank_name=g.bank_name,
        account_number=g.account_number, account_name=g.account_name, transaction=g.transaction_id,
        receipt=g.transaction.receipt, passed_on=passed[g.pk],
        plan=[PlanLineView(id=ln.pk, item=ln.item, quantity=ln.quantity, unit=ln.unit, unit_cost=ln.unit_cost,
                           total=ln.total, is_asset=ln.is_asset, spent=spent[ln.pk]) for ln in lines[g.pk]],
        onward_transfers=transfers[g.pk]) for g in rows]


def grant_view(viewer: Any, grant: Grant) -> GrantView:
    """One grant as grant_views reads it (the same six queries, the group's reversals included)."""
    return grant_views(viewer, grant.kube, Grant.objects.filter(pk=grant.pk))[0]
