"""The early-warning rules: what makes a group "perlu perhatian" or "kritis", and how much.

Each rule gives points when its threshold is reached (more points past a second, critical
threshold); a group's score is the sum. Under ATTENTION points it is *sehat*; from CRITICAL points
it is *kritis*. The defaults below follow the signals of seeds 000 and 004 (groups that stop
meeting, stop writing their books and are run by one person fade); an installation may change any
number with the setting SIKUBE_HEALTH_RULES, e.g. {"no_meeting": {"warn": 3}} (README, Monitoring).
The page /pemantauan/aturan/ explains the rules in force.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    code: str
    label: Any          # what is measured (shown on the rules page)
    unit: Any           # the threshold's unit
    warn: float         # threshold for `points`
    points: int
    critical: float | None = None  # threshold for `critical_points`
    critical_points: int = 0


DEFAULTS: list[Rule] = [
    Rule("no_meeting", _("Bulan sejak pertemuan kelompok terakhir (Buku Agenda atau pertemuan rutin dengan "
                         "pendamping)"), _("bulan"), 2, 20, 3, 40),
    Rule("no_entries", _("Bulan sejak baris terakhir di Buku Kas Umum"), _("bulan"), 2, 20, 3, 35),
    Rule("no_visit", _("Bulan sejak kunjungan pendamping terakhir"), _("bulan"), 2, 15, 4, 25),
    Rule("attendance_low", _("Kehadiran rata-rata pada tiga pertemuan terakhir di bawah"), _("%"), 50, 10),
    Rule("attendance_falling", _("Kehadiran turun dibanding tiga pertemuan sebelumnya, paling sedikit"),
         _("poin %"), 20, 10),
    Rule("lpj_late", _("Bulan buku yang sudah berakhir tetapi belum ditutup (LPJ belum dibuat)"), _("bulan"), 2, 10,
         4, 20),
    Rule("no_audit", _("Hari sejak buku terakhir diperiksa pendamping"), _("hari"), 90, 5),
    Rule("one_recorder", _("Bagian catatan 6 bulan terakhir (Buku Kas Umum dan Buku Agenda) yang ditulis satu "
                           "orang, bila ada paling sedikit 20 catatan"), _("%"), 100, 10),
    Rule("no_task", _("Anggota tanpa tugas dalam kelompok"), _("%"), 50, 5),
    Rule("officers_unchanged", _("Tahun pengurus tidak berganti"), _("tahun"), 3, 5),
    Rule("peka_low", _("Rata-rata PEKA terakhir di bawah"), _("nilai"), 2.5, 10),
    Rule("peka_falling", _("Rata-rata PEKA turun dibanding penilaian sebelumnya, paling sedikit"), _("nilai"),
         0.25, 10),
    Rule("capital_shrinking", _("Modal sekarang dibanding bantuan yang diterima, di bawah"), _("%"), 80, 15, 50, 30),
    Rule("savings_falling", _("Simpanan anggota turun dalam 3 bulan terakhir, paling sedikit"), _("%"), 10, 5),
    Rule("par30", _("Pinjaman anggota terlambat lebih dari 30 hari (PAR 30), paling sedikit"), _("%"), 10, 10, 30,
         20),
    Rule("stagnant", _("Dinas Sosial menetapkan status stagnan"), "", 1, 20),
]

ATTENTION = 20
CRITICAL = 45


def rules() -> dict[str, Rule]:
    """The rules in force: the defaults with this installation's settings applied."""
    overrides: dict[str, dict[str, Any]] = getattr(settings, "SIKUBE_HEALTH_RULES", {}) or {}
    out = {}
    for rule in DEFAULTS:
        changes = {k: v for k, v in overrides.get(rule.code, {}).items()
                   if k in ("warn", "points", "critical", "critical_points")}
        out[rule.code] = replace(rule, **changes) if changes else rule
    return out


def thresholds() -> tuple[int, int]:
    overrides = getattr(settings, "SIKUBE_HEALTH_RULES", {}) or {}
    levels = overrides.get("levels", {})
    return int(levels.get("attention", ATTENTION)), int(levels.get("critical", CRITICAL))
