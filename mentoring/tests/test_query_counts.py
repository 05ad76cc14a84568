"""Mentoring's list pages and endpoints read in a fixed number of queries: the same exact count
with 2 rows and with 10 (issue 14 measured the mentors overview at 20 queries for some mentors
and 45 for five more: a workspace per mentor). Each test also checks what the list says, so a
cheaper read cannot be a wrong one.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from mentoring.selectors import workspace
from mentoring.services import NewFollowUp, evaluation_record, event_record, visit_log
from monitoring.models import GroupState
from outbox import drainer
from regions.models import Region
from registry.models import Kube
from testing import DESA_A, bearer, make_kube, make_user

SIZES = [2, 10]


def _mentors(cast, n: int) -> list:
    """`n` mentors of Kab. Bandung, each following one group; every other group kritis, the
    others sehat (the early warning's word, whatever it made of a new group)."""
    mentors = []
    for i in range(n):
        mentor = make_user(f"pendamping.{i:02d}", Role.PENDAMPING, "32.04")
        kube = make_kube(name=f"KUBE Uji {i:02d}", desa=DESA_A, actor=cast.kab, pendamping=mentor, n=5)
        drainer.drain()  # the group's summary row, as the app writes it within a second
        GroupState.objects.filter(kube=kube).update(health="kritis" if i % 2 else "sehat")
        mentors.append(mentor)
    return mentors


def _expected_attention(cast, mentor) -> int:
    """What the mentor's own workspace says, read the old way (one workspace per mentor)."""
    from accounts.access import kubes_for_user

    rows = workspace(kubes_for_user(cast.kab).filter(pendamping=mentor), today=timezone.localdate())
    return sum(1 for r in rows if r.needs_attention)


@pytest.mark.parametrize("n", SIZES)
def test_the_mentors_page_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    mentors = _mentors(cast, n)
    client.force_login(cast.kab)
    url = reverse("mentoring:mentors")
    client.get(url)
    with django_assert_num_queries(6):
        page = client.get(url)
    html = page.content.decode()
    for mentor in mentors:
        assert mentor.full_name in html


@pytest.mark.parametrize("n", SIZES)
def test_the_mentors_endpoint_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    mentors = _mentors(cast, n)
    auth = bearer(cast.kab)
    client.get("/api/v1/mentors", **auth)
    with django_assert_num_queries(5):
        body = client.get("/api/v1/mentors", **auth).json()
    rows = {r["id"]: r for r in body["items"]}
    for mentor in mentors:
        assert rows[mentor.pk]["groups"] == 1
        assert rows[mentor.pk]["attention"] == _expected_attention(cast, mentor)
    assert sum(rows[m.pk]["attention"] for m in mentors) == n // 2


def _visits(cast, n: int) -> None:
    kube = cast.kube_a
    members = list(kube.members.order_by("id"))
    start = timezone.localdate() - timedelta(days=n + 1)
    for i in range(n):
        visit_log(actor=cast.pendamping, kube=kube, date=start + timedelta(days=i), place="Rumah ketua",
                  problems="Pencatatan kas", present=members[:4],
                  follow_ups=[NewFollowUp(f"Rapikan buku {i}", members[i % len(members)], timezone.localdate() + timedelta(days=30))])


@pytest.mark.parametrize("n", SIZES)
def test_the_visits_endpoint_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    _visits(cast, n)
    auth = bearer(cast.pendamping)
    url = f"/api/v1/visits?kube={cast.kube_a.pk}"
    client.get(url, **auth)
    with django_assert_num_queries(7):
        body = client.get(url, **auth).json()
    assert body["count"] == n
    assert all(len(v["follow_ups"]) == 1 and v["follow_ups"][0]["person_name"] for v in body["items"])


@pytest.mark.parametrize("n", SIZES)
def test_the_visits_page_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    _visits(cast, n)
    client.force_login(cast.pendamping)
    url = reverse("mentoring:visits", args=[cast.kube_a.pk])
    client.get(url)
    with django_assert_num_queries(11):
        page = client.get(url)
    assert page.content.decode().count("Rapikan buku") >= n


@pytest.mark.parametrize("n", SIZES)
def test_the_follow_ups_endpoint_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    _visits(cast, n)
    auth = bearer(cast.pendamping)
    url = f"/api/v1/groups/{cast.kube_a.pk}/follow-ups"
    client.get(url, **auth)
    with django_assert_num_queries(4):
        body = client.get(url, **auth).json()
    assert body["count"] == n and all(f["person_name"] for f in body["items"])


def _events(cast, n: int) -> None:
    kabupaten = Region.objects.get(pk="32.04")
    member = cast.kube_a.members.order_by("id").first()
    for i in range(n):
        event = event_record(actor=cast.kab, title=f"Asistensi {i}", date=date(2026, 5, 1) + timedelta(days=i),
                             kabupaten=kabupaten, topic="administrasi", speakers="Dinsos",
                             kubes=[(cast.kube_a, 3), (cast.kube_b, 2)],
                             participants=[(cast.kube_a, member, member.name), (cast.kube_b, None, "Tamu")])
        evaluation_record(actor=cast.kab, title=f"Evaluasi {i}", date=event.date, indicators="Buku kas",
                          results="Rapi", targets=[("Buku kas rapi", 80, 60), ("Hadir", 100, 90)], event=event)


@pytest.mark.parametrize("n", SIZES)
def test_the_events_endpoint_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    _events(cast, n)
    auth = bearer(cast.kab)
    client.get("/api/v1/events", **auth)
    with django_assert_num_queries(5):
        body = client.get("/api/v1/events", **auth).json()
    assert body["count"] == n
    assert all(len(e["kubes"]) == 2 and len(e["participants"]) == 2 for e in body["items"])
    # A member of KUBE A sees their own group at the event, not who came from the others.
    member_view = client.get("/api/v1/events", **bearer(cast.anggota)).json()
    assert all([k["kube"] for k in e["kubes"]] == [cast.kube_a.pk] for e in member_view["items"])


@pytest.mark.parametrize("n", SIZES)
def test_the_events_page_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    _events(cast, n)
    client.force_login(cast.kab)
    url = reverse("mentoring:events")
    client.get(url)
    with django_assert_num_queries(4):
        page = client.get(url)
    assert page.content.decode().count("Asistensi ") >= n


@pytest.mark.parametrize("n", SIZES)
def test_the_evaluations_endpoint_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    _events(cast, n)
    auth = bearer(cast.kab)
    client.get("/api/v1/evaluations", **auth)
    with django_assert_num_queries(4):
        body = client.get("/api/v1/evaluations", **auth).json()
    assert body["count"] == n and all(len(e["targets"]) == 2 for e in body["items"])


def _groups(cast, n: int) -> None:
    for i in range(n):
        make_kube(name=f"KUBE Dampingan {i:02d}", desa=DESA_A, actor=cast.kab, pendamping=cast.pendamping, n=5)


@pytest.mark.parametrize("n", SIZES)
def test_the_workspace_page_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    _groups(cast, n)
    client.force_login(cast.pendamping)
    url = reverse("mentoring:workspace")
    client.get(url)
    with django_assert_num_queries(8):
        page = client.get(url)
    assert page.content.decode().count("KUBE Dampingan") >= n


@pytest.mark.parametrize("n", SIZES)
def test_the_workspace_endpoint_reads_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries, n):
    _groups(cast, n)
    auth = bearer(cast.pendamping)
    url = f"/api/v1/mentors/{cast.pendamping.pk}/workspace"
    client.get(url, **auth)
    with django_assert_num_queries(6):
        body = client.get(url, **auth).json()
    assert len(body) == n + Kube.objects.filter(pendamping=cast.pendamping).count() - n
    assert sum(1 for r in body if r["name"].startswith("KUBE Dampingan")) == n
