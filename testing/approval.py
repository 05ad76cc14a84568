"""The reporting chain's cast: the cast's two Kab. Bandung groups with both officers signed in.

- kube_a (KUBE Maju Sejahtera 11) and kube_b (KUBE Mekar Jaya 02) of Kab. Bandung, both mentored
  by `pendamping` (kube_b gets the mentor here);
- ketua_a is the cast's `ketua`; bendahara_a, ketua_b, bendahara_b are new Pengurus accounts
  linked to the members holding those offices.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Role, User
from registry.models import Kube, Member
from testing import Cast, make_user


@dataclass
class Chain:
    cast: Cast
    ketua_a: User
    bendahara_a: User
    ketua_b: User
    bendahara_b: User

    @property
    def kube_a(self) -> Kube:
        return self.cast.kube_a

    @property
    def kube_b(self) -> Kube:
        return self.cast.kube_b


def officer_account(kube: Kube, position: str, username: str) -> User:
    """A Pengurus account for the member holding `position` (ketua/bendahara) in `kube`."""
    member = Member.objects.get(kube=kube, offices__position=position, offices__ended_on__isnull=True)
    user = make_user(username, Role.PENGURUS)
    Member.objects.filter(pk=member.pk).update(user=user)
    return user


def build_chain(cast: Cast) -> Chain:
    Kube.objects.filter(pk=cast.kube_b.pk).update(pendamping=cast.pendamping)
    cast.kube_b.refresh_from_db()
    return Chain(cast=cast, ketua_a=cast.ketua,
                 bendahara_a=officer_account(cast.kube_a, "bendahara", "bendahara.maju"),
                 ketua_b=officer_account(cast.kube_b, "ketua", "ketua.mekar"),
                 bendahara_b=officer_account(cast.kube_b, "bendahara", "bendahara.mekar"))
