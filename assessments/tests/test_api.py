"""/api/v1 for PEKA: the same rules and reach as the pages, errors as {code, message} in Indonesian."""

from __future__ import annotations

from accounts.services import token_create
from assessments.models import Assessment, Score


def bearer(user):
    _t, raw = token_create(user=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def send(client, method, url, body, auth):
    return getattr(client, method)(url, body, content_type="application/json", **auth)


def test_instruments_are_listed_with_versions_domains_items_and_scale(client, cast, version):
    body = client.get("/api/v1/instruments", **bearer(cast.ketua)).json()
    default = next(i for i in body if i["code"] == "peka-kube")
    v1 = default["versions"][0]
    assert (v1["scale_min"], v1["scale_max"], v1["standard"]) == (1, 4, "2.50")
    assert len(v1["domains"]) == 7 and sum(len(d["items"]) for d in v1["domains"]) == 30
    numbers = {i["number"] for d in v1["domains"] for i in d["items"]}
    assert {9, 13, 14, 19, 23, 26} <= numbers


def test_a_session_is_scored_analysed_planned_and_compared(client, cast, big_kube, version):
    auth = bearer(cast.pendamping)
    members = list(big_kube.members.order_by("id").values_list("pk", flat=True))
    created = send(client, "post", f"/api/v1/groups/{big_kube.pk}/assessments", {
        "version": version.pk, "date": "2016-02-22", "participants": members[:15],
        "history": [{"when": "Oktober 2015", "event": "KUBE dibentuk"}]}, auth)
    assert created.status_code == 201, created.json()
    aid = created.json()["id"]
    sums = {9: 37, 13: 35, 14: 36, 19: 37, 23: 33, 26: 34}
    scores = []
    for number in range(1, 31):
        threes = sums[number] - 30 if number in sums else 15
        scores += [{"member": m, "item": number, "value": 3 if i < threes else 2} for i, m in enumerate(members[:15])]
    put = send(client, "put", f"/api/v1/assessments/{aid}/scores", {"scores": scores}, auth)
    assert put.status_code == 200 and put.json()["changed"] == 450
    res = client.get(f"/api/v1/assessments/{aid}/results", **auth).json()
    assert [(r["number"], r["mean"]) for r in res["weak"]] == [
        (23, "2.20"), (26, "2.27"), (13, "2.33"), (14, "2.40"), (9, "2.47"), (19, "2.47")]
    assert res["participants"] == 15 and res["complete"]

    assert send(client, "put", f"/api/v1/assessments/{aid}/priorities", {"items": [13, 9]}, auth).json() == [13, 9]
    no_person = send(client, "post", f"/api/v1/assessments/{aid}/rtl", {
        "item": 13, "activity": "Papan informasi keuangan", "aim": "Keuangan terbuka",
        "due_on": "2016-03-05", "indicator": "Laporan ditempel"}, auth)
    assert no_person.status_code == 400
    assert no_person.json() == {"code": "invalid", "message": "Setiap aksi RTL harus punya penanggung jawab.",
                                "field": "person"}
    action = send(client, "post", f"/api/v1/assessments/{aid}/rtl", {
        "item": 13, "activity": "Papan informasi keuangan", "aim": "Keuangan terbuka", "person": members[0],
        "due_on": "2016-03-05", "indicator": "Laporan ditempel"}, auth)
    assert action.status_code == 201
    done = send(client, "post", f"/api/v1/rtl/{action.json()['id']}/status", {"status": "selesai"}, auth)
    assert done.json()["status"] == "selesai"
    assert [a["activity"] for a in client.get(f"/api/v1/assessments/{aid}/rtl", **auth).json()] == [
        "Papan informasi keuangan"]

    later = send(client, "post", f"/api/v1/groups/{big_kube.pk}/assessments", {
        "version": version.pk, "date": "2016-06-11", "mode": "konsensus", "participants": members}, auth).json()
    send(client, "put", f"/api/v1/assessments/{later['id']}/scores",
         {"scores": [{"item": n, "value": 3} for n in range(1, 31)]}, auth)
    comp = client.get(f"/api/v1/assessments/{later['id']}/compare/{aid}", **auth).json()
    assert (comp["participants_before"], comp["participants_after"]) == (15, 18)
    assert comp["left_weak"] == [9, 13, 14, 19, 23, 26]
    assert next(r for r in comp["items"] if r["number"] == 23)["change"] == "0.80"


def test_bad_scores_are_refused_whole(client, cast, version):
    auth = bearer(cast.pendamping)
    members = list(cast.kube_a.members.order_by("id").values_list("pk", flat=True))
    aid = send(client, "post", f"/api/v1/groups/{cast.kube_a.pk}/assessments",
               {"version": version.pk, "date": "2026-03-07", "participants": members[:3]}, auth).json()["id"]
    out_of_scale = send(client, "put", f"/api/v1/assessments/{aid}/scores", {"scores": [
        {"member": members[0], "item": 1, "value": 3}, {"member": members[1], "item": 2, "value": 9}]}, auth)
    assert out_of_scale.status_code == 400 and out_of_scale.json()["code"] == "score_out_of_scale"
    not_there = send(client, "put", f"/api/v1/assessments/{aid}/scores", {"scores": [
        {"member": members[4], "item": 1, "value": 3}]}, auth)
    assert "bukan peserta penilaian ini" in not_there.json()["message"]
    stranger = cast.kube_b.members.first().pk
    refused = send(client, "post", f"/api/v1/groups/{cast.kube_a.pk}/assessments",
                   {"version": version.pk, "date": "2026-03-07", "participants": [members[0], stranger]}, auth)
    assert refused.status_code == 400 and f"Peserta {stranger} bukan anggota KUBE ini" in refused.json()["message"]
    assert not Score.objects.exists() and Assessment.objects.count() == 1


def test_reach_and_rights(client, cast, version):
    auth = bearer(cast.pendamping)
    members = list(cast.kube_a.members.order_by("id").values_list("pk", flat=True))
    aid = send(client, "post", f"/api/v1/groups/{cast.kube_a.pk}/assessments",
               {"version": version.pk, "date": "2026-03-07", "participants": members[:3]}, auth).json()["id"]
    assert client.get(f"/api/v1/assessments/{aid}/results", **bearer(cast.kab_other)).status_code == 404
    assert client.get(f"/api/v1/assessments/{aid}/results", **bearer(cast.anggota)).status_code == 200
    assert send(client, "put", f"/api/v1/assessments/{aid}/scores", {"scores": []},
                bearer(cast.ketua)).status_code == 403
    assert send(client, "post", f"/api/v1/groups/{cast.kube_c.pk}/assessments",
                {"version": version.pk, "date": "2026-03-07", "participants": []}, auth).status_code == 404
    rollup = client.get("/api/v1/assessment-rollup?region=32.04", **bearer(cast.kab)).json()
    assert rollup["groups"] == 1 and len(rollup["domains"]) == 7
    assert client.get("/api/v1/assessment-rollup?region=32.71", **bearer(cast.kab)).status_code == 404
    assert client.get("/api/v1/assessment-rollup", **bearer(cast.pendamping)).status_code == 403
