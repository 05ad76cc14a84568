"""KUBE Maju Sejahtera 11 shares out its first book year (November–December 2025) at its January
2026 meeting: the year closed, the rule in its Buku Peraturan (40 % to capital, 60 % to members,
half equally and half by savings × months), the proposal, the meeting's decision, the posting."""

from __future__ import annotations

from datetime import date

from accounts.models import User
from registry.models import Kube
from shareout.services import share_out_decide, share_out_post, share_out_propose, share_rule_adopt, year_close


def demo_share_out(kube: Kube, *, treasurer: User, day: date) -> None:
    closing = year_close(actor=treasurer, kube=kube, year=2025)
    if closing.profit_after_iks <= 0:
        return
    share_rule_adopt(actor=treasurer, kube=kube, adopted_on=day, capital_percent=40, members_percent=60,
                     weight_equal=50, weight_savings=50, leavers="pro_rata", payout="savings")
    proposal = share_out_propose(actor=treasurer, kube=kube, year=2025)
    present = kube.members.filter(joined_on__lte=day).exclude(left_on__lte=day).count()
    share_out_decide(actor=treasurer, share_out=proposal, meeting_date=day, present=present,
                     decision="Musyawarah anggota menyetujui pembagian hasil usaha tahun buku 2025 sesuai Peraturan "
                              "KUBE: 40 % laba menjadi modal, 60 % dibagi kepada anggota dan ditambahkan ke simpanan.")
    share_out_post(actor=treasurer, share_out=proposal)
