"""Members against DTSEN on the summaries: a change of a programme's target desil alone (no member's
record changes) moves its groups' "outside the target" counts at the next drain."""

from __future__ import annotations

from datetime import date

from monitoring.models import GroupState
from outbox import drainer
from registry.choices import DtsenSource, DtsenStatus
from registry.services import PROGRAMME_FIELDS, dtsen_record_add, programme_save
from testing import DESA_A2, bearer, make_kube


def test_a_programme_that_starts_targeting_a_desil_flags_its_members_on_the_dashboard(client, cast):
    kube = make_kube(name="KUBE Desil", desa=DESA_A2, actor=cast.kab, n=6, formed_on=date(2025, 1, 1))
    first, second, third = list(kube.members.order_by("id"))[:3]
    dtsen_record_add(actor=cast.admin, member=first, status=DtsenStatus.NOT_FOUND, desil=None, source=DtsenSource.MANUAL)
    dtsen_record_add(actor=cast.admin, member=second, status=DtsenStatus.FOUND, desil=6, source=DtsenSource.MANUAL)
    dtsen_record_add(actor=cast.admin, member=third, status=DtsenStatus.FOUND, desil=3, source=DtsenSource.MANUAL)
    drainer.drain()
    state = GroupState.objects.get(kube=kube)
    assert (state.outside_target, state.dtsen_found, state.dtsen_not_found, state.desil_6, state.desil_3) == (0, 2, 1, 1, 1)
    assert state.dtsen_unchecked == 3

    programme = kube.programme
    programme_save(actor=cast.admin, programme=programme,
                   **{**{f: getattr(programme, f) for f in PROGRAMME_FIELDS}, "target_desil_max": 4})
    drainer.drain()
    assert GroupState.objects.get(kube=kube).outside_target == 2  # not found, and desil 6 above 1–4
    total = client.get(f"/api/v1/dashboard/{DESA_A2}", **bearer(cast.admin)).json()["total"]["values"]
    assert (total["outside_target"], total["groups_outside_target"]) == (2, 1)
