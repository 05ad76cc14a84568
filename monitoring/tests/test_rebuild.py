"""The set-based rebuild (monitoring/rebuild.py) writes the same summary rows as the per-group
computation (monitoring/state.py's rebuild), on the oracle's world: every kind of record, reversals,
loans, IKS, closed months, visits with audits, meetings with attendance, assessments, a member who
left and a stagnant group."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import time_machine
from django.core.management import call_command

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
