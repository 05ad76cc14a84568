"""Computing the summary rows from the raw records.

The same compute and write functions serve both ways of keeping them: `refresh_groups()` for the
groups a drain of the outbox took (monitoring/drain.py: after the writers committed, not inside
their transactions), and `rebuild()` for every group in chunks. So the incremental and the rebuilt
rows can only differ when a write path forgot to announce itself (outbox.services.record), which
`monitoring_rebuild --check` (and a property test) would catch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from approval import rollup
from approval.models import Lpj
from assessments.models import Assessment, DomainResult
from books.models import Activity, ActivityAttendance, Line, Loan, PeriodClose, Transaction
from books.models.ledger import AccountRole, AccountType
from books.selectors import portfolio
from lib.periods import period_of, shift
from mentoring.models import BookAudit, EventKube, Visit
from monitoring.classification import classify, evidence_from
from monitoring.figures import state_figures
from monitoring.health import assess, unclosed_months
from monitoring.models import (
    DTSEN_FIELDS,
    MONTH_FIELDS,
    TARGET_FIELDS,
    ClassCheck,
    GroupMonth,
    GroupState,
    KabupatenApprovedMonth,
    KabupatenMonth,
    KabupatenState,
)
from regions.models import Region
from registry.choices import DtsenStatus
from registry.models import Kube, Member, Officer
from registry.selectors import outside_target_q

SIX_MONTHS = 182


def codes(desa: str) -> dict[str, str]:
    return {"prov": desa[:2], "kab": desa[:5], "kec": desa[:8], "desa": desa}


# --- months ----------------------------------------------------------------------------------------

def compute_months(kube_ids: Sequence[int], periods: Iterable[int] | None = None) -> dict[tuple[int, int], dict[str, int]]:
    """{(kube, period): flows} for the groups (and months) given, from the ledger, visits and meetings."""
    wanted = sorted(set(periods)) if periods is not None else None
    rows: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(MONTH_FIELDS, 0))

    def in_months(qs: Any, field: str = "date") -> Any:
        if wanted is None:
            return qs
        q = Q()
        for p in wanted:
            q |= Q(**{f"{field}__year": p // 100, f"{field}__month": p % 100})
        return qs.filter(q)

    lines = (in_months(Line.objects.filter(kube_id__in=kube_ids))
             .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
             .values("kube_id", "y", "m", "account__type", "account__role")
             .annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    for r in lines:
        row = rows[(r["kube_id"], r["y"] * 100 + r["m"])]
        d, c, kind, role = r["d"] or 0, r["c"] or 0, r["account__type"], r["account__role"]
        if kind == AccountType.INCOME:
            row["revenue"] += c - d
        elif kind == AccountType.EXPENSE:
            row["expense"] += d - c
        if kind in (AccountType.EQUITY, AccountType.INCOME, AccountType.EXPENSE):
            row["capital_delta"] += c - d
        if role == AccountRole.GRANT_CAPITAL:
            row["grant_in"] += c - d
        elif role == AccountRole.ONWARD:
            row["onward_out"] += d - c
        elif role == AccountRole.IKS:
            row["iks_in"] += c
            row["iks_out"] += d
        elif role == AccountRole.SAVINGS:
            row["savings_in"] += c
            row["savings_out"] += d
        elif role == AccountRole.LOANS:
            row["loans_out"] += d
            row["loans_in"] += c
    txns = Transaction.objects.filter(kube_id__in=kube_ids)
    if wanted is not None:
        txns = txns.filter(period__in=wanted)
    for r in txns.values("kube_id", "period").annotate(n=Count("id")).order_by():
        rows[(r["kube_id"], r["period"])]["entries"] += r["n"]
    # Visits and their attendance from the visit rows alone; the audited visits in a query of their
    # own. One query joining the audit rows would count (and sum) each visit once per book audited.
    visits = in_months(Visit.objects.filter(kube_id__in=kube_ids)).annotate(y=ExtractYear("date"),
                                                                            m=ExtractMonth("date"))
    for r in (visits.values("kube_id", "y", "m")
              .annotate(n=Count("id"), present=Sum("members_present"), active=Sum("members_active")).order_by()):
        row = rows[(r["kube_id"], r["y"] * 100 + r["m"])]
        row["visits"] += r["n"]
        row["visit_present"] += r["present"] or 0
        row["visit_active"] += r["active"] or 0
    audited = visits.filter(pk__in=BookAudit.objects.filter(checked=True).values("visit_id"))
    for r in audited.values("kube_id", "y", "m").annotate(n=Count("id")).order_by():
        rows[(r["kube_id"], r["y"] * 100 + r["m"])]["audits"] += r["n"]
    meetings = (in_months(Activity.objects.filter(kube_id__in=kube_ids))
                .annotate(y=ExtractYear("date"), m=ExtractMonth("date")).values("kube_id", "y", "m")
                .annotate(n=Count("id")).order_by())
    for r in meetings:
        rows[(r["kube_id"], r["y"] * 100 + r["m"])]["meetings"] += r["n"]
    attendance = (in_months(ActivityAttendance.objects.filter(activity__kube_id__in=kube_ids), "activity__date")
                  .annotate(y=ExtractYear("activity__date"), m=ExtractMonth("activity__date"))
                  .values("activity__kube_id", "y", "m")
                  .annotate(n=Count("id"), present=Count("id", filter=Q(present=True))).order_by())
    for r in attendance:
        row = rows[(r["activity__kube_id"], r["y"] * 100 + r["m"])]
        row["meeting_recorded"] += r["n"]
        row["meeting_present"] += r["present"]
    return {k: v for k, v in rows.items() if any(v.values())}


@dataclass(frozen=True)
class MonthRows:
    """Computed month rows of some groups, for all their months (periods None) or the ones listed."""

    kube_ids: list[int]
    periods: list[int] | None
    rows: list[GroupMonth]


def approved_months(kube_ids: Sequence[int], periods: Iterable[int] | None = None) -> set[tuple[int, int]]:
    """The (group, month) pairs whose LPJ is approved at the top of its chain."""
    qs = Lpj.objects.filter(kube_id__in=kube_ids, approved_at__isnull=False)
    if periods is not None:
        qs = qs.filter(period__in=list(periods))
    return set(qs.values_list("kube_id", "period"))


def mark_approved(periods: Iterable[int] | None = None) -> int:
    """Set the month rows' approval flags from the chain's rows, set-based (two statements): for the
    set-based rebuild, and approvals written in bulk (`refresh_approved`). Returns the rows flagged."""
    approved = Lpj.objects.filter(kube_id=OuterRef("kube_id"), period=OuterRef("period"), approved_at__isnull=False)
    rows = GroupMonth.objects.all() if periods is None else GroupMonth.objects.filter(period__in=list(periods))
    rows.filter(approved=True).exclude(Exists(approved)).update(approved=False)
    return rows.filter(Exists(approved), approved=False).update(approved=True)


def refresh_approved(periods: Sequence[int]) -> int:
    """After approvals written in bulk, past the services and the outbox (a benchmark's data): the
    months' flags, then the kabupaten sums of the approved months, for every kabupaten at once."""
    with transaction.atomic():
        flagged = mark_approved(periods)
        KabupatenApprovedMonth.objects.filter(period__in=list(periods)).delete()
        sums: dict[str, Any] = {f"sum_{f}": Sum(f) for f in MONTH_FIELDS}
        rows = GroupMonth.objects.filter(approved=True, period__in=list(periods)).values("kab", "period").annotate(**sums)
        found: list[dict[str, Any]] = [dict(r) for r in rows.order_by()]
        KabupatenApprovedMonth.objects.bulk_create(
            [KabupatenApprovedMonth(kab=r["kab"], prov=r["kab"][:2], period=r["period"],
                                    **{f: int(r[f"sum_{f}"] or 0) for f in MONTH_FIELDS}) for r in found],
            batch_size=2000)
    return flagged


def _month_rows(kube_ids: Sequence[int], periods: Iterable[int] | None) -> MonthRows:
    desas = dict(Kube.objects.filter(pk__in=kube_ids).values_list("pk", "desa_id"))
    periods = list(periods) if periods is not None else None
    computed = compute_months(kube_ids, periods)
    approved = approved_months(kube_ids, periods)
    return MonthRows(list(kube_ids), periods, [GroupMonth(kube_id=k, period=p, **codes(desas[k]), **values,
                                                          approved=(k, p) in approved)
                                               for (k, p), values in computed.items()])


def _replace_months(computed: MonthRows) -> None:
    old = GroupMonth.objects.filter(kube_id__in=computed.kube_ids)
    if computed.periods is not None:
        old = old.filter(period__in=computed.periods)
    old.delete()
    GroupMonth.objects.bulk_create(computed.rows, batch_size=2000)


def _write_months(kube_ids: Sequence[int], periods: Iterable[int] | None) -> None:
    _replace_months(_month_rows(kube_ids, periods))


# --- state -------------------------------------------------------------------------------------

def _attendance(kube_ids: Sequence[int]) -> dict[int, tuple[int | None, int | None]]:
    """Attendance % over each group's last three meetings, and over the three before."""
    per: dict[int, list[tuple[int, int]]] = defaultdict(list)
    qs = (Activity.objects.filter(kube_id__in=kube_ids)
          .annotate(n=Count("attendance"), present=Count("attendance", filter=Q(attendance__present=True)))
          .order_by("kube_id", "-date", "-id").values_list("kube_id", "n", "present"))
    for kube_id, n, present in qs:
        if len(per[kube_id]) < 6 and n:
            per[kube_id].append((present, n))

    def rate(rows: list[tuple[int, int]]) -> int | None:
        total = sum(n for _p, n in rows)
        return round(100 * sum(p for p, _n in rows) / total) if total else None

    return {k: (rate(v[:3]), rate(v[3:6]) if len(v) >= 6 else None) for k, v in per.items()}


_FLOW_FIELDS = ("capital_delta", "grant_in", "onward_out", "iks_in", "iks_out", "savings_in", "savings_out",
                "revenue", "expense")


def _month_values(kube_ids: Sequence[int], replacing: Sequence[MonthRows]) -> Iterator[dict[str, Any]]:
    """The groups' month rows as stored, except those `replacing` is about to write, which come
    from it instead (a drain computes the states before it writes the months)."""
    def replaced(kube_id: int, period: int) -> bool:
        return any(kube_id in c.kube_ids and (c.periods is None or period in c.periods) for c in replacing)

    for r in GroupMonth.objects.filter(kube_id__in=kube_ids).values("kube_id", "period", *_FLOW_FIELDS):
        if not replacing or not replaced(r["kube_id"], r["period"]):
            yield r
    wanted = set(kube_ids)
    for computed in replacing:
        for row in computed.rows:
            if row.kube_id in wanted:
                yield {"kube_id": row.kube_id, "period": row.period, **{f: getattr(row, f) for f in _FLOW_FIELDS}}


MEMBER_COUNT_FIELDS = ["members", "members_f", "members_without_task", "welfare_fakir_miskin", "welfare_miskin",
                       "welfare_hampir_miskin", *TARGET_FIELDS, *DTSEN_FIELDS]


def member_counts() -> dict[str, Count]:
    """The counts over a group's active members that its state keeps, as one GROUP BY's aggregates
    (named as GroupState's fields): shared by compute_states and the full rebuild."""
    found = Q(dtsen_status=DtsenStatus.FOUND)
    return {
        "members": Count("id"), "members_f": Count("id", filter=Q(sex="P")),
        "members_without_task": Count("id", filter=Q(task="")),
        **{f"welfare_{level}": Count("id", filter=Q(welfare_level=level))
           for level in ("fakir_miskin", "miskin", "hampir_miskin")},
        **{f: Count("id", filter=Q(target_group=f[3:])) for f in TARGET_FIELDS},
        **{f"dtsen_{status}": Count("id", filter=Q(dtsen_status=status)) for status in DtsenStatus.values},
        **{f"desil_{n}": Count("id", filter=found & Q(dtsen_desil=n)) for n in range(1, 11)},
        "outside_target": Count("id", filter=outside_target_q()),
    }


def member_values(row: dict[str, Any]) -> dict[str, int]:
    """GroupState's member counts from a member_counts() row (a group without active members: zeros)."""
    return {f: row.get(f, 0) for f in MEMBER_COUNT_FIELDS}


def compute_states(kube_ids: Sequence[int], *, today: date, replacing: Sequence[MonthRows] = ()) -> dict[int, dict[str, Any]]:
    """{kube: GroupState field values} for the groups given."""
    kubes = {k.pk: k for k in Kube.objects.filter(pk__in=kube_ids)}
    out: dict[int, dict[str, Any]] = {}
    members = (Member.objects.filter(kube_id__in=kube_ids, left_on__isnull=True).values("kube_id")
               .annotate(**member_counts()).order_by())
    member_rows = {r["kube_id"]: r for r in members}
    officers = {r["kube_id"]: r for r in Officer.objects.filter(kube_id__in=kube_ids, ended_on__isnull=True)
                .values("kube_id").annotate(n=Count("id"), since=Min("term_start")).order_by()}
    last_entry = dict(Transaction.objects.filter(kube_id__in=kube_ids).values("kube_id").annotate(d=Max("date"))
                      .values_list("kube_id", "d").order_by())
    last_activity = dict(Activity.objects.filter(kube_id__in=kube_ids).values("kube_id").annotate(d=Max("date"))
                         .values_list("kube_id", "d").order_by())
    activity_count = dict(Activity.objects.filter(kube_id__in=kube_ids).values("kube_id").annotate(n=Count("id"))
                          .values_list("kube_id", "n").order_by())
    visits: dict[int, dict[str, Any]] = {r["kube_id"]: dict(r) for r in Visit.objects.filter(
        kube_id__in=kube_ids).values("kube_id").annotate(
        last=Max("date"), meeting=Max("date", filter=Q(kind="rutin")),
        trained=Count("id", filter=Q(kind="bimtek"))).order_by()}
    # The last audited visit on its own: joined into the query above, the audit rows would multiply it.
    for kube_id, day in (Visit.objects.filter(kube_id__in=kube_ids, audits__checked=True).values("kube_id")
                         .annotate(d=Max("date")).values_list("kube_id", "d").order_by()):
        visits.setdefault(kube_id, {})["audit"] = day
    closed = dict(PeriodClose.objects.filter(kube_id__in=kube_ids).values("kube_id").annotate(p=Max("period"))
                  .values_list("kube_id", "p").order_by())
    events = set(EventKube.objects.filter(kube_id__in=kube_ids).values_list("kube_id", flat=True))
    trained_activity = set(Activity.objects.filter(kube_id__in=kube_ids, kind__in=["pelatihan", "studi"])
                           .values_list("kube_id", flat=True))
    attendance = _attendance(kube_ids)
    since = today - timedelta(days=SIX_MONTHS)
    recorders: dict[int, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    for kube_id, user_id, n in (Transaction.objects.filter(kube_id__in=kube_ids, date__gte=since)
                                .values("kube_id", "created_by_id").annotate(n=Count("id"))
                                .values_list("kube_id", "created_by_id", "n").order_by()):
        recorders[kube_id][user_id] += n
    for kube_id, user_id, n in (Activity.objects.filter(kube_id__in=kube_ids, date__gte=since)
                                .values("kube_id", "recorded_by_id").annotate(n=Count("id"))
                                .values_list("kube_id", "recorded_by_id", "n").order_by()):
        recorders[kube_id][user_id] += n
    # Balances and recent profit from the month rows (written just before the states, or about to be).
    now = period_of(today)
    flows: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in _month_values(kube_ids, replacing):
        f = flows[r["kube_id"]]
        f["capital"] += r["capital_delta"]
        f["grant_total"] += r["grant_in"]
        f["onward_total"] += r["onward_out"]
        f["iks_collected"] += r["iks_in"]
        f["iks_used"] += r["iks_out"]
        f["savings"] += r["savings_in"] - r["savings_out"]
        if r["period"] <= shift(now, -3):
            f["savings_3m_ago"] += r["savings_in"] - r["savings_out"]
        profit = r["revenue"] - r["expense"]
        if shift(now, -5) <= r["period"] <= now:
            f["profit_6m"] += profit
        elif shift(now, -11) <= r["period"] <= shift(now, -6):
            f["profit_prev_6m"] += profit
    with_loans = set(Loan.objects.filter(kube_id__in=kube_ids).values_list("kube_id", flat=True))
    sessions: dict[int, list[Assessment]] = defaultdict(list)
    for a in Assessment.objects.filter(kube_id__in=kube_ids).order_by("kube_id", "-date", "-id"):
        if len(sessions[a.kube_id]) < 2:
            sessions[a.kube_id].append(a)
    session_ids = [a.pk for rows in sessions.values() for a in rows]
    domain_means: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for assessment_id, number, mean in DomainResult.objects.filter(assessment_id__in=session_ids).values_list(
            "assessment_id", "domain__number", "mean"):
        domain_means[assessment_id][number] = mean
    ticks: dict[int, dict[str, bool]] = defaultdict(dict)
    for kube_id, code, met in (ClassCheck.objects.filter(kube_id__in=kube_ids)
                               .order_by("kube_id", "code", "-checked_at", "-id").values_list("kube_id", "code", "met")):
        ticks[kube_id].setdefault(code, met)

    for kube_id, kube in kubes.items():
        m: dict[str, Any] = dict(member_rows.get(kube_id, {}))
        v: dict[str, Any] = dict(visits.get(kube_id, {}))
        f = flows.get(kube_id, {})
        o: dict[str, Any] = dict(officers.get(kube_id, {}))
        meeting = max([d for d in (last_activity.get(kube_id), v.get("meeting")) if d], default=None)
        who = recorders.get(kube_id, {})
        records = sum(who.values())
        values: dict[str, Any] = {
            **codes(kube.desa_id), "status": kube.status, "stage": kube.stage, "has_mentor": kube.pendamping_id is not None,
            **member_values(m),
            "officers_since": o.get("since"),
            "last_meeting_on": meeting, "last_visit_on": v.get("last"), "last_entry_on": last_entry.get(kube_id),
            "last_audit_on": v.get("audit"), "last_closed_period": closed.get(kube_id),
            "attendance_recent": attendance.get(kube_id, (None, None))[0],
            "attendance_before": attendance.get(kube_id, (None, None))[1],
            "recorders": len(who), "records": records,
            "top_recorder_share": round(100 * max(who.values()) / records) if records else 0,
            **{k: f.get(k, 0) for k in ("capital", "grant_total", "onward_total", "iks_collected", "iks_used",
                                         "savings", "savings_3m_ago", "profit_6m", "profit_prev_6m")},
            "loans_outstanding": 0, "par30_amount": 0, "refreshed_on": today,
        }
        if kube_id in with_loans:
            book = portfolio(kube, on=today)
            values["loans_outstanding"], values["par30_amount"] = book.outstanding, book.at_risk_30
        latest = sessions.get(kube_id, [])
        means = domain_means.get(latest[0].pk, {}) if latest else {}
        values["peka_on"] = latest[0].date if latest else None
        for n in range(1, 8):
            values[f"peka_d{n}"] = means.get(n)

        def overall(assessment_id: int) -> Decimal | None:
            found = list(domain_means.get(assessment_id, {}).values())
            return (sum(found, Decimal(0)) / len(found)).quantize(Decimal("0.01")) if found else None

        values["peka_mean"] = overall(latest[0].pk) if latest else None
        values["peka_prev_mean"] = overall(latest[1].pk) if len(latest) > 1 else None
        probe = GroupState(**values)
        health, score, reasons = assess(probe, today=today, formed_on=kube.formed_on)
        gap = unclosed_months(values["last_closed_period"], formed_on=kube.formed_on, today=today)
        evidence = evidence_from(probe, trained=kube_id in events or kube_id in trained_activity or bool(v.get("trained")),
                                 officers=o.get("n", 0),
                                 activities=activity_count.get(kube_id, 0), lpj_gap=gap)
        klass, criteria_met = classify(evidence, ticks.get(kube_id, {}))
        if kube.status == "bubar":
            klass = "belum"
        values.update(health=health, health_score=score, reasons=reasons, klass=klass, evidence=criteria_met)
        out[kube_id] = values
    return out


def _state_rows(kube_ids: Sequence[int], today: date, replacing: Sequence[MonthRows] = ()) -> list[GroupState]:
    return [GroupState(kube_id=k, **v) for k, v in compute_states(kube_ids, today=today, replacing=replacing).items()]


def _replace_states(kube_ids: Sequence[int], rows: list[GroupState]) -> None:
    GroupState.objects.filter(kube_id__in=kube_ids).delete()
    GroupState.objects.bulk_create(rows, batch_size=2000)


def _write_states(kube_ids: Sequence[int], today: date) -> None:
    _replace_states(kube_ids, _state_rows(kube_ids, today))


# --- the kabupaten tier ---------------------------------------------------------------------------

def compute_kabupaten(kabs: Sequence[str], periods: Iterable[int] | None = None, *, states: bool = True,
                      ) -> tuple[dict[str, dict[str, int]], dict[tuple[str, int], dict[str, int]]]:
    """({kab: state figures}, {(kab, period): flows}) summed over the groups' rows."""
    state_rows = state_figures(GroupState.objects.filter(kab__in=kabs), "kab") if states else {}
    months = GroupMonth.objects.filter(kab__in=kabs)
    if periods is not None:
        months = months.filter(period__in=list(periods))
    month_rows: dict[tuple[str, int], dict[str, int]] = {}
    sums: dict[str, Any] = {f"sum_{f}": Sum(f) for f in MONTH_FIELDS}
    for r in months.values("kab", "period").annotate(**sums).order_by():
        row: dict[str, Any] = dict(r)
        month_rows[(row["kab"], row["period"])] = {f: int(row[f"sum_{f}"] or 0) for f in MONTH_FIELDS}
    return state_rows, month_rows


def compute_kabupaten_approved(kabs: Sequence[str], periods: Iterable[int] | None = None,
                               ) -> dict[tuple[str, int], dict[str, int]]:
    """{(kab, period): flows} summed over the approved group-months only."""
    months = GroupMonth.objects.filter(kab__in=kabs, approved=True)
    if periods is not None:
        months = months.filter(period__in=list(periods))
    sums: dict[str, Any] = {f"sum_{f}": Sum(f) for f in MONTH_FIELDS}
    found: list[dict[str, Any]] = [dict(r) for r in months.values("kab", "period").annotate(**sums).order_by()]
    return {(r["kab"], r["period"]): {f: int(r[f"sum_{f}"] or 0) for f in MONTH_FIELDS} for r in found}


def _write_kabupaten(kabs: Iterable[str], periods: Iterable[int] | None = None, *, months: bool = True) -> None:
    """Rewrite the kabupaten rows from their groups' rows. The kabupaten's Region row is locked first,
    so that on PostgreSQL a second drain in the same kabupaten waits and then reads the first's rows."""
    kabs = sorted(set(kabs))
    if not kabs:
        return
    periods = sorted(set(periods)) if periods is not None else None
    if months and periods == []:
        months = False
    with transaction.atomic():  # the lock needs a transaction; inside a drain's it is a savepoint
        lock = Region.objects.filter(code__in=kabs).order_by("code")
        if transaction.get_connection().features.has_select_for_update:
            list(lock.select_for_update(no_key=True).values_list("code", flat=True))
        state_rows, month_rows = compute_kabupaten(kabs, periods if months else [], states=True)
        KabupatenState.objects.filter(kab__in=kabs).delete()
        now = timezone.now()
        KabupatenState.objects.bulk_create([KabupatenState(kab=k, prov=k[:2], figures=v, refreshed_at=now)
                                            for k, v in state_rows.items()])
        if months:
            old = KabupatenMonth.objects.filter(kab__in=kabs)
            if periods is not None:
                old = old.filter(period__in=periods)
            old.delete()
            KabupatenMonth.objects.bulk_create([KabupatenMonth(kab=k, prov=k[:2], period=p, **v)
                                                for (k, p), v in month_rows.items()], batch_size=2000)
            old_approved = KabupatenApprovedMonth.objects.filter(kab__in=kabs)
            if periods is not None:
                old_approved = old_approved.filter(period__in=periods)
            old_approved.delete()
            KabupatenApprovedMonth.objects.bulk_create(
                [KabupatenApprovedMonth(kab=k, prov=k[:2], period=p, **v)
                 for (k, p), v in compute_kabupaten_approved(kabs, periods).items()], batch_size=2000)


def _kabupaten_chunks(*extra: Iterable[str]) -> Iterator[list[str]]:
    """Every kabupaten that has groups (and any `extra` codes), 50 at a time."""
    kabs = sorted(set(GroupState.objects.values_list("kab", flat=True).distinct()).union(*extra))
    for start in range(0, len(kabs), 50):
        yield kabs[start:start + 50]


# --- the two ways in ------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupRefresh:
    """What a drain computed for the groups it took, ready to be written (`write_refresh`)."""

    ids: list[int]  # the groups that still exist (their states are replaced)
    months: list[MonthRows]
    states: list[GroupState]
    kabs: set[str]
    kab_periods: list[int] | None
    # The kabupaten where a group changed whether it owes LPJ: the reporting chain's completeness rows
    # (approval/rollup.py) are recounted there. Under the write lock, not from the snapshot: a step on a
    # dossier writes those rows too, and announces nothing to the outbox.
    owing_kabs: frozenset[str] = frozenset()


def prepare_refresh(changes: dict[int, set[int]], *, today: date | None = None) -> GroupRefresh:
    """The groups a drain took, with the months each announced: those months' rows and the groups'
    states, computed from the raw records (reads only). A group that moved to another kabupaten
    redoes every month, in both kabupaten; a group that no longer exists leaves nothing behind."""
    today = today or timezone.localdate()
    ids = sorted(changes)
    before_rows = list(GroupState.objects.filter(kube_id__in=ids).values_list("kube_id", "kab", "status"))
    before = {k: kab for k, kab, _s in before_rows}
    status_before = {k: status for k, _kab, status in before_rows}
    now = {k: (desa[:5], status) for k, desa, status in Kube.objects.filter(pk__in=ids).values_list("pk", "desa_id", "status")}
    after = {k: kab for k, (kab, _s) in now.items()}
    moved = sorted(k for k in after if k in before and before[k] != after[k])
    periods = sorted(set().union(*(changes[k] for k in after)))
    months = []
    if moved:
        months.append(_month_rows(moved, None))
    rest = [k for k in after if k not in moved]
    if rest and periods:
        months.append(_month_rows(rest, periods))  # a month another group of the drain announced is recomputed too: same rows
    # Which groups owe which month's LPJ changes with a group registered, removed, moved or dissolved,
    # or announced without a month (registry's own changes, a corrected founding date among them).
    owing = {k for k in ids if not changes[k] or k not in before or k not in now
             or now[k] != (before[k], status_before[k])}
    owing_kabs = {before[k] for k in owing if k in before} | {after[k] for k in owing if k in after}
    return GroupRefresh(list(after), months, _state_rows(list(after), today, months), set(before.values()) | set(after.values()),
                        None if moved else periods, frozenset(owing_kabs))


def write_refresh(refresh: GroupRefresh) -> None:
    """Replace the groups' rows with the computed ones, then rewrite their kabupaten rows."""
    for computed in refresh.months:
        _replace_months(computed)
    _replace_states(refresh.ids, refresh.states)
    _write_kabupaten(refresh.kabs, refresh.kab_periods)
    if refresh.owing_kabs:
        rollup.refresh(refresh.owing_kabs, groups=True)


def refresh_groups(changes: dict[int, set[int]], *, today: date | None = None) -> None:
    """Compute and write the groups' rows (prepare_refresh, then write_refresh) in one go."""
    write_refresh(prepare_refresh(changes, today=today))


def rebuild(*, today: date | None = None, chunk: int = 2000, kube_ids: Sequence[int] | None = None,
            progress: Any = None, kabupaten: bool = True) -> int:
    """Every group's months and state from scratch, a chunk of groups per transaction; then the
    kabupaten rows (all of them, or none when the caller does its own)."""
    today = today or timezone.localdate()
    ids = list(kube_ids) if kube_ids is not None else list(Kube.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        with transaction.atomic():
            _write_months(part, None)
            _write_states(part, today)
        if progress:
            progress(min(start + chunk, len(ids)), len(ids))
    if kabupaten:
        rebuild_kabupaten()
    return len(ids)


def rebuild_kabupaten() -> int:
    """Every kabupaten row from the groups' rows (one transaction)."""
    with transaction.atomic():
        KabupatenState.objects.all().delete()
        KabupatenMonth.objects.all().delete()
        KabupatenApprovedMonth.objects.all().delete()
        count = 0
        for kabs in _kabupaten_chunks():
            _write_kabupaten(kabs, None)
            count += len(kabs)
    return count


def refresh_states(*, today: date | None = None, chunk: int = 2000) -> int:
    """What time alone changes (months since the last meeting, loans falling due): every state, nightly."""
    today = today or timezone.localdate()
    ids = list(Kube.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            _write_states(ids[start:start + chunk], today)
    for kabs in _kabupaten_chunks():
        _write_kabupaten(kabs, months=False)  # a transaction per chunk of its own
    return len(ids)


def differences(*, today: date | None = None) -> list[str]:
    """Where the stored rows differ from a fresh computation (nothing is written)."""
    today = today or timezone.localdate()
    problems: list[str] = []
    ids = list(Kube.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        part = ids[start:start + 2000]
        fresh: dict[tuple[int, int], dict[str, Any]] = dict(compute_months(part))
        approved = approved_months(part)
        for key, values in fresh.items():
            values["approved"] = key in approved
        stored = {(r["kube_id"], r["period"]): {f: r[f] for f in [*MONTH_FIELDS, "approved"]}
                  for r in GroupMonth.objects.filter(kube_id__in=part).values("kube_id", "period", *MONTH_FIELDS,
                                                                              "approved")}
        for key in sorted(set(fresh) | set(stored)):
            if fresh.get(key) != stored.get(key):
                problems.append(f"bulan {key}: tersimpan {stored.get(key)}, dihitung {fresh.get(key)}")
        rows = list(GroupState.objects.filter(kube_id__in=part))
        by_day: dict[date, list[GroupState]] = defaultdict(list)
        for row in rows:
            by_day[row.refreshed_on or today].append(row)  # time-dependent fields: as of the row's own day
        for day, day_rows in by_day.items():
            states = compute_states([r.kube_id for r in day_rows], today=day)
            for row in day_rows:
                for name, value in states[row.kube_id].items():
                    have = getattr(row, name)
                    if isinstance(have, Decimal) or isinstance(value, Decimal):
                        same = (have is None and value is None) or (have is not None and value is not None
                                                                     and Decimal(have) == Decimal(value))
                    else:
                        same = have == value
                    if not same:
                        problems.append(f"keadaan {row.kube_id}.{name}: tersimpan {have!r}, dihitung {value!r}")
        missing = set(part) - set(GroupState.objects.filter(kube_id__in=part).values_list("kube_id", flat=True))
        problems += [f"keadaan {k}: belum ada" for k in sorted(missing)]
    for part_kabs in _kabupaten_chunks(KabupatenState.objects.values_list("kab", flat=True)):
        fresh_states, fresh_months = compute_kabupaten(part_kabs)
        stored_states = dict(KabupatenState.objects.filter(kab__in=part_kabs).values_list("kab", "figures"))
        for kab in part_kabs:
            if fresh_states.get(kab) != stored_states.get(kab):
                problems.append(f"kabupaten {kab}: tersimpan {stored_states.get(kab)}, dihitung {fresh_states.get(kab)}")
        stored_months = {(r["kab"], r["period"]): {f: r[f] for f in MONTH_FIELDS}
                         for r in KabupatenMonth.objects.filter(kab__in=part_kabs).values("kab", "period", *MONTH_FIELDS)}
        for kab_month in sorted(set(fresh_months) | set(stored_months)):
            if fresh_months.get(kab_month) != stored_months.get(kab_month):
                problems.append(f"kabupaten {kab_month}: tersimpan {stored_months.get(kab_month)}, "
                                f"dihitung {fresh_months.get(kab_month)}")
        fresh_approved = compute_kabupaten_approved(part_kabs)
        stored_approved = {(r["kab"], r["period"]): {f: r[f] for f in MONTH_FIELDS} for r in
                           KabupatenApprovedMonth.objects.filter(kab__in=part_kabs).values("kab", "period", *MONTH_FIELDS)}
        for kab_month in sorted(set(fresh_approved) | set(stored_approved)):
            if fresh_approved.get(kab_month) != stored_approved.get(kab_month):
                problems.append(f"kabupaten {kab_month} (disetujui): tersimpan {stored_approved.get(kab_month)}, "
                                f"dihitung {fresh_approved.get(kab_month)}")
    return problems + rollup.differences()  # the reporting chain's completeness rows
