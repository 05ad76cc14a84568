"""Rebuilding every summary row from the raw records, set-based.

`monitoring.state` computes a group's rows from its records, which is what a change needs, and its
`rebuild()` repeats that 50 times over the country, 2,000 groups at a time (437 s at national
scale: every ledger line went through Python's date functions, and each chunk built its queries
with lists of 2,000 ids and summed its month rows in Python). Here the month rows are one
`INSERT … SELECT` grouping the ledger lines, transactions, visits and meetings by (group, month)
in the database, so their cost is close to one `GROUP BY (group, month)` over the ledger lines;
then each of the state's queries runs once over the whole table and the same health and class
rules run per group.

Why it is shaped so (bench/RESULTS.md, 2026-12-02):
- The ledger lines are summed per (group, month, account) first, and the accounts sorted into the
  eleven figures afterwards, over a tenth of the rows. On SQLite the first sum reads the index
  `line_kube_month` (books/0006: the group, the line's month as the same expression as
  `month_of`, the account, debit, credit, date) in its own order: no sort of 20 M lines, and no
  month computed per line.
- The states read the raw records only (the balances and recent profit from the ledger lines, not
  from the month rows being written), so on a database file they are computed in a second process
  on the other core while this one writes the month rows (`parallel`). This process takes the
  write lock first, so no writer commits in between and both read the same records.
- The rows are written with plain multi-row `INSERT`s (`executemany` of tuples): `bulk_create` of
  100,000 sixty-column objects cost more than computing them; the kabupaten rows are three
  `GROUP BY`s over the group rows instead of the drain's per-kabupaten path 50 codes at a time.

`monitoring/tests/test_rebuild.py` checks that the rows equal those of `state.rebuild()` on the
oracle's world, on SQLite and PostgreSQL: when a rule or a figure of `state.compute_states`
changes, this module changes with it.
"""

# ruff: noqa: S608  (the SQL is assembled from model metadata and integer ids read from the database)
from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from approval import rollup as approval_rollup
from assessments.models import Assessment, DomainResult
from books.models import Account, Activity, ActivityAttendance, Line, Loan, PeriodClose, Transaction
from books.models.ledger import AccountRole, AccountType
from books.selectors import portfolio
from mentoring.models import BookAudit, EventKube, Visit
from monitoring import worker
from monitoring.classification import classify, evidence_from
from monitoring.figures import state_figures
from monitoring.health import assess, unclosed_months
from monitoring.models import (
    MONTH_FIELDS,
    ClassCheck,
    GroupMonth,
    GroupState,
    KabupatenApprovedMonth,
    KabupatenMonth,
    KabupatenState,
)
from monitoring.state import (
    SIX_MONTHS,
    codes,
    mark_approved,
    member_counts,
    member_values,
    period_of,
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


def line_months() -> str:
    """The ledger lines summed per (group, month, account): kube_id, period, account_id, d, c. On
    SQLite the GROUP BY is the order of the index line_kube_month (books/0006), so it streams."""
    line, month = Line._meta.db_table, month_of("date")
    return (f"SELECT kube_id, {month} AS period, account_id, SUM(debit) AS d, SUM(credit) AS c "
            f"FROM {line} GROUP BY kube_id, {month}, account_id")


def _flow_selects() -> list[str]:
    """One SELECT per source, each giving (kube_id, period, every month field in MONTH_FIELDS' order):
    the ledger lines first, then the transactions, visits, audits, meetings and attendance."""
    a = _accounts()

    def when(ids: str, value: str) -> str:
        return f"SUM(CASE WHEN account_id IN ({_ids(a[ids])}) THEN {value} ELSE 0 END)"

    def row(source: str, period: str, values: dict[str, str], rest: str) -> str:
        columns = ", ".join(f"{values.get(f, '0')} AS {f}" for f in MONTH_FIELDS)
        return f"SELECT {source}kube_id AS kube_id, {period} AS period, {columns} {rest}"

    txn, visit = Transaction._meta.db_table, Visit._meta.db_table
    audit, activity, attendance = BookAudit._meta.db_table, Activity._meta.db_table, ActivityAttendance._meta.db_table
    lines = row("", "period", {
        "revenue": when("income", "c - d"), "expense": when("expense", "d - c"),
        "capital_delta": when("capital", "c - d"), "grant_in": when("grant", "c - d"),
        "onward_out": when("onward", "d - c"), "iks_in": when("iks", "c"),
        "iks_out": when("iks", "d"), "savings_in": when("savings", "c"),
        "savings_out": when("savings", "d"), "loans_out": when("loans", "d"),
        "loans_in": when("loans", "c"),
    }, f"FROM ({line_months()}) l GROUP BY kube_id, period")
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
    then joined to the group's region codes; a month where every figure is zero has no row (as before)."""
    table, kube = GroupMonth._meta.db_table, Kube._meta.db_table
    sums = ", ".join(f"SUM(f.{f}) AS {f}" for f in MONTH_FIELDS)
    nonzero = " OR ".join(f"SUM(f.{f}) <> 0" for f in MONTH_FIELDS)
    union = " UNION ALL ".join(_flow_selects())
    fields = ", ".join(MONTH_FIELDS)
    sql = (f"INSERT INTO {table} (kube_id, period, prov, kab, kec, desa, approved, {fields}) "
           f"SELECT g.kube_id, g.period, substr(k.desa_id, 1, 2), substr(k.desa_id, 1, 5), "
           f"substr(k.desa_id, 1, 8), k.desa_id, FALSE, {', '.join(f'g.{f}' for f in MONTH_FIELDS)} "
           f"FROM (SELECT f.kube_id, f.period, {sums} FROM ({union}) f GROUP BY f.kube_id, f.period HAVING {nonzero}) g "
           f"JOIN {kube} k ON k.id = g.kube_id")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(sql)
        count = int(cursor.rowcount)
    mark_approved()  # the months whose LPJ is approved (approval.Lpj), in one more statement
    return count


def drop_indexes(model: Any) -> list[str]:
    """On SQLite, drop the model's secondary indexes while its rows are replaced; returns the SQL
    that builds them again (`create_indexes`), each in one sort: keeping five indexes of the month
    rows up to date row by row cost more than writing the rows (bench/RESULTS.md). Inside the
    rebuild's transaction, so readers see the old rows and indexes until it commits, and a failure
    rolls the drop back. On PostgreSQL a dropped index would lock the dashboards' reads out until
    the rebuild commits, so there the indexes stay (nothing to build again)."""
    if connection.vendor != "sqlite":
        return []
    names = [index.name for index in model._meta.indexes]
    with connection.cursor() as cursor:
        # Built again from the statements that made them, as the database keeps them.
        cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN "
                       f"({', '.join(['%s'] * len(names))})", names)
        found = dict(cursor.fetchall())
        for name in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return list(found.values())


def create_indexes(statements: list[str]) -> int:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return len(statements)


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
    """Balances and recent profit per group, summed from the ledger lines per (group, month,
    account) in the database: the same sums as over the group's month rows (state.compute_states),
    without reading them, so that the states can be computed beside the months being written."""
    a = _accounts()
    now = period_of(today)

    def total(ids: str, value: str, when: str = "") -> str:
        return f"SUM(CASE WHEN account_id IN ({_ids(a[ids])}){when} THEN {value} ELSE 0 END)"

    profit_accounts = _ids(a["income"] + a["expense"])  # revenue - expense = (c - d) over both

    def profit(low: int, high: int) -> str:
        return (f"SUM(CASE WHEN account_id IN ({profit_accounts}) AND period BETWEEN {low} AND {high} "
                f"THEN c - d ELSE 0 END)")

    sums = {
        "capital": total("capital", "c - d"), "grant_total": total("grant", "c - d"),
        "onward_total": total("onward", "d - c"), "iks_collected": total("iks", "c"), "iks_used": total("iks", "d"),
        "savings": total("savings", "c - d"),
        "savings_3m_ago": total("savings", "c - d", f" AND period <= {shift(now, -3)}"),
        "profit_6m": profit(shift(now, -5), now), "profit_prev_6m": profit(shift(now, -11), shift(now, -6)),
    }
    sql = f"SELECT kube_id, {', '.join(sums.values())} FROM ({line_months()}) l GROUP BY kube_id"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        # PostgreSQL's SUM of bigint is numeric.
        return {row[0]: dict(zip(sums, map(int, row[1:]), strict=True)) for row in cursor.fetchall()}


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


def _adapters(model: Any, columns: list[str]) -> list[Callable[[Any], Any] | None]:
    """Per column, how a Python value becomes the database's (dates, decimals and JSON need it on
    some backends; numbers, text and booleans go as they are): the backend's own adapters, looked
    up once rather than through each field's get_db_prep_save for every value."""
    ops = connections[DEFAULT_DB_ALIAS].ops

    def adapter(name: str) -> Callable[[Any], Any] | None:
        field = model._meta.get_field(name)
        kind = field.get_internal_type()
        if kind == "DateField":
            return ops.adapt_datefield_value
        if kind == "DecimalField":
            return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
        if kind == "JSONField":
            return lambda value: ops.adapt_json_value(value, field.encoder)
        return None

    return [adapter(c) for c in columns]


def insert_rows(model: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> int:
    """Plain INSERTs of the rows (tuples in the columns' order), executemany in chunks."""
    sql = (f"INSERT INTO {model._meta.db_table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])
    return len(rows)


def state_rows(computed: dict[int, dict[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """GroupState's columns, and a row of database values per group computed."""
    fields = [f for f in GroupState._meta.concrete_fields if f.attname != "kube_id"]
    columns = ["kube_id", *(f.attname for f in fields)]
    adapt = _adapters(GroupState, columns)
    defaults = {f.attname: f.get_default() for f in fields}
    plain = [(name, a) for name, a in zip(columns[1:], adapt[1:], strict=True)]
    rows = [(kube_id, *[a(values.get(name, defaults[name])) if a else values.get(name, defaults[name])
                        for name, a in plain]) for kube_id, values in computed.items()]
    return columns, rows


def insert_states(columns: list[str], rows: list[tuple[Any, ...]]) -> int:
    """Every GroupState row, replaced by the rows given (`state_rows`)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {GroupState._meta.db_table}")
    return insert_rows(GroupState, columns, rows)


def rebuild_kabupaten_months() -> int:
    """Every kabupaten's month sums, and those of its approved months, each in one INSERT … SELECT
    over the group months (the sums the drain's `state._write_kabupaten` writes)."""
    fields = ", ".join(MONTH_FIELDS)
    sums = ", ".join(f"SUM({f})" for f in MONTH_FIELDS)
    count = 0
    with connection.cursor() as cursor:
        for model, where in ((KabupatenMonth, ""), (KabupatenApprovedMonth, "WHERE approved ")):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
            cursor.execute(f"INSERT INTO {model._meta.db_table} (prov, kab, period, {fields}) "
                           f"SELECT substr(kab, 1, 2), kab, period, {sums} FROM {GroupMonth._meta.db_table} "
                           f"{where}GROUP BY kab, period")
            count += int(cursor.rowcount)
    return count


def rebuild_kabupaten_states() -> int:
    """Every kabupaten's state figures in one GROUP BY over the group states (`figures.state_figures`,
    as the drain sums them)."""
    figures = state_figures(GroupState.objects.all(), "kab")
    now = timezone.now()
    KabupatenState.objects.all().delete()
    KabupatenState.objects.bulk_create([KabupatenState(kab=k, prov=k[:2], figures=v, refreshed_at=now)
                                        for k, v in figures.items()])
    return len(figures)


def child_states(today: date) -> tuple[list[str], list[tuple[Any, ...]], float]:
    """The second process's task: every group's state row (GroupState's columns and the database's
    values, ready for the parent's INSERTs), and the CPU seconds they took."""
    cpu = time.process_time()
    columns, rows = state_rows(compute_all_states(today=today))
    return columns, rows, time.process_time() - cpu


def _can_fork_reader() -> bool:
    """Whether another process can read what this one reads: a database outside any transaction of
    ours (a test's is inside one, and its records are not committed) and not in memory."""
    name = str(connection.settings_dict["NAME"])
    return (connection.vendor == "sqlite" and not connection.in_atomic_block and ":memory:" not in name
            and "mode=memory" not in name)


def rebuild(*, today: date | None = None, timings: dict[str, float] | None = None,
            parallel: bool | None = None) -> int:
    """Every summary row from scratch, in one transaction (readers see the old rows until it
    commits). Returns the number of groups; `timings`, when given, receives each step's seconds
    (`months`, `states`, `indexes`, `kabupaten`) and the CPU seconds in it (`months_cpu` …: the database works
    in this process on SQLite, so these hold on a machine busy with other work).

    `parallel` (by default whenever `_can_fork_reader`): the states are computed in a second
    process while this one writes the month rows; `states` is then the wait for them and their
    writing, `states_cpu` the second process's CPU and this one's, and `child_cpu` the former."""
    today = today or timezone.localdate()
    steps: dict[str, float] = timings if timings is not None else {}
    parallel = _can_fork_reader() if parallel is None else parallel

    def timed(name: str, work: Callable[[], int], extra_cpu: Callable[[], float] = lambda: 0.0) -> int:
        wall, cpu = time.monotonic(), time.process_time()
        result = work()
        steps[name] = steps.get(name, 0.0) + time.monotonic() - wall
        steps[f"{name}_cpu"] = steps.get(f"{name}_cpu", 0.0) + time.process_time() - cpu + extra_cpu()
        return result

    with contextlib.ExitStack() as stack, transaction.atomic():
        # The write lock first (the first write takes it): no writer commits until this does.
        month_indexes, state_indexes = drop_indexes(GroupMonth), drop_indexes(GroupState)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {GroupMonth._meta.db_table}")
        child = {"cpu": 0.0}
        if parallel:
            pool = stack.enter_context(ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=worker.setup,
                initargs=(str(connection.settings_dict["NAME"]),)))
            states_done = pool.submit(child_states, today)

            def states() -> int:
                columns, rows, child["cpu"] = states_done.result()
                return insert_states(columns, rows)
        else:
            def states() -> int:
                return insert_states(*state_rows(compute_all_states(today=today)))
        timed("months", rebuild_months)
        timed("indexes", lambda: create_indexes(month_indexes))
        timed("kabupaten", rebuild_kabupaten_months)
        count = timed("states", states, lambda: child["cpu"])
        timed("indexes", lambda: create_indexes(state_indexes))
        timed("kabupaten", rebuild_kabupaten_states)
        steps["child_cpu"] = child["cpu"]
        approval_rollup.rebuild()  # the reporting chain's completeness rows kept per kabupaten
    return count

