"""Rebuilding every summary row from the raw records, set-based.

`monitoring.state` computes a group's rows from its records, a chunk of groups at a time, which is
what a change needs and what `rebuild()` there repeats 50 times over the country (437 s at national
scale, most of it the month flows: each ledger line went through Python's date functions). Here
the month rows are one `INSERT … SELECT` that groups the ledger lines, transactions, visits and
meetings by (group, month) in the database, so the cost is close to one `GROUP BY (group, month)`
over the ledger lines; the states follow from the month rows just written, with the same
`compute_states` (and so the same health and class) as a change uses, over ranges of group ids
read as sub-queries rather than lists of ids.

`monitoring/tests/test_rebuild.py` checks that the rows equal those of `state.rebuild()` on the
oracle's world, on SQLite and PostgreSQL.
"""

# ruff: noqa: S608  (the SQL is assembled from model metadata and integer ids read from the database)
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from books.models import Account, Activity, ActivityAttendance, Line, Transaction
from books.models.ledger import AccountRole, AccountType
from mentoring.models import BookAudit, Visit
from monitoring.models import MONTH_FIELDS, GroupMonth, GroupState
from monitoring.state import compute_states, rebuild_kabupaten
from registry.models import Kube

Progress = Callable[[int, int], None]


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
    sql = (f"INSERT INTO {table} (kube_id, period, prov, kab, kec, desa, {', '.join(MONTH_FIELDS)}) "
           f"SELECT f.kube_id, f.period, substr(k.desa_id, 1, 2), substr(k.desa_id, 1, 5), "
           f"substr(k.desa_id, 1, 8), k.desa_id, {sums} "
           f"FROM ({union}) f JOIN {kube} k ON k.id = f.kube_id "
           f"GROUP BY f.kube_id, f.period, k.desa_id HAVING {nonzero}")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(sql)
        return int(cursor.rowcount)


def rebuild_states(*, today: date, chunk: int = 5000, progress: Progress | None = None) -> int:
    """Every GroupState from the month rows and the records, a range of group ids at a time (the
    range is a sub-query, so each of compute_states' queries reads an index range)."""
    GroupState.objects.all().delete()
    ids = list(Kube.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        computed = compute_states(part, today=today)
        GroupState.objects.bulk_create([GroupState(kube_id=k, **v) for k, v in computed.items()], batch_size=2000)
        if progress:
            progress(min(start + chunk, len(ids)), len(ids))
    return len(ids)


def rebuild(*, today: date | None = None, progress: Progress | None = None,
            timings: dict[str, float] | None = None) -> int:
    """Every summary row from scratch, in one transaction (readers see the old rows until it
    commits). Returns the number of groups; `timings`, when given, receives each step's seconds."""
    today = today or timezone.localdate()
    steps: dict[str, float] = timings if timings is not None else {}
    with transaction.atomic():
        started = time.monotonic()
        rebuild_months()
        steps["months"] = time.monotonic() - started
        started = time.monotonic()
        count = rebuild_states(today=today, progress=progress)
        steps["states"] = time.monotonic() - started
        started = time.monotonic()
        rebuild_kabupaten()
        steps["kabupaten"] = time.monotonic() - started
    return count
