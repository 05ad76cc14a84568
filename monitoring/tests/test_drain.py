"""The summary outbox end to end: a posting costs its own queries and one pending row; the drain
after commit, the cron drain and the start-up drain bring the summaries to what a rebuild gives;
a crash between commit and drain (or inside a drain) loses nothing; several drainers on PostgreSQL
take each pending row exactly once; the dashboards say as of when their figures are."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse

import testing
from books.models import TxnKind
from books.services import cash_entry_record
from monitoring import drain as drain_module
from monitoring.drain import drain
from monitoring.models import GroupMonth, GroupState, KabupatenMonth, KabupatenState
from monitoring.state import differences, rebuild
from outbox.models import PendingChange
from testing import bearer

NOW = "2026-11-20 10:00 +0700"


def _post(cast, kube, amount, day=date(2026, 10, 7)):
    return cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.SALE, amount=amount, date=day,
                             description="Penjualan")


def _summaries() -> dict[str, object]:
    """Every summary row, without the time each was written."""
    return {
        "months": sorted(GroupMonth.objects.values_list("kube_id", "period", "revenue", "entries", "kab")),
        "states": sorted(GroupState.objects.values_list("kube_id", "capital", "last_entry_on", "health", "klass")),
        "kab_months": sorted(KabupatenMonth.objects.values_list("kab", "period", "revenue", "entries")),
        "kab_states": sorted((k, sorted(f.items())) for k, f in KabupatenState.objects.values_list("kab", "figures")),
    }


def _equals_a_rebuild() -> None:
    assert differences() == []
    incremental = _summaries()
    rebuild()
    assert _summaries() == incremental


def test_a_cash_entry_costs_a_fixed_number_of_queries_and_no_summary(cast, django_assert_num_queries):
    """Pinned exactly: the posting's own statements and one INSERT into the outbox (it was 50 with
    the summaries refreshed inside the transaction, 14 before the receipt counter became one
    UPDATE … RETURNING and the chart read only the entry's two roles, 13 before the receipt's
    EXISTS and the header's savepoint went: books/statements.py)."""
    with time_machine.travel(NOW, tick=False):
        _post(cast, cast.kube_a, 10_000)  # the receipt counter and accounts exist from here on
        with django_assert_num_queries(10) as captured:
            _post(cast, cast.kube_a, 20_000)
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert "outbox_pendingchange" in tables
    assert "monitoring_" not in tables and "regions_region" not in tables  # no summary, no kabupaten lock


@pytest.mark.django_db(transaction=True)
def test_a_crash_between_commit_and_drain_loses_nothing(settings):
    """The app stops after the writers committed and before any drain (OUTBOX_DRAIN=off stands in
    for a process killed at that moment); the start-up drain catches up, equal to a rebuild."""
    settings.OUTBOX_DRAIN = "off"
    with time_machine.travel(NOW, tick=False):
        cast = testing.build_cast()
        for n, kube in enumerate((cast.kube_a, cast.kube_b, cast.kube_c, cast.kube_a)):
            _post(cast, kube, 100_000 * (n + 1), day=date(2026, 9 + n % 2, 5))
        assert PendingChange.objects.count() >= 4
        assert not GroupMonth.objects.exists()  # nothing was drained
        connections.close_all()  # the restart: a new process, a new connection, nothing in memory
        call_command("monitoring_refresh", "--pending", verbosity=0)  # what scripts/run.sh does at start-up
        assert not PendingChange.objects.exists()
        assert GroupMonth.objects.get(kube=cast.kube_a, period=202610).revenue == 400_000
        _equals_a_rebuild()


def test_a_drain_that_fails_half_way_leaves_its_rows_for_the_next(cast, monkeypatch):
    with time_machine.travel(NOW, tick=False):
        drain()
        _post(cast, cast.kube_a, 250_000)
        real = drain_module.write_refresh

        def dies(*args, **kwargs):
            real(*args, **kwargs)  # the summaries are written …
            raise RuntimeError("the process dies before the pending rows are deleted")

        monkeypatch.setattr(drain_module, "write_refresh", dies)
        with pytest.raises(RuntimeError):
            drain()
        assert PendingChange.objects.count() == 1
        assert not GroupMonth.objects.filter(kube=cast.kube_a, period=202610).exists()  # … and rolled back
        monkeypatch.setattr(drain_module, "write_refresh", real)
        assert drain() == 1
        assert GroupMonth.objects.get(kube=cast.kube_a, period=202610).revenue == 250_000
        assert differences() == []


@pytest.mark.django_db(transaction=True)
def test_the_process_drains_soon_after_commit_in_a_thread(settings):
    """The default: the response does not wait; a thread of the process drains a moment later."""
    settings.OUTBOX_DRAIN, settings.OUTBOX_DEBOUNCE = "sync", 0.0
    cast = testing.build_cast()
    settings.OUTBOX_DRAIN = "thread"
    _post(cast, cast.kube_b, 120_000, day=date.today())
    deadline = time.monotonic() + 10
    while PendingChange.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not PendingChange.objects.exists()
    period = date.today().year * 100 + date.today().month
    assert GroupMonth.objects.get(kube=cast.kube_b, period=period).revenue == 120_000


def test_the_dashboard_says_as_of_when_and_what_is_still_waiting(client, cast):
    with time_machine.travel(NOW, tick=False):
        _post(cast, cast.kube_b, 10_000)
        drain()  # the cast was drained at today's real time; this one at NOW
        client.force_login(cast.kab)
        page = client.get(reverse("monitoring:dashboard")).content.decode()
        assert "Angka per 20 Nov 2026 10:00" in page and "perubahan menunggu" not in page
        api = client.get("/api/v1/dashboard/32.04", **bearer(cast.kab)).json()
        assert (api["pending_changes"], api["as_of"][:16]) == (0, "2026-11-20T03:00")  # UTC
        _post(cast, cast.kube_a, 75_000)  # Kab. Bandung
        _post(cast, cast.kube_c, 75_000)  # Kota Bogor
        page = client.get(reverse("monitoring:dashboard")).content.decode()
        assert "1 perubahan menunggu" in page
        assert client.get("/api/v1/dashboard/nasional", **bearer(cast.pusat)).json()["pending_changes"] == 2
        assert client.get("/api/v1/dashboard/32", **bearer(cast.prov)).json()["pending_changes"] == 2
        assert client.get("/api/v1/dashboard/33", **bearer(cast.prov_other)).json()["pending_changes"] == 0
    with time_machine.travel("2026-11-20 10:05 +0700", tick=False):
        drain()
        page = client.get(reverse("monitoring:dashboard")).content.decode()
        assert "Angka per 20 Nov 2026 10:05" in page and "perubahan menunggu" not in page


def test_on_sqlite_a_drainer_whose_rows_another_took_meanwhile_writes_nothing(cast, monkeypatch):
    """SQLite computes before it takes the write lock. If, while this drainer computed, a posting
    landed and another drainer drained both (newer figures), this one must not write its older ones."""
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL the rows are locked while the figures are computed (SKIP LOCKED)")
    with time_machine.travel(NOW, tick=False):
        drain()
        _post(cast, cast.kube_a, 250_000)
        real = drain_module.prepare_refresh
        first: list[bool] = []

        def meanwhile(*args, **kwargs):
            computed = real(*args, **kwargs)  # this drainer's figures: 250,000
            if not first:
                first.append(True)
                _post(cast, cast.kube_a, 40_000)  # a posting after its snapshot …
                assert drain() == 2  # … and another drainer takes both rows and writes 290,000
            return computed

        monkeypatch.setattr(drain_module, "prepare_refresh", meanwhile)
        assert drain_module.drain_once() == 0  # its row is gone: it writes nothing
        assert GroupMonth.objects.get(kube=cast.kube_a, period=202610).revenue == 290_000
        assert not PendingChange.objects.exists()
        _equals_a_rebuild()


@pytest.mark.django_db(transaction=True)
def test_two_drainers_racing_take_each_pending_row_exactly_once(settings, monkeypatch):
    """PostgreSQL (scripts/with_postgres.sh): two threads, two connections, the same pending rows.
    Each row is taken by one drainer only, both drainers take some, and the summaries equal a rebuild."""
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED and advisory locks are PostgreSQL's; on SQLite one drainer runs at a time "
                    "(BEGIN IMMEDIATE)")
    settings.OUTBOX_DRAIN = "off"
    with time_machine.travel(NOW, tick=False):
        cast = testing.build_cast()
        for n in range(24):
            kube = (cast.kube_a, cast.kube_b, cast.kube_c, cast.kube_d)[n % 4]
            _post(cast, kube, 1_000 * (n + 1), day=date(2026, 8 + n % 3, 1 + n))
        expected = set(PendingChange.objects.values_list("id", flat=True))
        taken: dict[str, list[int]] = {"a": [], "b": []}
        real_take, real_write = drain_module.take, drain_module.write_refresh

        def take(*args, **kwargs):
            rows = real_take(*args, **kwargs)
            taken[threading.current_thread().name].extend(r[0] for r in rows)
            return rows

        def slow_write(*args, **kwargs):
            time.sleep(0.05)  # hold the rows long enough for the other drainer to meet them
            return real_write(*args, **kwargs)

        monkeypatch.setattr(drain_module, "take", take)
        monkeypatch.setattr(drain_module, "write_refresh", slow_write)
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def drainer() -> None:
            try:
                start.wait()
                while drain_module.drain_once(limit=3):
                    pass
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=drainer, name=name) for name in taken]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        everything = taken["a"] + taken["b"]
        assert sorted(everything) == sorted(expected)  # each row once: none twice, none left out
        assert taken["a"] and taken["b"]  # they really raced
        assert not PendingChange.objects.exists()
        _equals_a_rebuild()
