"""The share-out through the API and the pages, as the group's officer, a member and everyone else:
the same services, the same reach (outside it 404 like a missing id; a read-only role 403)."""

from __future__ import annotations

from datetime import date

import pytest

from books.models import AccountRole, Line
from shareout.models import ShareOut, ShareRule, Status
from shareout.services import share_out_decide, share_out_post, share_out_propose, share_rule_adopt, year_close
from testing import assert_csp_clean, bearer

pytestmark = pytest.mark.django_db


def post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def test_the_whole_share_out_through_the_api(client, cast, year):
    auth = bearer(year.officer)
    base = f"/api/v1/groups/{year.kube.pk}"
    bad = post(client, base + "/share-rules", {"adopted_on": "2026-01-05", "capital_percent": 30,
                                               "members_percent": 70, "weight_equal": 50, "weight_savings": 40}, auth)
    assert bad.status_code == 400 and bad.json()["code"] == "weights_not_100"
    assert "harus berjumlah 100 %" in bad.json()["message"]
    assert not ShareRule.objects.filter(kube=year.kube).exists()
    rule = post(client, base + "/share-rules", {"adopted_on": "2026-01-05", "capital_percent": "30",
                                                "members_percent": "70", "weight_savings": 100,
                                                "leavers": "pro_rata"}, auth)
    assert rule.status_code == 201, rule.json()
    assert rule.json()["rules_version"] == 1 and rule.json()["current"]
    early = post(client, base + "/share-outs", {"year": 2025}, auth)
    assert early.status_code == 400 and early.json()["code"] == "year_open"
    closed = post(client, base + "/year-closes", {"year": 2025}, auth)
    assert closed.status_code == 201 and closed.json()["profit_after_iks"] == 1_400_005
    proposal = post(client, base + "/share-outs", {"year": 2025}, auth)
    assert proposal.status_code == 201, proposal.json()
    body = proposal.json()
    assert (body["members_pool"], body["members_total"], body["remainder"], body["capital"]) == (980_003, 980_000, 3, 420_005)
    hana = next(ln for ln in body["lines"] if ln["name"] == "Hana")
    assert hana["proposed"] == 180_000 and hana["savings_months"] == 1_800_000
    assert hana["working"] == ["Menurut simpanan × bulan: 980.003 × 1.800.000 / 9.800.000 = 180.000,55"]
    decided = post(client, base + "/share-outs/decision", {
        "year": 2025, "meeting_date": "2026-01-10", "attendance": 7, "decision": "Disetujui",
        "lines": [{"member": year.m["B"].pk, "adjustment": -20_000, "reason": "Dipotong untuk kas sosial"}]}, auth)
    assert decided.status_code == 200, decided.json()
    assert decided.json()["members_total"] == 960_000 and decided.json()["capital"] == 440_005
    posted = post(client, base + "/share-outs/posting", {"year": 2025}, auth)
    assert posted.status_code == 200 and posted.json()["status"] == "dibukukan"
    assert posted.json()["receipt"]
    again = post(client, base + "/share-outs/posting", {"year": 2025}, auth)
    assert again.status_code == 400 and again.json()["code"] == "already_posted"
    listed = client.get(base + "/share-outs?year=2025", **auth).json()
    assert [s["status"] for s in listed] == ["dibukukan"]
    debit = sum(Line.objects.filter(kube=year.kube, account__role=AccountRole.RETAINED).values_list("debit", flat=True))
    assert debit == 960_000


def test_reach_and_roles_in_the_api(client, cast, year):
    year_close(actor=cast.kab, kube=year.kube, year=2025)
    base = f"/api/v1/groups/{year.kube.pk}"
    # Read: everyone in reach; outside reach 404, like a missing id.
    assert client.get(base + "/share-outs", **bearer(cast.pusat)).status_code == 200
    assert client.get(base + "/share-outs", **bearer(cast.outsider)).status_code == 404
    assert client.get(base + "/year-closes", **bearer(cast.anggota)).status_code == 404  # another group's member
    assert client.get(base + "/share-rules", **bearer(year.member_user)).status_code == 200
    # Write: the group's officers only; a read-only role 403 whatever the body.
    for user in (cast.pusat, cast.kab, cast.pendamping, year.member_user):
        assert post(client, base + "/share-outs", {"year": 2025}, bearer(user)).status_code == 403
    # An officer of another group: outside reach.
    assert post(client, base + "/share-outs", {"year": 2025}, bearer(cast.ketua)).status_code == 404
    assert not ShareOut.objects.exists()


def test_a_member_of_another_group_in_the_decision_is_not_found(client, cast, year):
    year_close(actor=cast.kab, kube=year.kube, year=2025)
    share_rule_adopt(actor=cast.kab, kube=year.kube, adopted_on=date(2026, 1, 5), capital_percent=40,
                     members_percent=60, weight_equal=100)
    share_out_propose(actor=cast.kab, kube=year.kube, year=2025)
    stranger = cast.kube_d.members.first()
    answer = post(client, f"/api/v1/groups/{year.kube.pk}/share-outs/decision", {
        "year": 2025, "meeting_date": "2026-01-10", "attendance": 7, "decision": "Setuju",
        "lines": [{"member": stranger.pk, "adjustment": 5_000, "reason": "x"}]}, bearer(year.officer))
    assert answer.status_code == 404 and answer.json()["field"] == "lines"
    assert ShareOut.objects.get(kube=year.kube).status == Status.PROPOSED


def _decided_and_posted(cast, year):
    year_close(actor=cast.kab, kube=year.kube, year=2025)
    share_rule_adopt(actor=cast.kab, kube=year.kube, adopted_on=date(2026, 1, 5), capital_percent=30,
                     members_percent=70, weight_savings=100, leavers="pro_rata")
    proposal = share_out_propose(actor=cast.kab, kube=year.kube, year=2025)
    share_out_decide(actor=cast.kab, share_out=proposal, meeting_date=date(2026, 1, 10), present=7, decision="Setuju")
    return share_out_post(actor=cast.kab, share_out=proposal)


def test_the_pages_from_the_tab_to_the_posting(client, cast, year):
    client.force_login(year.officer)
    kube = year.kube
    books = client.get(f"/kube/{kube.pk}/buku/")
    assert f'href="/kube/{kube.pk}/buku/bagi-hasil/"' in books.content.decode()
    rule = client.post(f"/kube/{kube.pk}/buku/bagi-hasil/", {
        "rule-adopted_on": "2026-01-05", "rule-capital_percent": "30", "rule-members_percent": "60",
        "rule-weight_equal": "100", "rule-leavers": "none", "rule-payout": "savings"})
    assert rule.status_code == 200 and "harus berjumlah 100 %" in rule.content.decode()
    assert not ShareRule.objects.exists()
    rule = client.post(f"/kube/{kube.pk}/buku/bagi-hasil/", {
        "rule-adopted_on": "2026-01-05", "rule-capital_percent": "30", "rule-members_percent": "70",
        "rule-weight_savings": "100", "rule-leavers": "pro_rata", "rule-payout": "savings"})
    assert rule.status_code == 302
    assert client.post(f"/kube/{kube.pk}/buku/bagi-hasil/tutup-tahun/", {"year": "2025"}).status_code == 302
    assert client.post(f"/kube/{kube.pk}/buku/bagi-hasil/2025/usul/").status_code == 302
    page = client.get(f"/kube/{kube.pk}/buku/bagi-hasil/2025/")
    html = page.content.decode()
    assert page.status_code == 200
    assert_csp_clean(html, "share-out")
    assert "Rp980.003" in html and "Rp420.005" in html and "Rp180.000" in html
    assert year.m["A"].nik not in html
    form = {"meeting_date": "2026-01-10", "present": "7", "decision": "Disetujui musyawarah"}
    for letter, member in year.m.items():
        form[f"payout_{member.pk}"] = "cash" if letter == "G" else "savings"
    assert client.post(f"/kube/{kube.pk}/buku/bagi-hasil/2025/", form).status_code == 302
    assert client.post(f"/kube/{kube.pk}/buku/bagi-hasil/2025/bukukan/").status_code == 302
    assert ShareOut.objects.get(kube=kube).status == Status.POSTED
    after = client.get(f"/kube/{kube.pk}/buku/bagi-hasil/2025/").content.decode()
    assert 'data-testid="decision-form"' not in after and 'data-testid="receipt"' in after
    lpj = client.get(f"/kube/{kube.pk}/buku/lpj/2025/").content.decode()
    assert "g. Tutup buku tahunan dan pembagian hasil usaha" in lpj
    pdf = client.get(f"/kube/{kube.pk}/buku/lpj/2025/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_member_sees_their_own_share_and_how_it_was_worked_out(client, cast, year):
    _decided_and_posted(cast, year)
    client.force_login(year.member_user)
    page = client.get(f"/kube/{year.kube.pk}/buku/bagi-hasil/saya/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="my-final">Rp180.000<' in html
    assert "980.003 × 1.800.000 / 9.800.000 = 180.000,55" in html
    assert "Ani" not in html  # the others' lines are on the group's page, not here
    mine = client.get(f"/kube/{year.kube.pk}/buku/saya/").content.decode()
    assert f'href="/kube/{year.kube.pk}/buku/bagi-hasil/saya/"' in mine
    # A read-only role may not write; someone outside the group does not find it.
    assert client.post(f"/kube/{year.kube.pk}/buku/bagi-hasil/2025/bukukan/").status_code == 403
    client.force_login(cast.outsider)
    assert client.get(f"/kube/{year.kube.pk}/buku/bagi-hasil/").status_code == 404
    client.force_login(cast.pusat)
    assert client.get(f"/kube/{year.kube.pk}/buku/bagi-hasil/saya/").status_code == 404
    assert client.get(f"/kube/{year.kube.pk}/buku/bagi-hasil/2025/").status_code == 200
