"""Summing the groups' rows into a region's figures: shared by the dashboard (monitoring/selectors.py)
and by the kabupaten rows the drain writes (monitoring/state.py), so that both sum the same way."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from monitoring.models import DTSEN_FIELDS, TARGET_FIELDS, GroupState, Health, Klass

STATE_SUMS = ["members", "members_f", "welfare_fakir_miskin", "welfare_miskin", "welfare_hampir_miskin",
              *TARGET_FIELDS, "grant_total", "capital", "savings", "iks_collected", "iks_used", "loans_outstanding",
              "par30_amount", "onward_total", *DTSEN_FIELDS]
MONTH_SUMS = ["revenue", "expense", "grant_in", "onward_out", "iks_in", "iks_out", "savings_in", "savings_out",
              "entries", "visits", "visit_present", "visit_active", "audits", "meetings", "meeting_present",
              "meeting_recorded"]
PEKA = [f"peka_d{n}" for n in range(1, 8)]


def _state_aggregates() -> dict[str, Any]:
    aggregates: dict[str, Any] = {"groups": Count("kube_id"), "with_mentor": Count("kube_id", filter=Q(has_mentor=True)),
                                  "groups_outside_target": Count("kube_id", filter=Q(outside_target__gt=0))}
    for status in ("aktif", "stagnan", "bubar"):
        aggregates[f"status_{status}"] = Count("kube_id", filter=Q(status=status))
    for stage in ("pembentukan", "pengembangan", "kemandirian"):
        aggregates[f"stage_{stage}"] = Count("kube_id", filter=Q(stage=stage))
    for klass in Klass.values:
        aggregates[f"class_{klass}"] = Count("kube_id", filter=Q(klass=klass))
    for health in Health.values:
        aggregates[f"health_{health}"] = Count("kube_id", filter=Q(health=health))
    for name in STATE_SUMS:
        aggregates[name] = Sum(name)
    for name in PEKA:
        aggregates[f"{name}_sum"] = Sum(name)
        aggregates[f"{name}_n"] = Count(name)
    return aggregates


def grouped(qs: QuerySet[Any], column: str | None, aggregates: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if column is None:
        return {"": qs.aggregate(**aggregates)}
    return {row[column]: row for row in qs.values(column).annotate(**aggregates).order_by()}


def state_figures(states: QuerySet[GroupState], column: str | None) -> dict[str, dict[str, int]]:
    """{region code in `column`: {figure: int}} summed over the groups' states (PEKA sums × 100)."""
    out: dict[str, dict[str, int]] = {}
    for key, row in grouped(states, column, _state_aggregates()).items():
        out[key] = {name: int(value * 100) if name.endswith("_sum") else int(value)
                    for name, value in row.items() if name != column and value is not None}
    return out
