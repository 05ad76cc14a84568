"""The mentor's attention list, the stage checklist and promotion, assigning mentors."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from mentoring.errors import MentoringError
from mentoring.models import StageCriterion
from mentoring.selectors import workspace
from mentoring.services import (
    NewFollowUp,
    mentor_assign_kecamatan,
    stage_check_set,
    stage_promote,
    visit_log,
)
from outbox import drainer
from regions.models import Region
from testing import DESA_A2, make_kube, make_lively, make_user

TODAY = date(2026, 6, 15)


@pytest.fixture
def mentor_groups(cast):
    """Two groups that meet and keep their books, so only the visits set them apart."""
    with time_machine.travel("2026-06-15 09:00 +0700", tick=False):
        second = make_kube(name="KUBE Sauyunan 03", desa=DESA_A2, actor=cast.kab, pendamping=cast.pendamping)
        for kube in (cast.kube_a, second):
            make_lively(kube, actor=cast.ketua, day=TODAY - timedelta(days=12))
        yield cast, second


def test_overdue_visits_and_follow_ups_come_first_and_a_visit_moves_the_group_down(mentor_groups):
    cast, second = mentor_groups
    kube = cast.kube_a
    person = kube.members.first()
    visit_log(actor=cast.pendamping, kube=second, date=TODAY - timedelta(days=10), place="Balai RW",
              problems="Stok menipis", present=[])
    visit_log(actor=cast.pendamping, kube=kube, date=date(2026, 3, 1), place="Rumah Ketua", problems="Laporan kas",
              present=[], follow_ups=[NewFollowUp("Tulis rencana kerja", person, date(2026, 3, 20))])
    drainer.drain()  # the workspace reads the groups' health from the summaries
    groups = cast.pendamping.mentored_kubes.all()
    rows = workspace(groups, today=TODAY)
    assert [r.kube for r in rows] == [kube, second]
    first = rows[0]
    assert first.next_due == date(2026, 4, 1) and first.overdue_days == 75
    assert first.overdue_follow_ups == 1
    assert "Kunjungan terlambat 75 hari" in first.reasons and "1 tindak lanjut lewat batas waktu" in first.reasons
    assert rows[1].attention < 10
    visit_log(actor=cast.pendamping, kube=kube, date=TODAY, place="Rumah Ketua", problems="Rencana kerja ditulis",
              present=[], close=[(kube.follow_ups.get(), "selesai")])
    drainer.drain()
    rows = workspace(groups, today=TODAY)
    assert [r.kube for r in rows] == [second, kube] or rows[0].attention == rows[1].attention
    assert rows[-1].kube == kube and rows[-1].attention < 10


def test_the_workspace_costs_a_fixed_number_of_queries(client, mentor_groups):
    cast, _second = mentor_groups
    for n in range(5):
        make_kube(name=f"KUBE Tambahan {n}", desa=DESA_A2, actor=cast.kab, pendamping=cast.pendamping)
    client.force_login(cast.pendamping)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("mentoring:workspace"))
    assert response.status_code == 200 and len(response.context["rows"]) == 7
    assert len(queries) <= 12, [q["sql"][:80] for q in queries]


def test_the_mentors_home_is_the_workspace(client, cast):
    client.force_login(cast.pendamping)
    response = client.get(reverse("front:home"))
    assert response["Location"] == reverse("mentoring:workspace")


def criteria(stage):
    return list(StageCriterion.objects.filter(stage=stage, is_active=True))


def test_promotion_waits_until_every_criterion_is_met_with_evidence(cast):
    kube = cast.kube_a
    with pytest.raises(MentoringError, match="Belum semua kriteria Pengembangan terpenuhi"):
        stage_promote(actor=cast.pendamping, kube=kube, reason="Usaha berjalan")
    with pytest.raises(MentoringError, match="Bukti wajib diisi"):
        stage_check_set(actor=cast.pendamping, kube=kube, criterion=criteria("pengembangan")[0], met=True, evidence="")
    for criterion in criteria("pengembangan"):
        stage_check_set(actor=cast.pendamping, kube=kube, criterion=criterion, met=True,
                        evidence="Notulen rapat dan buku kas diperiksa 5 Maret")
    # A criterion unticked again blocks the promotion.
    stage_check_set(actor=cast.pendamping, kube=kube, criterion=criteria("pengembangan")[-1], met=False, evidence="")
    with pytest.raises(MentoringError, match="papan nama"):
        stage_promote(actor=cast.pendamping, kube=kube, reason="Usaha berjalan")
    stage_check_set(actor=cast.pendamping, kube=kube, criterion=criteria("pengembangan")[-1], met=True,
                    evidence="Papan nama terpasang, foto kunjungan April")
    with time_machine.travel("2026-06-15 10:00 +0700"):
        kube = stage_promote(actor=cast.pendamping, kube=kube, reason="Semua kriteria terpenuhi")
    assert kube.stage == "pengembangan"
    change = kube.lifecycle_changes.filter(field="stage").order_by("-id").first()
    assert change is not None and change.decided_by == cast.pendamping and change.effective_on == date(2026, 6, 15)


def test_the_charity_day_is_evidence_of_self_reliance_on_the_page(client, cast):
    from registry.services import kube_stage_change

    kube_stage_change(actor=cast.kab, kube=cast.kube_a, stage="pengembangan", effective_on=date(2025, 1, 1),
                      reason="Data lama")
    client.force_login(cast.pendamping)
    url = reverse("mentoring:stage", args=[cast.kube_a.pk])
    target = StageCriterion.objects.get(stage="kemandirian", code="mandiri")
    client.post(url, {"criterion": target.pk, "met": "1",
                      "evidence": "KUBER 26 Juni 2016: direncanakan, dilaksanakan dan dievaluasi sendiri"})
    page = client.get(url)
    rows = dict((c.code, ch) for c, ch in page.context["rows"])
    assert rows["mandiri"].met and "KUBER" in rows["mandiri"].evidence
    assert not page.context["ready"]
    client.force_login(cast.ketua)  # officers see the checklist but do not tick it
    assert client.post(url, {"criterion": target.pk, "met": "1", "evidence": "x"}).status_code == 403


def test_an_office_assigns_one_mentor_to_a_whole_kecamatan_and_the_history_stays(cast):
    other = make_kube(name="KUBE Sauyunan 04", desa=DESA_A2, actor=cast.kab)
    colleague = make_user("pendamping.cileunyi", Role.PENDAMPING, "32.04")
    count = mentor_assign_kecamatan(actor=cast.kab, kecamatan=Region.objects.get(pk="32.04.06"),
                                    pendamping=colleague, start_on=date(2026, 6, 1))
    assert count == 2
    cast.kube_a.refresh_from_db()
    other.refresh_from_db()
    assert cast.kube_a.pendamping == other.pendamping == colleague
    assert cast.kube_a.assignments.count() == 2  # the earlier mentor's period is kept
    assert cast.kube_b.pendamping is None  # Cileunyi is another kecamatan
