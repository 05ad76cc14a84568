"""Each class is reached by a group crafted to meet its criteria, and the office sees why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from monitoring.classification import CRITERIA, classify, evidence_from
from monitoring.drain import drain
from monitoring.models import ClassCheck, GroupState
from monitoring.services import class_check_set


@dataclass(frozen=True)
class State:
    has_mentor: bool = True
    last_entry_on: date | None = date(2026, 11, 2)
    last_closed_period: int | None = 202610
    grant_total: int = 10_000_000
    capital: int = 13_000_000
    savings: int = 800_000
    iks_collected: int = 300_000
    profit_6m: int = 2_400_000
    profit_prev_6m: int = 1_500_000
    peka_mean: Decimal | None = Decimal("3.20")


TICKS = {c.code: True for c in CRITERIA if not c.from_records}
RECORDS: dict[str, Any] = {"trained": True, "officers": 3, "activities": 12, "lpj_gap": 0}


@pytest.mark.parametrize(("state", "ticks", "expected"), [
    (State(), TICKS, "maju"),
    (State(capital=11_000_000), TICKS, "berkembang"),                     # capital grows too slowly for Maju
    (State(), {**TICKS, "partners": False}, "berkembang"),                # the mentor has not seen a partnership
    (State(savings=0), TICKS, "tumbuh"),                                   # no welfare for members yet
    (State(), {**TICKS, "confidence": False}, "tumbuh"),
    (State(grant_total=0, capital=0), TICKS, "belum"),                     # no grant received yet
    (State(), {**TICKS, "name_board": False}, "belum"),
])
def test_each_class_is_reached_by_the_group_that_meets_its_criteria(state, ticks, expected):
    klass, met = classify(evidence_from(state, **RECORDS), ticks)
    assert klass == expected
    assert set(met) == {c.code for c in CRITERIA}


def test_a_group_grows_from_its_records_and_the_mentors_tick(cast):
    from grants.services import grant_record
    from mentoring.services import visit_log

    kube = cast.kube_a
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        grant_record(actor=cast.kab, kube=kube, name="Bantuan UEP", source="apbn", decree_number="1/2026",
                     amount=10_000_000, received_on=date(2026, 9, 1), bank_name="BRI", account_number="1",
                     account_name="KUBE Maju Sejahtera 11")
        visit_log(actor=cast.pendamping, kube=kube, date=date(2026, 9, 5), kind="bimtek", place="Balai",
                  problems="Pembukuan", present=[])
        drain()
        state = GroupState.objects.get(kube=kube)
        assert state.klass == "belum" and state.evidence["grant"] and state.evidence["training"]
        assert not state.evidence["name_board"]
        class_check_set(actor=cast.pendamping, kube=kube, code="name_board", met=True,
                        evidence="Papan nama terpasang di depan warung (foto kunjungan)")
        drain()
        state.refresh_from_db()
        assert state.klass == "tumbuh"
        assert ClassCheck.objects.get().checked_by == cast.pendamping
    with time_machine.travel("2026-11-22 10:00 +0700", tick=False):
        class_check_set(actor=cast.pendamping, kube=kube, code="name_board", met=False,
                        evidence="Papan nama roboh diterpa angin")
        drain()
    state.refresh_from_db()
    assert state.klass == "belum"


def test_the_office_sees_why_a_group_has_its_class(client, cast):
    kube = cast.kube_a
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        class_check_set(actor=cast.pendamping, kube=kube, code="name_board", met=True, evidence="Papan nama terpasang")
    with time_machine.travel("2026-11-22 10:00 +0700", tick=False):
        class_check_set(actor=cast.pendamping, kube=kube, code="name_board", met=False, evidence="Papan nama roboh")
    client.force_login(cast.prov)
    page = client.get(f"/kube/{kube.pk}/kesehatan/").content.decode()
    board = page.split('data-criterion="name_board"', 1)[1].split("</li>", 1)[0]
    assert "Papan nama roboh" in board and "terpasang" not in board  # the latest tick, with its evidence
    assert 'data-criterion="grant"' in page and "dari catatan" in page
    assert "<form" not in board  # the province reads; the mentor (or the district) ticks


def test_a_tick_needs_evidence_and_a_known_criterion(cast):
    from monitoring.errors import MonitoringError

    with pytest.raises(MonitoringError, match="Bukti wajib diisi"):
        class_check_set(actor=cast.pendamping, kube=cast.kube_a, code="name_board", met=True, evidence=" ")
    with pytest.raises(MonitoringError, match="tidak dapat dicentang"):
        class_check_set(actor=cast.pendamping, kube=cast.kube_a, code="grant", met=True, evidence="SK")
    assert not ClassCheck.objects.exists()

