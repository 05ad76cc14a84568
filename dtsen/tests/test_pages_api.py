"""The DTSEN pages and API as the district office uses them: upload an extract, read the preview,
apply it; find the duplicates, open a pair, resolve it; record a member's standing by hand. The NIK
is only ever in a POST body, never in a URL."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dtsen.models import DuplicatePair, Extract
from registry.models import DtsenRecord
from registry.rules import MemberData
from registry.services import member_add
from testing import bearer
from testing.dtsen import csv_bytes, xlsx_bytes


def _rows(cast, desil=4):
    return [[m.nik, m.kk_number, m.name, desil, ""] for m in cast.kube_a.members.order_by("id")]


def test_the_office_uploads_previews_and_applies_an_extract_on_the_pages(client, cast):
    client.force_login(cast.kab)
    assert client.get(reverse("dtsen:extract_new")).status_code == 200
    upload = SimpleUploadedFile("siks-ng.xlsx", xlsx_bytes(_rows(cast)))
    response = client.post(reverse("dtsen:extract_new"), {"file": upload, "region": "32.04.06",
                                                          "data_date": "2026-10-31"})
    assert response.status_code == 302, response.content.decode()[:2000]
    extract = Extract.objects.get()
    assert response["Location"] == reverse("dtsen:extract", args=[extract.pk])
    page = client.get(response["Location"]).content.decode()
    assert "siks-ng.xlsx" in page and 'data-testid="apply"' in page
    first = cast.kube_a.members.order_by("id").first()
    assert first.nik in page and first.nik not in response["Location"]
    applied = client.post(reverse("dtsen:extract_apply", args=[extract.pk]), follow=True)
    assert "6 catatan DTSEN anggota tersimpan" in applied.content.decode()
    assert set(cast.kube_a.members.values_list("dtsen_desil", flat=True)) == {4}


def test_a_refused_file_is_said_next_to_the_file_field(client, cast):
    client.force_login(cast.kab)
    upload = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    response = client.post(reverse("dtsen:extract_new"), {"file": upload, "region": "32.04", "data_date": "2026-10-31"})
    assert response.status_code == 200 and "bukan lembar kerja" in response.content.decode()
    assert not Extract.objects.exists()


def test_the_office_resolves_a_duplicate_on_the_pages(client, cast):
    original = cast.kube_a.members.filter(offices__isnull=True).order_by("id").last()
    i = next(i for i in (14, 13, 12, 0, 1, 2, 3, 4) if original.nik[i] != original.nik[i + 1])
    nik = original.nik[:i] + original.nik[i + 1] + original.nik[i] + original.nik[i + 2:]
    copy = member_add(actor=cast.kab, kube=cast.kube_b, data=MemberData(
        nik=nik, kk_number=original.kk_number, name=original.name, sex=original.sex, birth_date=original.birth_date,
        accept_duplicate=True))
    client.force_login(cast.kab)
    client.post(reverse("dtsen:duplicates_scan"))
    pair = DuplicatePair.objects.get()
    listing = client.get(reverse("dtsen:duplicates")).content.decode()
    assert reverse("dtsen:duplicate", args=[pair.pk]) in listing
    detail = client.get(reverse("dtsen:duplicate", args=[pair.pk])).content.decode()
    assert original.nik in detail and nik in detail and f"digit NIK yang berbeda: {i + 1}, {i + 2}" in detail
    response = client.post(reverse("dtsen:duplicate", args=[pair.pk]), {"decision": "merge", "member": original.pk,
                                                                       "note": "KTP dilihat"})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.left_on is not None
    assert reverse("dtsen:duplicate", args=[pair.pk]) not in client.get(reverse("dtsen:duplicates")).content.decode()


def test_the_api_previews_applies_and_answers_the_record(client, cast):
    auth = bearer(cast.kab)
    upload = SimpleUploadedFile("ekstrak.csv", csv_bytes(_rows(cast, desil=2)))
    created = client.post("/api/v1/dtsen/extracts", {"file": upload, "region": "32.04.06", "data_date": "2026-10-31"},
                          **auth)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["counts"]["new_desil"] == 6 and body["state"] == "previewed" and not body["file_kept"]
    assert {line["nik"] for line in body["new_desil"]} == set(cast.kube_a.members.values_list("nik", flat=True))
    applied = client.post(f"/api/v1/dtsen/extracts/{body['id']}/apply", **auth)
    assert applied.status_code == 200 and applied.json()["state"] == "applied"
    again = client.post(f"/api/v1/dtsen/extracts/{body['id']}/apply", **auth)
    assert again.status_code == 400 and again.json()["code"] == "already_applied"
    member = cast.kube_a.members.order_by("id").first()
    record = client.get(f"/api/v1/members/{member.pk}/dtsen", **auth).json()
    assert (record["status"], record["desil"]) == ("found", 2) and record["history"][0]["source"] == "extract"
    by_hand = client.post(f"/api/v1/members/{member.pk}/dtsen", {"status": "found", "desil": 6},
                          content_type="application/json", **auth)
    assert by_hand.status_code == 201 and by_hand.json()["desil"] == 6
    assert DtsenRecord.objects.filter(member=member).count() == 2


def test_a_refused_extract_names_row_and_column_in_the_api(client, cast):
    data = xlsx_bytes([["=1+1", "3204061234000001", "Ani", 3, ""]])
    refused = client.post("/api/v1/dtsen/extracts", {"file": SimpleUploadedFile("e.xlsx", data), "region": "32.04",
                                                     "data_date": "2026-10-31"}, **bearer(cast.kab))
    assert refused.status_code == 422
    assert refused.json()["code"] == "extract_invalid" and refused.json()["message"].startswith("Baris 2, kolom NIK")


def test_the_member_page_shows_the_history_and_records_by_hand(client, cast):
    member = cast.kube_a.members.filter(user__isnull=True).first()
    client.force_login(cast.kab)
    response = client.post(reverse("dtsen:member", args=[member.pk]), {"status": "found", "desil": 3,
                                                                      "data_date": "2026-10-01"})
    assert response.status_code == 302
    page = client.get(reverse("dtsen:member", args=[member.pk])).content.decode()
    assert "Dicatat petugas Dinas Sosial" in page and "01-10-2026" in page
    refused = client.post(reverse("dtsen:member", args=[member.pk]), {"status": "found"})
    assert "Isi desil" in refused.content.decode()
