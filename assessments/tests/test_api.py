"""/api/v1 for PEKA: the same rules and reach as the pages, errors as {code, message} in Indonesian."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from assessments.models import Assessment, InstrumentVersion, RtlAction, Score
from assessments.services import priorities_set, rtl_action_add
from books.services.registers import activity_record
from testing import bearer
from testing.assessments import session


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
    assert [a["activity"] for a in client.get(f"/api/v1/assessments/{aid}/rtl", **auth).json()["items"]] == [
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
    assert not_there.status_code == 404 and "tidak ditemukan" in not_there.json()["message"]
    stranger = cast.kube_b.members.first().pk
    refused = send(client, "post", f"/api/v1/groups/{cast.kube_a.pk}/assessments",
                   {"version": version.pk, "date": "2026-03-07", "participants": [members[0], stranger]}, auth)
    assert refused.status_code == 404 and refused.json()["field"] == "participants"  # like a missing id
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
    assert client.get("/api/v1/assessment-rollup", **bearer(cast.pendamping)).status_code == 404  # as the page


def test_sessions_and_rtl_are_listed_a_page_at_a_time(client, cast, version):
    older = session(cast, version, day=date(2026, 3, 7))
    newer = session(cast, version, day=date(2026, 6, 11))
    auth = bearer(cast.anggota)
    first = client.get(f"/api/v1/groups/{cast.kube_a.pk}/assessments?page_size=1", **auth).json()
    assert (first["count"], first["page"], [a["id"] for a in first["items"]]) == (2, 1, [newer.pk])
    second = client.get(f"/api/v1/groups/{cast.kube_a.pk}/assessments?page=2&page_size=1", **auth).json()
    assert [a["id"] for a in second["items"]] == [older.pk]
    item = version.items.get(number=9)
    priorities_set(actor=cast.pendamping, assessment=older, items=[item])
    person = cast.kube_a.members.order_by("id").first()
    ids = [rtl_action_add(actor=cast.pendamping, assessment=older, item=item, activity=f"Aksi {n}", aim="Tujuan",
                          person=person, due_on=date(2026, 4, 5), indicator="Indikator").pk for n in range(3)]
    rtl = client.get(f"/api/v1/assessments/{older.pk}/rtl?page_size=2", **auth).json()
    assert rtl["count"] == 3 and [a["id"] for a in rtl["items"]] == ids[:2]  # same day: by id
    assert client.get(f"/api/v1/groups/{cast.kube_a.pk}/assessments", **bearer(cast.kab_other)).status_code == 404


def test_the_details_of_a_session_are_corrected(client, cast, version):
    assessment = session(cast, version, n=3)
    members = list(cast.kube_a.members.order_by("id").values_list("pk", flat=True))
    url = f"/api/v1/assessments/{assessment.pk}"
    body = {"participants": members[:4], "facilitator_name": "Ibu Rosina", "place": "Rumah ketua",
            "reflection": "Pembukuan mulai rutin", "history": [{"when": "Maret 2024", "event": "KUBE dibentuk"}]}
    saved = send(client, "put", url, body, bearer(cast.pendamping))
    assert saved.status_code == 200, saved.json()
    out = saved.json()
    assert sorted(p["member"] for p in out["participants"]) == members[:4]
    assert (out["facilitator_name"], out["place"], out["reflection"]) == (
        "Ibu Rosina", "Rumah ketua", "Pembukuan mulai rutin")
    assert out["history"] == [{"when": "Maret 2024", "event": "KUBE dibentuk"}]
    assert send(client, "put", url, body, bearer(cast.ketua)).status_code == 403
    assert send(client, "put", url, body, bearer(cast.kab_other)).status_code == 404
    no_facilitator = send(client, "put", url, {**body, "facilitator_name": " "}, bearer(cast.kab))
    assert no_facilitator.status_code == 400
    assert no_facilitator.json() == {"code": "invalid", "message": "Fasilitator wajib diisi.",
                                     "field": "facilitator_name"}
    scored = assessment.participants.select_related("member").order_by("id").first()
    dropped = send(client, "put", url, {**body, "participants": members[1:4]}, bearer(cast.pendamping))
    assert dropped.status_code == 400 and dropped.json()["message"] == (
        f"{scored.member.name} sudah memberi nilai; hapus nilainya dulu sebelum mencoretnya.")
    stranger = cast.kube_b.members.first().pk
    refused = send(client, "put", url, {**body, "participants": [members[0], stranger]}, bearer(cast.pendamping))
    assert refused.status_code == 404 and refused.json()["field"] == "participants"  # like a missing one
    assessment.refresh_from_db()
    assert assessment.facilitator_name == "Ibu Rosina" and assessment.participants.count() == 4


def rtl_action(cast, version):
    assessment = session(cast, version)
    item = version.items.get(number=9)
    priorities_set(actor=cast.pendamping, assessment=assessment, items=[item])
    return rtl_action_add(actor=cast.pendamping, assessment=assessment, item=item, activity="LPJ bulanan",
                          aim="Anggota menerima laporan", person=cast.kube_a.members.order_by("id").first(),
                          due_on=date(2026, 4, 5), indicator="LPJ dibagikan")


def test_an_rtl_action_is_carried_into_the_work_plan_once(client, cast, version):
    action = rtl_action(cast, version)
    url = f"/api/v1/rtl/{action.pk}/work-plan"
    assert send(client, "post", url, {}, bearer(cast.ketua)).status_code == 403  # the mentor's, not the officers'
    assert send(client, "post", url, {}, bearer(cast.kab_other)).status_code == 404
    carried = send(client, "post", url, {}, bearer(cast.pendamping))
    assert carried.status_code == 200, carried.json()
    action.refresh_from_db()
    assert carried.json()["work_plan_item"] == action.work_plan_item_id is not None
    assert action.work_plan_item.kube == cast.kube_a and action.work_plan_item.activity == "LPJ bulanan"
    again = send(client, "post", url, {}, bearer(cast.pendamping))
    assert again.status_code == 400
    assert again.json() == {"code": "invalid", "message": "Aksi ini sudah ada di Buku Rencana Kerja."}


def test_an_rtl_action_is_linked_to_the_activity_that_carried_it_out(client, cast, version):
    action = rtl_action(cast, version)
    meeting = activity_record(actor=cast.ketua, kube=cast.kube_a, date=date(2026, 4, 5), kind="rapat",
                              place="Rumah ketua", agenda="LPJ Maret", present=[])
    elsewhere = activity_record(actor=cast.kab, kube=cast.kube_b, date=date(2026, 4, 5), kind="rapat",
                                place="Balai", agenda="Rapat", present=[])
    url = f"/api/v1/rtl/{action.pk}/activity"
    linked = send(client, "put", url, {"activity": meeting.pk}, bearer(cast.pendamping))
    assert linked.status_code == 200 and linked.json()["agenda_activity"] == meeting.pk
    assert send(client, "put", url, {"activity": None}, bearer(cast.ketua)).status_code == 403
    assert send(client, "put", url, {"activity": None}, bearer(cast.pendamping_other)).status_code == 404
    foreign = send(client, "put", url, {"activity": elsewhere.pk}, bearer(cast.kab))
    assert foreign.status_code == 404
    assert foreign.json()["code"] == "not_found" and foreign.json()["field"] == "activity"
    assert RtlAction.objects.get(pk=action.pk).agenda_activity_id == meeting.pk
    unlinked = send(client, "put", url, {"activity": None}, bearer(cast.pendamping))
    assert unlinked.status_code == 200 and unlinked.json()["agenda_activity"] is None


NEW_ITEMS = "# Kepengurusan\n1 | Pengurus dipilih anggota\n2 | Pengurus melapor tiap bulan\n# Usaha\n3 | Usaha untung"


def test_an_administrator_publishes_a_new_instrument_version(client, cast, version):
    url = f"/api/v1/instruments/{version.instrument_id}/versions"
    body = {"items_text": NEW_ITEMS, "scale_min": 1, "scale_max": 4, "standard": "2.75",
            "scale_labels": ["Belum", "Kurang", "Cukup", "Baik"], "note": "Lebih ringkas"}
    assert send(client, "post", url, body, bearer(cast.kab)).status_code == 404  # the instrument is the admin's
    assert send(client, "post", "/api/v1/instruments/999999/versions", body, bearer(cast.admin)).status_code == 404
    outside = send(client, "post", url, {**body, "standard": "4.50"}, bearer(cast.admin))
    assert outside.status_code == 400
    assert outside.json() == {"code": "invalid", "message": "Standar harus di dalam skala 1–4.", "field": "standard"}
    no_domain = send(client, "post", url, {**body, "items_text": "1 | Tanpa bidang"}, bearer(cast.admin))
    assert no_domain.status_code == 400 and no_domain.json()["field"] == "items_text"
    assert no_domain.json()["message"] == 'Baris 1: mulai dengan nama bidang, misalnya "# Kepemimpinan".'
    published = send(client, "post", url, body, bearer(cast.admin))
    assert published.status_code == 201, published.json()
    out = published.json()
    assert (out["number"], out["standard"], out["published_on"]) == (2, "2.75", timezone.localdate().isoformat())
    assert [(d["name"], [i["number"] for i in d["items"]]) for d in out["domains"]] == [
        ("Kepengurusan", [1, 2]), ("Usaha", [3])]
    version.refresh_from_db()
    assert version.retired_on == timezone.localdate()  # the previous version is not used for new sessions


def test_an_administrator_retires_a_version(client, cast, version):
    url = f"/api/v1/instrument-versions/{version.pk}/retire"
    assert send(client, "post", url, {}, bearer(cast.pendamping)).status_code == 404  # the admin's, as on the page
    assert send(client, "post", "/api/v1/instrument-versions/999999/retire", {}, bearer(cast.admin)).status_code == 404
    retired = send(client, "post", url, {}, bearer(cast.admin))
    assert retired.status_code == 200 and retired.json()["retired_on"] == timezone.localdate().isoformat()
    again = send(client, "post", url, {}, bearer(cast.admin))
    assert again.status_code == 400 and again.json()["message"] == "Versi ini sudah tidak dipakai."
    assert InstrumentVersion.objects.get(pk=version.pk).retired_on == timezone.localdate()
