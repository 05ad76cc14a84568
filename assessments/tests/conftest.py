"""A group big enough for seed 003's sessions (15 assessors, then 18) and helpers to score it."""

from __future__ import annotations

from datetime import date

import pytest

from assessments.instrument import CODE
from assessments.models import InstrumentVersion
from registry.models import Programme
from testing import DESA_A, make_kube

# Seed 003's weak items and the sums of their 15 scores (mean = sum / 15).
SEED_003_SUMS = {9: 37, 13: 35, 14: 36, 19: 37, 23: 33, 26: 34}


@pytest.fixture
def version(db) -> InstrumentVersion:
    return InstrumentVersion.objects.get(instrument__code=CODE, number=1)


@pytest.fixture
def big_kube(cast):
    programme, _ = Programme.objects.get_or_create(code="kube-20", defaults={
        "name": "KUBE sampai 20 KK", "min_members": 5, "max_members": 20})
    return make_kube(name="KUBE Maju Sejahtera 12", desa=DESA_A, actor=cast.kab, pendamping=cast.pendamping,
                     n=18, programme=programme, formed_on=date(2015, 10, 1))


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
