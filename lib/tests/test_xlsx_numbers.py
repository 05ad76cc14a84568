"""Every workbook SIKUBE writes can be computed with: money and counts are numbers with a grouped
number format (never text such as 'Rp394.500.000' or '126 / 28'), the header row is frozen and
each column is at least as wide as its header's longest word."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from assessments.instrument import CODE
from assessments.models import InstrumentVersion
from assessments.services import assessment_start, scores_save
from books.models import TxnKind
from books.services import (
    cash_entry_record,
    iks_allocate,
    iks_policy_set,
    iks_use,
    loan_disburse,
    loan_repay,
    savings_deposit,
)
from books.services.registers import activity_record, guest_record, inventory_add, workplan_save
from lib.xlsx import COUNT_FORMAT, DECIMAL_FORMAT, MONEY_FORMAT, PERCENT_FORMAT, Workbook
from mentoring.services import AuditLine, visit_log
from outbox import drainer

NOW = "2026-11-20 10:00 +0700"
NUMBER_FORMATS = {COUNT_FORMAT, MONEY_FORMAT, DECIMAL_FORMAT, PERCENT_FORMAT}
# Text that is a number in disguise: an amount, a pair of counts, a grouped number, a percentage.
DISGUISED = re.compile(r"^-?Rp|^\d+ / \d+$|^\d{1,3}(\.\d{3})+$|^\d+([.,]\d+)?\s*%$")


def books_of(cast):
    kube, actor = cast.kube_a, cast.ketua
    members = list(kube.members.order_by("id"))
    cash_entry_record(actor=actor, kube=kube, kind=TxnKind.CAPITAL_IN, amount=5_000_000, date=date(2026, 9, 1),
                      description="Modal")
    cash_entry_record(actor=actor, kube=kube, kind=TxnKind.SALE, amount=1_250_000, date=date(2026, 9, 9),
                      description="Penjualan")
    iks_policy_set(actor=actor, kube=kube, funds=[("Anggota sakit", 10)])
    iks_allocate(actor=actor, kube=kube, period=202609)
    iks_use(actor=actor, kube=kube, fund=kube.iks_funds.get(), amount=20_000, date=date(2026, 10, 2),
            description="Anggota sakit")
    savings_deposit(actor=actor, kube=kube, member=members[0], amount=20_000, date=date(2026, 10, 3))
    loan = loan_disburse(actor=actor, kube=kube, member=members[3], amount=600_000, term_months=6,
                         date=date(2026, 9, 5), fee_percent_month=Decimal("1.5"))
    loan_repay(actor=actor, loan=loan, amount=100_000, date=date(2026, 10, 5))
    inventory_add(actor=actor, kube=kube, name="Timbangan", quantity=1, unit="buah", acquired_on=date(2026, 9, 2),
                  source="own", value=350_000)
    guest_record(actor=actor, kube=kube, date=date(2026, 10, 4), name="Petugas", purpose="Memantau")
    activity_record(actor=actor, kube=kube, date=date(2026, 10, 6), kind="rapat", place="Balai", agenda="Rapat",
                    present=members[:4])
    workplan_save(actor=actor, kube=kube, activity="Dagangan baru", aim="Omzet naik", target="Omzet 5 juta sebulan",
                  start_on=date(2026, 10, 1), end_on=date(2026, 12, 31), person=members[0], budget=1_000_000,
                  budget_source="Laba", percent_done=40, status="berjalan")
    visit_log(actor=cast.pendamping, kube=kube, date=date(2026, 10, 7), place="Balai", problems="x",
              present=members[:3], audits=[AuditLine("kas", True, True), AuditLine("agenda", True, True)])
    version = InstrumentVersion.objects.get(instrument__code=CODE, number=1)
    assessment = assessment_start(actor=cast.pendamping, kube=kube, version=version, date=date(2026, 10, 8),
                                  participants=members[:3])
    scores_save(actor=cast.pendamping, assessment=assessment,
                scores={(p.pk, i.pk): 3 for p in assessment.participants.all() for i in version.items.all()})
    return assessment


def check(content: bytes, name: str) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    problems = []
    for ws in book.worksheets:
        if ws.max_row < 1 or ws.title in ("Daftar", "Petunjuk"):  # the import template's lists and help
            continue
        if ws.freeze_panes != "A2":
            problems.append(f"{name}/{ws.title}: header not frozen ({ws.freeze_panes})")
        headers = [c.value for c in ws[1]]
        widths = {}  # a run of columns of one width is stored once, as a range
        for dim in ws.column_dimensions.values():
            for col in range(dim.min or 0, (dim.max or 0) + 1):
                widths[col] = dim.width or 0
        for col, header in enumerate(headers, start=1):
            width = widths.get(col, 0)
            longest = max((len(w) for w in str(header or "").split()), default=0)
            if width < longest:
                problems.append(f"{name}/{ws.title}: column {header!r} {width} narrower than {longest}")
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, bool):
                    problems.append(f"{name}/{ws.title}!{cell.coordinate}: a boolean")
                elif isinstance(cell.value, (int, float)) and cell.number_format not in NUMBER_FORMATS:
                    problems.append(f"{name}/{ws.title}!{cell.coordinate}: {cell.value} as {cell.number_format!r}")
                elif isinstance(cell.value, str) and DISGUISED.match(cell.value.strip()):
                    problems.append(f"{name}/{ws.title}!{cell.coordinate}: number as text {cell.value!r}")
    return problems


def test_every_workbook_holds_numbers_with_a_number_format(client, cast):
    with time_machine.travel(NOW, tick=False):
        assessment = books_of(cast)
        drainer.drain()
        kube = cast.kube_a.pk
        urls = {
            "kas": reverse("books:cash_book_xlsx", args=[kube]) + "?bulan=2026-09",
            "iks": reverse("books:iks_xlsx", args=[kube]),
            "simpanan": reverse("books:savings_xlsx", args=[kube]),
            "pinjaman": reverse("books:loans_xlsx", args=[kube]),
            "inventaris": reverse("books:inventory_xlsx", args=[kube]),
            "tamu": reverse("books:guests_xlsx", args=[kube]),
            "agenda": reverse("books:agenda_xlsx", args=[kube]),
            "rencana": reverse("books:workplan_xlsx", args=[kube]),
            "ekspor": reverse("registry:export"),
            "anggota": reverse("registry:members_export", args=[kube]),
            "templat": reverse("registry:import_template"),
            "peka": reverse("assessments:xlsx", args=[kube, assessment.pk]),
        }
        client.force_login(cast.admin)
        problems: list[str] = []
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, name
            problems += check(response.content, name)
        for period in ("2026-10", "2026-Q4", "2026"):
            for region in ("", "32", "32.04", "32.04.06"):
                report = client.get(reverse("monitoring:report", args=["xlsx"]), {"wilayah": region, "periode": period})
                problems += check(report.content, f"laporan {region} {period}")
    assert problems == []


def test_the_period_report_sums_like_a_spreadsheet(client, cast):
    """Open the report as a reader would and sum a column: the sub-regions add up to the region."""
    with time_machine.travel(NOW, tick=False):
        books_of(cast)
        drainer.drain()  # the report reads the summaries
        client.force_login(cast.pusat)
        report = client.get(reverse("monitoring:report", args=["xlsx"]), {"periode": "2026-09"})
    sheet = load_workbook(io.BytesIO(report.content))["Ringkasan"]
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    for header in ("KUBE", "Anggota", "Pendapatan dalam periode", "Modal sekarang", "Kunjungan pendamping"):
        col = headers.index(header)
        assert isinstance(rows[1][col], int)
        assert rows[1][col] == sum(r[col] for r in rows[2:]), header
    revenue = headers.index("Pendapatan dalam periode")
    assert rows[1][revenue] == 1_250_000
    assert sheet.cell(row=2, column=revenue + 1).number_format == MONEY_FORMAT


def test_the_writer_sizes_columns_to_their_headers_and_formats_numbers():
    book = Workbook()
    book.sheet("Uji", ["Nama", "Pinjaman terlambat lebih dari 30 hari", "Kehadiran"],
               [["A", 1_500_000, Decimal("83.3")]], widths=[10, 4, 4], money_columns=[1], percent_columns=[2])
    ws = load_workbook(io.BytesIO(book.close()))["Uji"]
    assert ws.column_dimensions["B"].width >= len("terlambat")
    assert (ws["B2"].value, ws["B2"].number_format) == (1_500_000, MONEY_FORMAT)
    assert (ws["C2"].value, ws["C2"].number_format) == (83.3, PERCENT_FORMAT)
    assert ws.freeze_panes == "A2"
