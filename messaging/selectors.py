"""Reads of the messaging app: a group's counts, each member's consent, and the phones that keep
failing (for the officers to correct). The page and the API read the same dataclasses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from messaging.models import Consent, Message, Status
from registry.models import Kube, Member

# A phone "keeps failing" when the member's last this-many finished messages all failed.
FAILING_AFTER = 2
FINISHED = (Status.SENT, Status.DELIVERED, Status.FAILED)


@dataclass(frozen=True)
class Counts:
    waiting: int
    sent: int        # accepted by the gateway, delivery not (yet) reported
    delivered: int
    failed: int
    uncertain: int
    cancelled: int

    @property
    def total(self) -> int:
        return self.waiting + self.sent + self.delivered + self.failed + self.uncertain + self.cancelled


@dataclass(frozen=True)
class MemberRow:
    member: Member
    consent: Consent | None
    failing: bool
    last_error: str
    last_at: datetime | None


@dataclass(frozen=True)
class GroupMessages:
    kube: Kube
    counts: Counts
    members: list[MemberRow]

    @property
    def failing(self) -> list[MemberRow]:
        return [r for r in self.members if r.failing]


def counts_of(kube: Kube) -> Counts:
    by = dict(Message.objects.filter(kube=kube).values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return Counts(waiting=by.get(Status.PENDING, 0) + by.get(Status.SENDING, 0), sent=by.get(Status.SENT, 0),
                  delivered=by.get(Status.DELIVERED, 0), failed=by.get(Status.FAILED, 0),
                  uncertain=by.get(Status.UNCERTAIN, 0), cancelled=by.get(Status.CANCELLED, 0))


def group_messages(kube: Kube) -> GroupMessages:
    """Four queries: the counts, the members, their consents in force, their finished messages."""
    members = list(kube.members.filter(left_on__isnull=True).order_by("name", "id"))
    consents = {c.member_id: c for c in Consent.objects.filter(member__kube=kube, withdrawn_at__isnull=True)
                .select_related("recorded_by")}
    recent: dict[int, list[tuple[str, str, datetime]]] = defaultdict(list)
    rows = (Message.objects.filter(kube=kube, status__in=FINISHED).order_by("member_id", "-created_at", "-id")
            .values_list("member_id", "status", "last_error", "created_at"))
    for member_id, status, error, created in rows:
        if len(recent[member_id]) < FAILING_AFTER:
            recent[member_id].append((status, error, created))
    out = []
    for member in members:
        last = recent.get(member.pk, [])
        failing = len(last) == FAILING_AFTER and all(s == Status.FAILED for s, _e, _c in last)
        out.append(MemberRow(member=member, consent=consents.get(member.pk), failing=failing,
                             last_error=last[0][1] if failing else "", last_at=last[0][2] if last else None))
    return GroupMessages(kube=kube, counts=counts_of(kube), members=out)
