"""The chain on its pages: request → status → reload → state, for each role's part, the work lists
and the menu's count, completeness, and the berita acara opened as a PDF."""

from __future__ import annotations

import io

import pytest
import time_machine
from pypdf import PdfReader

from approval import services
from approval.models import Lpj, Report
from books.services import period_close
from outbox import drainer
from testing import assert_csp_clean

pytestmark = pytest.mark.django_db
OCT = 202610


def at(when: str):
    return time_machine.travel(f"{when} +0700", tick=False)


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_officers_mentor_district_and_province_each_do_their_part(client, chain):
    cast = chain.cast
    with at("2026-11-02 08:00"):
        period_close(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
    with at("2026-11-03 09:00"):
        client.force_login(chain.ketua_a)
        page = client.get(f"/pelaporan/kube/{chain.kube_a.pk}/")
        assert page.status_code == 200 and 'data-testid="confirm-2026-10"' in page.content.decode()
        assert_csp_clean(page.content.decode(), "kube months")
        client.post(f"/pelaporan/kube/{chain.kube_a.pk}/aksi/", {"action": "confirm", "period": "2026-10"})
        page = client.get(f"/pelaporan/kube/{chain.kube_a.pk}/").content.decode()
        assert "Menunggu konfirmasi pengurus kedua" in page and 'data-testid="confirm-2026-10"' not in page
        client.force_login(chain.bendahara_a)
        response = client.post(f"/pelaporan/kube/{chain.kube_a.pk}/aksi/", {"action": "confirm", "period": "2026-10"},
                               follow=True)
        assert "diajukan ke pendamping" in response.content.decode()
        lpj = Lpj.objects.get(kube=chain.kube_a, period=OCT)
        assert lpj.reached == 1

        # The mentor's home lists it; the menu shows the count.
        client.force_login(cast.pendamping)
        assert "1 LPJ menunggu verifikasi" in client.get("/pelaporan/daftar-kerja/").content.decode()
        assert 'data-testid="approval-count">1<' in client.get("/pelaporan/jumlah/").content.decode()
        assert client.get(f"/pelaporan/lpj/{lpj.pk}/").status_code == 200
        client.post(f"/pelaporan/lpj/{lpj.pk}/aksi/", {"action": "next", "note": "Kas cocok dengan nota"})
        lpj.refresh_from_db()
        assert lpj.verified_at is not None

        # A mentor posting an approval's bulk form gets 403 from the service's level check.
        assert client.post("/pelaporan/setujui/", {"lpj": [lpj.pk]}).status_code == 403

        # The district approves it among the ticked ones.
        client.force_login(cast.kab)
        home = client.get("/pelaporan/").content.decode()
        assert f'data-testid="tick-{lpj.pk}"' in home
        assert_csp_clean(home, "approval home")
        assert "1 LPJ menunggu persetujuan" in client.get("/pelaporan/daftar-kerja/").content.decode()
        response = client.post("/pelaporan/setujui/", {"lpj": [lpj.pk], "note": "Sesuai"}, follow=True)
        assert "1 LPJ disetujui" in response.content.decode()
        lpj.refresh_from_db()
        assert lpj.approved
        pdf = client.get(f"/pelaporan/lpj/{lpj.pk}/berita-acara.pdf")
        assert pdf["Content-Type"] == "application/pdf"
        text = pdf_text(pdf.content)
        assert "KUBE Maju Sejahtera 11" in text and "Disetujui" in text and "Dinsos Bandung" in text
        assert "Kas cocok dengan nota" in text

        # The district office is outside Kota Bogor: a Bogor LPJ's page is 404 for it.
        page = client.get("/pelaporan/kelengkapan/?periode=2026-10").content.decode()
        assert 'data-testid="c-approved">1<' in page and 'data-testid="c-expected">2<' in page

    drainer.drain()
    with at("2026-11-20 09:00"):
        client.force_login(cast.kab)  # a new day's session
        response = client.post("/pelaporan/laporan/", {"region": "32.04", "period": "2026-10"}, follow=True)
        assert "diajukan" in response.content.decode(), response.content.decode()[-3000:]
        report = Report.objects.get(region_id="32.04", period="2026-10")
        assert report.reached == 1
        client.force_login(cast.prov)
        assert "1 laporan wilayah menunggu diterima" in client.get("/pelaporan/daftar-kerja/").content.decode()
        page = client.get(f"/pelaporan/laporan/{report.pk}/").content.decode()
        assert 'data-testid="report-accept"' in page
        client.post(f"/pelaporan/laporan/{report.pk}/aksi/", {"action": "return", "reason": "Lampirkan daftar hadir"})
        client.force_login(cast.kab)
        assert "Laporan Kabupaten Bandung 2026-10 dikembalikan: Lampirkan daftar hadir" in \
            client.get("/pelaporan/daftar-kerja/").content.decode()
        client.post("/pelaporan/laporan/", {"region": "32.04", "period": "2026-10"})
        client.force_login(cast.prov)
        client.post(f"/pelaporan/laporan/{report.pk}/aksi/", {"action": "accept"})
        report.refresh_from_db()
        assert report.reached == 2 and report.snapshot
        text = pdf_text(client.get(f"/pelaporan/laporan/{report.pk}/berita-acara.pdf").content)
        assert "Angka yang diterima" in text and "Dinsos Jabar" in text


def test_a_refusal_is_shown_in_indonesian_and_changes_nothing(client, chain):
    client.force_login(chain.ketua_a)
    with at("2026-11-03 09:00"):
        response = client.post(f"/pelaporan/kube/{chain.kube_a.pk}/aksi/", {"action": "confirm", "period": "2026-10"},
                               follow=True)
    assert "belum ditutup" in response.content.decode()
    assert not Lpj.objects.exists()


def test_outside_reach_is_404_and_a_member_cannot_act(client, chain):
    cast = chain.cast
    client.force_login(cast.kab_other)
    assert client.get(f"/pelaporan/kube/{chain.kube_a.pk}/").status_code == 404
    assert client.get("/pelaporan/kelengkapan/?wilayah=32.04").status_code == 404
    client.force_login(cast.anggota)
    assert client.post(f"/pelaporan/kube/{chain.kube_a.pk}/aksi/", {"action": "confirm", "period": "2026-10"}).status_code == 403
    client.force_login(cast.pendamping)
    assert client.get("/pelaporan/kelengkapan/").status_code == 404


def test_the_dashboard_block_and_the_period_report_carry_completeness(client, chain):
    cast = chain.cast
    with at("2026-11-02 08:00"):
        period_close(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
    with at("2026-11-03 09:00"):
        services.lpj_confirm(actor=chain.ketua_a, kube=chain.kube_a, period=OCT)
        services.lpj_confirm(actor=chain.bendahara_a, kube=chain.kube_a, period=OCT)
    drainer.drain()
    with at("2026-11-20 09:00"):
        client.force_login(cast.prov)
        dashboard = client.get("/pemantauan/?wilayah=32.04&periode=2026-10").content.decode()
        assert 'data-testid="approval-summary"' in dashboard
        block = client.get("/pelaporan/kelengkapan/ringkas/?wilayah=32.04&periode=2026-10").content.decode()
        assert "1 dari 2 KUBE mengajukan LPJ (1 tepat waktu)" in block
        assert "Angka: semua kelompok" in dashboard  # the dashboard says which figures it shows
        text = pdf_text(client.get("/pemantauan/laporan.pdf?wilayah=32.04&periode=2026-10").content)
        assert "Kelengkapan LPJ bulan 2026-10" in text and "Angka: semua kelompok" in text
        client.force_login(cast.pendamping)
        assert client.get("/pelaporan/kelengkapan/ringkas/?wilayah=32.04").status_code == 404
