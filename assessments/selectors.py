"""Reads for capacity assessment: a session's results, a comparison with an earlier session,
and the regional roll-up over the groups' latest assessments."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, OuterRef, QuerySet, Subquery

from assessments.models import (
    Assessment,
    Domain,
    DomainResult,
    HistoryEvent,
    Instrument,
    InstrumentVersion,
    Item,
    ItemResult,
    Participant,
    Priority,
)

# --- a group's sessions, as the list page and the API show them ---------------------------------

@dataclass(frozen=True)
class ParticipantView:
    id: int
    member: int
    name: str


@dataclass(frozen=True)
class HistoryView:
    when: str
    event: str


@dataclass(frozen=True)
class DomainMeanView:
    number: int
    name: str
    mean: Decimal


@dataclass(frozen=True)
class SessionView:
    """One PEKA session with who took part, the history timeline, the domain means and how
    many characteristics came out weak."""

    id: int
    kube: int
    version: int
    instrument: str  # the instrument and its version, "PEKA KUBE v1"
    date: dt.date
    mode: str
    place: str
    facilitator_name: str
    reflection: str
    participants: list[ParticipantView]
    history: list[HistoryView]
    means: list[DomainMeanView]
    weak_count: int

    @property
    def participant_count(self) -> int:
        return len(self.participants)


def session_views(sessions: QuerySet[Assessment] | list[Assessment]) -> list[SessionView]:
    """`sessions` (a queryset, or a page already read) in their order, in five queries whatever
    their number: the sessions, participants, history, domain means and weak counts (three a
    session before)."""
    rows = list(sessions.select_related("version__instrument")) if isinstance(sessions, QuerySet) else sessions
    ids = [a.pk for a in rows]
    people: dict[int, list[ParticipantView]] = defaultdict(list)
    for p in Participant.objects.filter(assessment_id__in=ids).select_related("member").order_by("id"):
        people[p.assessment_id].append(ParticipantView(p.pk, p.member_id, p.member.name))
    history: dict[int, list[HistoryView]] = defaultdict(list)
    for h in HistoryEvent.objects.filter(assessment_id__in=ids).order_by("position", "id"):
        history[h.assessment_id].append(HistoryView(h.when, h.event))
    means: dict[int, list[DomainMeanView]] = defaultdict(list)
    for r in DomainResult.objects.filter(assessment_id__in=ids).select_related("domain").order_by("domain__number"):
        means[r.assessment_id].append(DomainMeanView(r.domain.number, r.domain.name, r.mean))
    weak = dict(ItemResult.objects.filter(assessment_id__in=ids, weak=True).order_by().values("assessment_id")
                .annotate(n=Count("id")).values_list("assessment_id", "n"))
    return [SessionView(
        id=a.pk, kube=a.kube_id, version=a.version_id, instrument=str(a.version), date=a.date, mode=a.mode,
        place=a.place, facilitator_name=a.facilitator_name, reflection=a.reflection, participants=people[a.pk],
        history=history[a.pk], means=means[a.pk], weak_count=weak.get(a.pk, 0)) for a in rows]


def session_view(assessment: Assessment) -> SessionView:
    """One session as session_views reads it."""
    return session_views(Assessment.objects.filter(pk=assessment.pk))[0]


@dataclass
class ItemRow:
    item: Item
    mean: Decimal | None
    scores: int
    weak: bool


@dataclass
class DomainRow:
    domain: Domain
    mean: Decimal | None
    items: list[ItemRow] = field(default_factory=list)


@dataclass
class Results:
    assessment: Assessment
    domains: list[DomainRow]
    participants: int
    scored: int  # items with at least one score

    @property
    def items(self) -> list[ItemRow]:
        return [row for d in self.domains for row in d.items]

    @property
    def weak(self) -> list[ItemRow]:
        """Weak items, weakest first (ties by item number)."""
        return sorted((r for r in self.items if r.weak), key=lambda r: (r.mean, r.item.number))

    @property
    def strong(self) -> list[ItemRow]:
        """Items at or above the standard, strongest first."""
        return sorted((r for r in self.items if r.mean is not None and not r.weak),
                      key=lambda r: (-(r.mean or 0), r.item.number))

    @property
    def weak_by_number(self) -> list[ItemRow]:
        """Seed 003's Tabel 2 lists the characteristics in the instrument's order."""
        return sorted(self.weak, key=lambda r: r.item.number)

    @property
    def strong_by_number(self) -> list[ItemRow]:
        return sorted(self.strong, key=lambda r: r.item.number)

    @property
    def complete(self) -> bool:
        return self.scored == len(self.items)


def results(assessment: Assessment) -> Results:
    version = assessment.version
    means = {r.item_id: r for r in assessment.item_results.all()}
    domain_means = dict(assessment.domain_results.values_list("domain_id", "mean"))
    domains = []
    for domain in version.domains.prefetch_related("items"):
        row = DomainRow(domain, domain_means.get(domain.pk))
        for item in domain.items.all():
            r = means.get(item.pk)
            row.items.append(ItemRow(item, r.mean if r else None, r.scores if r else 0, bool(r and r.weak)))
        domains.append(row)
    return Results(assessment, domains, assessment.participants.count(), len(means))


@dataclass
class CompareRow:
    number: int
    text: str
    before: Decimal | None
    after: Decimal | None
    weak_before: bool
    weak_after: bool

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class Comparison:
    later: Assessment
    earlier: Assessment
    items: list[CompareRow]
    domains: list[CompareRow]
    participants_before: int
    participants_after: int

    @property
    def left_weak(self) -> list[CompareRow]:
        """Items that were weak before and are not any more."""
        return [r for r in self.items if r.weak_before and r.after is not None and not r.weak_after]


def comparison(later: Assessment, earlier: Assessment) -> Comparison:
    """Before and after, matched by item and domain number (the two may use different versions)."""
    def by_number(a: Assessment) -> tuple[dict[int, ItemResult], dict[int, DomainResult]]:
        return ({r.item.number: r for r in a.item_results.select_related("item")},
                {r.domain.number: r for r in a.domain_results.select_related("domain")})

    before_items, before_domains = by_number(earlier)
    after_items, after_domains = by_number(later)
    items = []
    for item in later.version.items.order_by("number"):
        b, a = before_items.get(item.number), after_items.get(item.number)
        items.append(CompareRow(item.number, item.text, b.mean if b else None, a.mean if a else None,
                                bool(b and b.weak), bool(a and a.weak)))
    domains = []
    for domain in later.version.domains.order_by("number"):
        db, da = before_domains.get(domain.number), after_domains.get(domain.number)
        domains.append(CompareRow(domain.number, domain.name, db.mean if db else None, da.mean if da else None,
                                  False, False))
    return Comparison(later, earlier, items, domains, earlier.participants.count(), later.participants.count())


def previous_of(assessment: Assessment) -> Assessment | None:
    """The group's last earlier session on the same instrument (any version)."""
    return (Assessment.objects.filter(kube_id=assessment.kube_id, version__instrument_id=assessment.version.instrument_id)
            .exclude(pk=assessment.pk).filter(date__lte=assessment.date).exclude(date=assessment.date,
                                                                                 id__gt=assessment.pk)
            .order_by("-date", "-id").first())


def latest_assessments(kubes: QuerySet[Any], instrument_id: int) -> QuerySet[Assessment]:
    """Each group's latest session on the instrument."""
    newest = (Assessment.objects.filter(kube_id=OuterRef("kube_id"), version__instrument_id=instrument_id)
              .order_by("-date", "-id").values("pk")[:1])
    return Assessment.objects.filter(kube__in=kubes.values("pk"), version__instrument_id=instrument_id,
                                     pk=Subquery(newest))


@dataclass
class Rollup:
    groups: int
    domains: list[tuple[int, str, Decimal | None]]
    weak_items: list[tuple[int, str, int]]  # item number, text, how many groups have it weak


def rollup(kubes: QuerySet[Any], instrument_id: int, *, top: int = 10) -> Rollup:
    """Mean domain scores over the groups' latest assessments, and the items most often weak."""
    latest = latest_assessments(kubes, instrument_id).values("pk")
    groups = latest_assessments(kubes, instrument_id).count()
    means = dict(DomainResult.objects.filter(assessment__in=latest).values("domain__number")
                 .annotate(m=Avg("mean")).values_list("domain__number", "m"))
    newest = InstrumentVersion.objects.filter(instrument_id=instrument_id).order_by("-number").first()
    names = dict(newest.domains.values_list("number", "name")) if newest else {}
    domain_rows = [(n, names.get(n, str(n)), Decimal(str(means[n])).quantize(Decimal("0.01"))
                    if means.get(n) is not None else None) for n in sorted(set(names) | set(means))]
    weak = (ItemResult.objects.filter(assessment__in=latest, weak=True).values("item__number", "item__text")
            .annotate(n=Count("id")).order_by("-n", "item__number")[:top])
    return Rollup(groups, domain_rows, [(r["item__number"], r["item__text"], r["n"]) for r in weak])


def priorities_of(assessment: Assessment) -> list[Priority]:
    return list(assessment.priorities.select_related("item").order_by("rank"))


def region_groups(user: Any, code: str | None) -> tuple[str, QuerySet[Any], Instrument]:
    """The groups of a region in the user's reach (the whole reach without a code), and the
    instrument the roll-up is about. Outside the reach, or without an instrument: Http404."""
    from django.http import Http404

    from accounts.access import access_region, kubes_for_user, require_office
    from assessments.instrument import CODE
    from lib.regioncode import within_q

    code = access_region(user, code or require_office(user))
    instrument = Instrument.objects.filter(code=CODE).first() or Instrument.objects.first()
    if instrument is None:
        raise Http404
    kubes = kubes_for_user(user)
    if code:
        kubes = kubes.filter(within_q("desa_id", code))
    return code, kubes, instrument
