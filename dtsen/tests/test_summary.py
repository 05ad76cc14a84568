"""Members by DTSEN status and desil per region, and the groups outside their target: every figure
of the page and the API recomputed with plain SQL over the raw tables."""

from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from registry.models import Kube, Member
from registry.services import dtsen_record_add
from testing import bearer, programme_uep


@pytest.fixture
def standing(cast):
    Kube.objects.filter(pk=cast.kube_b.pk).update(programme=programme_uep())  # targets desil 1–4
    plan: dict[Any, list[tuple[int | None, str]]] = {cast.kube_a: [(1, "found"), (2, "found"), (7, "found"), (None, "not_found")],
            cast.kube_b: [(3, "found"), (4, "found"), (5, "found"), (9, "found"), (None, "not_found")],
            cast.kube_c: [(4, "found"), (None, "not_found")], cast.kube_d: [(8, "found")]}
    for kube, rows in plan.items():
        for member, (desil, status) in zip(kube.members.order_by("id"), rows, strict=False):
            dtsen_record_add(actor=None, member=member, status=status, desil=desil, source="manual")


def oracle(prefix: str, child_length: int) -> dict[str, dict[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(k.desa_id, 1, %s), m.dtsen_status, m.dtsen_desil, "
            "p.target_desil_max IS NOT NULL AND (m.dtsen_status = 'not_found' OR "
            "(m.dtsen_status = 'found' AND m.dtsen_desil > p.target_desil_max)) "
            "FROM registry_member m JOIN registry_kube k ON k.id = m.kube_id "
            "JOIN registry_programme p ON p.id = k.programme_id "
            "WHERE m.left_on IS NULL AND k.desa_id LIKE %s", [child_length, prefix + "%"])
        out: dict[str, Counter] = {}
        for child, status, desil, outside in cursor.fetchall():
            c = out.setdefault(child, Counter())
            c[status] += 1
            c["members"] += 1
            if status == "found":
                c[f"d{desil}"] += 1
            if outside:
                c["outside"] += 1
    return {k: dict(v) for k, v in out.items()}


def as_counts(row) -> dict[str, int]:
    out = {"members": row["members"], "found": row["found"], "not_found": row["not_found"],
           "unchecked": row["unchecked"], "outside": row["outside_target"]}
    out |= {f"d{i + 1}": n for i, n in enumerate(row["desil"])}
    return {k: v for k, v in out.items() if v}


@pytest.mark.parametrize(("role", "region", "prefix", "length"), [
    ("pusat", "", "", 2), ("provinsi", "32", "32.", 5), ("kabupaten", "32.04", "32.04.", 8),
    ("kabupaten", "32.04.06", "32.04.06.", 13),
])
def test_every_figure_by_region_is_the_raw_records(client, cast, standing, role, region, prefix, length):
    user = cast.role_users()[role]
    api = client.get(f"/api/v1/dtsen/summary?region={region}", **bearer(user)).json()
    expected = oracle(prefix, length)
    assert {c["region"]: as_counts(c) for c in api["children"]} == expected
    total: Counter[str] = Counter()
    for counts in expected.values():
        total.update(counts)
    assert as_counts(api["total"]) == dict(total)
    client.force_login(user)
    page = client.get(reverse("dtsen:overview") + (f"?wilayah={region}" if region else "")).content.decode()
    assert f"<strong>{total['members']}</strong>" in page and f"<strong>{total.get('outside', 0)}</strong>" in page


def test_the_groups_outside_their_target_are_listed_most_first(client, cast, standing):
    with connection.cursor() as cursor:
        cursor.execute("SELECT m.kube_id, COUNT(*) FROM registry_member m JOIN registry_kube k ON k.id = m.kube_id "
                       "JOIN registry_programme p ON p.id = k.programme_id WHERE m.left_on IS NULL AND "
                       "p.target_desil_max IS NOT NULL AND (m.dtsen_status = 'not_found' OR (m.dtsen_status = 'found' "
                       "AND m.dtsen_desil > p.target_desil_max)) GROUP BY m.kube_id")
        expected = dict(cursor.fetchall())
    api = client.get("/api/v1/dtsen/summary", **bearer(cast.admin)).json()
    assert {g["kube"]: g["members_outside_target"] for g in api["groups_outside_target"]} == expected == {
        cast.kube_b.pk: 3}
    assert Member.objects.filter(kube=cast.kube_b, dtsen_desil=5).exists()
