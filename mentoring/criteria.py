"""The default checklist for each lifecycle stage (seed 003 and the ministry's guideline).

Loaded by a data migration into StageCriterion; the table is the source of truth afterwards.
"""

DEFAULT_CRITERIA: list[tuple[str, str, str]] = [
    # Leaving Pembentukan / Persiapan sosial for Pengembangan
    ("pengembangan", "pengurus", "Ketua, Sekretaris dan Bendahara dipilih anggota dan menjalankan tugasnya"),
    ("pengembangan", "tugas", "Setiap anggota mempunyai tugas dalam kelompok"),
    ("pengembangan", "rapat", "Rapat rutin bulanan berjalan dan tercatat di Buku Agenda Kegiatan"),
    ("pengembangan", "buku", "Buku Kas Umum diisi rutin dan diperiksa pendamping"),
    ("pengembangan", "usaha", "Usaha kelompok sudah berjalan dengan bantuan stimulan sesuai rencana"),
    ("pengembangan", "papan", "KUBE mempunyai papan nama dan aturan kelompok tertulis"),
    # Reaching Kemandirian
    ("kemandirian", "mandiri", "Kelompok merencanakan, melaksanakan dan mengevaluasi kegiatan tanpa campur "
                               "tangan pendamping (misalnya bakti sosial KUBER)"),
    ("kemandirian", "laba", "Laba dan modal usaha bertambah dari waktu ke waktu"),
    ("kemandirian", "iks", "IKS disisihkan dan dipakai untuk anggota, keluarga miskin lain dan masyarakat"),
    ("kemandirian", "lpj", "Pengurus memberikan LPJ tertulis kepada anggota secara berkala"),
    ("kemandirian", "mitra", "Kelompok menjalin kemitraan dengan lembaga ekonomi (koperasi, distributor, bank)"),
    ("kemandirian", "gulir", "Bantuan stimulan sudah digulirkan kepada keluarga lain yang membutuhkan"),
]


def ensure_criteria() -> None:
    """Create the default criteria that are missing (tests call it after a flushing test)."""
    from mentoring.models import StageCriterion

    for order, (stage, code, text) in enumerate(DEFAULT_CRITERIA):
        StageCriterion.objects.get_or_create(stage=stage, code=code, defaults={"text": text, "order": order})
