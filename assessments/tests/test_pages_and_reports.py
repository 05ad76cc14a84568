"""The PEKA pages, the report PDF, the scores workbook and the regional roll-up."""

from __future__ import annotations

import io
import re
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import Assessment, Score
from assessments.services import priorities_set, rtl_action_add
from testing import assert_csp_clean
from testing.assessments import session


def pdf_text(content: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))


def test_a_mentor_starts_a_session_and_scores_it_on_the_grid(client, cast, version):
    client.force_login(cast.pendamping)
    members = list(cast.kube_a.members.order_by("id")[:5])
    response = client.post(reverse("assessments:new", args=[cast.kube_a.pk]), {
        "version": version.pk, "date": "2026-03-07", "mode": "peserta", "facilitator_name": "Ibu Rosina",
        "participants": [m.pk for m in members], "history": "Maret 2024 | KUBE dibentuk\nJuni 2024 | Bantuan"})
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessments:scores", args=[cast.kube_a.pk, assessment.pk])
    grid_url = response["Location"]
    grid = client.get(grid_url)
    assert grid.status_code == 200 and grid.content.decode().count('type="number"') == 5 * 30
    participants = list(assessment.participants.order_by("id"))
    item = version.items.get(number=9)
    bad = client.post(grid_url, {f"n-{participants[0].pk}-{item.pk}": "3", f"n-{participants[1].pk}-{item.pk}": "7"})
    assert "Nilai 7 untuk ciri 9" in bad.content.decode() and not Score.objects.exists()
    assert 'value="7"' in bad.content.decode()  # what was typed is shown back
    typo = client.post(grid_url, {f"n-{participants[0].pk}-{item.pk}": "tiga"})
    assert "Nilai &quot;tiga&quot; untuk ciri 9 bukan angka bulat" in typo.content.decode()
    client.post(grid_url, {f"n-{p.pk}-{item.pk}": "2" for p in participants})
    one = client.get(grid_url, {"peserta": participants[0].pk}).content.decode()
    assert one.count('type="radio"') == 30 * 5  # four scores and "empty" per item, for one person
    saved = client.post(f"{grid_url}?peserta={participants[0].pk}",
                        {f"n-{participants[0].pk}-{i.pk}": "3" for i in version.items.exclude(pk=item.pk)}
                        | {"berikut": "1"})
    assert saved["Location"].endswith(f"?peserta={participants[1].pk}")
    assert assessment.scores.filter(participant=participants[0]).count() == 30
    detail = client.get(reverse("assessments:detail", args=[cast.kube_a.pk, assessment.pk])).content.decode()
    assert "Baru 30 dari 30 ciri" not in detail and 'data-item="9"' in detail


def test_every_peka_page_opens_clean(client, cast, version):
    earlier = session(cast, version, day=date(2026, 3, 7))
    later = session(cast, version, day=date(2026, 6, 11), sums={9: 12})
    priorities_set(actor=cast.pendamping, assessment=later, items=[version.items.get(number=9)])
    rtl_action_add(actor=cast.pendamping, assessment=later, item=version.items.get(number=9), activity="LPJ bulanan",
                   aim="Anggota menerima laporan", person=cast.kube_a.members.first(), due_on=date(2026, 7, 5),
                   indicator="LPJ dibagikan")
    k = cast.kube_a.pk
    pages = {
        cast.pendamping: [reverse("assessments:list", args=[k]), reverse("assessments:new", args=[k]),
                          reverse("assessments:detail", args=[k, later.pk]),
                          reverse("assessments:edit", args=[k, later.pk]),
                          reverse("assessments:scores", args=[k, later.pk]),
                          reverse("assessments:compare", args=[k, later.pk, earlier.pk]),
                          reverse("assessments:instruments"), reverse("assessments:instrument", args=[version.pk])],
        cast.kab: [reverse("assessments:rollup"), reverse("assessments:rollup") + "?wilayah=32.04.06",
                   reverse("assessments:detail", args=[k, later.pk])],
        cast.admin: [reverse("assessments:instrument_new", args=[version.pk]), reverse("assessments:rollup")],
        cast.ketua: [reverse("assessments:list", args=[k]), reverse("assessments:detail", args=[k, later.pk])],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
            assert_csp_clean(response.content.decode(), url)
    client.force_login(cast.ketua)  # officers read the results and update the RTL, but do not score
    assert client.get(reverse("assessments:scores", args=[k, later.pk])).status_code == 403


def test_the_report_pdf_has_every_part_and_the_comparison(client, cast, version):
    earlier = session(cast, version, day=date(2026, 3, 7))
    later = session(cast, version, day=date(2026, 6, 11), sums={9: 16, 13: 12}, n=6)
    priorities_set(actor=cast.pendamping, assessment=later, items=[version.items.get(number=13)])
    rtl_action_add(actor=cast.pendamping, assessment=later, item=version.items.get(number=13),
                   activity="Papan informasi keuangan", aim="Keuangan terbuka", person=cast.kube_a.members.first(),
                   due_on=date(2026, 7, 5), indicator="Laporan ditempel tiap bulan", target="12 kali setahun")
    client.force_login(cast.kab)
    response = client.get(reverse("assessments:pdf", args=[cast.kube_a.pk, later.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("Laporan Penilaian Kapasitas (PEKA)", "Ani Suryani", "KUBE dibentuk", "Usaha warung berjalan",
                     "Nilai per ciri", "Nilai per bidang", "Ciri-ciri yang kuat", "Ciri-ciri yang lemah",
                     "(nilai 2,00)", "Prioritas", "Rencana Tindak Lanjut (RTL)", "Papan informasi keuangan",
                     "Perbandingan dengan penilaian 7 Mar 2026", "5 orang sebelumnya, 6 orang sekarang",
                     "Ciri yang tidak lemah lagi: (9) 2,40 → 2,67"):
        assert expected in text, expected
    assert earlier.pk != later.pk


def test_the_scores_workbook_has_one_column_per_participant(client, cast, version):
    assessment = session(cast, version)
    client.force_login(cast.pendamping)
    response = client.get(reverse("assessments:xlsx", args=[cast.kube_a.pk, assessment.pk]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Nilai"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["No.", "Bidang", "Ciri"] and headers[-2:] == ["Rata-rata", "Lemah"]
    assert len(headers) == 3 + 5 + 2 and sheet.max_row == 31
    row9 = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == 9)
    assert sorted(row9[3:8]) == [2, 2, 2, 3, 3] and row9[8] == 2.4 and row9[9] == "ya"
    assert [c.value for c in book["Bidang"][1]] == ["No.", "Bidang", "Rata-rata"]


def test_the_region_rolls_up_the_latest_assessment_of_each_group(client, cast, version):
    session(cast, version, day=date(2026, 2, 1), sums={9: 10, 13: 10})   # superseded by the next one
    session(cast, version, day=date(2026, 6, 1), sums={9: 12})           # kube_a's latest: 9 weak
    b = session(cast, version, cast.kube_b, day=date(2026, 6, 2), sums={9: 11, 23: 12})
    client.force_login(cast.kab)
    page = client.get(reverse("assessments:rollup"))
    summary = page.context["summary"]
    assert summary.groups == 2
    assert summary.weak_items[:2] == [(9, version.items.get(number=9).text, 2),
                                      (23, version.items.get(number=23).text, 1)]
    assert dict((n, m) for n, _name, m in summary.domains)[1] == 3
    # Kecamatan Cileunyi holds only kube_b.
    cileunyi = client.get(reverse("assessments:rollup"), {"wilayah": "32.04.05"}).context["summary"]
    assert cileunyi.groups == 1 and b.kube_id == cast.kube_b.pk
    client.force_login(cast.kab_other)
    assert client.get(reverse("assessments:rollup"), {"wilayah": "32.04"}).status_code == 404
    assert client.get(reverse("assessments:rollup")).context["summary"].groups == 0
    client.force_login(cast.pendamping)
    assert client.get(reverse("assessments:rollup")).status_code == 404


def test_the_groups_officers_update_the_rtl_they_carry_out(client, cast, version):
    assessment = session(cast, version)
    item = version.items.get(number=9)
    priorities_set(actor=cast.pendamping, assessment=assessment, items=[item])
    action = rtl_action_add(actor=cast.pendamping, assessment=assessment, item=item, activity="LPJ bulanan",
                            aim="Anggota menerima laporan", person=cast.kube_a.members.first(),
                            due_on=date(2026, 4, 5), indicator="LPJ dibagikan")
    url = reverse("assessments:rtl_update", args=[cast.kube_a.pk, assessment.pk, action.pk])
    client.force_login(cast.ketua)
    assert client.post(url, {"status": "berjalan", "note": "Draf LPJ Maret selesai"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.status_note) == ("berjalan", "Draf LPJ Maret selesai")
    assert client.post(url, {"work_plan": "1"}).status_code == 403  # carrying it into the books is the mentor's
    client.force_login(cast.anggota)
    assert client.post(url, {"status": "selesai"}).status_code == 403
    client.force_login(cast.pendamping)
    client.post(url, {"work_plan": "1"})
    action.refresh_from_db()
    assert action.work_plan_item is not None and action.work_plan_item.kube == cast.kube_a
