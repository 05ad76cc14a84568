"""Assistance events, the evaluation of every intervention, and the printed tables of seed 003."""

from datetime import date

import pytest
from django.urls import reverse

from books.services.registers import activity_record
from mentoring.errors import MentoringError
from mentoring.models import AssistanceEvent, Evaluation
from mentoring.services import AuditLine, NewFollowUp, evaluation_record, event_record, visit_log
from regions.models import Region
from testing.documents import pdf_text


def event(cast, **extra):
    values = {"actor": cast.kab, "title": "Asistensi Pengadministrasian KUBE", "date": date(2026, 5, 20),
              "kabupaten": Region.objects.get(pk="32.04"), "topic": "administrasi",
              "speakers": "Drs. Ahmad (Dinas Sosial Kab. Bandung)\nIbu Sri (Pendamping)",
              "moderator": "Ibu Rina", "committee": "Seksi Pemberdayaan",
              "kubes": [(cast.kube_a, 3), (cast.kube_b, 2)],
              "problems_raised": "Buku kas belum tertib; pemasaran keripik sulit",
              "results": "Peserta memahami tujuh buku administrasi"}
    values.update(extra)
    return event_record(**values)


def targets():
    return [("Peserta menerima pesan kegiatan dengan baik", 90, 95),
            ("Keberhasilan program", 70, "62.5")]


def test_an_event_is_recorded_for_groups_of_the_offices_own_region(cast):
    held = event(cast)
    assert held.organiser_region_id == "32.04"
    assert sorted(held.participations.values_list("kube__name", "people")) == [
        ("KUBE Maju Sejahtera 11", 3), ("KUBE Mekar Jaya 02", 2)]
    with pytest.raises(MentoringError, match="di luar wilayah kerja"):
        event(cast, kabupaten=Region.objects.get(pk="32.71"))
    with pytest.raises(MentoringError, match="KUBE peserta harus dalam wilayah kerja"):
        event(cast, kubes=[(cast.kube_c, 2)])
    with pytest.raises(MentoringError, match="Hanya Dinas Sosial"):
        event(cast, actor=cast.pendamping)
    assert AssistanceEvent.objects.count() == 1  # refusals leave nothing behind


def test_each_target_says_whether_it_was_met(cast):
    held = event(cast)
    evaluation = evaluation_record(actor=cast.kab, event=held, title="Asistensi Pengadministrasian",
                                   date=date(2026, 5, 20), indicators="Pesan diterima; buku diisi",
                                   results="Peserta antusias", supporting="Kehadiran lengkap",
                                   inhibiting="Waktu singkat", targets=targets())
    assert [(t.target_percent, t.reached_percent, t.met) for t in evaluation.targets.all()] == [
        (90, 95, True), (70, 62.5, False)]
    unmeasured = evaluation_record(actor=cast.kab, event=held, title="Tindak lanjut", date=date(2026, 5, 21),
                                   indicators="x", results="y", targets=[("Buku kas tertib", 80, None)])
    assert unmeasured.targets.get().met is None


@pytest.mark.parametrize(("bad_targets", "message"), [
    ([], "paling sedikit satu target"),
    ([("", 90, 95)], "Target ke-1: tulis targetnya"),
    ([("Pesan diterima", 120, 95)], "0 sampai 100"),
    ([("Pesan diterima", "sembilan puluh", None)], "0 sampai 100"),
])
def test_a_target_without_words_or_outside_0_to_100_is_refused(cast, bad_targets, message):
    with pytest.raises(MentoringError, match=message):
        evaluation_record(actor=cast.kab, event=event(cast), title="Asistensi", date=date(2026, 5, 20),
                          indicators="x", results="y", targets=bad_targets)
    assert not Evaluation.objects.exists()


def test_an_evaluation_is_of_exactly_one_intervention(cast):
    visit = visit_log(actor=cast.pendamping, kube=cast.kube_a, date=date(2026, 5, 2), place="Balai desa",
                      problems="Pemasaran", present=[])
    with pytest.raises(MentoringError, match="satu kunjungan, satu asistensi atau satu kegiatan"):
        evaluation_record(actor=cast.kab, visit=visit, event=event(cast), title="x", date=date(2026, 5, 20),
                          indicators="x", results="y", targets=targets())


def test_the_charity_day_of_the_agenda_book_is_evaluated_from_the_groups_page(client, cast):
    kuber = activity_record(actor=cast.ketua, kube=cast.kube_a, date=date(2026, 6, 26), kind="bakti",
                            place="Kel. Cibeunying", agenda="KUBER: bakti sosial bagi warga", present=[])
    client.force_login(cast.pendamping)
    activity_page = reverse("books:activity", args=[cast.kube_a.pk, kuber.pk])
    url = reverse("mentoring:evaluation_new", args=[cast.kube_a.pk, "kegiatan", kuber.pk])
    assert f'href="{url}"' in client.get(activity_page).content.decode()  # reached from the agenda book
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"]["title"].value() == "Bakti sosial/KUBER: KUBER: bakti sosial bagi warga"
    refused = client.post(url, {"title": "KUBER 2026", "date": "2026-06-26", "indicators": "Warga terlayani",
                                "results": "120 warga", "targets": "Program berhasil di atas 70%"})
    assert "target | target %" in refused.content.decode()
    saved = client.post(url, {"title": "KUBER 2026", "date": "2026-06-26", "indicators": "Warga terlayani",
                              "results": "120 warga", "targets": "Program berhasil di atas 70% | 70 | 85,5"})
    assert saved.status_code == 302
    target = Evaluation.objects.get(activity=kuber).targets.get()
    assert (target.reached_percent, target.met) == (85.5, True)
    assert "Program berhasil di atas 70%" in client.get(activity_page).content.decode()
    client.force_login(cast.anggota)  # a plain member reads the evaluations but writes none
    assert client.get(url).status_code == 403
    assert f'href="{url}"' not in client.get(activity_page).content.decode()


def test_the_visit_history_prints_as_seed_003_table_4(client, cast):
    kube = cast.kube_a
    person = kube.members.order_by("id").first()
    visit_log(actor=cast.pendamping, kube=kube, date=date(2026, 3, 5), place="Rumah Ketua KUBE",
              problems="Pelaporan keuangan belum rutin", solutions="Bendahara melapor tiap awal bulan",
              present=list(kube.members.all()[:5]), treasurer_report_reviewed=True,
              audits=[AuditLine("kas", True, False, "Dua bulan belum ditutup")],
              follow_ups=[NewFollowUp("Tutup buku kas Februari", person, date(2026, 3, 20))])
    visit_log(actor=cast.pendamping, kube=kube, date=date(2026, 4, 2), place="Balai Kelurahan Cibeunying",
              problems="Keripik laku di pasar", present=list(kube.members.all()[:6]))
    client.force_login(cast.kab)
    response = client.get(reverse("mentoring:visits_pdf", args=[kube.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for column in ("No.", "Tempat Pertemuan", "Tanggal/Waktu", "Masalah dan Keberhasilan yang Muncul", "Solusi"):
        assert column in text
    assert text.index("Rumah Ketua KUBE") < text.index("Balai Kelurahan Cibeunying")  # oldest first, as a log
    assert "Hadir 5 dari 6 anggota" in text and "Tutup buku kas Februari" in text
    assert "Buku Kas Umum (belum tertib)" in text
    client.force_login(cast.kab_other)
    assert client.get(reverse("mentoring:visits_pdf", args=[kube.pk])).status_code == 404


def test_the_evaluations_print_as_seed_003_table_5(client, cast):
    held = event(cast)
    evaluation_record(actor=cast.kab, event=held, title="Asistensi Pengadministrasian", date=date(2026, 5, 20),
                      indicators="Pesan diterima", results="Peserta antusias", supporting="Kehadiran lengkap",
                      inhibiting="Waktu singkat", targets=targets())
    client.force_login(cast.pendamping)
    text = pdf_text(client.get(reverse("mentoring:evaluations_pdf", args=[cast.kube_a.pk])).content)
    for column in ("Kegiatan dan Waktu", "Indikator Keberhasilan", "Hasil yang Diperoleh", "Faktor Pendukung",
                   "Faktor Penghambat", "Target Pencapaian", "Capaian"):
        assert column in text
    assert "95% — tercapai" in text and "62,50% — belum tercapai" in text


def test_the_event_report_lists_speakers_groups_problems_and_evaluation(client, cast):
    held = event(cast)
    evaluation_record(actor=cast.kab, event=held, title="Asistensi", date=date(2026, 5, 20), indicators="x",
                      results="y", targets=targets())
    client.force_login(cast.kab)
    text = pdf_text(client.get(reverse("mentoring:event_pdf", args=[held.pk])).content)
    for expected in ("Laporan Asistensi KUBE", "Pengadministrasian KUBE", "Drs. Ahmad", "Ibu Rina", "Nama peserta",
                     "KUBE Maju Sejahtera 11", "KUBE Mekar Jaya 02", "pemasaran keripik sulit", "Target Pencapaian"):
        assert expected in text


def test_events_are_seen_by_the_region_and_by_the_groups_that_took_part(client, cast):
    held = event(cast, kubes=[(cast.kube_a, 3)])
    url = reverse("mentoring:event", args=[held.pk])
    for user, status in ((cast.kab, 200), (cast.prov, 200), (cast.pendamping, 200), (cast.ketua, 200),
                         (cast.kab_other, 404), (cast.pendamping_other, 404), (cast.anggota_d, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username


def test_an_office_records_an_event_on_the_page(client, cast):
    client.force_login(cast.kab)
    url = reverse("mentoring:event_new")
    assert client.get(url).status_code == 200
    form = {"title": "Studi banding ke KUBE Mandiri", "date": "2026-07-14", "kabupaten": "32.04", "topic": "studi",
            "method": "Kunjungan lapangan", "speakers": "Ketua KUBE Mandiri", "kubes": [cast.kube_a.pk, cast.kube_b.pk],
            "people": "1", "participants": "Ani Suryani | kube maju sejahtera 11\nPak Oman | KUBE Cempaka"}
    refused = client.post(url, form)
    assert "Baris 2: KUBE Cempaka tidak termasuk KUBE peserta yang dipilih." in refused.content.decode()
    assert not AssistanceEvent.objects.exists()
    form["participants"] = "Ani Suryani | kube maju sejahtera 11\nEuis Rohmat | KUBE Maju Sejahtera 11\n\n"
    response = client.post(url, form)
    held = AssistanceEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mentoring:event", args=[held.pk])
    assert held.organised_by == cast.kab
    assert dict(held.participations.values_list("kube__name", "people")) == {
        "KUBE Maju Sejahtera 11": 2, "KUBE Mekar Jaya 02": 1}  # named people count; at least the number given
    ani = held.participants.get(name="Ani Suryani")
    assert ani.member == cast.kube_a.members.get(name="Ani Suryani")  # a member of the group is linked
    assert "Ani Suryani, Euis Rohmat" in client.get(response["Location"]).content.decode()
    listing = client.get(reverse("mentoring:events")).content.decode()
    assert "Studi banding ke KUBE Mandiri" in listing
    client.force_login(cast.pendamping)  # mentors read events; offices organise them
    assert client.get(url).status_code == 403


def test_a_member_sees_only_their_own_groups_participants_of_an_event(client, cast):
    """An event shared by two groups: a member of one sees their group and its people, not who came
    from the other (its name, its members) — on the page, in the API and in the PDF."""
    from testing import bearer

    own = cast.kube_a.members.order_by("id").first()
    other = cast.kube_b.members.order_by("id").first()
    held = event(cast, participants=[(cast.kube_a, own, ""), (cast.kube_b, other, "")])
    client.force_login(cast.anggota)
    page = client.get(reverse("mentoring:event", args=[held.pk])).content.decode()
    assert own.name in page and cast.kube_a.name in page
    assert other.name not in page and cast.kube_b.name not in page
    text = pdf_text(client.get(reverse("mentoring:event_pdf", args=[held.pk])).content)
    assert own.name in text and other.name not in text and cast.kube_b.name not in text
    body = client.get(f"/api/v1/events/{held.pk}", **bearer(cast.anggota)).json()
    assert {p["kube"] for p in body["participants"]} == {k["kube"] for k in body["kubes"]} == {cast.kube_a.pk}
    assert other.name not in str(client.get("/api/v1/events", **bearer(cast.anggota)).json())
    # The office that held it sees both groups and everyone.
    office = client.get(f"/api/v1/events/{held.pk}", **bearer(cast.kab)).json()
    assert {p["name"] for p in office["participants"]} == {own.name, other.name}
