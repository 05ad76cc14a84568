"""Reads for mentoring: the mentor's workspace (attention list), a group's visit history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from accounts.access import kube_scope_q
from lib.periods import add_months
from mentoring.models import AssistanceEvent, EventKube, EventParticipant, FollowUp, Visit
from registry.models import Kube

VISIT_EVERY_MONTHS = 1  # a group is visited monthly by default (seed 003: every first week)


@dataclass
class WorkspaceRow:
    kube: Kube
    last_visit: date | None
    next_due: date
    last_audit: date | None
    open_follow_ups: int
    overdue_follow_ups: int
    overdue_days: int = 0
    attention: int = 0
    reasons: list[str] = field(default_factory=list)
    health: str = "sehat"  # monitoring's early warning: the one word every page uses for the group

    @property
    def health_label(self) -> str:
        from monitoring.models import Health

        return str(Health(self.health).label)

    @property
    def needs_attention(self) -> bool:
        from monitoring.models import Health

        return self.health in (Health.ATTENTION, Health.CRITICAL)

    @property
    def order(self) -> tuple[int, int, date, str, int]:
        """Kritis first, then perlu perhatian, then sehat (the early warning's word, as the office
        sees it); within each, the mentor's own urgency (overdue visits and follow-ups)."""
        rank = {"kritis": 0, "perhatian": 1}.get(self.health, 2)
        return (rank, -self.attention, self.next_due, self.kube.name, self.kube.pk)


def workspace(kubes: QuerySet[Kube], *, today: date) -> list[WorkspaceRow]:
    """The mentor's groups, those that need attention first. The group's state (sehat / perlu
    perhatian / kritis) is monitoring's early warning, the same word the office dashboard shows;
    within a state, overdue visits and follow-ups and the warning's other reasons order the list.

    Six queries whatever the number of groups.
    """
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    groups = list(kubes.exclude(status="bubar").select_related("desa").order_by("name", "id"))
    ids = [k.pk for k in groups]
    last_visit = dict(Visit.objects.filter(kube_id__in=ids).values("kube_id").annotate(d=Max("date"))
                      .values_list("kube_id", "d"))
    last_audit = dict(Visit.objects.filter(kube_id__in=ids, audits__checked=True).values("kube_id")
                      .annotate(d=Max("date")).values_list("kube_id", "d"))
    follow = {r["kube_id"]: r for r in FollowUp.objects.filter(kube_id__in=ids, closed_on__isnull=True)
              .values("kube_id").annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))}
    # The early warning (monitoring): its reasons other than the visit and audit ones counted here.
    from monitoring.health import reason_text
    from monitoring.models import GroupState

    warnings: dict[int, list[Any]] = {}
    health: dict[int, str] = {}
    for k, reasons, state in GroupState.objects.filter(kube_id__in=ids).values_list("kube_id", "reasons", "health"):
        warnings[k] = [r for r in reasons if r[0] not in ("no_visit", "no_audit", "stagnant")]
        health[k] = state
    rows = []
    for kube in groups:
        seen = last_visit.get(kube.pk)
        due = add_months(seen, VISIT_EVERY_MONTHS) if seen else kube.formed_on
        f = follow.get(kube.pk, {"open": 0, "overdue": 0})
        late = (today - due).days
        row = WorkspaceRow(kube, seen, due, last_audit.get(kube.pk), f["open"], f["overdue"], max(late, 0),
                           health=health.get(kube.pk, "sehat"))
        if late > 0:
            row.attention += 10 + late // 7
            row.reasons.append(ngettext("Kunjungan terlambat %(d)s hari", "Kunjungan terlambat %(d)s hari", late)
                               % {"d": late} if seen else _("Belum pernah dikunjungi"))
        if row.overdue_follow_ups:
            row.attention += 5 * row.overdue_follow_ups
            row.reasons.append(ngettext("%(n)s tindak lanjut lewat batas waktu", "%(n)s tindak lanjut lewat batas waktu",
                                        row.overdue_follow_ups) % {"n": row.overdue_follow_ups})
        if kube.status == "stagnan":
            row.attention += 8
            row.reasons.append(_("KUBE berstatus stagnan"))
        audit = last_audit.get(kube.pk)
        if audit is None or (today - audit).days > 90:
            row.attention += 3
            row.reasons.append(_("Buku belum diperiksa dalam 3 bulan"))
        for code, points, params in warnings.get(kube.pk, []):
            row.attention += points
            row.reasons.append(reason_text(code, params))
        rows.append(row)
    rows.sort(key=lambda r: r.order)
    return rows


# monitoring.models.Health's codes for a group that needs attention, read through the Kube's
# `state` relation without importing monitoring (it reads the domain apps, not the other way).
ATTENTION_HEALTH = ("perhatian", "kritis")


@dataclass(frozen=True)
class MentorLoad:
    """One mentor in an office's overview: the groups they follow within the office's reach that
    are not dissolved, and how many of those the early warning marks perlu perhatian or kritis
    (the count of WorkspaceRow.needs_attention in their workspace)."""

    mentor: Any
    groups: int
    attention: int

    @property
    def id(self) -> int:
        return int(self.mentor.pk)

    @property
    def username(self) -> str:
        return str(self.mentor.username)

    @property
    def full_name(self) -> str:
        return str(self.mentor.full_name)


def mentor_loads(mentors: list[Any], kubes: QuerySet[Kube]) -> list[MentorLoad]:
    """`mentors` (already read, in their order) with their load among `kubes`: one query for
    all of them, where a workspace per mentor cost five."""
    counts = {row["pendamping_id"]: row for row in (
        kubes.filter(pendamping_id__in=[m.pk for m in mentors]).exclude(status="bubar")
        .order_by().values("pendamping_id")
        .annotate(groups=Count("pk"), attention=Count("pk", filter=Q(state__health__in=ATTENTION_HEALTH))))}
    empty = {"groups": 0, "attention": 0}
    return [MentorLoad(m, counts.get(m.pk, empty)["groups"], counts.get(m.pk, empty)["attention"]) for m in mentors]


def visit_history(kube: Kube) -> QuerySet[Visit]:
    return (kube.visits.select_related("pendamping").prefetch_related("audits", "follow_ups__person", "photos")
            .order_by("date", "id"))


def events_in_reach(user: Any) -> QuerySet[AssistanceEvent]:
    """Events held in the user's region, or attended by a group the user can see."""
    from accounts.access import kubes_for_user, region_root
    from lib.regioncode import within_q

    qs = AssistanceEvent.objects.filter(participations__kube__in=kubes_for_user(user).values("pk"))
    root = region_root(user)
    if root is not None:
        qs = qs | AssistanceEvent.objects.filter(within_q("kabupaten_id", root))
    return qs.distinct()


def event_participations(event: AssistanceEvent, viewer: Any) -> QuerySet[EventKube]:
    """The groups of an event that `viewer` may see: a member of one group attending an event
    sees their own group there, not who came from the others (an office sees its region's)."""
    from accounts.access import kube_scope_q

    return event.participations.filter(kube_scope_q(viewer)).select_related("kube", "kube__desa").order_by("id")


def event_participants(event: AssistanceEvent, viewer: Any) -> QuerySet[EventParticipant]:
    """The named participants of an event from the groups `viewer` may see."""
    from accounts.access import kube_scope_q

    return event.participants.filter(kube_scope_q(viewer)).order_by("id")


def event_scope_prefetches(viewer: Any) -> list[Prefetch[Any]]:
    """Prefetches that read, for a page of events at once, what event_participations and
    event_participants read for one (the groups `viewer` may see and their named participants),
    into `seen_participations` and `seen_participants`: two queries for the page, not two an event."""
    return [
        Prefetch("participations", to_attr="seen_participations", queryset=EventKube.objects.filter(
            kube_scope_q(viewer)).select_related("kube", "kube__desa").order_by("id")),
        Prefetch("participants", to_attr="seen_participants",
                 queryset=EventParticipant.objects.filter(kube_scope_q(viewer)).order_by("id")),
    ]


def participant_names(event: AssistanceEvent, viewer: Any) -> dict[int, list[str]]:
    """The named participants of an event, per group, of the groups `viewer` may see."""
    names: dict[int, list[str]] = {}
    for kube_id, name in event_participants(event, viewer).values_list("kube_id", "name"):
        names.setdefault(kube_id, []).append(name)
    return names
