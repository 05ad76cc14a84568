"""The monitoring tests' shared data: `world`, a year of five groups' records written through the
services (the oracle of test_oracle.py and the rebuild comparison of test_rebuild.py both read it),
with three groups' months on the reporting chain: approved, returned, approved and withdrawn, and
approved then reopened and corrected (`_reporting_chain`)."""

from __future__ import annotations

import contextlib
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from approval import services as chain
from assessments.instrument import CODE
from assessments.models import InstrumentVersion
from assessments.services import assessment_start, scores_save
from books.errors import BooksError
from books.models import TxnKind
from books.services import (
    MeetingSaving,
    cash_entry_record,
    cash_transfer,
    iks_allocate,
    iks_policy_set,
    iks_use,
    loan_disburse,
    loan_repay,
    meeting_savings_record,
    period_close,
    savings_deposit,
    savings_withdraw,
    transaction_reverse,
)
from books.services.registers import activity_record, rules_adopt
from grants.services import grant_record, onward_transfer
from mentoring.models import Book
from mentoring.services import AuditLine, NewFollowUp, visit_log, visit_photo_add
from outbox import drainer
from outbox.services import batch
from registry.choices import DtsenSource, DtsenStatus
from registry.services import PROGRAMME_FIELDS, dtsen_record_add, kube_status_change, member_leave, programme_save
from testing import DESA_A2, make_kube
from testing.approval import officer_account

NOW = "2026-11-20 10:00 +0700"
TODAY = date(2026, 11, 20)
MONTHS = [202512, *range(202601, 202612)]  # the twelve months up to the one still running
BOOKS = [Book.CASH, Book.MEMBERS, Book.AGENDA, Book.IKS, Book.SAVINGS]


def _month_days(period: int) -> tuple[date, date]:
    first = date(period // 100, period % 100, 1)
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(buffer, format="JPEG")
    return SimpleUploadedFile("kunjungan.jpg", buffer.getvalue(), content_type="image/jpeg")


def _month(cast: Any, kube: Any, n: int, period: int, mentor: Any, version: Any) -> None:
    """One month of a group's life: trade, savings, a meeting, a mentor's visit (an audit of several
    books every quarter), loans, IKS; the month closed once over."""
    first, last = _month_days(period)
    members = list(kube.members.filter(left_on__isnull=True).order_by("id"))
    actor = cast.admin
    end = min(last, TODAY)
    if period == MONTHS[0]:
        grant = grant_record(actor=cast.admin, kube=kube, name="Bantuan UEP KUBE", source="apbn",
                             decree_number=f"{n}/KEP/2025", amount=3_000_000 + 500_000 * n, received_on=first,
                             bank_name="BRI", account_number=f"00{n}", account_name=kube.name)
        cash_transfer(actor=actor, kube=kube, amount=2_000_000, to_bank=False, date=first + timedelta(days=1),
                      description="Tarik tunai modal usaha")
        iks_policy_set(actor=actor, kube=kube, funds=[("Anggota sakit", 5), ("Posyandu", 5)])
        rules_adopt(actor=actor, kube=kube, text="Aturan kelompok", adopted_on=first, loan_fee_percent_month=Decimal(1))
        kube._grant = grant  # type: ignore[attr-defined]
    day = min(first + timedelta(days=2 + n), end)
    cash_entry_record(actor=actor, kube=kube, kind=TxnKind.PURCHASE, amount=300_000 + 10_000 * n, date=day,
                      description="Belanja stok")
    sale = cash_entry_record(actor=actor, kube=kube, kind=TxnKind.SALE, amount=450_000 + 25_000 * (period % 7 + n),
                             date=min(day + timedelta(days=3), end), description="Penjualan")
    if period % 4 == n % 4:
        transaction_reverse(actor=actor, original=sale, date=min(day + timedelta(days=4), end), reason="salah catat")
        cash_entry_record(actor=actor, kube=kube, kind=TxnKind.SALE, amount=400_000, date=min(day + timedelta(days=4), end),
                          description="Penjualan (dibetulkan)")
    if period % 3 == 0:
        cash_entry_record(actor=actor, kube=kube, kind=TxnKind.EXPENSE, amount=60_000, date=end,
                          description="Ongkos angkut")
    for i, member in enumerate(members[:2]):
        savings_deposit(actor=actor, kube=kube, member=member, amount=10_000 * (i + 1), date=day)
    if period % 5 == 1:
        savings_withdraw(actor=actor, kube=kube, member=members[0], amount=5_000, date=end)
    present = members[: max(2, len(members) - (period + n) % 4)]
    activity_record(actor=actor, kube=kube, date=day, kind="rapat", place="Rumah ketua", agenda="Rapat bulanan",
                    present=present)
    if mentor is not None and not (kube == cast.kube_c and period in (202609, 202610)):
        quarter = period % 100 in (2, 5, 8, 11)
        audits = [AuditLine(b, True, i % 2 == 0, "" if i % 2 == 0 else "Belum ditutup") for i, b in enumerate(BOOKS)] \
            if quarter else []
        if period % 100 == 7:
            audits = [AuditLine(Book.CASH, False, False, "")]  # listed, not checked: no audit
        visit = visit_log(actor=mentor, kube=kube, date=day, place="Balai RW", problems="Pemasaran",
                          present=members[: len(members) - 1 - (period % 2)], audits=audits,
                          follow_ups=[NewFollowUp("Tutup buku kas", members[0], day + timedelta(days=14))]
                          if period % 2 else [])
        if period == 202603:
            visit_photo_add(actor=mentor, visit=visit, upload=_photo(), caption="Rapat")
        if period % 100 == 6 and n % 2 == 0:  # a second visit in the month
            visit_log(actor=mentor, kube=kube, date=min(day + timedelta(days=10), end), place="Warung",
                      problems="Stok", present=members[:2], kind="bimtek")
    if period == 202602 and len(members) > 4:
        loan_disburse(actor=actor, kube=kube, member=members[3], amount=600_000, term_months=6, date=day)
        loan_disburse(actor=actor, kube=kube, member=members[4], amount=300_000, term_months=3, date=day)
    for loan in kube.loans.all():
        late = loan.member == members[3] if len(members) > 3 else False
        if loan.disbursed_on < first and not (late and period >= 202605) and loan.amount > 0:
            from books.selectors import loan_state

            if loan_state(loan, on=end).outstanding > 0:
                loan_repay(actor=actor, loan=loan, amount=106_000 if loan.term_months == 6 else 103_000, date=end)
    if period == 202605:  # the members' meeting sheet: deposits, one withdrawal, a share on to the cooperative
        meeting_savings_record(actor=actor, kube=kube, date=day, lines=[
            MeetingSaving(members[0], deposit=20_000, to_coop=15_000), MeetingSaving(members[1], withdrawal=5_000),
            *[MeetingSaving(m, deposit=5_000 * (i + 1)) for i, m in enumerate(members[2:])]])
    _dtsen(cast, kube, n, period, members, first)
    if period == 202604 and n == 1:
        kube_status_change(actor=cast.admin, kube=kube, status="stagnan", effective_on=first, reason="Usaha berhenti")
    if period == 202608 and n in (0, 2):
        onward_transfer(actor=actor, grant=kube._grant, recipient_kind="keluarga",  # type: ignore[attr-defined]
                        recipients=[("Ibu Entin", "", 250_000)], date=day, note="Perguliran")
    if period < 202611 and not (n == 2 and period >= 202609):
        profit_month = period
        with contextlib.suppress(BooksError):  # no profit this month: nothing to set aside
            iks_allocate(actor=actor, kube=kube, period=profit_month, date=last)
        fund = kube.iks_funds.order_by("id").first()
        if period % 3 == 1 and fund is not None:
            with contextlib.suppress(BooksError):  # the fund is still empty
                iks_use(actor=actor, kube=kube, fund=fund, amount=5_000, date=last, description="Anggota sakit")
        period_close(actor=actor, kube=kube, period=period)
    if period in (202603, 202609) and n != 3:
        assessment = assessment_start(actor=cast.admin, kube=kube, version=version, date=day,
                                      participants=members[:4])
        items = list(version.items.order_by("number"))
        scores_save(actor=cast.admin, assessment=assessment,
                    scores={(p.pk, item.pk): 1 + (p.pk + item.number + n + period) % 4
                            for p in assessment.participants.all() for item in items})
    if period == 202607 and len(members) > 5:
        member_leave(actor=cast.admin, member=members[-1], left_on=day, reason="pindah")


def _submit(kube: Any, period: int, ketua: Any, bendahara: Any) -> Any:
    chain.lpj_confirm(actor=ketua, kube=kube, period=period)
    return chain.lpj_confirm(actor=bendahara, kube=kube, period=period)


def _approve(kube: Any, period: int, people: tuple[Any, Any, Any, Any]) -> Any:
    ketua, bendahara, mentor, office = people
    lpj = chain.lpj_verify(actor=mentor, lpj=_submit(kube, period, ketua, bendahara), findings="Cocok dengan buku")
    return chain.lpj_approve(actor=office, lpj=lpj)


def _reporting_chain(cast: Any, extra: Any) -> None:
    """Months on the reporting chain, through its services (each announces what it changes):

    - KUBE Maju Sejahtera 11: January to June approved; July returned by the mentor; August
      approved, then reopened on the group's request (granted) and corrected with a late sale;
    - KUBE Cempaka (Kota Bogor): May and June approved, August only verified;
    - KUBE Sauyunan: September and October approved, July approved and withdrawn by the office,
      August returned by the office."""
    a = (cast.ketua, officer_account(cast.kube_a, "bendahara", "bendahara.maju"), cast.pendamping, cast.kab)
    c = (officer_account(cast.kube_c, "ketua", "ketua.cempaka"), officer_account(cast.kube_c, "bendahara", "bendahara.cempaka"),
         cast.pendamping_other, cast.kab_other)
    x = (officer_account(extra, "ketua", "ketua.sauyunan"), officer_account(extra, "bendahara", "bendahara.sauyunan"),
         cast.pendamping, cast.kab)
    for period in range(202601, 202607):
        _approve(cast.kube_a, period, a)
    chain.lpj_return(actor=cast.pendamping, lpj=_submit(cast.kube_a, 202607, a[0], a[1]), reason="Nota belanja kurang")
    august = _approve(cast.kube_a, 202608, a)
    drainer.drain()  # August counts as approved in the summaries until its reopening
    request = chain.reopen_ask(actor=cast.ketua, lpj=august, reason="Penjualan tanggal 20 belum tercatat")
    chain.reopen_decide(actor=cast.kab, request=request, grant=True, note="Silakan dibetulkan")
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.SALE, amount=175_000, date=date(2026, 8, 20),
                      description="Penjualan (terlambat dicatat)")
    for period in (202605, 202606):
        _approve(cast.kube_c, period, c)
    chain.lpj_verify(actor=cast.pendamping_other, lpj=_submit(cast.kube_c, 202608, c[0], c[1]))
    for period in (202609, 202610):
        _approve(extra, period, x)
    july = _approve(extra, 202607, x)
    drainer.drain()  # July counts as approved in the summaries: its withdrawal must take it out again
    chain.lpj_unapprove(actor=cast.kab, lpj=july, note="Salah pilih")
    lpj = chain.lpj_verify(actor=cast.pendamping, lpj=_submit(extra, 202608, x[0], x[1]))
    chain.lpj_return(actor=cast.kab, lpj=lpj, reason="Saldo kas tidak sama dengan buku bank")


def _dtsen(cast: Any, kube: Any, n: int, period: int, members: list[Any], first: date) -> None:
    """Members' DTSEN standing: found at a desil, not found, never checked; a later record that
    replaces an earlier one; then the programme of the groups starts to target desil 1–4."""
    if period == 202603:
        for i, member in enumerate(members):
            if i % 4 == 0:
                dtsen_record_add(actor=cast.admin, member=member, status=DtsenStatus.FOUND, desil=1 + (i + n) % 10,
                                 source=DtsenSource.MANUAL, data_date=first)
            elif i % 4 == 1:
                dtsen_record_add(actor=cast.admin, member=member, status=DtsenStatus.NOT_FOUND, desil=None,
                                 source=DtsenSource.EXTRACT, data_date=first)
            elif i % 4 == 2:
                dtsen_record_add(actor=cast.admin, member=member, status=DtsenStatus.FOUND, desil=2,
                                 source=DtsenSource.MANUAL, data_date=first)
    if period == 202606 and n == 0:
        programme = kube.programme
        programme_save(actor=cast.admin, programme=programme,
                       **{**{f: getattr(programme, f) for f in PROGRAMME_FIELDS}, "target_desil_max": 4})
    if period == 202609:
        for i, member in enumerate(members):
            if i % 4 == 2:  # a newer extract: the family's desil rose
                dtsen_record_add(actor=cast.admin, member=member, status=DtsenStatus.FOUND, desil=7 + n % 3,
                                 source=DtsenSource.EXTRACT, data_date=first)
            elif i % 4 == 1 and i < 3:
                dtsen_record_add(actor=cast.admin, member=member, status=DtsenStatus.FOUND, desil=3,
                                 source=DtsenSource.MANUAL, data_date=first)


@pytest.fixture
def world(cast):
    """Five groups in four kabupaten of two provinces, a year of records each."""
    with time_machine.travel(NOW, tick=False):
        extra = make_kube(name="KUBE Sauyunan", desa=DESA_A2, actor=cast.kab, pendamping=cast.pendamping, n=7,
                          formed_on=date(2025, 6, 1))
        kubes = [(cast.kube_a, cast.pendamping), (cast.kube_b, None), (cast.kube_c, cast.pendamping_other),
                 (cast.kube_d, None), (extra, cast.pendamping)]
        version = InstrumentVersion.objects.get(instrument__code=CODE, number=1)
        with batch():  # eleven months as a bulk load writes them (one outbox row per group and month)
            for period in MONTHS[:-2]:
                for n, (kube, mentor) in enumerate(kubes):
                    _month(cast, kube, n, period, mentor, version)
        drainer.drain()  # what the app does after the load commits
        for period in MONTHS[-2:]:  # the last two one change at a time, as the pages and the API do
            for n, (kube, mentor) in enumerate(kubes):
                _month(cast, kube, n, period, mentor, version)
                drainer.drain()  # a drain per group-month: the incremental path, not a second bulk one
        _reporting_chain(cast, extra)
        drainer.drain()
        yield cast, [k for k, _m in kubes]


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
        drainer.drain()  # the summaries, as the app writes them within a second of each posting
        yield cast
