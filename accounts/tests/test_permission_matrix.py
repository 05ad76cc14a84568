"""Every role × every kind of object × inside / outside reach × read / write, on pages and API.

The expectations are written out here, not read from accounts/access.py, so that a
change of policy there must be made twice, knowingly.
"""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.services import token_create
from approval import services as approval_services
from assessments.models import InstrumentVersion
from books.services import period_close
from mentoring.models import StageCriterion
from testing.approval import build_chain, officer_account

ROLES = ["admin", "pusat", "provinsi", "kabupaten", "pendamping", "pengurus", "anggota", "outsider"]
NATIONAL = {"admin", "pusat"}

# Who may change each kind of object about a group inside their reach.
WRITERS = {
    "kube": {"admin", "kabupaten"},
    "member": {"admin", "kabupaten", "pendamping"},
    "personal": {"admin", "kabupaten"},
    "books": {"pengurus"},
    "grant": {"admin", "provinsi", "kabupaten"},
    "visit": {"pendamping"},
    "stage": {"admin", "kabupaten", "pendamping"},
    "assessment": {"admin", "kabupaten", "pendamping"},
}
# Who reads unmasked NIK / KK / phone of other people in their reach.
PERSONAL_READERS = {"admin", "kabupaten", "pendamping"}


def expected(role: str, where: str, kind: str | None) -> int:
    """A write by a role that may not make it: 403 before anything is looked up, the same answer for
    every id, in reach or not (so it tells nothing). Otherwise outside reach is 404 like a missing id."""
    if kind is not None and role not in WRITERS[kind]:
        return 403
    in_reach = role != "outsider" and (where == "inside" or role in NATIONAL)
    return 200 if in_reach else 404


def kube_payload(kube) -> dict:
    return {"name": kube.name, "desa": kube.desa_id, "formed_on": kube.formed_on.isoformat(),
            "programme": kube.programme.code, "business_type": kube.business_type,
            "target_group": kube.target_group, "business_mode": kube.business_mode,
            "business_description": kube.business_description, "bonds": kube.bonds,
            "bond_note": kube.bond_note, "address": kube.address, "rt": kube.rt, "rw": kube.rw}


def member_payload(m) -> dict:
    return {"nik": m.nik, "kk_number": m.kk_number, "name": m.name, "sex": m.sex,
            "birth_date": m.birth_date.isoformat(), "address": m.address, "phone": m.phone,
            "target_group": m.target_group, "welfare_level": m.welfare_level,
            "dtsen_desil": m.dtsen_desil, "skills": m.skills,
            "task": m.task, "joined_on": m.joined_on.isoformat()}


@pytest.mark.parametrize("where", ["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
def test_group_and_member_rights(client, cast, role, where):
    user = cast.role_users()[role]
    kube = cast.kube_a if where == "inside" else cast.kube_d
    member = kube.members.filter(user__isnull=True).order_by("-id").first()
    _t, raw = token_create(user=user, name="matrix")
    api = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client.force_login(user)
    criterion = StageCriterion.objects.filter(stage="pengembangan").order_by("order").first()
    assert criterion is not None
    peka = InstrumentVersion.objects.filter(retired_on__isnull=True).first()
    assert peka is not None

    checks = {
        # page reads
        ("page", "read group"): (client.get(reverse("registry:detail", args=[kube.pk])), None),
        ("page", "read member book"): (client.get(reverse("registry:member_book_pdf", args=[kube.pk])), None),
        ("page", "read officers"): (client.get(reverse("registry:officers_pdf", args=[kube.pk])), None),
        # page writes
        ("page", "edit group"): (client.get(reverse("registry:edit", args=[kube.pk])), "kube"),
        ("page", "change status"): (client.get(reverse("registry:status", args=[kube.pk])), "kube"),
        ("page", "add member"): (client.get(reverse("registry:member_add", args=[kube.pk])), "member"),
        ("page", "edit member"): (client.get(reverse("registry:member_edit", args=[member.pk])), "member"),
        ("page", "set officers"): (client.get(reverse("registry:officers", args=[kube.pk])), "member"),
        ("page", "export personal data"): (client.get(reverse("registry:members_export", args=[kube.pk])),
                                           "personal"),
        # API reads
        ("api", "read group"): (client.get(f"/api/v1/groups/{kube.pk}", **api), None),
        ("api", "read members"): (client.get(f"/api/v1/groups/{kube.pk}/members", **api), None),
        ("api", "read member"): (client.get(f"/api/v1/members/{member.pk}", **api), None),
        ("api", "read officers"): (client.get(f"/api/v1/groups/{kube.pk}/officers", **api), None),
        ("page", "read cash book"): (client.get(reverse("books:cash_book", args=[kube.pk])), None),
        ("page", "read LPJ"): (client.get(reverse("books:lpj", args=[kube.pk, "2026-01"])), None),
        ("page", "read grants"): (client.get(reverse("grants:list", args=[kube.pk])), None),
        ("page", "record a sale"): (client.get(reverse("books:entry", args=[kube.pk, "sale"])), "books"),
        ("page", "close a month"): (client.post(reverse("books:close", args=[kube.pk]), {"period": "x"}), "books"),
        ("page", "record a grant"): (client.post(reverse("grants:list", args=[kube.pk]), {}), "grant"),
        ("page", "read share-out"): (client.get(reverse("shareout:home", args=[kube.pk])), None),
        ("page", "adopt a share-out rule"): (client.post(reverse("shareout:home", args=[kube.pk]),
                                                         {"rule-capital_percent": "x"}), "books"),
        ("api", "read share-outs"): (client.get(f"/api/v1/groups/{kube.pk}/share-outs", **api), None),
        ("api", "read share-out rules"): (client.get(f"/api/v1/groups/{kube.pk}/share-rules", **api), None),
        ("api", "read cash book"): (client.get(f"/api/v1/groups/{kube.pk}/cash-book?month=2026-01", **api), None),
        ("api", "read savings"): (client.get(f"/api/v1/groups/{kube.pk}/savings", **api), None),
        ("api", "read grants"): (client.get(f"/api/v1/groups/{kube.pk}/grants", **api), None),
        ("api", "post a sale"): (client.post(f"/api/v1/groups/{kube.pk}/transactions",
                                             {"kind": "sale", "amount": 1000, "description": "uji", "date": "2026-01-15"},
                                             content_type="application/json", **api), "books"),
        ("api", "record a grant"): (client.post(f"/api/v1/groups/{kube.pk}/grants", {
            "name": "Bantuan", "source": "apbn", "decree_number": "1", "amount": 1000, "received_on": "2026-01-15",
            "bank_name": "BRI", "account_number": "1", "account_name": "x"}, content_type="application/json", **api),
            "grant"),
        ("page", "read visits"): (client.get(reverse("mentoring:visits", args=[kube.pk])), None),
        ("page", "read visit history"): (client.get(reverse("mentoring:visits_pdf", args=[kube.pk])), None),
        ("page", "read evaluations"): (client.get(reverse("mentoring:evaluations_pdf", args=[kube.pk])), None),
        ("page", "read stage criteria"): (client.get(reverse("mentoring:stage", args=[kube.pk])), None),
        ("page", "log a visit"): (client.get(reverse("mentoring:visit_new", args=[kube.pk])), "visit"),
        ("page", "tick a criterion"): (client.post(reverse("mentoring:stage", args=[kube.pk]),
                                                   {"criterion": criterion.pk, "met": "0"}), "stage"),
        ("api", "read follow-ups"): (client.get(f"/api/v1/groups/{kube.pk}/follow-ups", **api), None),
        ("api", "read stage"): (client.get(f"/api/v1/groups/{kube.pk}/stage", **api), None),
        ("api", "log a visit"): (client.post("/api/v1/visits", {
            "kube": kube.pk, "date": timezone.localdate().isoformat(), "place": "Rumah ketua", "problems": "uji"},
            content_type="application/json", **api), "visit"),
        ("api", "tick a criterion"): (client.post(f"/api/v1/groups/{kube.pk}/stage/checks", {
            "criterion": criterion.pk, "met": False}, content_type="application/json", **api), "stage"),
        ("page", "read PEKA"): (client.get(reverse("assessments:list", args=[kube.pk])), None),
        ("page", "start PEKA"): (client.get(reverse("assessments:new", args=[kube.pk])), "assessment"),
        ("api", "read PEKA"): (client.get(f"/api/v1/groups/{kube.pk}/assessments", **api), None),
        ("api", "start PEKA"): (client.post(f"/api/v1/groups/{kube.pk}/assessments", {
            "version": peka.pk, "date": timezone.localdate().isoformat(), "participants": [member.pk]},
            content_type="application/json", **api), "assessment"),
        # API writes
        ("api", "update group"): (client.put(f"/api/v1/groups/{kube.pk}", kube_payload(kube),
                                             content_type="application/json", **api), "kube"),
        ("api", "update member"): (client.put(f"/api/v1/members/{member.pk}", member_payload(member),
                                              content_type="application/json", **api), "member"),
    }
    failures = []
    for (surface, action), (response, kind) in checks.items():
        want = expected(role, where, kind)
        if want == 200 and response.status_code in (201, 302):  # a write that went through
            continue
        if response.status_code != want:
            failures.append(f"{surface} {action}: {response.status_code}, expected {want}")
        if surface == "api" and response.status_code >= 400:
            body = response.json()
            assert set(body) >= {"code", "message"}, (action, body)
    assert not failures, f"{role} {where}: " + "; ".join(failures)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "outsider"])  # the outsider sees no one
def test_nik_is_masked_for_roles_that_do_not_need_it(client, cast, role):
    user = cast.role_users()[role]
    other = cast.kube_a.members.filter(user__isnull=True).order_by("id").first()
    _t, raw = token_create(user=user, name="mask")
    data = client.get(f"/api/v1/members/{other.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    if role in PERSONAL_READERS:
        assert data["nik"] == other.nik and not data["personal_data_masked"]
    else:
        assert data["nik"] != other.nik and data["nik"].startswith(other.nik[:4])
        assert data["personal_data_masked"]
        client.force_login(user)
        page = client.get(reverse("registry:detail", args=[cast.kube_a.pk])).content.decode()
        assert other.nik not in page and other.nik[:4] + "********" + other.nik[-4:] in page


def test_a_member_sees_their_own_nik_unmasked(client, cast):
    own = cast.kube_a.members.get(user=cast.anggota)
    _t, raw = token_create(user=cast.anggota, name="own")
    data = client.get(f"/api/v1/members/{own.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert data["nik"] == own.nik


@pytest.mark.parametrize("role", ROLES)
def test_office_pages_without_a_group(client, cast, role):
    user = cast.role_users()[role]
    client.force_login(user)
    admin_only = 200 if role == "admin" else 404
    importers = 200 if role in {"admin", "provinsi", "kabupaten"} else 404
    assert client.get(reverse("accounts:user_list")).status_code == admin_only
    assert client.get(reverse("accounts:user_edit", args=[cast.kab.pk])).status_code == admin_only
    assert client.get(reverse("audit:list")).status_code == admin_only
    assert client.get(reverse("registry:programme_list")).status_code == admin_only
    assert client.get(reverse("registry:import")).status_code == importers
    assert client.get(reverse("registry:create")).status_code == (
        200 if role in WRITERS["kube"] else 403)


@pytest.mark.parametrize("role,visible", [
    ("admin", {"a", "b", "c", "d"}), ("pusat", {"a", "b", "c", "d"}), ("provinsi", {"a", "b", "c"}),
    ("kabupaten", {"a", "b"}), ("pendamping", {"a"}), ("pengurus", {"a"}), ("anggota", {"a"}),
    ("outsider", set()),
])
def test_lists_hold_exactly_the_reach(client, cast, role, visible):
    user = cast.role_users()[role]
    names = {"a": cast.kube_a.name, "b": cast.kube_b.name, "c": cast.kube_c.name, "d": cast.kube_d.name}
    _t, raw = token_create(user=user, name="list")
    items = client.get("/api/v1/groups", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["items"]
    assert {k["name"] for k in items} == {names[x] for x in visible}
    client.force_login(user)
    page = client.get(reverse("registry:list")).content.decode()
    for key, name in names.items():
        assert (name in page) == (key in visible), (role, name)


# Members against DTSEN (issue 19): the district office and the administrator match extracts, record a
# member's standing and resolve duplicate people (they see NIK in full); provinces and the ministry read
# the counts only (403 on everything that shows a NIK); anyone else does not see the kind at all (404).
DTSEN_WRITERS = {"admin", "kabupaten"}
DTSEN_READERS = {"admin", "pusat", "provinsi", "kabupaten"}


@pytest.mark.parametrize("role", ROLES)
def test_dtsen_rights(client, cast, role):
    user = cast.role_users()[role]
    member = cast.kube_a.members.filter(user__isnull=True).order_by("-id").first()
    outside = cast.kube_d.members.order_by("id").first()
    _t, raw = token_create(user=user, name="matrix")
    api = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client.force_login(user)
    read = 200 if role in DTSEN_READERS else 404
    write = 200 if role in DTSEN_WRITERS else 403 if role in DTSEN_READERS else 404
    write_outside = 200 if role == "admin" else 404 if role in DTSEN_WRITERS else write
    checks = {
        "page overview": (client.get(reverse("dtsen:overview")), read),
        "page upload": (client.get(reverse("dtsen:extract_new")), write),
        "page duplicates": (client.get(reverse("dtsen:duplicates")), write),
        "page member": (client.get(reverse("dtsen:member", args=[member.pk])), write),
        "page member outside": (client.get(reverse("dtsen:member", args=[outside.pk])), write_outside),
        "page scan": (client.post(reverse("dtsen:duplicates_scan")), 302 if write == 200 else write),
        "api summary": (client.get("/api/v1/dtsen/summary", **api), read),
        "api duplicates": (client.get("/api/v1/dtsen/duplicates", **api), write),
        "api member": (client.get(f"/api/v1/members/{member.pk}/dtsen", **api), write),
        "api member outside": (client.get(f"/api/v1/members/{outside.pk}/dtsen", **api), write_outside),
        "api record": (client.post(f"/api/v1/members/{member.pk}/dtsen", {"status": "found", "desil": 2},
                                   content_type="application/json", **api), 201 if write == 200 else write),
        "api scan": (client.post("/api/v1/dtsen/duplicates/scan", {"region": ""}, content_type="application/json",
                                 **api), write),
        "api upload": (client.post("/api/v1/dtsen/extracts", {"region": "32.04", "data_date": "2026-10-01"}, **api),
                       422 if write == 200 else write),
        "api resolve": (client.post("/api/v1/dtsen/duplicates/1/resolve", {"decision": "different"},
                                    content_type="application/json", **api), 404 if write == 200 else write),
    }
    failures = [f"{name}: {response.status_code}, expected {want}" for name, (response, want) in checks.items()
                if response.status_code != want]
    assert not failures, f"{role}: " + "; ".join(failures)
    if role in DTSEN_READERS - DTSEN_WRITERS:  # counts, never a NIK
        page = client.get(reverse("dtsen:overview")).content.decode()
        summary = client.get("/api/v1/dtsen/summary", **api).content.decode()
        for m in cast.kube_a.members.all():
            assert m.nik not in page and m.nik not in summary
        assert client.get("/api/v1/dtsen/summary", **api).json()["total"]["members"] > 0


# --- the reporting chain (approval) -----------------------------------------------------------------
# Each level is one role's: a mentor verifies but cannot approve, a district office approves but
# not outside its reach (404), a province cannot approve a group's LPJ (403). Columns: verify the
# LPJ of kube_a (inside Kab. Bandung), of kube_c (Kota Bogor), approve kube_a's, approve kube_c's.
CHAIN_CELLS = {
    "admin": (403, 403, 403, 403),
    "pusat": (403, 403, 403, 403),
    "provinsi": (403, 403, 403, 403),
    "kabupaten": (403, 404, 200, 404),
    "pendamping": (200, 404, 403, 404),
    "pengurus": (403, 404, 403, 404),
    "anggota": (403, 403, 403, 403),
    "outsider": (403, 403, 403, 403),
}


def _submitted_lpjs(cast):
    """The October LPJ of kube_a and kube_c, closed and submitted by both officers of each group."""
    chain = build_chain(cast)
    officers = {cast.kube_a.pk: (chain.ketua_a, chain.bendahara_a),
                cast.kube_c.pk: (officer_account(cast.kube_c, "ketua", "ketua.cempaka"),
                                 officer_account(cast.kube_c, "bendahara", "bendahara.cempaka"))}
    lpjs = []
    with time_machine.travel("2026-11-03 09:00 +0700", tick=False):
        for kube in (cast.kube_a, cast.kube_c):
            ketua, bendahara = officers[kube.pk]
            period_close(actor=ketua, kube=kube, period=202610)
            approval_services.lpj_confirm(actor=ketua, kube=kube, period=202610)
            lpjs.append(approval_services.lpj_confirm(actor=bendahara, kube=kube, period=202610))
    return lpjs


@pytest.mark.parametrize("role", ROLES)
def test_reporting_chain_rights(client, cast, role):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=cast.role_users()[role], name='chain')[1]}"}
    lpjs = _submitted_lpjs(cast)
    got = [client.post(f"/api/v1/lpj-approvals/{lpj.pk}/verify", {}, content_type="application/json",
                       **headers).status_code for lpj in lpjs]
    mentors = {cast.kube_a.pk: cast.pendamping, cast.kube_c.pk: cast.pendamping_other}
    for lpj in lpjs:
        lpj.refresh_from_db()
        if lpj.verified_at is None:
            approval_services.lpj_verify(actor=mentors[lpj.kube_id], lpj=lpj)
    got += [client.post(f"/api/v1/lpj-approvals/{lpj.pk}/approve", {}, content_type="application/json",
                        **headers).status_code for lpj in lpjs]
    assert tuple(got) == CHAIN_CELLS[role], (role, got)
