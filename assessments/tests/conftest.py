"""A group big enough for seed 003's sessions (15 assessors, then 18) and helpers to score it."""

from __future__ import annotations

from datetime import date

import pytest

from assessments.instrument import CODE
from assessments.models import InstrumentVersion
from registry.models import Programme
from testing import DESA_A, make_kube

# Seed 003's weak items and the sums of their 15 scores (mean = sum / 15).


@pytest.fixture
def version(db) -> InstrumentVersion:
    return InstrumentVersion.objects.get(instrument__code=CODE, number=1)


@pytest.fixture
def big_kube(cast):
    programme, _ = Programme.objects.get_or_create(code="kube-20", defaults={
        "name": "KUBE sampai 20 KK", "min_members": 5, "max_members": 20})
    return make_kube(name="KUBE Maju Sejahtera 12", desa=DESA_A, actor=cast.kab, pendamping=cast.pendamping,
                     n=18, programme=programme, formed_on=date(2015, 10, 1))


