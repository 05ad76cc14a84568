"""Rebuilding every summary row from the raw records, set-based.

`monitoring.state` computes a group's rows from its records, which is what a change needs, and its
`rebuild()` repeats that 50 times over the country, 2,000 groups at a time (437 s at national
scale: every ledger line went through Python's date functions, and each chunk built its queries
with lists of 2,000 ids and summed its month rows in Python). Here the month rows are one
`INSERT … SELECT` grouping the ledger lines, transactions, visits and meetings by (group, month)
in the database, so their cost is close to one `GROUP BY (group, month)` over the ledger lines;
then each of the state's queries runs once over the whole table, the month rows are summed per
group in the database, and the same health and class rules run per group.

`monitoring/tests/test_rebuild.py` checks that the rows equal those of `state.rebuild()` on the
oracle's world, on SQLite and PostgreSQL: when a rule or a figure of `state.compute_states`
changes, this module changes with it.
"""

# ruff: noqa: S608  (the SQL is assembled from model metadata and integer ids read from the database)
from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from approval import rollup as approval_rollup
from assessments.models import Assessment, DomainResult
from books.models import Account, Activity, ActivityAttendance, Line, Loan, PeriodClose, Transaction
from books.models.ledger import AccountRole, AccountType
from books.selectors import portfolio
from mentoring.models import BookAudit, EventKube, Visit
from monitoring.classification import classify, evidence_from
from monitoring.health import assess, unclosed_months
from monitoring.models import MONTH_FIELDS, ClassCheck, GroupMonth, GroupState
from monitoring.state import (
    SIX_MONTHS,
    codes,
    mark_approved,
    member_counts,
    member_values,
    period_of,
    rebuild_kabupaten,
    shift,
)
from registry.models import Kube, Member, Officer


def month_of(column: str) -> str:
    """SQL for a date column's month as the integer YYYYMM."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) * 100 + EXTRACT(MONTH FROM {column}) AS integer)"
    # SQLite keeps dates as 'YYYY-MM-DD' text.
    return f"(CAST(substr({column}, 1, 4) AS integer) * 100 + CAST(substr({column}, 6, 2) AS integer))"


def _ids(values: list[int]) -> str:
    """An SQL list of integer ids (never empty: PostgreSQL refuses `IN ()`)."""
    return ", ".join(str(int(v)) for v in values) or "NULL"


def _accounts() -> dict[str, list[int]]:
    """Account ids by the part they play in the month flows (as `state.compute_months` reads them)."""
    groups: dict[str, list[int]] = {k: [] for k in ("income", "expense", "capital", "grant", "onward", "iks",
                                                   "savings", "loans")}
    roles: dict[str, str] = {AccountRole.GRANT_CAPITAL: "grant", AccountRole.ONWARD: "onward", AccountRole.IKS: "iks",
             AccountRole.SAVINGS: "savings", AccountRole.LOANS: "loans"}
    for pk, kind, role in Account.objects.values_list("pk", "type", "role"):
        if kind == AccountType.INCOME:
            groups["income"].append(pk)
        elif kind == AccountType.EXPENSE:
            groups["expense"].append(pk)
        if kind in (AccountType.EQUITY, AccountType.INCOME, AccountType.EXPENSE):
            groups["capital"].append(pk)
        if role in roles:
            groups[roles[role]].append(pk)
    return groups


def _flow_selects() -> list[str]:
    """One SELECT per source, each giving (kube_id, period, every month field in MONTH_FIELDS' order)."""
    a = _accounts()

    def when(ids: str, value: str) -> str:
        return f"SUM(CASE WHEN account_id IN ({_ids(a[ids])}) THEN {value} ELSE 0 END)"

    def row(source: str, period: str, values: dict[str, str], rest: str) -> str:
        columns = ", ".join(f"{values.get(f, '0')} AS {f}" for f in MONTH_FIELDS)
        return f"SELECT {source}kube_id AS kube_id, {period} AS period, {columns} {rest}"

    line, txn, visit = Line._meta.db_table, Transaction._meta.db_table, Visit._meta.db_table
    audit, activity, attendance = BookAudit._meta.db_table, Activity._meta.db_table, ActivityAttendance._meta.db_table
    line_month = month_of("date")
    lines = row("", line_month, {
        "revenue": when("income", "credit - debit"), "expense": when("expense", "debit - credit"),
        "capital_delta": when("capital", "credit - debit"), "grant_in": when("grant", "credit - debit"),
        "onward_out": when("onward", "debit - credit"), "iks_in": when("iks", "credit"),
        "iks_out": when("iks", "debit"), "savings_in": when("savings", "credit"),
        "savings_out": when("savings", "debit"), "loans_out": when("loans", "debit"),
        "loans_in": when("loans", "credit"),
    }, f"FROM {line} GROUP BY kube_id, {line_month}")
    entries = row("", "period", {"entries": "COUNT(*)"}, f"FROM {txn} GROUP BY kube_id, period")
    visit_month = month_of("date")
    visits = row("", visit_month, {"visits": "COUNT(*)", "visit_present": "COALESCE(SUM(members_present), 0)",
                                   "visit_active": "COALESCE(SUM(members_active), 0)"},
                 f"FROM {visit} GROUP BY kube_id, {visit_month}")
    # A visit counts once however many books it audited (as in compute_months).
    audited = row("", visit_month, {"audits": "COUNT(*)"},
                  f"FROM {visit} WHERE id IN (SELECT visit_id FROM {audit} WHERE checked) "
                  f"GROUP BY kube_id, {visit_month}")
    meetings = row("", month_of("date"), {"meetings": "COUNT(*)"},
                   f"FROM {activity} GROUP BY kube_id, {month_of('date')}")
    attended = row("a.", month_of("a.date"), {
        "meeting_recorded": "COUNT(*)", "meeting_present": "COUNT(CASE WHEN t.present THEN 1 END)"},
        f"FROM {attendance} t JOIN {activity} a ON a.id = t.activity_id GROUP BY a.kube_id, {month_of('a.date')}")
    return [lines, entries, visits, audited, meetings, attended]


def rebuild_months() -> int:
    """Every GroupMonth row in one statement: the flows of each source per (group, month), summed,
    with the group's region codes; a month where every figure is zero has no row (as before)."""
    table, kube = GroupMonth._meta.db_table, Kube._meta.db_table
    sums = ", ".join(f"SUM(f.{f})" for f in MONTH_FIELDS)
    nonzero = " OR ".join(f"SUM(f.{f}) <> 0" for f in MONTH_FIELDS)
    union = " UNION ALL ".join(_flow_selects())
    sql = (f"INSERT INTO {table} (kube_id, period, prov, kab, kec, desa, approved, {', '.join(MONTH_FIELDS)}) "
           f"SELECT f.kube_id, f.period, substr(k.desa_id, 1, 2), substr(k.desa_id, 1, 5), "
           f"substr(k.desa_id, 1, 8), k.desa_id, FALSE, {sums} "
           f"FROM ({union}) f JOIN {kube} k ON k.id = f.kube_id "
           f"GROUP BY f.kube_id, f.period, k.desa_id HAVING {nonzero}")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(sql)
        count = int(cursor.rowcount)
    mark_approved()  # the months whose LPJ is approved (approval.Lpj), in one more statement
    return count


def _attendance() -> dict[int, tuple[int | None, int | None]]:
    """Attendance % over each group's last three meetings, and over the three before (as
    state._attendance, over every group at once)."""
    per: dict[int, list[tuple[int, int]]] = defaultdict(list)
    qs = (Activity.objects.annotate(n=Count("attendance"), present=Count("attendance", filter=Q(attendance__present=True)))
          .order_by("kube_id", "-date", "-id").values_list("kube_id", "n", "present"))
    for kube_id, n, present in qs.iterator(chunk_size=20_000):
        if len(per[kube_id]) < 6 and n:
            per[kube_id].append((present, n))

    def rate(rows: list[tuple[int, int]]) -> int | None:
        total = sum(n for _p, n in rows)
        return round(100 * sum(p for p, _n in rows) / total) if total else None

    return {k: (rate(v[:3]), rate(v[3:6]) if len(v) >= 6 else None) for k, v in per.items()}


def _flows(today: date) -> dict[int, dict[str, int]]:
    """Balances and recent profit per group, summed from the month rows in the database."""
    now = period_of(today)
    net_savings = F("savings_in") - F("savings_out")
    profit = F("revenue") - F("expense")
    sums = {
        "capital": Sum("capital_delta"), "grant_total": Sum("grant_in"), "onward_total": Sum("onward_out"),
        "iks_collected": Sum("iks_in"), "iks_used": Sum("iks_out"), "savings": Sum(net_savings),
        "savings_3m_ago": Sum(net_savings, filter=Q(period__lte=shift(now, -3))),
        "profit_6m": Sum(profit, filter=Q(period__gte=shift(now, -5), period__lte=now)),
        "profit_prev_6m": Sum(profit, filter=Q(period__gte=shift(now, -11), period__lte=shift(now, -6))),
    }
    rows: Any = GroupMonth.objects.values("kube_id").annotate(**sums).order_by()
    # SUM over a filter that matches nothing is NULL; PostgreSQL's SUM of bigint is numeric.
    return {r["kube_id"]: {k: int(r[k] or 0) for k in sums} for r in rows}


def compute_all_states(*, today: date) -> dict[int, dict[str, Any]]:
    """{kube: GroupState field values} for every group: each of state.compute_states' queries once
    over the whole table (no list of ids), the month rows summed in the database, and the same
    health and class rules per group. test_rebuild.py holds the two to the same rows."""
    kubes = {pk: (desa, status, stage, mentor, formed) for pk, desa, status, stage, mentor, formed in
             Kube.objects.values_list("pk", "desa_id", "status", "stage", "pendamping_id", "formed_on")}
    member_rows = {r["kube_id"]: r for r in Member.objects.filter(left_on__isnull=True).values("kube_id").annotate(
        **member_counts()).order_by()}
    officers = {r["kube_id"]: r for r in Officer.objects.filter(ended_on__isnull=True).values("kube_id")
                .annotate(n=Count("id"), since=Min("term_start")).order_by()}
    last_entry = dict(Transaction.objects.values("kube_id").annotate(d=Max("date")).values_list("kube_id", "d").order_by())
    last_activity = dict(Activity.objects.values("kube_id").annotate(d=Max("date")).values_list("kube_id", "d").order_by())
    activity_count = dict(Activity.objects.values("kube_id").annotate(n=Count("id")).values_list("kube_id", "n").order_by())
    visits: dict[int, dict[str, Any]] = {r["kube_id"]: dict(r) for r in Visit.objects.values("kube_id").annotate(
        last=Max("date"), meeting=Max("date", filter=Q(kind="rutin")),
        trained=Count("id", filter=Q(kind="bimtek"))).order_by()}
    for kube_id, day in (Visit.objects.filter(audits__checked=True).values("kube_id").annotate(d=Max("date"))
                         .values_list("kube_id", "d").order_by()):
        visits.setdefault(kube_id, {})["audit"] = day
    closed = dict(PeriodClose.objects.values("kube_id").annotate(p=Max("period")).values_list("kube_id", "p").order_by())
    events = set(EventKube.objects.values_list("kube_id", flat=True))
    trained_activity = set(Activity.objects.filter(kind__in=["pelatihan", "studi"]).values_list("kube_id", flat=True))
    attendance = _attendance()
    since = today - timedelta(days=SIX_MONTHS)
    recorders: dict[int, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    for model, column in ((Transaction, "created_by_id"), (Activity, "recorded_by_id")):
        for kube_id, user_id, n in (model.objects.filter(date__gte=since).values("kube_id", column)  # type: ignore[attr-defined]
                                    .annotate(n=Count("id")).values_list("kube_id", column, "n").order_by()):
            recorders[kube_id][user_id] += n
    flows = _flows(today)
    with_loans = set(Loan.objects.values_list("kube_id", flat=True))
    loan_kubes = Kube.objects.in_bulk(list(with_loans)) if with_loans else {}
    sessions: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for pk, kube_id, day in Assessment.objects.order_by("kube_id", "-date", "-id").values_list("pk", "kube_id", "date"):
        if len(sessions[kube_id]) < 2:
            sessions[kube_id].append((pk, day))
    wanted = {pk for rows in sessions.values() for pk, _d in rows}
    domain_means: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for assessment_id, number, mean in DomainResult.objects.values_list("assessment_id", "domain__number", "mean"):
        if assessment_id in wanted:
            domain_means[assessment_id][number] = mean
    ticks: dict[int, dict[str, bool]] = defaultdict(dict)
    for kube_id, code, met in (ClassCheck.objects.order_by("kube_id", "code", "-checked_at", "-id")
                               .values_list("kube_id", "code", "met")):
        ticks[kube_id].setdefault(code, met)

    def overall(assessment_id: int) -> Decimal | None:
        found = list(domain_means.get(assessment_id, {}).values())
        return (sum(found, Decimal(0)) / len(found)).quantize(Decimal("0.01")) if found else None

    out: dict[int, dict[str, Any]] = {}
    for kube_id, (desa, status, stage, mentor, formed_on) in kubes.items():
        m: dict[str, Any] = dict(member_rows.get(kube_id, {}))
        v: dict[str, Any] = visits.get(kube_id, {})
        f = flows.get(kube_id, {})
        o: dict[str, Any] = dict(officers.get(kube_id, {}))
        meeting = max([d for d in (last_activity.get(kube_id), v.get("meeting")) if d], default=None)
        who = recorders.get(kube_id, {})
        records = sum(who.values())
        recent, before = attendance.get(kube_id, (None, None))
        values: dict[str, Any] = {
            **codes(desa), "status": status, "stage": stage, "has_mentor": mentor is not None,
            **member_values(m),
            "officers_since": o.get("since"),
            "last_meeting_on": meeting, "last_visit_on": v.get("last"), "last_entry_on": last_entry.get(kube_id),
            "last_audit_on": v.get("audit"), "last_closed_period": closed.get(kube_id),
            "attendance_recent": recent, "attendance_before": before,
            "recorders": len(who), "records": records,
            "top_recorder_share": round(100 * max(who.values()) / records) if records else 0,
            **{k: f.get(k, 0) for k in ("capital", "grant_total", "onward_total", "iks_collected", "iks_used",
                                         "savings", "savings_3m_ago", "profit_6m", "profit_prev_6m")},
            "loans_outstanding": 0, "par30_amount": 0, "refreshed_on": today,
        }
        if kube_id in with_loans:  # a loan's state is its schedule against its payments: per loan, as before
            book = portfolio(loan_kubes[kube_id], on=today)
            values["loans_outstanding"], values["par30_amount"] = book.outstanding, book.at_risk_30
        latest = sessions.get(kube_id, [])
        means = domain_means.get(latest[0][0], {}) if latest else {}
        values["peka_on"] = latest[0][1] if latest else None
        for n in range(1, 8):
            values[f"peka_d{n}"] = means.get(n)
        values["peka_mean"] = overall(latest[0][0]) if latest else None
        values["peka_prev_mean"] = overall(latest[1][0]) if len(latest) > 1 else None
        probe = SimpleNamespace(**values)
        health, score, reasons = assess(probe, today=today, formed_on=formed_on)
        gap = unclosed_months(values["last_closed_period"], formed_on=formed_on, today=today)
        evidence = evidence_from(probe, trained=kube_id in events or kube_id in trained_activity or bool(v.get("trained")),
                                 officers=o.get("n", 0), activities=activity_count.get(kube_id, 0), lpj_gap=gap)
        klass, criteria_met = classify(evidence, ticks.get(kube_id, {}))
        if status == "bubar":
            klass = "belum"
        values.update(health=health, health_score=score, reasons=reasons, klass=klass, evidence=criteria_met)
        out[kube_id] = values
    return out


def rebuild_states(*, today: date) -> int:
    """Every GroupState, from the month rows just written and the records."""
    computed = compute_all_states(today=today)
    GroupState.objects.all().delete()
    GroupState.objects.bulk_create([GroupState(kube_id=k, **v) for k, v in computed.items()], batch_size=2000)
    return len(computed)


def rebuild(*, today: date | None = None, timings: dict[str, float] | None = None) -> int:
    """Every summary row from scratch, in one transaction (readers see the old rows until it
    commits). Returns the number of groups; `timings`, when given, receives each step's seconds
    (`months`, `states`, `kabupaten`) and the process's CPU seconds in it (`months_cpu` …: the
    database works in this process on SQLite, so these hold on a machine busy with other work)."""
    today = today or timezone.localdate()
    steps: dict[str, float] = timings if timings is not None else {}

    def timed(name: str, work: Callable[[], int]) -> int:
        wall, cpu = time.monotonic(), time.process_time()
        result = work()
        steps[name], steps[f"{name}_cpu"] = time.monotonic() - wall, time.process_time() - cpu
        return result

    with transaction.atomic():
        timed("months", rebuild_months)
        count = timed("states", lambda: rebuild_states(today=today))
        timed("kabupaten", rebuild_kabupaten)
        approval_rollup.rebuild()  # the reporting chain's completeness rows kept per kabupaten
    return count
