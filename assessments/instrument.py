"""The default PEKA instrument: seven domains (seed 003), 30 characteristics, scale 1–4, standard 2.50.

Seed 003 reports six of the ACCESS-AusAID instrument's items by number (9, 13, 14, 19, 23, 26);
they keep their numbers and meaning here, phrased in our own words. Every other item is SIKUBE's
own, written in the same voice — not ACCESS-AusAID's text (README, "Capacity assessment").
Loaded by a data migration; the tables are the source of truth afterwards.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

CODE = "peka-kube"
NAME = "PEKA KUBE (Penilaian Kapasitas Kelompok)"
SOURCE = ("Tujuh bidang menurut seed 003 (ACCESS Project-AusAID dan mitra, 2005); ciri 9, 13, 14, 19, 23 dan 26 "
          "mengikuti nomor dan makna yang dilaporkan seed 003; ciri lainnya disusun SIKUBE.")
SCALE_MIN, SCALE_MAX = 1, 4
# Marked for the catalogue so the English interface shows them translated (VersionInstrument.label_for).
SCALE_LABELS = [gettext_noop("Belum ada"), gettext_noop("Mulai ada, belum rutin"), gettext_noop("Sudah berjalan"),
                gettext_noop("Sudah baik dan menjadi kebiasaan")]
STANDARD = Decimal("2.50")

DOMAINS: list[tuple[str, list[tuple[int, str]]]] = [
    ("Kepengurusan dan Keanggotaan", [
        (1, "Pengurus KUBE dipilih oleh anggota melalui musyawarah."),
        (2, "Setiap pengurus mengetahui tugasnya dan menjalankannya."),
        (3, "Anggota mengetahui hak dan kewajibannya dalam kelompok."),
        (4, "Anggota hadir dan aktif dalam rapat rutin kelompok."),
        (5, "KUBE mempunyai aturan tertulis yang disepakati dan ditaati anggota."),
    ]),
    ("Kepemimpinan", [
        (6, "Ketua mengajak anggota mengambil keputusan bersama."),
        (7, "Ketua menjadi teladan dan dipercaya anggota."),
        (8, "Pemimpin mendorong anggota menyampaikan pendapat dan usul."),
        (9, "Pemimpin menyampaikan laporan pertanggungjawaban tertulis kepada anggota secara berkala "
            "(bulanan, triwulanan atau tahunan)."),
        (10, "Pergantian pengurus dilakukan secara terbuka sesuai aturan kelompok."),
    ]),
    ("Administrasi dan Keuangan", [
        (11, "Buku-buku administrasi KUBE diisi tertib dan rutin."),
        (12, "Setiap uang masuk dan keluar dicatat dengan bukti."),
        (13, "Keuangan KUBE dikelola secara terbuka; setiap anggota dapat mengetahuinya."),
        (14, "Penggunaan uang kelompok diperiksa secara rutin, oleh anggota, pengurus lain atau pihak luar."),
        (15, "Keuntungan disisihkan untuk modal, tabungan anggota dan IKS sesuai kesepakatan."),
    ]),
    ("Kemampuan dan Sumber Daya Manusia", [
        (16, "Anggota mempunyai keterampilan yang dibutuhkan usaha kelompok."),
        (17, "Anggota pernah mengikuti pelatihan atau bimbingan dan menerapkannya."),
        (18, "Anggota saling berbagi pengetahuan dan keterampilan."),
    ]),
    ("Pengelolaan Kegiatan/Program", [
        (19, "KUBE mempunyai rencana kerja tertulis dan menjalankannya sesuai rencana."),
        (20, "Kegiatan kelompok dievaluasi bersama setelah dilaksanakan."),
        (21, "Usaha kelompok berjalan dan menghasilkan keuntungan."),
        (22, "Pekerjaan dalam kegiatan dibagi sehingga semua anggota terlibat."),
    ]),
    ("Hubungan dengan Pihak Luar", [
        (23, "Kegiatan KUBE memberi manfaat bagi masyarakat di sekitarnya."),
        (24, "KUBE bekerja sama dengan pihak lain: pemerintah desa, koperasi, pemasok, pembeli."),
        (25, "KUBE mengetahui sumber bantuan dan layanan yang dapat dimanfaatkan."),
        (26, "KUBE mempunyai kegiatan yang keberhasilannya diakui pihak lain."),
    ]),
    ("Keberlanjutan", [
        (27, "Modal usaha kelompok bertambah dari waktu ke waktu."),
        (28, "KUBE menggulirkan manfaat bantuan kepada keluarga lain yang membutuhkan."),
        (29, "Kelompok tetap berjalan tanpa bergantung pada pendamping."),
        (30, "Anggota ingin tetap menjadi bagian kelompok dalam jangka panjang."),
    ]),
]


def ensure_default_instrument(apps: Any = None) -> None:
    """Create the default instrument's first version if it is missing (migration and tests)."""
    from datetime import date

    def model(name: str) -> Any:
        if apps is not None:
            return apps.get_model("assessments", name)
        from assessments import models

        return getattr(models, name)

    Instrument, Version, Domain, Item = (model(n) for n in ("Instrument", "InstrumentVersion", "Domain", "Item"))
    instrument, _ = Instrument.objects.get_or_create(code=CODE, defaults={"name": NAME, "source": SOURCE})
    if Version.objects.filter(instrument=instrument).exists():
        return
    version = Version.objects.create(
        instrument=instrument, number=1, scale_min=SCALE_MIN, scale_max=SCALE_MAX, scale_labels=SCALE_LABELS,
        standard=STANDARD, published_on=date(2026, 1, 1))
    for number, (name, items) in enumerate(DOMAINS, start=1):
        domain = Domain.objects.create(version=version, number=number, name=name)
        Item.objects.bulk_create([Item(version=version, domain=domain, number=n, text=t) for n, t in items])
