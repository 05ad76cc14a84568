"""Reads of the dtsen app: members by desil and status per region, the groups with members outside
their programme's target, the duplicate pairs an office may see, an extract's preview with its
members. Each in a fixed number of queries; personal data only for those who may see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from accounts.access import kubes_for_user, region_root, sees_personal_data
from dtsen.models import DuplicatePair, Extract
from lib.personal import mask_id
from lib.regioncode import level_of, within_q
from regions.models import Region
from registry.choices import DtsenStatus
from registry.duplicates import KIND_LABELS
from registry.models import Kube, Member
from registry.selectors import outside_target_q

DESILS = list(range(1, 11))
CHILD_CODE_LENGTH = {0: 2, 1: 5, 2: 8, 3: 13}  # the code length of the level under a region's level


@dataclass
class DesilRow:
    code: str
    name: str
    by_status: dict[str, int] = field(default_factory=dict)
    by_desil: dict[int, int] = field(default_factory=dict)
    outside_target: int = 0

    @property
    def members(self) -> int:
        return sum(self.by_status.values())

    @property
    def desil_cells(self) -> list[int]:
        return [self.by_desil.get(d, 0) for d in DESILS]

    def status(self, code: str) -> int:
        return self.by_status.get(code, 0)

    @property
    def found(self) -> int:
        return self.status(DtsenStatus.FOUND)

    @property
    def not_found(self) -> int:
        return self.status(DtsenStatus.NOT_FOUND)

    @property
    def unchecked(self) -> int:
        return self.status(DtsenStatus.UNCHECKED)


@dataclass
class DesilSummary:
    region: str
    region_name: str
    total: DesilRow
    children: list[DesilRow]
    outside_groups: list[tuple[Kube, int]]
    open_pairs: int


def _members_in(user: Any, region: str) -> QuerySet[Member]:
    return Member.objects.filter(left_on__isnull=True, kube__in=kubes_for_user(user).filter(
        within_q("desa_id", region)).values("pk"))


def desil_summary(user: Any, region: str, *, group_limit: int = 100) -> DesilSummary:
    """Active members by DTSEN status and desil in `region` and each region under it, the groups with
    members outside their target (most first), and the open duplicate pairs (five queries)."""
    members = _members_in(user, region)
    depth = level_of(region) if region else 0
    length = CHILD_CODE_LENGTH.get(depth)
    names = {r.code: r.name for r in Region.objects.filter(parent_id=region or None)} if length else {}
    total = DesilRow(code=region, name="")
    children: dict[str, DesilRow] = {}
    qs = members.annotate(child=Substr("kube__desa_id", 1, length or 13)).values("child", "dtsen_status",
                                                                                  "dtsen_desil")
    for row in qs.annotate(n=Count("id")).order_by():
        for target in (total, children.setdefault(row["child"], DesilRow(row["child"], names.get(row["child"], "")))):
            target.by_status[row["dtsen_status"]] = target.by_status.get(row["dtsen_status"], 0) + row["n"]
            if row["dtsen_status"] == DtsenStatus.FOUND and row["dtsen_desil"]:
                target.by_desil[row["dtsen_desil"]] = target.by_desil.get(row["dtsen_desil"], 0) + row["n"]
    outside = (members.filter(outside_target_q()).annotate(child=Substr("kube__desa_id", 1, length or 13))
               .values("child").annotate(n=Count("id")).order_by())
    for line in outside:
        total.outside_target += line["n"]
        children.setdefault(line["child"], DesilRow(line["child"], names.get(line["child"], ""))).outside_target = line["n"]
    by_group = list(members.filter(outside_target_q()).values("kube_id").annotate(n=Count("id"))
                    .order_by("-n", "kube_id")[:group_limit])
    kubes = Kube.objects.select_related("programme").in_bulk([g["kube_id"] for g in by_group])
    region_row = Region.objects.filter(pk=region).first() if region else None
    return DesilSummary(
        region=region, region_name=region_row.path if region_row else "",
        total=total, children=[children[c] for c in sorted(children)] if length else [],
        outside_groups=[(kubes[g["kube_id"]], g["n"]) for g in by_group if g["kube_id"] in kubes],
        open_pairs=pairs_for_user(user).filter(state=DuplicatePair.State.OPEN).filter(
            within_q("first__kube__desa_id", region)).count(),
    )


def pairs_for_user(user: Any) -> QuerySet[DuplicatePair]:
    """Pairs whose two memberships are both in the user's reach (a pair across two offices' areas is
    the administrator's, and counted for nobody else: neither office may see the other's member)."""
    kubes = kubes_for_user(user).values("pk")
    return DuplicatePair.objects.filter(first__kube__in=kubes, second__kube__in=kubes)


@dataclass
class Side:
    member: Member
    nik: str
    kk_number: str


@dataclass
class PairView:
    pair: DuplicatePair
    first: Side
    second: Side

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.pair.kind, self.pair.kind))

    @property
    def differing_positions(self) -> list[int]:
        """The NIK digits (1-based) that differ, for the evidence side by side."""
        a, b = self.first.nik, self.second.nik
        return [i + 1 for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]


def _side(user: Any, member: Member) -> Side:
    full = sees_personal_data(user, member)
    return Side(member=member, nik=member.nik if full else mask_id(member.nik),
                kk_number=member.kk_number if full else mask_id(member.kk_number))


def pair_views(user: Any, pairs: QuerySet[DuplicatePair]) -> list[PairView]:
    rows = pairs.select_related("first__kube__desa", "second__kube__desa", "resolved_by")
    return [PairView(pair=p, first=_side(user, p.first), second=_side(user, p.second)) for p in rows]


@dataclass
class PreviewLine:
    kind: str
    member: Member | None
    nik: str
    row: int | None
    detail: dict[str, Any]


def preview_lines(user: Any, extract: Extract) -> dict[str, list[PreviewLine]]:
    """The preview's lists with their members (one query), NIK shown as the viewer may see it."""
    preview = extract.preview
    ids = {c["member"] for key in ("new_desil", "not_found", "name_disagrees") for c in preview.get(key, [])}
    ids |= {c["member"] for c in preview.get("nik_twice", []) if c.get("member")}
    members = Member.objects.select_related("kube").in_bulk(list(ids))
    out: dict[str, list[PreviewLine]] = {}
    for key in ("new_desil", "not_found", "name_disagrees", "nik_twice"):
        lines = []
        for c in preview.get(key, []):
            member = members.get(c.get("member")) if c.get("member") else None
            nik = (member.nik if sees_personal_data(user, member) else mask_id(member.nik)) if member else ""
            row = c.get("row") or (c.get("rows") or [None])[0]
            lines.append(PreviewLine(kind=key, member=member, nik=nik, row=row, detail=c))
        out[key] = lines
    out["malformed"] = [PreviewLine(kind="malformed", member=None, nik="", row=c["row"], detail=c)
                        for c in preview.get("malformed", [])]
    return out


def extracts_for_user(user: Any) -> QuerySet[Extract]:
    """The extracts of the user's own office area (and those under it)."""
    root = region_root(user)
    if root is None:
        return Extract.objects.none()
    return Extract.objects.filter(within_q("region_code", root)) if root else Extract.objects.all()
