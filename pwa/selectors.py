"""What a phone keeps for working without signal: only what the user's own forms need.

A treasurer's group (its name, its active members' names and their number in the Buku
Keanggotaan, the last cash balance) and a mentor's assigned groups with their members' names,
capped at CAP groups. Never a NIK, a No. KK, a phone number, an address or a member's savings:
the device may be lost, shared or inspected, and nothing on it is masked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accounts.access import Kind, kubes_for_user, may_write, role_of
from accounts.models import Role
from books.selectors import cash_balance
from registry.models import Member

CAP = 60  # groups kept on a phone; a mentor with more sees the first CAP by name and is told so
OFFLINE_ROLES = frozenset({Role.PENGURUS, Role.PENDAMPING})  # the roles whose forms work offline


@dataclass
class GroupSnapshot:
    id: int
    name: str
    books: bool  # the user keeps its books (quick entries and savings)
    visits: bool  # the user logs its visits
    cash: int | None  # cash in hand plus bank, for the group's officers only
    members: list[dict[str, Any]] = field(default_factory=list)


def offline_snapshot(user: Any) -> dict[str, Any]:
    """The snapshot for `user` (already signed in), as of now. Three queries and one per group
    whose books the user keeps (a treasurer has one)."""
    role = role_of(user)
    groups: list[GroupSnapshot] = []
    truncated = False
    if role in OFFLINE_ROLES:
        kubes = list(kubes_for_user(user).distinct().order_by("name", "id")[:CAP + 1])
        truncated = len(kubes) > CAP
        for kube in kubes[:CAP]:
            books = may_write(user, kube, Kind.BOOKS)
            groups.append(GroupSnapshot(id=kube.pk, name=kube.name, books=books,
                                        visits=may_write(user, kube, Kind.VISIT),
                                        cash=cash_balance(kube) if books else None))
        by_id = {g.id: g for g in groups}
        members = (Member.objects.filter(kube_id__in=by_id, left_on__isnull=True)
                   .order_by("kube_id", "joined_on", "id").values_list("kube_id", "id", "name"))
        for kube_id, member_id, name in members:
            group = by_id[kube_id]
            group.members.append({"id": member_id, "name": name, "number": len(group.members) + 1})
    return {"user": user.pk, "role": role, "as_of": timezone.now(), "cap": CAP, "truncated": truncated,
            "groups": groups}
