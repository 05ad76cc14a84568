"""Bad input is refused with a message that says what to fix, and nothing is partly saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.errors import AssessmentError
from assessments.models import Assessment, ItemResult, Mode, Priority, RtlAction, Score
from assessments.services import (
    assessment_details_save,
    assessment_start,
    instrument_version_publish,
    instrument_version_retire,
    priorities_set,
    rtl_action_add,
    rtl_to_work_plan,
    scores_save,
)
from testing.assessments import seed_003_scores


def start(cast, kube, version, **extra):
    values = {"actor": cast.pendamping, "kube": kube, "version": version, "date": date(2026, 3, 7),
              "participants": list(kube.members.order_by("id")[:5])}
    values.update(extra)
    return assessment_start(**values)


def test_a_score_outside_the_scale_refuses_the_whole_batch(cast, version):
    assessment = start(cast, cast.kube_a, version)
    first, second = list(assessment.participants.order_by("id")[:2])
    items = list(version.items.order_by("number")[:2])
    with pytest.raises(AssessmentError, match=r"Nilai 5 untuk ciri 2 \(.+\) di luar skala 1–4"):
        scores_save(actor=cast.pendamping, assessment=assessment,
                    scores={(first.pk, items[0].pk): 3, (second.pk, items[1].pk): 5})
    assert not Score.objects.exists() and not ItemResult.objects.exists()
    with pytest.raises(AssessmentError, match="di luar skala"):
        scores_save(actor=cast.pendamping, assessment=assessment, scores={(first.pk, items[0].pk): 0})


def test_a_participant_who_is_not_a_member_of_the_group_is_refused(cast, version):
    stranger = cast.kube_b.members.first()
    with pytest.raises(AssessmentError, match=f"Peserta dengan id {stranger.pk} tidak ditemukan"):
        start(cast, cast.kube_a, version, participants=[*cast.kube_a.members.all()[:3], stranger])
    assert not Assessment.objects.exists()
    other = start(cast, cast.kube_b, version, participants=list(cast.kube_b.members.all()[:3]))
    assessment = start(cast, cast.kube_a, version)
    outsider = other.participants.first()
    with pytest.raises(AssessmentError, match="Nilai hanya dari peserta penilaian ini"):
        scores_save(actor=cast.pendamping, assessment=assessment,
                    scores={(outsider.pk, version.items.first().pk): 3})


def test_an_assessment_on_a_retired_version_is_refused(cast, version):
    instrument_version_retire(actor=cast.admin, version=version, on=date(2026, 3, 1))
    with pytest.raises(AssessmentError, match="tidak dipakai lagi sejak 1 Maret 2026; pilih versi yang berlaku") as exc:
        start(cast, cast.kube_a, version)
    assert exc.value.code == "instrument_retired"
    assert start(cast, cast.kube_a, version, date=date(2026, 2, 27)).version == version  # before it was retired


def test_an_rtl_action_without_a_person_in_charge_is_refused(cast, version):
    assessment = start(cast, cast.kube_a, version)
    scores_save(actor=cast.pendamping, assessment=assessment,
                scores=seed_003_scores(assessment, {9: 12, 13: 12}))  # 5 assessors: 12/5 = 2.40
    item = version.items.get(number=9)
    priorities_set(actor=cast.pendamping, assessment=assessment, items=[item])
    values = {"actor": cast.pendamping, "assessment": assessment, "item": item, "activity": "Laporan bulanan",
              "aim": "Anggota menerima LPJ tertulis", "person": None, "due_on": date(2026, 4, 5),
              "indicator": "LPJ dibagikan pada rapat April"}
    with pytest.raises(AssessmentError, match="Setiap aksi RTL harus punya penanggung jawab"):
        rtl_action_add(**values)
    with pytest.raises(AssessmentError, match="Isi waktu pelaksanaannya"):
        rtl_action_add(**{**values, "person": cast.kube_a.members.first(), "due_on": None})
    with pytest.raises(AssessmentError, match="Pilih ciri dari daftar prioritas"):
        rtl_action_add(**{**values, "person": cast.kube_a.members.first(), "item": version.items.get(number=13)})
    assert not RtlAction.objects.exists()
    action = rtl_action_add(**{**values, "person": cast.kube_a.members.first()})
    action = rtl_to_work_plan(actor=cast.pendamping, action=action)
    assert action.work_plan_item is not None
    assert (action.work_plan_item.activity, action.work_plan_item.end_on) == ("Laporan bulanan", date(2026, 4, 5))
    with pytest.raises(AssessmentError, match="sudah ada di Buku Rencana Kerja"):
        rtl_to_work_plan(actor=cast.pendamping, action=action)
    with pytest.raises(AssessmentError, match="Ciri 9 sudah punya aksi RTL"):
        priorities_set(actor=cast.pendamping, assessment=assessment, items=[version.items.get(number=13)])


def test_only_weak_items_can_be_priorities(cast, version):
    assessment = start(cast, cast.kube_a, version)
    scores_save(actor=cast.pendamping, assessment=assessment, scores=seed_003_scores(assessment, {9: 12}))
    with pytest.raises(AssessmentError, match="Ciri 1 bukan ciri yang lemah"):
        priorities_set(actor=cast.pendamping, assessment=assessment, items=[version.items.get(number=1)])
    assert not Priority.objects.exists()


def test_a_consensus_session_takes_one_score_per_item(cast, version):
    assessment = start(cast, cast.kube_a, version, mode=Mode.CONSENSUS)
    item = version.items.get(number=19)
    scores_save(actor=cast.pendamping, assessment=assessment, scores={(None, item.pk): 2})
    assert assessment.item_results.get(item=item).weak
    with pytest.raises(AssessmentError, match="satu nilai kesepakatan per ciri"):
        scores_save(actor=cast.pendamping, assessment=assessment,
                    scores={(assessment.participants.first().pk, item.pk): 3})
    scores_save(actor=cast.pendamping, assessment=assessment, scores={(None, item.pk): None})  # cleared
    assert not assessment.item_results.exists()


def test_someone_who_scored_cannot_be_struck_off_the_participants(cast, version):
    assessment = start(cast, cast.kube_a, version)
    first = assessment.participants.order_by("id").first()
    scores_save(actor=cast.pendamping, assessment=assessment, scores={(first.pk, version.items.first().pk): 3})
    others = [p.member for p in assessment.participants.exclude(pk=first.pk)]
    with pytest.raises(AssessmentError, match="sudah memberi nilai; hapus nilainya dulu"):
        assessment_details_save(actor=cast.pendamping, assessment=assessment, participants=others, place="",
                                reflection="", history=[], facilitator_name="Ibu Rosina")
    assert assessment.participants.count() == 5


def test_dates_and_history_are_checked(cast, version):
    with pytest.raises(AssessmentError, match="masa depan"):
        start(cast, cast.kube_a, version, date=timezone.localdate() + timedelta(days=1))
    with pytest.raises(AssessmentError, match="Alur sejarah ke-2: tulis waktu dan peristiwanya"):
        start(cast, cast.kube_a, version, history=[("2024", "KUBE dibentuk"), ("", "Bantuan diterima")])
    assert not Assessment.objects.exists()


def test_a_new_instrument_version_retires_the_old_one_and_old_sessions_keep_theirs(cast, version):
    old = start(cast, cast.kube_a, version)
    with pytest.raises(AssessmentError, match="Baris 1: mulai dengan nama bidang"):
        instrument_version_publish(actor=cast.admin, instrument=version.instrument, items_text="1 | Ciri",
                                   scale_min=1, scale_max=5, scale_labels=[], standard="3", published_on=date(2026, 5, 1))
    with pytest.raises(AssessmentError, match="Standar harus di dalam skala 1–5"):
        instrument_version_publish(actor=cast.admin, instrument=version.instrument, items_text="# A\n1 | Ciri",
                                   scale_min=1, scale_max=5, scale_labels=[], standard="6", published_on=date(2026, 5, 1))
    new = instrument_version_publish(
        actor=cast.admin, instrument=version.instrument, items_text="# Kepengurusan\n1 | Pengurus dipilih\n"
        "2 | Pengurus bekerja\n# Keuangan\n13 | Keuangan terbuka", scale_min=1, scale_max=5,
        scale_labels=["sangat kurang", "kurang", "cukup", "baik", "sangat baik"], standard="3,00",
        published_on=date(2026, 5, 1))
    version.refresh_from_db()
    assert (new.number, version.retired_on) == (2, date(2026, 5, 1))
    assert old.version.items.count() == 30 and new.items.count() == 3  # the old session keeps its 30 items
    with pytest.raises(AssessmentError, match="tidak dipakai lagi"):
        start(cast, cast.kube_a, version, date=timezone.localdate())
