"""Fixtures shared by the monitoring tests."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from books.models import TxnKind
from books.services import cash_entry_record
from mentoring.services import visit_log
from monitoring.drain import drain

NOW = "2026-11-20 10:00 +0700"


@pytest.fixture
def books(cast):
    with time_machine.travel(NOW, tick=False):
        for kube, actor, amount in ((cast.kube_a, cast.ketua, 800_000), (cast.kube_b, cast.ketua, 300_000),
                                    (cast.kube_c, cast.ketua, 500_000), (cast.kube_d, cast.ketua, 200_000)):
            cash_entry_record(actor=actor, kube=kube, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                              date=date(2026, 9, 1), description="Modal")
            cash_entry_record(actor=actor, kube=kube, kind=TxnKind.SALE, amount=amount, date=date(2026, 10, 9),
                              description="Penjualan")
            cash_entry_record(actor=actor, kube=kube, kind=TxnKind.EXPENSE, amount=50_000, date=date(2026, 10, 10),
                              description="Biaya")
        visit_log(actor=cast.pendamping, kube=cast.kube_a, date=date(2026, 10, 3), place="Balai", problems="x",
                  present=list(cast.kube_a.members.all()[:4]))
        visit_log(actor=cast.pendamping_other, kube=cast.kube_c, date=date(2026, 10, 4), place="Balai", problems="x",
                  present=list(cast.kube_c.members.all()[:2]))
        drain()  # the summaries, as the app writes them within a second of each posting
        yield cast
