"""The set-based rebuild (monitoring/rebuild.py) writes the same summary rows as the per-group
computation (monitoring/state.py's rebuild), on the oracle's world: every kind of record, reversals,
loans, IKS, closed months, visits with audits, meetings with attendance, assessments, a member who
left and a stagnant group."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from monitoring import rebuild as set_based
from monitoring import state
from monitoring.management.commands import monitoring_rebuild
from monitoring.models import GroupMonth, GroupState, KabupatenApprovedMonth, KabupatenMonth, KabupatenState

NOW = "2026-11-20 10:00 +0700"  # the world's own day (monitoring/tests/conftest.py)
TODAY = date(2026, 11, 20)


def _plain(value: Any) -> Any:
    return Decimal(value) if isinstance(value, Decimal) else value


def snapshot() -> dict[str, Any]:
    """Every summary row, keyed by what identifies it (never by its id)."""
    def rest(row: Mapping[str, Any], *keys: str) -> dict[str, Any]:
        return {k: _plain(v) for k, v in row.items() if k not in keys}

    return {
        "months": {(r["kube_id"], r["period"]): rest(r, "id", "kube_id", "period") for r in GroupMonth.objects.values()},
        "states": {r["kube_id"]: rest(r, "kube_id") for r in GroupState.objects.values()},
        "kab_months": {(r["kab"], r["period"]): rest(r, "id", "kab", "period") for r in KabupatenMonth.objects.values()},
        "kab_states": dict(KabupatenState.objects.values_list("kab", "figures")),
        "kab_approved": {(r["kab"], r["period"]): rest(r, "id", "kab", "period")
                         for r in KabupatenApprovedMonth.objects.values()},
    }


def differing(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    problems = []
    for table in a:
        for key in sorted(set(a[table]) | set(b[table]), key=str):
            if a[table].get(key) != b[table].get(key):
                problems.append(f"{table} {key}: per group {a[table].get(key)}, set-based {b[table].get(key)}")
    return problems


def test_the_set_based_rebuild_writes_the_rows_the_per_group_computation_writes(world):
    with time_machine.travel(NOW, tick=False):
        state.rebuild(today=TODAY)
        per_group = snapshot()
        GroupMonth.objects.all().delete()
        GroupState.objects.all().delete()
        KabupatenMonth.objects.all().delete()
        KabupatenState.objects.all().delete()
        KabupatenApprovedMonth.objects.all().delete()
        timings: dict[str, float] = {}
        count = set_based.rebuild(today=TODAY, timings=timings)
        rebuilt = snapshot()
    assert count == len(per_group["states"]) >= 5
    assert len(per_group["months"]) >= 60 and per_group["kab_states"] and per_group["kab_approved"]
    # Every column of the month rows carries something in this world, so none is compared as zeros only.
    for field in GroupMonth._meta.get_fields():
        name = getattr(field, "attname", "")
        if name and name not in ("id", "kube_id", "period"):
            assert any(row[name] for row in per_group["months"].values()), name
    assert differing(per_group, rebuilt) == []
    assert set(timings) == {"months", "states", "indexes", "kabupaten", "months_cpu", "states_cpu", "indexes_cpu",
                            "kabupaten_cpu", "child_cpu"}


def test_the_command_uses_the_set_based_rebuild_and_check_finds_no_difference(world, monkeypatch):
    calls: list[dict[str, Any]] = []

    def counted(**kwargs: Any) -> int:
        calls.append(kwargs)
        return set_based.rebuild(**kwargs)

    monkeypatch.setattr(monitoring_rebuild, "rebuild", counted)
    with time_machine.travel(NOW, tick=False):
        call_command("monitoring_rebuild", verbosity=0)
        call_command("monitoring_rebuild", "--check", verbosity=0)
    assert len(calls) == 1


class _InProcess:
    """Stands in for the rebuild's second process (a spawned interpreter cannot see a test's
    uncommitted records): runs each task at once, in this process, on this connection."""

    def __init__(self, **_: Any) -> None:
        pass

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *_: Any) -> None:
        pass

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        done: Future[Any] = Future()
        done.set_result(fn(*args))
        return done


def test_the_parallel_path_writes_the_same_rows(world, monkeypatch):
    """rebuild(parallel=True) with its second process's work run here: the state rows it hands
    over (monitoring/worker.py) and their insertion give what the rebuild in one process gives."""
    monkeypatch.setattr(set_based, "ProcessPoolExecutor", _InProcess)
    with time_machine.travel(NOW, tick=False):
        set_based.rebuild(today=TODAY, parallel=False)
        one_process = snapshot()
        timings: dict[str, float] = {}
        set_based.rebuild(today=TODAY, parallel=True, timings=timings)
        two_processes = snapshot()
    assert one_process["states"] and differing(one_process, two_processes) == []
    assert timings["child_cpu"] > 0


def _indexes(model: Any) -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name for name, about in found.items() if about["index"] and not about["unique"] and not about["primary_key"]}


def test_the_indexes_set_aside_during_the_rebuild_are_back_after_it(world):
    before = {model: _indexes(model) for model in (GroupMonth, GroupState)}
    assert {"gm_kab_period", "gm_period"} <= before[GroupMonth] and "gs_kab_score" in before[GroupState]
    with time_machine.travel(NOW, tick=False):
        set_based.rebuild(today=TODAY)
    assert {model: _indexes(model) for model in (GroupMonth, GroupState)} == before


def test_on_sqlite_the_lines_are_summed_in_the_order_of_the_month_index(db):
    """books/0006's index serves line_months' GROUP BY: no sort of the lines (the expression in the
    migration and monitoring.rebuild.month_of must stay the same)."""
    if connection.vendor != "sqlite":
        pytest.skip("the index is SQLite's (PostgreSQL groups with a hash)")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {set_based.line_months()}")
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX line_kube_month" in plan and "TEMP B-TREE" not in plan, plan
