"""PEKA test data: seed 003's scores and a scored session."""

from __future__ import annotations

from datetime import date

from assessments.services import assessment_start, scores_save

SEED_003_SUMS = {9: 37, 13: 35, 14: 36, 19: 37, 23: 33, 26: 34}


def seed_003_scores(assessment, sums=None) -> dict:
    """Every participant scores 3, except that on each of seed 003's weak items the first
    (sum - 30) give 3 and the rest 2, which makes the item's sum over 15 what the seed reports."""
    sums = SEED_003_SUMS if sums is None else sums
    participants = list(assessment.participants.order_by("id"))
    scores = {}
    for item in assessment.version.items.all():
        threes = sums[item.number] - 2 * len(participants) if item.number in sums else len(participants)
        for i, p in enumerate(participants):
            scores[(p.pk, item.pk)] = 3 if i < threes else 2
    return scores


def session(cast, version, kube=None, *, day=date(2026, 3, 7), sums=None, n=5):
    kube = kube or cast.kube_a
    assessment = assessment_start(actor=cast.pendamping, kube=kube, version=version, date=day,
                                  participants=list(kube.members.order_by("id")[:n]), place="Balai RW 10",
                                  history=[("Maret 2024", "KUBE dibentuk"), ("Juni 2024", "Bantuan diterima")],
                                  reflection="Usaha warung berjalan; pembukuan belum rutin")
    scores_save(actor=cast.pendamping, assessment=assessment,
                scores=seed_003_scores(assessment, {9: 12, 13: 11, 23: 12} if sums is None else sums))
    return assessment
