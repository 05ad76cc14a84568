"""The reporting chain worked through for October 2026 in Kab. Bandung: two groups (KUBE Maju
Sejahtera 11 and KUBE Mekar Jaya 02), their mentor, the district office, Jawa Barat and the ministry.

Maju Sejahtera submits on 3 November (on time: due the 10th), is returned once by the district for
a missing receipt, verified again and approved; Mekar Jaya's treasurer confirms on the 14th (four
days late). The district submits its report, the province accepts it (a snapshot of its figures),
then the district can no longer withdraw an approval. Maju Sejahtera's reopening is granted (its
correction then shows against the snapshot); Mekar Jaya's is refused.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from approval import selectors, services
from approval.errors import ApprovalError, OutOfTurnError
from approval.models import Action, Level, Lpj, ReopenStatus, Report, Step
from audit.models import AuditEntry
from books.errors import BooksError, ClosedPeriodError
from books.models import PeriodClose, TxnKind
from books.services import cash_entry_record, period_close
from outbox import drainer
from regions.models import Region

pytestmark = pytest.mark.django_db

OCT = 202610


def at(when: str):
    return time_machine.travel(f"{when} +0700", tick=False)


def close_october(chain) -> None:
    with at("2026-11-02 08:00"):
        period_close(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
        period_close(actor=chain.ketua_b, kube=chain.kube_b, period=OCT)


def lpj_of(kube) -> Lpj:
    return Lpj.objects.get(kube=kube, period=OCT)


def test_the_whole_chain_for_october(chain):
    cast = chain.cast
    close_october(chain)

    # 3 November: both officers of Maju Sejahtera confirm; the second confirmation submits.
    with at("2026-11-03 09:00"):
        lpj = services.lpj_confirm(actor=chain.ketua_a, kube=chain.kube_a, period=OCT, note="Sudah dicocokkan")
        assert lpj.reached == 0 and lpj.submitted_at is None
        with pytest.raises(OutOfTurnError, match="sudah mengonfirmasi"):
            services.lpj_confirm(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
        with pytest.raises(PermissionDenied):  # a plain member does not act in the chain
            services.lpj_confirm(actor=cast.anggota, kube=chain.kube_a, period=OCT)
        lpj = services.lpj_confirm(actor=chain.bendahara_a, kube=chain.kube_a, period=OCT)
        assert (lpj.reached, lpj.next_level) == (1, Level.PENDAMPING)
        # Mekar Jaya: only the chair so far.
        services.lpj_confirm(actor=chain.ketua_b, kube=chain.kube_b, period=OCT)

    # The mentor verifies Maju Sejahtera with findings; the district returns it for a receipt.
    with at("2026-11-05 10:00"):
        with pytest.raises(PermissionDenied):  # the mentor cannot approve
            services.lpj_approve(actor=cast.pendamping, lpj=lpj)
        with pytest.raises(OutOfTurnError, match="menunggu Pendamping"):
            services.lpj_approve(actor=cast.kab, lpj=lpj)
        lpj = services.lpj_verify(actor=cast.pendamping, lpj=lpj, findings="Kas cocok; satu nota pembelian hilang")
        with pytest.raises(ApprovalError, match="alasan pengembalian"):
            services.lpj_return(actor=cast.kab, lpj=lpj, reason="  ")
        lpj = services.lpj_return(actor=cast.kab, lpj=lpj, reason="Lampirkan nota pembelian 12 Oktober")
        assert (lpj.reached, lpj.verified_at, lpj.returned_reason) == (1, None, "Lampirkan nota pembelian 12 Oktober")
        lpj = services.lpj_verify(actor=cast.pendamping, lpj=lpj, findings="Nota sudah dilampirkan")

    # 14 November: Mekar Jaya's treasurer confirms, four days after the due day.
    with at("2026-11-14 16:00"):
        lpj_b = services.lpj_confirm(actor=chain.bendahara_b, kube=chain.kube_b, period=OCT)
        assert lpj_b.reached == 1
        board = selectors.completeness("32.04", OCT, today=date(2026, 11, 14))
        assert (board.total.expected, board.total.submitted, board.total.verified, board.total.on_time) == (2, 2, 1, 1)
        assert [(r.name, r.days_late, r.submitted) for r in board.late] == [("KUBE Mekar Jaya 02", 4, True)]
        services.lpj_verify(actor=cast.pendamping, lpj=lpj_b)

    # 16 November: the district approves both at once; each is recorded and locks its month.
    with at("2026-11-16 09:00"):
        with pytest.raises(PermissionDenied):  # a province does not approve a group's LPJ
            services.lpj_approve(actor=cast.prov, lpj=lpj)
        result = services.lpj_approve_many(actor=cast.kab, lpjs=[lpj, lpj_b], note="Sesuai")
        assert (len(result.approved), result.refused) == (2, [])
        assert Step.objects.filter(action=Action.APPROVE).count() == 2
        assert {(c.kube_id, c.locked) for c in PeriodClose.objects.filter(period=OCT)} == {
            (chain.kube_a.pk, True), (chain.kube_b.pk, True)}
        again = services.lpj_approve_many(actor=cast.kab, lpjs=[lpj], note="")
        assert again.approved == [] and "sudah disetujui" in again.refused[0][1]
        # The group cannot reopen an approved month itself.
        with pytest.raises(BooksError, match="sudah disetujui dinas"):
            services.month_reopen(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
        board = selectors.completeness("32.04", OCT, today=date(2026, 11, 16))
        assert (board.total.approved, board.total.verified) == (2, 2)

    # 20 November: the district submits its October report; Jawa Barat accepts it with its figures.
    drainer.drain()
    bandung = Region.objects.get(pk="32.04")
    with at("2026-11-20 09:00"):
        with pytest.raises(Http404):  # for a mentor a region's report does not exist
            services.report_submit(actor=cast.pendamping, region=bandung, period="2026-10")
        report = services.report_submit(actor=cast.kab, region=bandung, period="2026-10")
        with pytest.raises(PermissionDenied):  # the district does not accept its own report
            services.report_accept(actor=cast.kab, report=report)
        report = services.report_accept(actor=cast.prov, report=report, note="Lengkap")
        assert report.reached == 2 and dict(report.snapshot or [])["KUBE"] == 2
        assert selectors.report_differences(report) == []

    # The district cannot withdraw Mekar Jaya's approval now: the province accepted above it.
    with pytest.raises(ApprovalError, match="sudah diterima provinsi"):
        services.lpj_unapprove(actor=cast.kab, lpj=lpj_of(chain.kube_b))

    # Both groups ask to reopen October; the district grants Maju Sejahtera's, refuses Mekar Jaya's.
    with at("2026-11-21 09:00"):
        ask_a = services.reopen_ask(actor=chain.bendahara_a, lpj=lpj_of(chain.kube_a),
                                    reason="Penjualan 28 Oktober Rp250.000 belum dicatat")
        ask_b = services.reopen_ask(actor=chain.ketua_b, lpj=lpj_of(chain.kube_b), reason="Salah ketik keterangan")
        with pytest.raises(OutOfTurnError, match="sudah diajukan"):
            services.reopen_ask(actor=chain.ketua_b, lpj=lpj_of(chain.kube_b), reason="Lagi")
        with pytest.raises(PermissionDenied):
            services.reopen_decide(actor=cast.pendamping, request=ask_a, grant=True)
        services.reopen_decide(actor=cast.kab, request=ask_a, grant=True, note="Silakan dikoreksi")
        with pytest.raises(ApprovalError, match="alasan penolakan"):
            services.reopen_decide(actor=cast.kab, request=ask_b, grant=False)
        services.reopen_decide(actor=cast.kab, request=ask_b, grant=False,
                               note="Keterangan tidak mengubah angka; koreksi di bulan berjalan")
    ask_a.refresh_from_db()
    ask_b.refresh_from_db()
    assert (ask_a.status, ask_b.status) == (ReopenStatus.GRANTED, ReopenStatus.REFUSED)
    assert not PeriodClose.objects.filter(kube=chain.kube_a, period=OCT).exists()
    assert PeriodClose.objects.get(kube=chain.kube_b, period=OCT).locked
    assert lpj_of(chain.kube_a).reached == 0 and lpj_of(chain.kube_b).approved
    assert AuditEntry.objects.filter(kube_id=chain.kube_a.pk, object_repr__contains="dibuka kembali").exists()
    # Mekar Jaya's October stays shut in the ledger.
    with at("2026-11-21 10:00"), pytest.raises(ClosedPeriodError):
        cash_entry_record(actor=chain.bendahara_b, kube=chain.kube_b, kind=TxnKind.SALE, amount=10_000,
                          date=date(2026, 10, 30), description="Penjualan")

    # Maju Sejahtera records the forgotten sale in October: the accepted report now differs.
    with at("2026-11-21 11:00"):
        cash_entry_record(actor=chain.bendahara_a, kube=chain.kube_a, kind=TxnKind.SALE, amount=250_000,
                          date=date(2026, 10, 28), description="Penjualan yang terlewat")
    drainer.drain()
    report.refresh_from_db()
    changed = {d.label: (d.accepted, d.now) for d in selectors.report_differences(report)}
    assert changed["Pendapatan dalam periode"][1] - changed["Pendapatan dalam periode"][0] == 250_000

    # The province submits its own October report and the ministry accepts it: from then on the
    # province cannot withdraw its acceptance of Bandung's report.
    jabar = Region.objects.get(pk="32")
    with at("2026-11-25 09:00"):
        services.report_submit(actor=cast.prov, region=jabar, period="2026-10")
        with pytest.raises(PermissionDenied):  # a province does not accept its own report
            services.report_accept(actor=cast.prov, report=Report.objects.get(region=jabar))
        services.report_accept(actor=cast.pusat, report=Report.objects.get(region=jabar))
        with pytest.raises(ApprovalError, match="sudah diterima Kementerian"):
            services.report_unapprove(actor=cast.prov, report=report)


def test_a_return_to_the_officers_needs_both_confirmations_again(chain):
    close_october(chain)
    with at("2026-11-03 09:00"):
        services.lpj_confirm(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
        lpj = services.lpj_confirm(actor=chain.bendahara_a, kube=chain.kube_a, period=OCT)
        lpj = services.lpj_return(actor=chain.cast.pendamping, lpj=lpj, reason="Saldo kas tidak cocok dengan buku")
        assert (lpj.reached, lpj.ketua_by_id, lpj.bendahara_by_id, lpj.submitted_at) == (0, None, None, None)
        assert selectors.lpj_state_label(lpj) == "Dikembalikan untuk perbaikan"
        lpj = services.lpj_confirm(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
        assert lpj.reached == 0
        lpj = services.lpj_confirm(actor=chain.bendahara_a, kube=chain.kube_a, period=OCT)
        assert lpj.reached == 1 and lpj.returned_reason == ""


def test_an_open_month_cannot_be_submitted(chain):
    with at("2026-11-03 09:00"), pytest.raises(ApprovalError, match="belum ditutup"):
        services.lpj_confirm(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)


def test_the_group_reopens_a_month_not_yet_approved_and_its_submission_is_withdrawn(chain):
    close_october(chain)
    with at("2026-11-03 09:00"):
        services.lpj_confirm(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
        services.lpj_confirm(actor=chain.bendahara_a, kube=chain.kube_a, period=OCT)
        assert services.month_reopen(actor=chain.ketua_a, kube=chain.kube_a, period=OCT) == [OCT]
    assert lpj_of(chain.kube_a).reached == 0
    assert Step.objects.filter(lpj__kube=chain.kube_a, action=Action.WITHDRAW).count() == 1


def test_unapprove_withdraws_only_the_last_act(chain):
    cast = chain.cast
    close_october(chain)
    with at("2026-11-03 09:00"):
        services.lpj_confirm(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
        lpj = services.lpj_confirm(actor=chain.bendahara_a, kube=chain.kube_a, period=OCT)
        lpj = services.lpj_verify(actor=cast.pendamping, lpj=lpj)
        with pytest.raises(PermissionDenied):  # the officers cannot pull back once the mentor acted
            services.lpj_unapprove(actor=chain.ketua_a, lpj=lpj)
        lpj = services.lpj_approve(actor=cast.kab, lpj=lpj)
        assert PeriodClose.objects.get(kube=chain.kube_a, period=OCT).locked
        with pytest.raises(PermissionDenied):  # nor the mentor once the district approved
            services.lpj_unapprove(actor=cast.pendamping, lpj=lpj)
        lpj = services.lpj_unapprove(actor=cast.kab, lpj=lpj, note="Salah pilih")
        assert (lpj.reached, lpj.approved_at) == (2, None)
        assert not PeriodClose.objects.get(kube=chain.kube_a, period=OCT).locked


def test_a_province_with_the_kecamatan_level_has_one_step_more(chain):
    cast = chain.cast
    services.chain_set(actor=cast.admin, province=Region.objects.get(pk="32"), with_kecamatan=True)
    close_october(chain)
    with at("2026-11-03 09:00"):
        services.lpj_confirm(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
        lpj = services.lpj_verify(actor=cast.pendamping,
                                  lpj=services.lpj_confirm(actor=chain.bendahara_a, kube=chain.kube_a, period=OCT))
        with pytest.raises(OutOfTurnError, match="menunggu Kecamatan"):
            services.lpj_approve(actor=cast.kab, lpj=lpj)
        lpj = services.lpj_approve(actor=cast.kab, lpj=services.lpj_check(actor=cast.kab, lpj=lpj))
        assert lpj.approved and lpj.levels == ["pengurus", "pendamping", "kecamatan", "kabupaten"]


def test_a_late_group_that_has_not_submitted_counts_days_until_today(chain):
    close_october(chain)
    board = selectors.completeness("32.04", OCT, today=date(2026, 11, 17))
    assert {(r.name, r.days_late, r.submitted) for r in board.late} == {
        ("KUBE Maju Sejahtera 11", 7, False), ("KUBE Mekar Jaya 02", 7, False)}
    assert board.due == date(2026, 11, 10)
