"""The tiered dashboard: a region's totals are the sum of its sub-regions' and equal a direct count
over the raw records; drill-down stays within reach; queries are few and fixed; reports download."""

from __future__ import annotations

import io

from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from books.lpj import parse_period
from books.models import Line
from mentoring.models import Visit
from monitoring.selectors import dashboard, scope_for
from registry.models import Member
from testing import assert_csp_clean

NOW = "2026-11-20 10:00 +0700"  # the books fixture's day (conftest.py)

OCTOBER = parse_period("2026-10")


def raw_revenue(kubes_filter: dict) -> int:
    lines = Line.objects.filter(date__year=2026, date__month=10, account__type="income", **kubes_filter)
    totals = lines.aggregate(c=Sum("credit"), d=Sum("debit"))
    return (totals["c"] or 0) - (totals["d"] or 0)


def test_a_regions_totals_are_its_sub_regions_sums_and_the_raw_counts(books):
    cast = books
    board = dashboard(scope_for(cast.pusat, ""), OCTOBER)
    assert [r.code for r, _f in board.children] == ["32", "33"]
    t = board.total
    for name in ("groups", "members", "revenue", "expense", "visits", "visit_present", "capital", "health_sehat",
                 "health_perhatian", "health_kritis", "class_belum"):
        assert t[name] == sum(f[name] for _r, f in board.children), name
    assert t["groups"] == 4
    assert t["members"] == Member.objects.filter(left_on__isnull=True).count()
    assert t["revenue"] == raw_revenue({}) == 1_800_000
    assert t["visits"] == Visit.objects.filter(date__month=10).count() == 2
    west_java = dashboard(scope_for(cast.pusat, "32"), OCTOBER)
    assert [r.code for r, _f in west_java.children] == ["32.04", "32.71"]
    assert west_java.total["revenue"] == raw_revenue({"kube__desa__code__startswith": "32."}) == 1_600_000
    bandung = dashboard(scope_for(cast.pusat, "32.04"), OCTOBER)
    assert {r.code: f["revenue"] for r, f in bandung.children} == {"32.04.05": 300_000, "32.04.06": 800_000}
    assert bandung.total.profit == 1_100_000 - 100_000
    assert bandung.total["visits_due"] == 1  # one mentored group in Bandung, one month


def test_the_dashboard_costs_a_fixed_number_of_queries(client, books):
    client.force_login(books.prov)
    url = reverse("monitoring:dashboard")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"periode": "2026-10"}).status_code == 200
    with CaptureQueriesContext(connection) as deeper:
        assert client.get(url, {"wilayah": "32.04.06", "periode": "2026-10"}).status_code == 200
    # 15: one of them the share-outs of the book year with their flags (monitoring/shareouts.py).
    assert len(queries) <= 15, [q["sql"][:100] for q in queries]
    assert len(deeper) <= 15, [q["sql"][:100] for q in deeper]


def test_drill_down_stays_within_reach(client, books):
    cast = books
    url = reverse("monitoring:dashboard")
    client.force_login(cast.kab)
    page = client.get(url, {"periode": "2026-10"})
    assert page.status_code == 200 and page.context["board"].scope.code == "32.04"
    for outside in ("32.71", "33", "32"):
        assert client.get(url, {"wilayah": outside}).status_code == 404
    desa = client.get(url, {"wilayah": "32.04.06", "periode": "2026-10"})
    assert [s.kube_id for s, _r in desa.context["groups"]] == [cast.kube_a.pk]
    for user in (cast.pendamping, cast.ketua, cast.anggota, cast.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_every_monitoring_page_opens_clean(client, books):
    cast = books
    pages = {cast.prov: [reverse("monitoring:dashboard"), reverse("monitoring:dashboard") + "?wilayah=32.04.06",
                         reverse("monitoring:rules"), reverse("monitoring:group", args=[cast.kube_a.pk])],
             cast.pendamping: [reverse("monitoring:group", args=[cast.kube_a.pk]),
                               reverse("registry:detail", args=[cast.kube_a.pk])]}
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_csp_clean(response.content.decode(), url)


def test_the_period_report_as_xlsx_and_pdf(client, books):
    client.force_login(books.prov)
    xlsx = client.get(reverse("monitoring:report", args=["xlsx"]), {"wilayah": "32", "periode": "2026-Q4"})
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = book["Ringkasan"]
    regions = [row[0] for row in summary.iter_rows(min_row=2, values_only=True)]
    assert regions == ["Provinsi Jawa Barat", "Kabupaten Bandung", "Kota Bogor"] or len(regions) == 3
    assert set(book.sheetnames) >= {"Ringkasan", "Tren bulanan", "Perlu perhatian", "Asistensi"}
    pdf = client.get(reverse("monitoring:report", args=["pdf"]), {"wilayah": "32", "periode": "2026"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("monitoring:report", args=["doc"])).status_code == 404
