"""/api/v1 for mentoring: visits with attendance, audits and follow-ups; photos; events; evaluations;
the stage checklist; the mentor's attention list. Same rules and reach as the pages."""

import io
from datetime import date, timedelta

from django.utils import timezone
from PIL import Image

from accounts.services import token_create
from mentoring.models import FollowUp, StageCriterion, Visit


def bearer(user):
    _t, raw = token_create(user=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


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
    assert client.get(f"/api/v1/groups/{cast.kube_a.pk}/follow-ups", **auth).json() == []


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
