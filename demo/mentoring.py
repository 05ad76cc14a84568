"""A year of mentoring for the demo groups, through the services a mentor and an office use.

Each mentor meets their groups in the first week of every month (seed 003, Tabel 4): attendance
from the member list, the treasurer's report, a book audit every quarter, follow-ups closed at the
next meeting. Groups that faded in the books are visited less and less; a few groups have not been
visited for two months, so the mentors' attention lists have something to show. Each district
office held one assistance event (seed 000) and evaluated it; KUBE Maju Sejahtera 11 evaluated its
charity day (KUBER) and has its Kemandirian criteria ticked (seed 003).
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from accounts.models import User
from books.services.registers import activity_record
from demo.books import LAST_CLOSED, YEAR_START, _months
from mentoring.models import Book, FollowUp, StageCriterion
from mentoring.services import (
    NEXT_STAGE,
    AuditLine,
    NewFollowUp,
    evaluation_record,
    event_record,
    stage_check_set,
    visit_log,
)
from regions.models import Region
from registry.choices import Stage
from registry.models import Kube

# Problems that come up and what was agreed, in the words of seed 003's Tabel 4.
TOPICS = [
    ("Pelaporan keuangan", "Laporan keuangan dievaluasi bersama; bendahara mencatat setiap hari agar tidak lupa"),
    ("Peruntukan dana Iuran Kesetiakawanan Sosial (IKS)",
     "Dana IKS dibagi dua: 5 % untuk anggota yang sakit dan 5 % untuk posyandu di sekitar KUBE"),
    ("Pembahasan produk serta jaringan usaha dengan distributor",
     "KUBE yang berusaha sembako dihubungkan dengan distributor sembako setempat"),
    ("Pencatatan modal awal dan perkembangan dana KUBE", "Modal awal dicatat ulang di Buku Kas Umum"),
    ("Tabungan anggota di koperasi", "Setiap bulan keuntungan untuk tabungan anggota disetor ke koperasi"),
    ("Rencana kerja usaha individu dan kelompok", "Pengurus menyusun rencana kerja tertulis untuk tiga bulan"),
    ("Pemasaran produk masih terbatas di lingkungan RT", "Titip jual di warung desa dan pasar mingguan"),
    ("Anggota jarang hadir pada rapat awal bulan", "Jadwal rapat disepakati: minggu pertama, Sabtu pukul 10.00"),
    ("Pembentukan panitia bakti sosial di kelurahan", "Terbentuk panitia bakti sosial (KUBER)"),
]
SUCCESSES = ["Penjualan bulan ini naik", "Semua anggota menabung bulan ini", "Buku kas diisi rutin",
             "Pinjaman anggota diangsur tepat waktu", "Dua pelanggan tetap baru"]
FOLLOW_UPS = ["Lengkapi Buku Kas Umum bulan lalu", "Setor tabungan anggota ke koperasi",
              "Susun rencana kerja tiga bulan", "Catat inventaris baru di Buku Inventaris",
              "Hubungi distributor untuk harga grosir", "Perbarui daftar hadir rapat di Buku Agenda"]
PLACES = ["Rumah Ketua KUBE", "Balai desa", "Kantor kelurahan", "Rumah bendahara", "Tempat usaha KUBE"]
AUDITED = [Book.CASH, Book.MEMBERS, Book.AGENDA, Book.IKS, Book.SAVINGS, Book.INVENTORY, Book.WORKPLAN]

LAST_MONTH = LAST_CLOSED + 1  # November 2026: the first-week meeting has happened


def _meeting_day(kube: Kube, year: int, month: int, rng: random.Random) -> date:
    day = date(year, month, rng.randint(2, 7))
    return max(day, kube.formed_on + timedelta(days=7))


def _visits(kube: Kube, *, rng: random.Random, mentor: User, fades: bool, lapsed: bool) -> int:
    months = _months(max(YEAR_START, kube.formed_on + timedelta(days=14)), LAST_MONTH)
    if lapsed:
        months = months[:-2]  # the mentor has not been back for two months
    open_follow_ups: list[FollowUp] = []
    count = 0
    for index, (year, month) in enumerate(months):
        if fades and index > 3 and rng.random() < 0.6:
            continue  # a fading group: meetings become rare
        day = _meeting_day(kube, year, month, rng)
        if day > date(2026, 11, 7):
            continue
        members = list(kube.members.filter(joined_on__lte=day).exclude(left_on__lt=day).order_by("id"))
        share = rng.uniform(0.35, 0.6) if fades else rng.uniform(0.7, 1.0)
        present = rng.sample(members, max(1, round(len(members) * share)))
        topics = [TOPICS[0], rng.choice(TOPICS[1:])] if index == 0 else rng.sample(TOPICS, 2)
        audits = []
        if index % 3 == 0:  # a book audit every quarter
            for book in AUDITED[: rng.randint(3, len(AUDITED))]:
                in_order = rng.random() < (0.5 if fades else 0.85)
                audits.append(AuditLine(book, True, in_order, "" if in_order else rng.choice(
                    ["Belum ditutup akhir bulan", "Ada transaksi tanpa bukti", "Tanda tangan ketua belum ada"])))
        follow_ups = []
        if rng.random() < 0.5:
            follow_ups.append(NewFollowUp(rng.choice(FOLLOW_UPS), rng.choice(members), day + timedelta(days=21)))
        # Follow-ups are usually done by the next meeting; a fading group leaves some open.
        close = [(f, "Sudah dilaksanakan") for f in open_follow_ups if rng.random() < (0.4 if fades else 0.9)]
        start = rng.choice([9, 10, 15, 16])
        visit = visit_log(
            actor=mentor, kube=kube, date=day, place=rng.choice(PLACES), kind="bimtek" if index == 0 else "rutin",
            start_time=time(start), end_time=time(start + 2),
            problems="\n".join(["• " + t[0] for t in topics] + (["• " + rng.choice(SUCCESSES)] if not fades else [])),
            solutions="\n".join("✓ " + t[1] for t in topics), present=present, treasurer_report_reviewed=True,
            audits=audits, follow_ups=follow_ups, close=close)
        closed = {f.pk for f, _n in close}
        open_follow_ups = [f for f in open_follow_ups if f.pk not in closed] + list(visit.follow_ups.all())
        count += 1
    return count


def _class_ticks(kube: Kube, mentor: User, *, fades: bool, strong: bool) -> None:
    """What the records cannot show about a group's class, as its mentor ticked it (monitoring)."""
    from monitoring.services import class_check_set

    class_check_set(actor=mentor, kube=kube, code="name_board", met=True,
                    evidence="Papan nama terpasang di tempat usaha (dilihat saat kunjungan)")
    if fades:
        return
    class_check_set(actor=mentor, kube=kube, code="confidence", met=True,
                    evidence="Anggota berani menyampaikan pendapat di rapat; kehadiran tinggi")
    if strong:
        class_check_set(actor=mentor, kube=kube, code="iks_community", met=True,
                        evidence="IKS dipakai untuk anggota sakit dan posyandu sekitar (Buku IKS)")
        class_check_set(actor=mentor, kube=kube, code="partners", met=True,
                        evidence="Bermitra dengan koperasi simpan pinjam kelurahan dan distributor sembako")


def _events(offices: dict[str, User], kubes: list[Kube]) -> None:
    bandung = [k for k in kubes if k.desa_id.startswith("32.04.06") and k.status != "bubar"][:6]
    event = event_record(
        actor=offices["32.04"], title="Asistensi Pengorganisasian dan Pengadministrasian KUBE",
        date=date(2026, 5, 20), kabupaten=Region.objects.get(pk="32.04"), place="Aula Kantor Kecamatan Cimenyan",
        topic="administrasi", method="Penyampaian materi dan diskusi",
        speakers="Ema Hermawati, AKS, MAP (Dinas Sosial Provinsi Jawa Barat)\nRusmiati (Dinas Sosial Provinsi Jawa Barat)",
        moderator="Rima (Dinas Sosial Kabupaten Bandung)", committee="Agus Subekti\nSiti Asnawati",
        kubes=[(k, 3) for k in bandung],
        problems_raised=("Buku kas belum rutin ditutup setiap bulan; anggota belum memahami pembagian IKS; "
                         "pemasaran produk olahan masih di lingkungan RT."),
        results=("Pengurus memahami tujuh buku administrasi KUBE dan cara menutup buku kas; "
                 "disepakati rapat anggota setiap minggu pertama."))
    evaluation_record(
        actor=offices["32.04"], event=event, title="Asistensi Pengorganisasian dan Pengadministrasian KUBE",
        date=event.date,
        indicators="Pengurus dapat mengisi Buku Kas Umum dan Buku Agenda; anggota memahami peran pengurus",
        results="Pengurus dari 6 KUBE mempraktikkan penutupan buku kas; 4 KUBE menyusun rencana kerja",
        supporting="Dukungan pendamping lokal\nDukungan pihak kecamatan", inhibiting="Waktu pelaksanaan singkat",
        targets=[("Peserta menerima pesan kegiatan dengan baik", 90, 92),
                 ("Keberhasilan program", 70, 75)])
    bogor = [k for k in kubes if k.desa_id.startswith("32.71.04") and k.status != "bubar"][:5]
    event = event_record(
        actor=offices["32.71"], title="Asistensi Manajemen Keuangan KUBE", date=date(2026, 8, 12),
        kabupaten=Region.objects.get(pk="32.71"), place="Gedung Dinas Sosial Kota Bogor", topic="keuangan",
        speakers="Siti Rahmah, S.Sos (Dinas Sosial Provinsi Jawa Barat)\nSri Murtini, S.Sos, M.AP",
        moderator="Erik (Dinas Sosial Kota Bogor)", committee="Kartika Panca Yetty, S.Sos\nOktavianus",
        kubes=[(k, 2) for k in bogor],
        problems_raised="Laba belum dipisahkan dari uang pribadi; tabungan anggota belum disetor ke koperasi.",
        results="Peserta dapat menghitung laba bulanan dan menyisihkan IKS.")
    evaluation_record(
        actor=offices["32.71"], event=event, title="Asistensi Manajemen Keuangan KUBE", date=event.date,
        indicators="Peserta dapat menghitung laba dan menyisihkan IKS dari laba",
        results="Tiga dari lima KUBE menyusun laporan laba rugi bulan Agustus",
        supporting="Kehadiran pengurus lengkap", inhibiting="Sebagian peserta belum terbiasa berhitung persen",
        targets=[("Peserta menerima pesan kegiatan dengan baik", 90, 85),
                 ("Keberhasilan program", 70, 60)])


def _main_group(kube: Kube, mentor: User) -> None:
    """Seed 003: the charity day (KUBER) planned and run without the mentor, evaluated; the checklist
    for the next stage ticked with evidence, all but one item."""
    ketua = kube.officers.get(position="ketua", ended_on__isnull=True).member
    members = list(kube.members.filter(left_on__isnull=True))
    charity = activity_record(actor=ketua.user, kube=kube, date=date(2026, 6, 20), kind="bakti",
                              place="Kelurahan Cibeunying", present=members,
                              agenda="Bakti sosial KUBER: pembagian sembako bagi keluarga miskin menjelang Lebaran",
                              minutes="Direncanakan dan dilaksanakan panitia dari anggota tanpa pendamping")
    evaluation_record(
        actor=mentor, activity=charity, title="Bakti sosial KUBER", date=charity.date,
        indicators="KUBE merencanakan, melaksanakan dan mengevaluasi kegiatan tanpa campur tangan pendamping",
        results="Sembako dibagikan kepada keluarga miskin di Kelurahan Cibeunying; panitia dari anggota",
        supporting="Dana IKS\nDukungan pihak kelurahan", inhibiting="Jadwal anggota yang berbeda-beda",
        targets=[("Peserta menerima pesan kegiatan dengan baik", 90, 95), ("Keberhasilan program", 70, 90)])
    target = NEXT_STAGE.get(Stage(kube.stage))
    criteria = list(StageCriterion.objects.filter(stage=target, is_active=True)) if target else []
    for criterion in criteria[:-1]:
        evidence = ("Bakti sosial KUBER 20 Juni 2026: direncanakan, dilaksanakan dan dievaluasi sendiri"
                    if criterion.code == "mandiri" else "Diperiksa pada kunjungan bulanan 2026")
        stage_check_set(actor=mentor, kube=kube, criterion=criterion, met=True, evidence=evidence)


def demo_mentoring(kubes: list[Kube], *, offices: dict[str, User], rng: random.Random) -> int:
    count = 0
    for n, kube in enumerate(kubes):
        kube.refresh_from_db()
        if kube.status == "bubar" or kube.pendamping is None:
            continue
        fades = kube.status == "stagnan" or n % 9 == 4  # the groups whose books faded (demo.books)
        count += _visits(kube, rng=rng, mentor=kube.pendamping, fades=fades, lapsed=n % 11 == 6)
        _class_ticks(kube, kube.pendamping, fades=fades, strong=n % 3 == 1 or kube.name == "KUBE Maju Sejahtera 11")
    _events(offices, kubes)
    main = next(k for k in kubes if k.name == "KUBE Maju Sejahtera 11")
    main.refresh_from_db()
    if main.pendamping is not None:
        _main_group(main, main.pendamping)
    return count
