"""Reads across the registry. Everything starts from the user's reach (accounts.access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from accounts.access import kubes_for_user, region_root, sees_personal_data
from lib.personal import mask_id, mask_phone
from lib.regioncode import is_within, within_q
from registry.choices import BusinessType, DtsenStatus, Position, Stage, Status
from registry.models import Kube, Member, Officer
from registry.rules import dtsen_flag
from registry.search import COUNT_CAP, search_groups


def outside_target_q(prefix: str = "") -> Q:
    """Members outside their group's programme target (registry.rules.dtsen_flag, as a filter): not
    found in DTSEN, or found at a desil above the target, in a programme that names one."""
    target = f"{prefix}kube__programme__target_desil_max"
    return Q(**{f"{target}__isnull": False}) & (
        Q(**{f"{prefix}dtsen_status": DtsenStatus.NOT_FOUND})
        | Q(**{f"{prefix}dtsen_status": DtsenStatus.FOUND, f"{prefix}dtsen_desil__gt": F(target)}))


@dataclass
class KubeFilters:
    q: str = ""
    region: str = ""
    stage: str = ""
    status: str = ""
    programme: int | None = None
    business_type: str = ""
    pendamping: int | None = None
    health: str = ""          # monitoring's state: sehat / perhatian / kritis
    by_attention: bool = False  # most in need of attention first, instead of by name


@dataclass
class KubeList:
    """The groups a list shows, and how many when a name search counted them: `count` is exact up
    to COUNT_CAP, and None past it (`more` then says "more than COUNT_CAP")."""

    kubes: QuerySet[Kube]
    count: int | None = None
    more: bool = False
    cap: int = COUNT_CAP


def kube_search(user: Any, filters: KubeFilters) -> KubeList:
    qs = kubes_for_user(user)
    if filters.region:
        qs = qs.filter(within_q("desa_id", filters.region))
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.programme:
        qs = qs.filter(programme_id=filters.programme)
    if filters.business_type:
        qs = qs.filter(business_type=filters.business_type)
    if filters.pendamping:
        qs = qs.filter(pendamping_id=filters.pendamping)
    if filters.health:
        qs = qs.filter(state__health=filters.health)
    q = " ".join(filters.q.split())
    count, more, cap = None, False, COUNT_CAP
    if q:
        # Group name, or a member's name (active or not). Never a NIK: see nik_lookup.
        # Through the name indexes (registry/search.py), so nobody reads the country's million names.
        found = search_groups(qs, q, _area(user, filters.region), in_name_order=not filters.by_attention)
        qs = qs.filter(found.groups)
        count, more, cap = found.count, found.count is None, found.cap
    order = (F("state__health_score").desc(nulls_last=True), "name", "id") if filters.by_attention else ("name", "id")
    return KubeList(qs.order_by(*order), count, more, cap)


def _area(user: Any, region: str) -> str | None:
    """The region the user's groups, narrowed by the filter's region, all lie within ("" the
    country; None when the reach is no region: a mentor's or a member's groups)."""
    root = region_root(user)
    if root is None:
        return None
    return region if region and is_within(region, root) else root


def kube_list(user: Any, filters: KubeFilters) -> QuerySet[Kube]:
    return kube_search(user, filters).kubes


@dataclass(frozen=True)
class KubeRow:
    """One group of a list page as the table shows it, its labels already in the reader's language."""

    kube: Kube        # only LIST_COLUMNS, its desa and its health are read: another field costs a query
    members: int      # active members
    business_type: str
    stage: str
    status: str
    health: str       # "" while the group has no summary yet


LIST_COLUMNS = ("id", "name", "reg_number", "business_type", "stage", "status", "desa")


def kube_rows(ids: list[int]) -> list[KubeRow]:
    """The groups `ids` (already in reach and in the list's order) with what the list shows, in two
    queries whatever their number. Each choice's label is translated once, not once per row. Only
    the columns the table shows are read: a group's summary row has 77 (2.5 → 1.4 ms of CPU for 25
    rows)."""
    kubes = (Kube.objects.select_related("desa", "state")
             .only(*LIST_COLUMNS, "desa__code", "desa__name", "desa__kind", "desa__path", "state__kube", "state__health")
             .in_bulk(ids))
    counts = active_member_counts(ids)
    business, stages, statuses = ({value: str(label) for value, label in choices.choices}
                                  for choices in (BusinessType, Stage, Status))
    health: dict[str, str] = {}  # monitoring's words, as its summary row says them (monitoring is above)
    rows = []
    for pk in ids:
        k = kubes[pk]
        state = getattr(k, "state", None)
        if state is not None and state.health not in health:
            health[state.health] = state.get_health_display()
        rows.append(KubeRow(kube=k, members=counts.get(pk, 0), business_type=business.get(k.business_type, k.business_type),
                            stage=stages.get(k.stage, k.stage), status=statuses.get(k.status, k.status),
                            health=health[state.health] if state is not None else ""))
    return rows


def active_member_counts(kube_ids: list[int]) -> dict[int, int]:
    rows = (Member.objects.filter(kube_id__in=kube_ids, left_on__isnull=True)
            .values("kube_id").annotate(n=Count("id")).values_list("kube_id", "n"))
    return dict(rows)


def nik_lookup(user: Any, nik: str) -> list[Member]:
    """Memberships with exactly this NIK, in the user's reach (the list page's NIK search)."""
    return list(Member.objects.filter(nik=nik, kube__in=kubes_for_user(user).values("pk"))
                .select_related("kube", "kube__desa").order_by("-joined_on"))


@dataclass
class MemberRow:
    """A member as a given viewer may see them: personal data masked where needed."""

    member: Member
    nik: str
    kk_number: str
    phone: str
    position: str
    age: int
    dtsen_flag: str | None = None  # why the member is outside the programme's target desil (rules.dtsen_flag)

    @property
    def pk(self) -> int:
        return self.member.pk

    @property
    def position_label(self) -> str:
        return str(Position(self.position).label) if self.position else ""


def member_rows(user: Any, kube: Kube, *, on: date, include_left: bool = False) -> list[MemberRow]:
    qs = kube.members.select_related("user").order_by("joined_on", "id")
    if not include_left:
        qs = qs.filter(left_on__isnull=True)
    positions = dict(Officer.objects.filter(kube=kube, ended_on__isnull=True)
                     .values_list("member_id", "position"))
    rows = []
    for m in qs:
        full = sees_personal_data(user, m)
        rows.append(MemberRow(
            member=m,
            nik=m.nik if full else mask_id(m.nik),
            kk_number=m.kk_number if full else mask_id(m.kk_number),
            phone=m.phone if full else mask_phone(m.phone),
            position=positions.get(m.pk, ""),
            age=m.age_on(on),
            dtsen_flag=dtsen_flag(kube.programme, m.dtsen_status, m.dtsen_desil) if m.is_active else None,
        ))
    return rows


def current_officers(kube: Kube) -> list[Officer]:
    order = {"ketua": 0, "sekretaris": 1, "bendahara": 2}
    officers = list(kube.officers.filter(ended_on__isnull=True).select_related("member"))
    return sorted(officers, key=lambda o: order.get(o.position, 9))
