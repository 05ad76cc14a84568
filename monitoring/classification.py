"""Classification Tumbuh / Berkembang / Maju (Mandiri) from evidence, after the guideline's criteria.

Most criteria are read from the records (`evidence` below, computed when the group's state is
refreshed); those the records cannot show are ticked by the mentor with evidence (ClassCheck). A
group is in the highest class whose criteria, and those of every class below, are all met.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from monitoring.models import Klass


@dataclass(frozen=True)
class Criterion:
    klass: str
    code: str
    text: Any
    from_records: bool  # False: ticked by the mentor


CRITERIA: list[Criterion] = [
    Criterion(Klass.TUMBUH, "mentor", _("Mempunyai pendamping"), True),
    Criterion(Klass.TUMBUH, "training", _("Pernah mengikuti pelatihan, bimbingan teknis, asistensi atau studi banding"),
              True),
    Criterion(Klass.TUMBUH, "officers", _("Ketua, sekretaris dan bendahara menjabat"), True),
    Criterion(Klass.TUMBUH, "grant", _("Sudah menerima bantuan stimulan"), True),
    Criterion(Klass.TUMBUH, "name_board", _("Mempunyai papan nama"), False),
    Criterion(Klass.TUMBUH, "activities", _("Kegiatan dan pembukuan sudah dimulai"), True),
    Criterion(Klass.BERKEMBANG, "roles", _("Berjalan menurut peran pengurus: buku ditutup dan LPJ dibuat tiap bulan"),
              True),
    Criterion(Klass.BERKEMBANG, "profit_to_capital", _("Keuntungan menambah modal (modal melebihi bantuan)"), True),
    Criterion(Klass.BERKEMBANG, "welfare", _("Keuntungan untuk kesejahteraan anggota (simpanan anggota)"), True),
    Criterion(Klass.BERKEMBANG, "iks", _("IKS disisihkan dari keuntungan"), True),
    Criterion(Klass.BERKEMBANG, "confidence", _("Kepercayaan diri dan interaksi sosial anggota meningkat"), False),
    Criterion(Klass.MAJU, "growing", _("Keuntungan dan modal terus bertambah"), True),
    Criterion(Klass.MAJU, "iks_community", _("IKS dipakai untuk anggota, keluarga miskin lain dan masyarakat"), False),
    Criterion(Klass.MAJU, "well_run", _("Usaha dikelola dengan baik (untung 6 bulan terakhir, rata-rata PEKA "
                                        "terakhir 2,75 atau lebih)"), True),
    Criterion(Klass.MAJU, "partners", _("Bermitra dengan lembaga ekonomi (koperasi, bank, distributor)"), False),
]

ORDER = [Klass.TUMBUH, Klass.BERKEMBANG, Klass.MAJU]
WELL_RUN_PEKA = Decimal("2.75")


def evidence_from(state: Any, *, trained: bool, officers: int, activities: int, lpj_gap: int) -> dict[str, bool]:
    """The criteria the records show, from a refreshed GroupState and three counts."""
    capital, grant = state.capital, state.grant_total
    return {
        "mentor": bool(state.has_mentor),
        "training": trained,
        "officers": officers >= 3,
        "grant": grant > 0,
        "activities": activities > 0 or state.last_entry_on is not None,
        "roles": state.last_closed_period is not None and lpj_gap <= 1,
        "profit_to_capital": grant > 0 and capital > grant,
        "welfare": state.savings > 0,
        "iks": state.iks_collected > 0,
        "growing": state.profit_6m > state.profit_prev_6m > 0 and grant > 0 and capital >= grant * 5 // 4,
        "well_run": state.profit_6m > 0 and state.peka_mean is not None and state.peka_mean >= WELL_RUN_PEKA,
    }


def classify(evidence: dict[str, bool], ticks: dict[str, bool]) -> tuple[str, dict[str, bool]]:
    """(class, every criterion met or not) from the records' evidence and the mentor's ticks."""
    met = {c.code: (evidence.get(c.code, False) if c.from_records else ticks.get(c.code, False)) for c in CRITERIA}
    klass = Klass.NONE
    for level in ORDER:
        if all(met[c.code] for c in CRITERIA if c.klass == level):
            klass = level
        else:
            break
    return klass, met
