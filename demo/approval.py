"""The reporting chain on the demo: KUBE Maju Sejahtera 11's last three closed months, one at each
stage, so that every role's work list has something in it on a fresh `make run`. The oldest was
confirmed by the Ketua and the Bendahara, verified by the mentor and approved by Dinsos Kab. Bandung
(the month is locked in the books); the next was returned by the mentor with a reason (back with
the officers); the latest waits for the mentor's verification."""

from __future__ import annotations

from accounts.models import User
from approval.services import lpj_approve, lpj_confirm, lpj_return, lpj_verify
from books.models import PeriodClose
from registry.models import Kube


def demo_approval(kube: Kube, *, ketua: User, bendahara: User, mentor: User, office: User) -> int:
    """The three dossiers; returns how many months were approved (0 if the group has closed fewer than three)."""
    closed = list(PeriodClose.objects.filter(kube=kube).order_by("-period").values_list("period", flat=True)[:3])
    if len(closed) < 3:
        return 0
    latest, returned, approved = closed
    for period in (approved, returned, latest):
        lpj_confirm(actor=ketua, kube=kube, period=period, note="Sudah dibacakan di rapat anggota")
        lpj = lpj_confirm(actor=bendahara, kube=kube, period=period)
        if period == approved:
            lpj = lpj_verify(actor=mentor, lpj=lpj, findings="Buku kas, bukti belanja dan saldo bank cocok.")
            lpj_approve(actor=office, lpj=lpj, note="Disetujui; angka sesuai buku.")
        elif period == returned:
            lpj_return(actor=mentor, lpj=lpj, reason="Bukti pembelian stok tanggal 12 belum dilampirkan; "
                                                     "lampirkan lalu ajukan lagi.")
    return 1
