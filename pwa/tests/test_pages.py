"""The installable app's pieces: the manifest, the worker at the site root, the shared shells, and
the snapshot a phone keeps (only names and member numbers, capped)."""

from __future__ import annotations

import json
import re

import pytest

from pwa.selectors import CAP
from testing import bearer


def test_the_manifest_installs_sikube_in_indonesian(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/manifest+json"
    data = json.loads(answer.content)
    assert data["name"] == "SIKUBE" and data["lang"] == "id" and data["display"] == "standalone"
    assert data["start_url"] == "/" and data["theme_color"] == "#00895a"
    sizes = {(i["sizes"], i["purpose"]) for i in data["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_worker_is_served_from_the_root_and_keeps_only_static_files_and_shells(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200 and answer["Service-Worker-Allowed"] == "/"
    assert answer["Content-Type"].startswith("text/javascript")
    source = answer.content.decode()
    found = re.search(r"const PRECACHE = (\[.*?\]);", source)
    assert found
    precache = json.loads(found.group(1))
    pages = [u for u in precache if not u.startswith("/static/")]
    assert sorted(pages) == ["/app/kas/", "/app/kunjungan/", "/offline/"]
    assert "no-store" in source  # it refuses what the server says not to keep


@pytest.mark.parametrize("path", ["/offline/", "/app/kas/", "/app/kunjungan/"])
def test_a_shell_is_the_same_page_for_everyone_and_names_nobody(client, cast, path):
    anonymous = client.get(path)
    assert anonymous.status_code == 200 and anonymous["Cache-Control"] == "no-cache"
    client.force_login(cast.ketua)
    theirs = client.get(path)
    assert theirs.content == anonymous.content
    html = theirs.content.decode()
    member = cast.kube_a.members.first()
    for private in (cast.ketua.username, cast.ketua.full_name, member.nik, member.name):
        assert private not in html


def test_an_ordinary_page_is_still_no_store(client, cast):
    client.force_login(cast.ketua)
    answer = client.get(f"/kube/{cast.kube_a.pk}/", follow=True)
    assert "no-store" in answer["Cache-Control"]


def test_the_treasurers_snapshot_holds_names_and_numbers_only(client, cast):
    answer = client.get("/api/v1/me/offline", **bearer(cast.ketua))
    assert answer.status_code == 200
    data = answer.json()
    assert data["user"] == cast.ketua.pk and data["role"] == "pengurus" and not data["truncated"]
    [group] = data["groups"]
    assert group["id"] == cast.kube_a.pk and group["books"] and not group["visits"]
    members = list(cast.kube_a.members.filter(left_on__isnull=True).order_by("joined_on", "id"))
    assert [(m["id"], m["name"], m["number"]) for m in group["members"]] == [
        (m.pk, m.name, n) for n, m in enumerate(members, start=1)]
    assert set(group["members"][0]) == {"id", "name", "number"}
    text = answer.content.decode()
    for m in members:
        assert m.nik not in text and m.kk_number not in text and (not m.phone or m.phone not in text)
    assert {k["code"] for k in data["entry_kinds"]} == {"sale", "purchase", "expense", "income"}


def test_the_cash_balance_is_the_books_own(client, cast):
    from datetime import date

    from books.models import TxnKind
    from books.services import cash_entry_record

    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=700_000,
                      date=date(2026, 2, 2), description="Modal")
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.EXPENSE, amount=55_000,
                      date=date(2026, 2, 3), description="Plastik")
    [group] = client.get("/api/v1/me/offline", **bearer(cast.ketua)).json()["groups"]
    assert group["cash"] == 645_000


def test_a_mentor_gets_the_assigned_groups_without_cash_and_an_outsider_nothing(client, cast):
    data = client.get("/api/v1/me/offline", **bearer(cast.pendamping)).json()
    assert [(g["id"], g["visits"], g["books"], g["cash"]) for g in data["groups"]] == [(cast.kube_a.pk, True, False, None)]
    assert data["groups"][0]["members"]
    assert client.get("/api/v1/me/offline", **bearer(cast.outsider)).json()["groups"] == []
    assert client.get("/api/v1/me/offline", **bearer(cast.kab)).json()["groups"] == []  # offices work online
    assert client.get("/api/v1/me/offline").status_code == 401


def test_a_mentor_with_more_groups_than_the_cap_keeps_the_first_by_name(client, cast):
    from registry.models import Kube

    source = cast.kube_a
    Kube.objects.bulk_create([Kube(name=f"KUBE Uji {n:03d}", reg_number=f"UJI-{n:03d}", desa_id=source.desa_id,
                                   programme_id=source.programme_id, pendamping=cast.pendamping,
                                   formed_on=source.formed_on, target_group=source.target_group,
                                   business_type=source.business_type, business_mode=source.business_mode)
                              for n in range(CAP + 5)])
    data = client.get("/api/v1/me/offline", **bearer(cast.pendamping)).json()
    assert data["truncated"] and len(data["groups"]) == CAP == data["cap"]
    names = [g["name"] for g in data["groups"]]
    assert names == sorted(names) and names[0] == "KUBE Maju Sejahtera 11"


def test_the_session_reads_the_snapshot_and_it_sets_the_csrf_cookie(cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.ketua)
    answer = browser.get("/api/v1/me/offline")
    assert answer.status_code == 200 and "csrftoken" in answer.cookies
