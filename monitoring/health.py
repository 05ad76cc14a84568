"""A group's health from its state: a score, a state (sehat / perlu perhatian / kritis) and the
plain-language reasons that put it there (monitoring/rules.py holds the numbers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.periods import month_index, months_between, period_of
from monitoring.models import Health
from monitoring.rules import Rule, rules, thresholds


def unclosed_months(last_closed: int | None, *, formed_on: date, today: date) -> int:
    """Months that have ended but are not closed (the LPJ is due after each month ends)."""
    last_over = month_index(period_of(today)) - 1  # the month before this one
    first = month_index(period_of(formed_on))
    closed = month_index(last_closed) if last_closed else first - 1
    return max(last_over - closed, 0)


def _grade(rule: Rule, value: float, *, below: bool = False) -> int:
    """Points for a measured value: `below` rules fire when the value is under the threshold."""
    def past(threshold: float) -> bool:
        return value < threshold if below else value >= threshold

    if rule.critical is not None and past(rule.critical):
        return rule.critical_points
    return rule.points if past(rule.warn) else 0


def assess(state: Any, *, today: date, formed_on: date) -> tuple[str, int, list[list[Any]]]:
    """(health, score, reasons) for a GroupState (or anything with its fields)."""
    if state.status == "bubar":
        return Health.DISSOLVED, 0, []
    r = rules()
    reasons: list[list[Any]] = []

    def add(code: str, points: int, **params: Any) -> None:
        if points:
            reasons.append([code, points, params])

    since = state.last_meeting_on or formed_on
    add("no_meeting", _grade(r["no_meeting"], months_between(since, today)), months=months_between(since, today),
        never=state.last_meeting_on is None)
    since = state.last_entry_on or formed_on
    add("no_entries", _grade(r["no_entries"], months_between(since, today)), months=months_between(since, today),
        never=state.last_entry_on is None)
    if state.has_mentor:
        since = state.last_visit_on or formed_on
        add("no_visit", _grade(r["no_visit"], months_between(since, today)), months=months_between(since, today),
            never=state.last_visit_on is None)
        audit_days = (today - state.last_audit_on).days if state.last_audit_on else (today - formed_on).days
        add("no_audit", _grade(r["no_audit"], audit_days), days=audit_days)
    if state.attendance_recent is not None:
        add("attendance_low", _grade(r["attendance_low"], state.attendance_recent, below=True),
            percent=state.attendance_recent)
        if state.attendance_before is not None:
            drop = state.attendance_before - state.attendance_recent
            add("attendance_falling", _grade(r["attendance_falling"], drop), before=state.attendance_before,
                now=state.attendance_recent)
    unclosed = unclosed_months(state.last_closed_period, formed_on=formed_on, today=today)
    add("lpj_late", _grade(r["lpj_late"], unclosed), months=unclosed)
    if state.records >= 20:
        add("one_recorder", _grade(r["one_recorder"], state.top_recorder_share), percent=state.top_recorder_share)
    if state.members:
        share = round(100 * state.members_without_task / state.members)
        add("no_task", _grade(r["no_task"], share), percent=share, count=state.members_without_task)
    if state.officers_since:
        years = months_between(state.officers_since, today) // 12
        add("officers_unchanged", _grade(r["officers_unchanged"], years), years=years)
    if state.peka_mean is not None:
        add("peka_low", _grade(r["peka_low"], float(state.peka_mean), below=True), mean=str(state.peka_mean))
        if state.peka_prev_mean is not None:
            fall = float(Decimal(state.peka_prev_mean) - Decimal(state.peka_mean))
            add("peka_falling", _grade(r["peka_falling"], fall), before=str(state.peka_prev_mean),
                now=str(state.peka_mean))
    if state.grant_total > 0:
        percent = round(100 * state.capital / state.grant_total)
        add("capital_shrinking", _grade(r["capital_shrinking"], percent, below=True), percent=percent)
    if state.savings_3m_ago > 0:
        fall = round(100 * (state.savings_3m_ago - state.savings) / state.savings_3m_ago)
        add("savings_falling", _grade(r["savings_falling"], fall), percent=fall)
    if state.loans_outstanding > 0:
        par = round(100 * state.par30_amount / state.loans_outstanding)
        add("par30", _grade(r["par30"], par), percent=par)
    if state.status == "stagnan":
        add("stagnant", r["stagnant"].points)
    score = sum(points for _c, points, _p in reasons)
    attention, critical = thresholds()
    health = Health.CRITICAL if score >= critical else Health.ATTENTION if score >= attention else Health.HEALTHY
    reasons.sort(key=lambda row: -row[1])
    return health, min(score, 999), reasons


def reason_text(code: str, params: dict[str, Any]) -> str:
    """The plain words for a reason, in the user's language."""
    p = params
    if code == "no_meeting":
        if p.get("never"):
            return ngettext("Belum ada pertemuan tercatat sejak dibentuk (%(n)s bulan)",
                            "Belum ada pertemuan tercatat sejak dibentuk (%(n)s bulan)", p["months"]) % {"n": p["months"]}
        return ngettext("Tidak ada pertemuan sejak %(n)s bulan", "Tidak ada pertemuan sejak %(n)s bulan",
                        p["months"]) % {"n": p["months"]}
    if code == "no_entries":
        if p.get("never"):
            return _("Buku Kas Umum belum pernah diisi")
        return ngettext("Buku Kas Umum tidak diisi sejak %(n)s bulan", "Buku Kas Umum tidak diisi sejak %(n)s bulan",
                        p["months"]) % {"n": p["months"]}
    if code == "no_visit":
        if p.get("never"):
            return _("Belum pernah dikunjungi pendamping")
        return ngettext("Tidak dikunjungi pendamping sejak %(n)s bulan", "Tidak dikunjungi pendamping sejak %(n)s bulan",
                        p["months"]) % {"n": p["months"]}
    if code == "no_audit":
        return ngettext("Buku tidak diperiksa pendamping selama %(n)s hari",
                        "Buku tidak diperiksa pendamping selama %(n)s hari", p["days"]) % {"n": p["days"]}
    if code == "attendance_low":
        return _("Kehadiran rapat hanya %(p)s %%") % {"p": p["percent"]}
    if code == "attendance_falling":
        return _("Kehadiran rapat turun dari %(b)s %% menjadi %(n)s %%") % {"b": p["before"], "n": p["now"]}
    if code == "lpj_late":
        return ngettext("%(n)s bulan buku belum ditutup (LPJ terlambat)", "%(n)s bulan buku belum ditutup (LPJ terlambat)",
                        p["months"]) % {"n": p["months"]}
    if code == "one_recorder":
        return _("%(p)s %% catatan ditulis oleh satu orang") % {"p": p["percent"]}
    if code == "no_task":
        return ngettext("%(n)s anggota belum punya tugas", "%(n)s anggota belum punya tugas", p["count"]) % {"n": p["count"]}
    if code == "officers_unchanged":
        return ngettext("Pengurus tidak berganti selama %(n)s tahun", "Pengurus tidak berganti selama %(n)s tahun",
                        p["years"]) % {"n": p["years"]}
    if code == "peka_low":
        return _("Rata-rata PEKA %(m)s, di bawah standar") % {"m": p["mean"].replace(".", ",")}
    if code == "peka_falling":
        return _("Rata-rata PEKA turun dari %(b)s menjadi %(n)s") % {"b": p["before"].replace(".", ","),
                                                                   "n": p["now"].replace(".", ",")}
    if code == "capital_shrinking":
        return _("Modal tinggal %(p)s %% dari bantuan yang diterima") % {"p": p["percent"]}
    if code == "savings_falling":
        return _("Simpanan anggota turun %(p)s %% dalam 3 bulan") % {"p": p["percent"]}
    if code == "par30":
        return _("%(p)s %% pinjaman anggota terlambat lebih dari 30 hari") % {"p": p["percent"]}
    if code == "stagnant":
        return _("Berstatus stagnan")
    return code


def reasons_text(reasons: list[list[Any]]) -> list[str]:
    return [reason_text(code, params) for code, _points, params in reasons]
