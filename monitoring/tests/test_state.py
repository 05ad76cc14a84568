"""The summary rows are kept current by every write path: after any sequence of postings,
reversals, visits, meetings, closings and member changes, drained at any points in between, they
equal a rebuild from the raw records. Every test drains explicitly before it reads a summary."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from books.models import Transaction, TxnKind
from books.services import cash_entry_record, period_close, savings_deposit, transaction_reverse
from books.services.registers import activity_record
from mentoring.services import AuditLine, visit_log
from monitoring.drain import drain, drain_once
from monitoring.models import GroupMonth, GroupState
from monitoring.state import differences, rebuild
from outbox.models import PendingChange
from registry.services import member_leave, member_set_task

NOW = "2026-11-20 10:00 +0700"


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def fund(cast):
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=5_000_000,
                      date=date(2026, 8, 3), description="Modal anggota")


def test_a_posting_leaves_an_outbox_row_and_the_drain_updates_its_month_and_state(cast, now):
    fund(cast)
    drain()
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.SALE, amount=450_000, date=date(2026, 10, 7),
                      description="Penjualan")
    # The writer's transaction wrote the posting and one pending row, and no summary.
    assert list(PendingChange.objects.values_list("kube_id", "month")) == [(cast.kube_a.pk, 202610)]
    assert not GroupMonth.objects.filter(kube=cast.kube_a, period=202610).exists()
    assert GroupState.objects.get(kube=cast.kube_a).last_entry_on == date(2026, 8, 3)
    assert drain() == 1
    assert not PendingChange.objects.exists()
    month = GroupMonth.objects.get(kube=cast.kube_a, period=202610)
    assert (month.revenue, month.entries, month.kab, month.kec) == (450_000, 1, "32.04", "32.04.06")
    state = GroupState.objects.get(kube=cast.kube_a)
    assert (state.capital, state.last_entry_on) == (5_450_000, date(2026, 10, 7))
    assert differences() == []


def test_the_rebuild_equals_the_incremental_rows_after_every_kind_of_change(cast, now):
    fund(cast)
    kube = cast.kube_a
    members = list(kube.members.filter(left_on__isnull=True).order_by("id"))
    sale = cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.SALE, amount=300_000, date=date(2026, 9, 9),
                             description="Penjualan")
    transaction_reverse(actor=cast.ketua, original=sale, date=date(2026, 9, 10), reason="salah ketik")
    savings_deposit(actor=cast.ketua, kube=kube, member=members[0], amount=20_000, date=date(2026, 9, 12))
    visit_log(actor=cast.pendamping, kube=kube, date=date(2026, 10, 2), place="Balai RW", problems="Pemasaran",
              present=members[:4], audits=[AuditLine("kas", True, True)])
    activity_record(actor=cast.ketua, kube=kube, date=date(2026, 10, 5), kind="rapat", place="Rumah ketua",
                    agenda="Rapat bulanan", present=members[:5])
    period_close(actor=cast.ketua, kube=kube, period=202609)
    member_set_task(actor=cast.kab, member=members[4], task="Pemasaran")
    member_leave(actor=cast.kab, member=members[5], left_on=date(2026, 10, 20), reason="pindah")
    assert differences() != []  # nothing drained yet: the summaries are behind the records
    drain()
    assert differences() == []
    stored = {(r.kube_id, r.period): r.revenue for r in GroupMonth.objects.all()}
    rebuild()
    assert {(r.kube_id, r.period): r.revenue for r in GroupMonth.objects.all()} == stored
    state = GroupState.objects.get(kube=kube)
    assert (state.members, state.savings, state.last_closed_period, state.attendance_recent) == (5, 20_000, 202609, 83)


def test_a_forgotten_write_path_is_caught_by_the_check(cast, now):
    fund(cast)
    drain()
    assert differences() == []
    GroupMonth.objects.filter(kube=cast.kube_a).update(revenue=1)
    assert any("bulan" in line for line in differences())


OPERATIONS = st.lists(st.tuples(st.sampled_from(["sale", "expense", "savings", "visit", "meeting", "reverse",
                                                 "close", "drain"]),
                                st.integers(min_value=0, max_value=60), st.integers(min_value=1, max_value=40)),
                      min_size=1, max_size=12)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_any_sequence_of_postings_and_visits_keeps_the_summaries_exact(cast, operations):
    """Hypothesis draws a sequence, with drains at random points in it (a drain that takes some changes
    and leaves the later ones for the next); each example runs in a savepoint rolled back after it."""
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        kube = cast.kube_a
        fund(cast)
        members = list(kube.members.order_by("id"))
        for op, day_offset, size in operations:
            day = date.fromordinal(date(2026, 9, 1).toordinal() + day_offset)
            closed = kube.closed_periods.order_by("-period").values_list("period", flat=True).first()
            if closed and day.year * 100 + day.month <= closed:
                continue  # a closed month takes no more entries; the service would refuse it
            if op in ("sale", "expense"):
                kind = TxnKind.SALE if op == "sale" else TxnKind.EXPENSE
                cash_entry_record(actor=cast.ketua, kube=kube, kind=kind, amount=size * 1000, date=day,
                                  description="Uji")
            elif op == "savings":
                savings_deposit(actor=cast.ketua, kube=kube, member=members[size % len(members)], amount=size * 500,
                                date=day)
            elif op == "visit":
                visit_log(actor=cast.pendamping, kube=kube, date=day, place="Rumah ketua", problems="Uji",
                          present=members[: size % len(members)], audits=[AuditLine("kas", True, size % 2 == 0)])
            elif op == "meeting":
                activity_record(actor=cast.ketua, kube=kube, date=day, kind="rapat", place="Rumah ketua",
                                agenda="Rapat", present=members[: size % len(members)])
            elif op == "reverse":
                last = (Transaction.objects.filter(kube=kube, reverses__isnull=True, reversed_by__isnull=True)
                        .exclude(kind=TxnKind.CAPITAL_IN).order_by("-id").first())
                if last is not None and (not closed or last.period > closed):
                    transaction_reverse(actor=cast.ketua, original=last, date=max(day, last.date), reason="uji")
            elif op == "close" and day.month < 11 and (not closed or day.year * 100 + day.month > closed):
                period_close(actor=cast.ketua, kube=kube, period=day.year * 100 + day.month)
            elif op == "drain":
                drain_once(limit=1 + size % 3)  # a few rows, the later ones left for the next drain
        drain()
        assert not PendingChange.objects.exists()
        assert differences() == []
        transaction.set_rollback(True)


def test_a_group_moved_to_another_kabupaten_takes_its_figures_along(cast, now):
    from monitoring.models import KabupatenMonth, KabupatenState
    from regions.models import Region
    from registry.services import kube_assign_pendamping, kube_update
    from testing import DESA_C

    fund(cast)
    kube = cast.kube_a
    cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.SALE, amount=300_000, date=date(2026, 9, 9),
                      description="Penjualan")
    drain()
    bandung = KabupatenMonth.objects.get(kab="32.04", period=202609).revenue
    assert bandung >= 300_000
    # Kab. Bandung's mentor cannot follow the group to Kota Bogor: the group moves without one.
    kube = kube_assign_pendamping(actor=cast.admin, kube=kube, pendamping=None,
                                  start_on=date(2026, 9, 10))
    kube_update(actor=cast.admin, kube=kube, name=kube.name, desa=Region.objects.get(pk=DESA_C),
                formed_on=kube.formed_on, programme=kube.programme, business_type=kube.business_type,
                target_group=kube.target_group, business_mode=kube.business_mode)
    drain()
    assert differences() == []
    assert KabupatenMonth.objects.get(kab="32.71", period=202609).revenue >= 300_000
    assert KabupatenMonth.objects.filter(kab="32.04", period=202609).values_list("revenue", flat=True).first() \
        in (None, bandung - 300_000)
    assert KabupatenState.objects.get(kab="32.71").figures["groups"] == 2  # Cempaka and the newcomer


@pytest.mark.django_db(transaction=True)
def test_a_batch_outside_any_transaction_keeps_the_summaries_exact():
    """A script loading groups in a batch without its own transaction: the rows are written when the
    block ends, and (committed at once) drained right away in the tests' sync mode."""
    import testing
    from outbox.services import batch

    cast = testing.build_cast()
    with batch():
        testing.make_kube(name="KUBE Tambahan", desa=testing.DESA_B, actor=cast.kab)
    assert differences() == []
    assert GroupState.objects.filter(kube__name="KUBE Tambahan").exists()
