"""Stable short codes for the registry's vocabularies, with their Indonesian labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetGroup(models.TextChoices):
    """Sasaran PMKS (seed 001)."""

    FAKIR_MISKIN = "fakir_miskin", _("Fakir miskin")
    MASYARAKAT_TERASING = "terasing", _("Masyarakat terasing")
    DISABILITAS = "disabilitas", _("Penyandang disabilitas")
    LANJUT_USIA = "lansia", _("Lanjut usia")
    ANAK_TERLANTAR = "anak_terlantar", _("Anak terlantar")
    WANITA_RAWAN = "wanita_rawan", _("Wanita rawan sosial ekonomi")
    KELUARGA_MUDA = "keluarga_muda", _("Keluarga muda mandiri")
    PEMUDA = "pemuda", _("Remaja/pemuda (Karang Taruna)")
    KUMUH = "kumuh", _("Keluarga miskin daerah kumuh (RSDK)")


class WelfareLevel(models.TextChoices):
    FAKIR_MISKIN = "fakir_miskin", _("Fakir miskin")
    MISKIN = "miskin", _("Miskin")
    HAMPIR_MISKIN = "hampir_miskin", _("Hampir miskin")


class BusinessType(models.TextChoices):
    WARUNG_SEMBAKO = "warung", _("Warung sembako")
    TERNAK = "ternak", _("Peternakan")
    PERTANIAN = "pertanian", _("Pertanian")
    PERIKANAN = "perikanan", _("Perikanan")
    OLAHAN_PANGAN = "pangan", _("Olahan makanan")
    KERAJINAN = "kerajinan", _("Kerajinan")
    JASA = "jasa", _("Jasa")
    PERDAGANGAN = "dagang", _("Perdagangan")
    SIMPAN_PINJAM = "simpan_pinjam", _("Simpan pinjam")
    LAINNYA = "lainnya", _("Lainnya")


class BusinessMode(models.TextChoices):
    KELOMPOK = "kelompok", _("Usaha kelompok")
    PERORANGAN = "perorangan", _("Usaha perorangan anggota")
    CAMPURAN = "campuran", _("Kelompok dan perorangan")


class Bond(models.TextChoices):
    """Ikatan pemersatu (seed 002)."""

    TEMPAT_TINGGAL = "tempat_tinggal", _("Kedekatan tempat tinggal")
    JENIS_USAHA = "jenis_usaha", _("Jenis usaha atau keterampilan yang sama")
    SUMBER = "sumber", _("Ketersediaan sumber")
    LATAR_BELAKANG = "latar_belakang", _("Latar belakang kehidupan/budaya")
    MOTIVASI = "motivasi", _("Motivasi yang sama")
    KELOMPOK_LAMA = "kelompok_lama", _("Kelompok masyarakat yang sudah lama tumbuh")


class Stage(models.TextChoices):
    PEMBENTUKAN = "pembentukan", _("Pembentukan / Persiapan sosial")
    PENGEMBANGAN = "pengembangan", _("Pengembangan")
    KEMANDIRIAN = "kemandirian", _("Kemandirian")


class Status(models.TextChoices):
    AKTIF = "aktif", _("Aktif")
    STAGNAN = "stagnan", _("Stagnan (tidak aktif)")
    BUBAR = "bubar", _("Bubar")


class Sex(models.TextChoices):
    LAKI_LAKI = "L", _("Laki-laki")
    PEREMPUAN = "P", _("Perempuan")


class Position(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    BENDAHARA = "bendahara", _("Bendahara")


class LeaveReason(models.TextChoices):
    MENGUNDURKAN_DIRI = "mundur", _("Mengundurkan diri")
    PINDAH_DOMISILI = "pindah", _("Pindah domisili")
    PINDAH_KELOMPOK = "pindah_kelompok", _("Pindah ke KUBE lain")
    MENINGGAL = "meninggal", _("Meninggal dunia")
    DIBERHENTIKAN = "diberhentikan", _("Diberhentikan oleh musyawarah anggota")
    MAMPU = "mampu", _("Sudah mandiri/keluar dari kemiskinan")
    KUBE_BUBAR = "kube_bubar", _("KUBE bubar")
    LAINNYA = "lainnya", _("Lainnya")


class DtsenStatus(models.TextChoices):
    """Where a member stands in DTSEN (Data Tunggal Sosial dan Ekonomi Nasional, Inpres 4/2025)."""

    FOUND = "found", _("Ditemukan di DTSEN")
    NOT_FOUND = "not_found", _("Tidak ditemukan di DTSEN")
    UNCHECKED = "unchecked", _("Belum diperiksa")


class DtsenSource(models.TextChoices):
    EXTRACT = "extract", _("Berkas ekstrak DTSEN/SIKS-NG")
    MANUAL = "manual", _("Dicatat petugas Dinas Sosial")
    DTKS = "dtks", _("Data DTKS lama (sebelum DTSEN)")


DESIL_MIN, DESIL_MAX = 1, 10
