"""Each early-warning reason fires on a group crafted to show it, and none on a healthy one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest

from monitoring.health import assess, reasons_text

TODAY = date(2026, 11, 15)
FORMED = date(2024, 3, 1)


@dataclass(frozen=True)
class State:
    """The fields health reads, with the values of a group that is doing well."""

    status: str = "aktif"
    has_mentor: bool = True
    last_meeting_on: date | None = date(2026, 11, 2)
    last_entry_on: date | None = date(2026, 11, 10)
    last_visit_on: date | None = date(2026, 11, 3)
    last_audit_on: date | None = date(2026, 10, 5)
    attendance_recent: int | None = 90
    attendance_before: int | None = 85
    last_closed_period: int | None = 202610
    records: int = 60
    top_recorder_share: int = 70
    members: int = 8
    members_without_task: int = 1
    officers_since: date | None = date(2024, 3, 1)
    peka_mean: Decimal | None = Decimal("3.10")
    peka_prev_mean: Decimal | None = Decimal("2.90")
    grant_total: int = 10_000_000
    capital: int = 11_500_000
    savings: int = 900_000
    savings_3m_ago: int = 700_000
    loans_outstanding: int = 2_000_000
    par30_amount: int = 0


HEALTHY = State()


def test_a_healthy_group_has_no_reasons():
    assert assess(HEALTHY, today=TODAY, formed_on=FORMED) == ("sehat", 0, [])


@pytest.mark.parametrize(("change", "code", "words"), [
    ({"last_meeting_on": date(2026, 8, 1)}, "no_meeting", "Tidak ada pertemuan sejak 3 bulan"),
    ({"last_meeting_on": None}, "no_meeting", "Belum ada pertemuan tercatat sejak dibentuk"),
    ({"last_entry_on": date(2026, 9, 1)}, "no_entries", "Buku Kas Umum tidak diisi sejak 2 bulan"),
    ({"last_visit_on": date(2026, 8, 20)}, "no_visit", "Tidak dikunjungi pendamping sejak 2 bulan"),
    ({"last_audit_on": date(2026, 6, 1)}, "no_audit", "Buku tidak diperiksa pendamping selama 167 hari"),
    ({"attendance_recent": 40, "attendance_before": 45}, "attendance_low", "Kehadiran rapat hanya 40 %"),
    ({"attendance_recent": 60, "attendance_before": 95}, "attendance_falling",
     "Kehadiran rapat turun dari 95 % menjadi 60 %"),
    ({"last_closed_period": 202607}, "lpj_late", "3 bulan buku belum ditutup (LPJ terlambat)"),
    ({"top_recorder_share": 100}, "one_recorder", "100 % catatan ditulis oleh satu orang"),
    ({"members_without_task": 5}, "no_task", "5 anggota belum punya tugas"),
    ({"officers_since": date(2022, 1, 1)}, "officers_unchanged", "Pengurus tidak berganti selama 4 tahun"),
    ({"peka_mean": Decimal("2.30"), "peka_prev_mean": Decimal("2.35")}, "peka_low",
     "Rata-rata PEKA 2,30, di bawah standar"),
    ({"peka_mean": Decimal("2.60"), "peka_prev_mean": Decimal("3.00")}, "peka_falling",
     "Rata-rata PEKA turun dari 3,00 menjadi 2,60"),
    ({"capital": 4_000_000}, "capital_shrinking", "Modal tinggal 40 % dari bantuan yang diterima"),
    ({"savings": 500_000}, "savings_falling", "Simpanan anggota turun 29 % dalam 3 bulan"),
    ({"par30_amount": 700_000}, "par30", "35 % pinjaman anggota terlambat lebih dari 30 hari"),
    ({"status": "stagnan"}, "stagnant", "Berstatus stagnan"),
])
def test_each_reason_fires_on_the_group_that_shows_it(change, code, words):
    _health, score, reasons = assess(replace(HEALTHY, **change), today=TODAY, formed_on=FORMED)
    assert [r[0] for r in reasons] == [code]
    assert reasons_text(reasons) == [words] or words in reasons_text(reasons)[0]
    assert score == reasons[0][1] > 0


def test_a_fading_group_is_critical_with_its_reasons_first():
    fading = replace(HEALTHY, last_meeting_on=date(2026, 7, 1), last_entry_on=date(2026, 7, 20),
                     last_visit_on=date(2026, 6, 1), last_closed_period=202605, attendance_recent=35)
    health, score, reasons = assess(fading, today=TODAY, formed_on=FORMED)
    assert health == "kritis" and score >= 45
    assert reasons_text(reasons)[:2] == ["Tidak ada pertemuan sejak 4 bulan", "Buku Kas Umum tidak diisi sejak 3 bulan"]


def test_one_warning_alone_is_attention_not_critical():
    assert assess(replace(HEALTHY, last_entry_on=date(2026, 9, 10)), today=TODAY, formed_on=FORMED)[0] == "perhatian"


def test_a_dissolved_group_is_not_scored():
    assert assess(replace(HEALTHY, status="bubar", last_meeting_on=None), today=TODAY, formed_on=FORMED) == (
        "bubar", 0, [])


def test_the_thresholds_are_settings(settings):
    settings.SIKUBE_HEALTH_RULES = {"no_entries": {"warn": 6, "critical": 9}}
    late = replace(HEALTHY, last_entry_on=date(2026, 7, 1))
    assert assess(late, today=TODAY, formed_on=FORMED)[2] == []
