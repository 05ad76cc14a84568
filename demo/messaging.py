"""Members' messages in the demo: four members of KUBE Maju Sejahtera 11 agreed (at the group's
founding meeting) to receive SMS about their money, so its year of books queued their receipts,
meeting sheets and month closes; a demo gateway "sent" them, and one member's number is dead, so
the group's "Pesan" tab lists it for the officers to correct."""

from __future__ import annotations

from accounts.models import User
from messaging import worker
from messaging.backends import Outcome, Outgoing
from messaging.models import ConsentMethod
from messaging.services import consent_record
from registry.models import Kube, Member


class DemoGateway:
    """Delivers everything at once, except to the numbers it is told are dead."""

    name = "demo"
    deduplicates = True

    def __init__(self, dead: set[str]) -> None:
        self.dead = dead

    def send(self, message: Outgoing) -> Outcome:
        if message.phone in self.dead:
            return Outcome(ok=False, error="Nomor tidak aktif (demo)", permanent=True)
        return Outcome(ok=True, provider_id=f"demo-{message.client_ref}", delivered=True)


def demo_consents(kube: Kube, *, actor: User) -> list[Member]:
    members = [m for m in kube.members.filter(left_on__isnull=True).order_by("id") if m.phone][:4]
    for member in members:
        consent_record(actor=actor, member=member, given_on=kube.formed_on, method=ConsentMethod.MEETING)
    return members


def demo_messages_sent(members: list[Member]) -> None:
    worker.run_all(DemoGateway(dead={members[-1].phone}))
