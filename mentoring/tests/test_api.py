"""/api/v1 for mentoring: visits with attendance, audits and follow-ups; photos; events; evaluations;
the stage checklist; the mentor's attention list. Same rules and reach as the pages."""

import io
from datetime import date, timedelta

from django.utils import timezone
from PIL import Image

from accounts.models import Role
from mentoring.models import FollowUp, StageCriterion, Visit
from registry.models import Kube
from testing import DESA_A, DESA_A2, bearer, make_kube, make_user


def post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def visit_body(cast, **extra):
    members = list(cast.kube_a.members.order_by("id").values_list("pk", flat=True))
    body = {"kube": cast.kube_a.pk, "date": "2026-03-05", "place": "Rumah Ketua KUBE", "start_time": "09:00",
            "end_time": "11:30", "problems": "Pelaporan keuangan belum rutin",
            "solutions": "Bendahara melapor tiap awal bulan", "present": members[:3],
            "audits": [{"book": "kas", "checked": True, "in_order": False, "findings": "Belum ditutup"},
                       {"book": "anggota", "checked": True, "in_order": True}],
            "follow_ups": [{"action": "Tutup buku kas", "person": members[0], "due_on": "2026-03-20"}]}
    body.update(extra)
    return body


def test_a_visit_is_logged_listed_and_its_follow_up_closed(client, cast):
    auth = bearer(cast.pendamping)
    created = post(client, "/api/v1/visits", visit_body(cast), auth)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["members_present"], body["members_active"], body["attendance_percent"]) == (3, 6, 50)
    assert {a["book"]: a["in_order"] for a in body["audits"]} == {"kas": False, "anggota": True}
    follow_up = body["follow_ups"][0]
    assert follow_up["closed_on"] is None and follow_up["person_name"]
    listed = client.get(f"/api/v1/visits?kube={cast.kube_a.pk}", **auth).json()
    assert [v["id"] for v in listed["items"]] == [body["id"]]
    closed = post(client, f"/api/v1/follow-ups/{follow_up['id']}/close", {"closed_on": "2026-03-18",
                                                                         "note": "Sudah ditutup"}, auth)
    assert closed.status_code == 200 and closed.json()["closed_on"] == "2026-03-18"
    assert client.get(f"/api/v1/groups/{cast.kube_a.pk}/follow-ups", **auth).json()["items"] == []


def test_a_visit_with_a_bad_follow_up_is_refused_whole_with_an_indonesian_message(client, cast):
    body = visit_body(cast, follow_ups=[{"action": "Tutup buku kas", "person": None, "due_on": "2026-03-20"}])
    refused = post(client, "/api/v1/visits", body, bearer(cast.pendamping))
    assert refused.status_code == 400
    assert refused.json()["message"] == "Tindak lanjut ke-1: pilih penanggung jawabnya."
    assert not Visit.objects.exists() and not FollowUp.objects.exists()


def test_visits_stay_within_reach(client, cast):
    auth = bearer(cast.pendamping_other)  # Kota Bogor's mentor
    assert post(client, "/api/v1/visits", visit_body(cast), auth).status_code == 404
    created = post(client, "/api/v1/visits", visit_body(cast), bearer(cast.pendamping)).json()
    assert client.get(f"/api/v1/visits/{created['id']}", **auth).status_code == 404
    assert client.get("/api/v1/visits", **auth).json()["items"] == []
    assert client.get(f"/api/v1/visits/{created['id']}", **bearer(cast.ketua)).status_code == 200
    assert post(client, "/api/v1/visits", visit_body(cast), bearer(cast.ketua)).status_code == 403


def test_a_photo_is_resized_and_a_non_image_refused(client, cast):
    auth = bearer(cast.pendamping)
    visit = post(client, "/api/v1/visits", visit_body(cast), auth).json()
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), (30, 140, 60)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "rapat.png"
    uploaded = client.post(f"/api/v1/visits/{visit['id']}/photos", {"photo": buffer}, **auth)
    assert uploaded.status_code == 201, uploaded.json()
    assert max(uploaded.json()["width"], uploaded.json()["height"]) == 1600
    text = io.BytesIO(b"bukan foto")
    text.name = "catatan.jpg"
    refused = client.post(f"/api/v1/visits/{visit['id']}/photos", {"photo": text}, **auth)
    assert refused.status_code == 400 and "bukan foto yang dapat dibaca" in refused.json()["message"]
    assert len(client.get(f"/api/v1/visits/{visit['id']}", **auth).json()["photos"]) == 1


def test_an_event_and_its_evaluation(client, cast):
    auth = bearer(cast.kab)
    ketua = cast.kube_a.members.get(user=cast.ketua)
    event = post(client, "/api/v1/events", {
        "title": "Asistensi Manajemen Keuangan", "date": "2026-05-20", "kabupaten": "32.04", "topic": "keuangan",
        "speakers": "Dinas Sosial Kab. Bandung", "kubes": [{"kube": cast.kube_a.pk, "people": 3}],
        "participants": [{"kube": cast.kube_a.pk, "member": ketua.pk}, {"kube": cast.kube_a.pk, "name": "Lurah"}]},
        auth)
    assert event.status_code == 201, event.json()
    assert event.json()["kubes"] == [{"kube": cast.kube_a.pk, "people": 3}]
    assert event.json()["participants"] == [{"kube": cast.kube_a.pk, "member": ketua.pk, "name": ketua.name},
                                            {"kube": cast.kube_a.pk, "member": None, "name": "Lurah"}]
    evaluation = post(client, "/api/v1/evaluations", {
        "event": event.json()["id"], "title": "Asistensi Manajemen Keuangan", "date": "2026-05-20",
        "indicators": "Peserta paham neraca", "results": "Buku kas diisi",
        "targets": [{"description": "Peserta menerima pesan", "target_percent": 90, "reached_percent": 80}]}, auth)
    assert evaluation.status_code == 201, evaluation.json()
    assert evaluation.json()["targets"][0]["met"] is False
    mentor = bearer(cast.pendamping)
    assert [e["title"] for e in client.get("/api/v1/events", **mentor).json()["items"]] == [
        "Asistensi Manajemen Keuangan"]
    assert client.get(f"/api/v1/evaluations?kube={cast.kube_a.pk}", **mentor).json()["count"] == 1
    assert client.get("/api/v1/events", **bearer(cast.kab_other)).json()["items"] == []
    refused = post(client, "/api/v1/events", {
        "title": "x", "date": "2026-05-20", "kabupaten": "32.04", "topic": "keuangan", "speakers": "x",
        "kubes": [{"kube": cast.kube_a.pk}]}, mentor)
    assert refused.status_code == 403


def test_the_stage_checklist_and_promotion(client, cast):
    auth = bearer(cast.pendamping)
    url = f"/api/v1/groups/{cast.kube_a.pk}/stage"
    stage = client.get(url, **auth).json()
    assert stage["stage"] == "pembentukan" and stage["next_stage"] == "pengembangan" and not stage["ready"]
    early = post(client, f"{url}/promote", {"reason": "Siap"}, auth)
    assert early.status_code == 400 and early.json()["code"] == "criteria_unmet"
    no_evidence = post(client, f"{url}/checks", {"criterion": stage["criteria"][0]["id"], "met": True}, auth)
    assert no_evidence.status_code == 400 and "Bukti wajib diisi" in no_evidence.json()["message"]
    for criterion in stage["criteria"]:
        ticked = post(client, f"{url}/checks", {"criterion": criterion["id"], "met": True,
                                               "evidence": "Notulen rapat Maret 2026"}, auth)
        assert ticked.status_code == 200
    assert ticked.json()["ready"]
    promoted = post(client, f"{url}/promote", {"reason": "Semua kriteria terpenuhi"}, auth)
    assert promoted.status_code == 200 and promoted.json()["stage"] == "pengembangan"
    assert {c["code"] for c in promoted.json()["criteria"]} == set(
        StageCriterion.objects.filter(stage="kemandirian").values_list("code", flat=True))
    assert post(client, f"{url}/checks", {"criterion": stage["criteria"][0]["id"], "met": True, "evidence": "x"},
                bearer(cast.ketua)).status_code == 403


def test_the_mentors_attention_list(client, cast):
    today = timezone.localdate()
    members = list(cast.kube_a.members.order_by("id").values_list("pk", flat=True))
    post(client, "/api/v1/visits", visit_body(cast, date=(today - timedelta(days=3)).isoformat(), follow_ups=[],
                                                audits=[], present=members), bearer(cast.pendamping))
    rows = client.get(f"/api/v1/mentors/{cast.pendamping.pk}/workspace", **bearer(cast.pendamping)).json()
    assert [(r["name"], r["last_visit"], r["overdue_days"]) for r in rows] == [
        ("KUBE Maju Sejahtera 11", (today - timedelta(days=3)).isoformat(), 0)]
    assert client.get(f"/api/v1/mentors/{cast.pendamping.pk}/workspace", **bearer(cast.kab)).status_code == 200
    for outsider in (cast.kab_other, cast.pendamping_other, cast.ketua):
        response = client.get(f"/api/v1/mentors/{cast.pendamping.pk}/workspace", **bearer(outsider))
        assert response.status_code == 404, outsider.username
    assert date.fromisoformat(rows[0]["next_due"]) > today


def test_follow_ups_are_listed_a_page_at_a_time_by_due_date(client, cast):
    members = list(cast.kube_a.members.order_by("id").values_list("pk", flat=True))
    body = visit_body(cast, follow_ups=[
        {"action": "Rapat anggota", "person": members[1], "due_on": "2026-03-25"},
        {"action": "Tutup buku kas", "person": members[0], "due_on": "2026-03-20"},
        {"action": "Setor simpanan", "person": members[2], "due_on": "2026-03-20"}])
    visit = post(client, "/api/v1/visits", body, bearer(cast.pendamping)).json()
    ids = {f["action"]: f["id"] for f in visit["follow_ups"]}
    auth = bearer(cast.anggota)
    url = f"/api/v1/groups/{cast.kube_a.pk}/follow-ups"
    first = client.get(f"{url}?page_size=2", **auth).json()
    assert first["count"] == 3
    assert [f["id"] for f in first["items"]] == sorted([ids["Tutup buku kas"], ids["Setor simpanan"]])
    assert [f["id"] for f in client.get(f"{url}?page=2&page_size=2", **auth).json()["items"]] == [
        ids["Rapat anggota"]]
    assert client.get(url, **bearer(cast.kab_other)).status_code == 404


def test_the_attention_list_breaks_ties_by_group(client, cast):
    twins = [make_kube(name="KUBE Kembar", desa=desa, actor=cast.kab, pendamping=cast.pendamping)
             for desa in (DESA_A2, DESA_A)]
    rows = client.get(f"/api/v1/mentors/{cast.pendamping.pk}/workspace", **bearer(cast.pendamping)).json()
    kembar = [r for r in rows if r["name"] == "KUBE Kembar"]
    assert len({(r["attention"], r["next_due"]) for r in kembar}) == 1  # a tie on every key but the group
    assert [r["kube"] for r in kembar] == sorted(k.pk for k in twins)


def test_an_office_sees_its_mentors_and_how_their_groups_fare(client, cast):
    body = client.get("/api/v1/mentors", **bearer(cast.kab)).json()
    assert (body["count"], body["unassigned"]) == (1, 1)  # kube_b has no mentor
    assert body["items"] == [{"id": cast.pendamping.pk, "username": "pendamping.cimenyan",
                              "full_name": cast.pendamping.full_name, "groups": 1, "attention": 1}]
    province = client.get("/api/v1/mentors?page_size=1", **bearer(cast.prov)).json()
    assert province["count"] == 2 and [m["id"] for m in province["items"]] == [cast.pendamping_other.pk]  # by name
    assert [m["id"] for m in client.get("/api/v1/mentors?page=2&page_size=1", **bearer(cast.prov)).json()["items"]] \
        == [cast.pendamping.pk]
    for user in (cast.pendamping, cast.ketua, cast.outsider):
        refused = client.get("/api/v1/mentors", **bearer(user))
        # Not an office: the overview is not there for them, on the page (404) and in the API alike.
        assert refused.status_code == 404 and refused.json()["code"] == "not_found", user.username


def test_an_office_assigns_a_mentor_to_every_group_of_a_kecamatan(client, cast):
    today = timezone.localdate().isoformat()
    colleague = make_user("pendamping.cileunyi", Role.PENDAMPING, "32.04")
    url = f"/api/v1/mentors/{colleague.pk}/assignments"
    assigned = post(client, url, {"kecamatan": "32.04.05", "start_on": today}, bearer(cast.kab))
    assert assigned.status_code == 200, assigned.json()
    assert assigned.json() == {"count": 1}
    assert Kube.objects.get(pk=cast.kube_b.pk).pendamping == colleague
    assert post(client, url, {"kecamatan": "320406"}, bearer(cast.admin)).json() == {"count": 1}  # kube_a
    assert Kube.objects.get(pk=cast.kube_a.pk).pendamping == colleague


def test_assigning_a_mentor_is_refused_outside_the_office_rights_and_reach(client, cast):
    url = f"/api/v1/mentors/{make_user('pendamping.cileunyi', Role.PENDAMPING, '32.04').pk}/assignments"
    body = {"kecamatan": "32.04.05"}
    for user in (cast.prov, cast.pusat, cast.pendamping, cast.ketua):
        refused = post(client, url, body, bearer(user))
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden", user.username
    bogor_mentor = make_user("pendamping.bogor2", Role.PENDAMPING, "32.71")
    missing = post(client, f"/api/v1/mentors/{bogor_mentor.pk}/assignments", body, bearer(cast.kab))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert post(client, f"/api/v1/mentors/{cast.kab.pk}/assignments", body, bearer(cast.kab)).status_code == 404
    kabupaten = post(client, url, {"kecamatan": "32.04"}, bearer(cast.kab))
    assert kabupaten.status_code == 400
    assert kabupaten.json() == {"code": "invalid", "message": "Pilih kecamatan.", "field": "kecamatan"}
    outside = post(client, url, {"kecamatan": "32.71.04"}, bearer(cast.kab))
    assert outside.status_code == 404 and outside.json()["field"] == "kecamatan"
    assert outside.json()["message"].startswith("Wilayah Kec. Bogor Barat di luar wilayah kerja Anda.")
    unknown = post(client, url, {"kecamatan": "99.99.99"}, bearer(cast.kab))
    assert unknown.status_code == 400 and unknown.json()["message"] == "Kode wilayah 99.99.99 tidak dikenal."
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    future = post(client, url, {"kecamatan": "32.04.05", "start_on": later}, bearer(cast.kab))
    assert future.status_code == 400 and future.json()["message"] == "Tanggal mulai tidak boleh di masa depan."
    assert Kube.objects.get(pk=cast.kube_b.pk).pendamping is None


def photo_upload(client, cast):
    visit = post(client, "/api/v1/visits", visit_body(cast), bearer(cast.pendamping)).json()
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), (30, 140, 60)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "rapat.png"
    client.post(f"/api/v1/visits/{visit['id']}/photos", {"photo": buffer}, **bearer(cast.pendamping))
    return client.get(f"/api/v1/visits/{visit['id']}", **bearer(cast.pendamping)).json()


def test_a_token_client_downloads_a_visits_photo_within_reach(client, cast):
    visit = photo_upload(client, cast)
    photo = visit["photos"][0]
    assert photo["url"] == f"/api/v1/visits/{visit['id']}/photos/{photo['id']}?size=large"
    assert photo["thumbnail_url"] == f"/api/v1/visits/{visit['id']}/photos/{photo['id']}?size=small"
    large = client.get(photo["url"], **bearer(cast.ketua))
    assert large.status_code == 200 and large["Content-Type"] == "image/jpeg"
    assert large["Cache-Control"] == "no-store, private"  # personal data, like every page
    assert Image.open(io.BytesIO(b"".join(large.streaming_content))).size == (1600, 1067)
    small = client.get(photo["thumbnail_url"], **bearer(cast.kab))
    assert max(Image.open(io.BytesIO(b"".join(small.streaming_content))).size) == 320
    for outsider in (cast.pendamping_other, cast.kab_other, cast.outsider):
        response = client.get(photo["url"], **bearer(outsider))
        assert response.status_code == 404 and response.json()["code"] == "not_found", outsider.username
    other = post(client, "/api/v1/visits", visit_body(cast, date="2026-03-06"), bearer(cast.pendamping)).json()
    wrong_visit = client.get(f"/api/v1/visits/{other['id']}/photos/{photo['id']}", **bearer(cast.pendamping))
    assert wrong_visit.status_code == 404
    bad = client.get(f"/api/v1/visits/{visit['id']}/photos/{photo['id']}?size=besar", **bearer(cast.pendamping))
    assert bad.status_code == 422 and bad.json()["message"].startswith("Ukuran ")
