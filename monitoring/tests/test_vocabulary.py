"""One word for a group's health everywhere (sehat / perlu perhatian / kritis), and dashboards that
open on a month whose books are final rather than on the month still being written."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from books.models import TxnKind
from books.services import cash_entry_record, period_close
from mentoring.services import AuditLine, visit_log
from monitoring.drain import drain
from monitoring.models import GroupState
from testing import bearer

NOW = "2026-11-20 10:00 +0700"


@pytest.fixture
def visited_but_idle(cast):
    """KUBE Maju Sejahtera 11 visited and audited last week, but no meeting or book line for months:
    the early warning says kritis, while the mentor's own points (nothing overdue) are low."""
    with time_machine.travel(NOW, tick=False):
        visit_log(actor=cast.pendamping, kube=cast.kube_a, date=date(2026, 11, 13), place="Balai RW",
                  problems="Usaha berhenti", present=list(cast.kube_a.members.all()[:3]),
                  audits=[AuditLine("kas", True, False, "Tidak diisi")])
        drain()
        yield cast


def test_the_workspace_the_dashboard_and_the_api_use_the_same_word(client, visited_but_idle):
    cast = visited_but_idle
    kube = cast.kube_a
    with time_machine.travel(NOW, tick=False):
        state = GroupState.objects.get(kube=kube)
        assert state.health == "kritis"
        client.force_login(cast.pendamping)
        page = client.get(reverse("mentoring:workspace")).content.decode()
        badge = re.search(rf'data-testid="health-{kube.pk}">([^<]*)<', page)
        assert badge is not None and badge.group(1) == "Kritis"
        assert "perlu perhatian</span>" not in page.lower()
        health = client.get(f"/api/v1/groups/{kube.pk}/health", **bearer(cast.pendamping)).json()["health"]
        rows = client.get(f"/api/v1/mentors/{cast.pendamping.pk}/workspace", **bearer(cast.pendamping)).json()
        assert [r["health"] for r in rows if r["kube"] == kube.pk] == [health] == ["kritis"]
        mentors = client.get("/api/v1/mentors", **bearer(cast.kab)).json()["items"]
        assert [m["attention"] for m in mentors if m["id"] == cast.pendamping.pk] == [1]
        client.force_login(cast.kab)
        group_page = client.get(reverse("monitoring:group", args=[kube.pk])).content.decode()
        assert "Kritis" in group_page


def test_the_dashboard_opens_on_the_last_closed_month_and_labels_a_running_month(client, cast):
    with time_machine.travel(NOW, tick=False):
        cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.SALE, amount=700_000,
                          date=date(2026, 9, 10), description="Penjualan")
        period_close(actor=cast.ketua, kube=cast.kube_a, period=202609)
        drain()
        client.force_login(cast.kab)
        page = client.get(reverse("monitoring:dashboard"))
        assert page.context["period"].code == "2026-09"  # not October (ended, no books) nor November
        assert page.context["t"]["revenue"] == 700_000 and not page.context["running"]
        api = client.get("/api/v1/dashboard/32.04", **bearer(cast.kab)).json()
        assert (api["period"], api["running_months"]) == ("2026-09", [])
        running = client.get(reverse("monitoring:dashboard"), {"periode": "2026-11"})
        assert running.context["running"] and 'data-testid="running"' in running.content.decode()
        assert "(berjalan)" in running.context["trend_chart"]
        assert client.get("/api/v1/dashboard/32.04?period=2026-Q4", **bearer(cast.kab)).json()[
            "running_months"] == [202611, 202612]
        report = client.get(reverse("monitoring:report", args=["xlsx"]))
        assert "2026-09" in report["Content-Disposition"]


def test_without_closed_books_the_last_ended_month_with_entries(client, cast):
    with time_machine.travel(NOW, tick=False):
        cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.SALE, amount=100_000,
                          date=date(2026, 8, 10), description="Penjualan")
        drain()
        client.force_login(cast.kab)
        assert client.get(reverse("monitoring:dashboard")).context["period"].code == "2026-08"
        client.force_login(cast.kab_other)  # Kota Bogor: no books at all, so the month before this one
        assert client.get(reverse("monitoring:dashboard")).context["period"].code == "2026-10"
