"""A group's year 2025 for the share-out's tests (shareout/tests and monitoring's share-out oracle):
eight members, one joining in April and one leaving in September, savings and a profit whose figures
are worked out by hand in the tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import testing
from accounts.models import Role, User
from books.models import TxnKind
from books.services import cash_entry_record, iks_allocate, iks_policy_set, savings_deposit, savings_withdraw
from books.services.registers import rules_adopt
from registry.models import Kube, Member
from registry.services import member_add, member_leave

NAMES = ["Ani", "Bela", "Citra", "Dewi", "Euis", "Fitri", "Gina"]


@dataclass
class Year:
    kube: Kube
    m: dict[str, Member]  # by first letter, A … H
    officer: User         # pengurus of the group (Ani, the ketua)
    member_user: User     # anggota: Hana, who joined in April


def build_year(cast: Any, *, name: str = "KUBE Berkah Bersama", sales: int = 2_000_000, purchases: int = 444_439,
               desa: str = testing.DESA_A2, equipment: int = 0) -> Year:
    """January–December 2025. A–F save Rp100.000 in January and keep it; G saves Rp100.000, takes it
    back on 10 September and leaves on 15 September; H joins on 1 April and saves Rp200.000.
    March: sales Rp2.000.000 less purchases Rp444.439 = profit Rp1.555.561, 10 % set aside for IKS
    (Rp155.556, rounded down): profit after IKS Rp1.400.005."""
    actor = cast.kab
    kube = testing.make_kube(name=name, desa=desa, actor=actor, n=7, formed_on=date(2025, 1, 2),
                             member_names=NAMES)
    m = {mem.name[0]: mem for mem in kube.members.order_by("id")}
    rules_adopt(actor=actor, kube=kube, text="Laba dibagi menurut musyawarah.", adopted_on=date(2025, 1, 2))
    cash_entry_record(actor=actor, kube=kube, kind=TxnKind.CAPITAL_IN, amount=1_000_000, date=date(2025, 1, 3),
                      description="Setoran modal anggota")
    for letter in "ABCDEFG":
        savings_deposit(actor=actor, kube=kube, member=m[letter], amount=100_000, date=date(2025, 1, 5))
    iks_policy_set(actor=actor, kube=kube, funds=[("Anggota sakit", 10)])
    cash_entry_record(actor=actor, kube=kube, kind=TxnKind.PURCHASE, amount=purchases, date=date(2025, 3, 4),
                      description="Belanja bahan")
    cash_entry_record(actor=actor, kube=kube, kind=TxnKind.SALE, amount=sales, date=date(2025, 3, 20),
                      description="Penjualan")
    if sales > purchases:
        iks_allocate(actor=actor, kube=kube, period=202503)
    m["H"] = member_add(actor=actor, kube=kube, data=testing.member_data(kecamatan="32.04.06", name="Hana",
                                                                         joined_on=date(2025, 4, 1)))
    savings_deposit(actor=actor, kube=kube, member=m["H"], amount=200_000, date=date(2025, 4, 3))
    savings_withdraw(actor=actor, kube=kube, member=m["G"], amount=100_000, date=date(2025, 9, 10))
    member_leave(actor=actor, member=m["G"], left_on=date(2025, 9, 15), reason="pindah")
    if equipment:  # money spent on equipment: what the group holds may no longer cover savings and IKS
        cash_entry_record(actor=actor, kube=kube, kind=TxnKind.ASSET, amount=equipment, date=date(2025, 12, 5),
                          description="Beli gerobak")
    officer = testing.make_user(f"ketua.{kube.pk}", Role.PENGURUS)
    Member.objects.filter(pk=m["A"].pk).update(user=officer)
    member_user = testing.make_user(f"anggota.{kube.pk}", Role.ANGGOTA)
    Member.objects.filter(pk=m["H"].pk).update(user=member_user)
    for letter in m:
        m[letter].refresh_from_db()
    return Year(kube, m, officer, member_user)
