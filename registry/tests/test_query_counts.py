"""The group list page and the group list endpoint read in a fixed number of queries: the same
exact count with 4 groups in the office's reach and with 14, for an office and for a province, with and
without a name search, with summaries for some groups and not others. What the rows say is
checked too, so that a cheaper read cannot be a wrong one: each group's active members (a member
who left not counted), its stage, status and health words, and the page's order.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from monitoring import drain
from registry.models import Kube
from registry.services import member_leave
from testing import DESA_A, DESA_B, bearer, make_kube

EXTRA = [2, 12]


def _groups(cast, n: int) -> None:
    """`n` more groups in Kab. Bandung, each with a member named "Wulan n", one with a member who left;
    the summaries drained for every group but the last."""
    for i in range(n):
        make_kube(name=f"KUBE Tambahan {i:02d}", desa=DESA_A if i % 2 else DESA_B, actor=cast.kab,
                  pendamping=cast.pendamping if i % 3 == 0 else None, n=5 + i % 3,
                  member_names=[f"Wulan {i}", "Sari", "Rina", "Tuti", "Yati", "Nani", "Lilis"])
    first = Kube.objects.get(name="KUBE Tambahan 00")
    member_leave(actor=cast.kab, member=first.members.order_by("-id")[0], left_on=date(2026, 5, 1), reason="pindah")
    drain.drain()
    Kube.objects.get(name=f"KUBE Tambahan {n - 1:02d}").state.delete()


def _expected(user_groups) -> list[tuple[str, int]]:
    return [(k.name, k.members.filter(left_on__isnull=True).count()) for k in user_groups.order_by("name", "id")[:25]]


@pytest.mark.parametrize("n", EXTRA)
@pytest.mark.parametrize(("who", "q", "queries"), [("kab", "", 12), ("prov", "", 12), ("kab", "Wulan", 13)])
def test_the_group_list_page_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries,
                                                                 n, who, q, queries):
    _groups(cast, n)
    client.force_login(getattr(cast, who))
    url = reverse("registry:list")
    params = {"q": q} if q else {}
    client.get(url, params)  # the session and the first request's caches
    with django_assert_num_queries(queries):
        page = client.get(url, params)
    rows = page.context["rows"]
    shown = Kube.objects.filter(desa__pk__startswith="32.04" if who == "kab" else "32")
    if q:
        shown = shown.filter(members__name__icontains=q).distinct()
    assert [(r.kube.name, r.members) for r in rows] == _expected(shown)
    html = page.content.decode()
    for r in rows:
        state = getattr(r.kube, "state", None)
        assert r.stage == r.kube.get_stage_display() and r.status == r.kube.get_status_display()
        assert r.health == (state.get_health_display() if state else "")
    assert "KUBE Tambahan 00" in html and ">Wulan" not in html  # the group is shown, never the member's name
    assert any(r.health == "" for r in rows) and any(r.health for r in rows)


@pytest.mark.parametrize("n", EXTRA)
def test_the_group_list_endpoint_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    _groups(cast, n)
    auth = bearer(cast.kab)
    url = "/api/v1/groups"
    client.get(url, **auth)
    with django_assert_num_queries(4):
        body = client.get(url, {"page_size": 50}, **auth).json()
    expected = _expected(Kube.objects.filter(desa__pk__startswith="32.04"))
    assert [(g["name"], g["active_members"]) for g in body["items"]][:25] == expected
