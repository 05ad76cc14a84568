"""Mentoring: the pendamping's visits and book audits, assistance events, evaluations, stage criteria.

- A `Visit` is one meeting with a group (seed 003, Tabel 4: place, date and time, problems
  and successes that came up, solutions agreed). It records attendance from the member list,
  the cash balance the books showed that day (a snapshot, as reviewed), an audit of each book,
  follow-ups with a person and a due date, and photos.
- A `FollowUp` stays open until a later visit (or the mentor) closes it.
- An `AssistanceEvent` (asistensi, seed 000) is organised by a provincial or district office
  for several groups.
- An `Evaluation` is the one table shape of seed 003, Tabel 5–9, attached to a visit, an event
  or an activity of the group's agenda book (training, study visit, charity day); its targets
  carry the value reached and whether it was met.
- `StageCriterion` rows are the checklist for reaching a lifecycle stage; `StageCheck` rows
  are the mentor's ticks with evidence. Promotion itself is a registry lifecycle change.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    MONTHLY = "rutin", _("Pertemuan rutin awal bulan")
    VISIT = "kunjungan", _("Kunjungan")
    TECHNICAL = "bimtek", _("Bimbingan teknis")
    AUDIT = "audit", _("Pemeriksaan buku")
    OTHER = "lain", _("Lainnya")


class Book(models.TextChoices):
    """The group's books a mentor audits (seed 000's seven, and those seeds 001 and 003 add)."""

    MEMBERS = "anggota", _("Buku Keanggotaan")
    AGENDA = "agenda", _("Buku Agenda Kegiatan")
    WORKPLAN = "rencana", _("Buku Rencana Kerja")
    CASH = "kas", _("Buku Kas Umum")
    INVENTORY = "inventaris", _("Buku Inventaris")
    GUESTS = "tamu", _("Buku Tamu")
    IKS = "iks", _("Buku IKS")
    SAVINGS = "tabungan", _("Buku Tabungan")
    RULES = "peraturan", _("Buku Peraturan KUBE")


class Visit(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="visits")
    pendamping = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pendamping"), on_delete=models.PROTECT,
                                   related_name="visits")
    kind = models.CharField(_("jenis"), max_length=10, choices=VisitKind.choices, default=VisitKind.MONTHLY)
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("mulai"), null=True, blank=True)
    end_time = models.TimeField(_("selesai"), null=True, blank=True)
    place = models.CharField(_("tempat pertemuan"), max_length=200)
    treasurer_report_reviewed = models.BooleanField(_("laporan bendahara dibahas"), default=False)
    cash_balance = models.BigIntegerField(_("saldo kas menurut buku pada hari itu"), null=True, blank=True)
    problems = models.TextField(_("masalah dan keberhasilan yang muncul"))
    solutions = models.TextField(_("solusi dan kesepakatan"), blank=True)
    members_active = models.PositiveSmallIntegerField(_("anggota aktif pada hari itu"), default=0)
    members_present = models.PositiveSmallIntegerField(_("anggota hadir"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kunjungan pendampingan")
        verbose_name_plural = _("kunjungan pendampingan")
        ordering = ["kube_id", "-date", "-id"]
        indexes = [models.Index(fields=["kube", "date"], name="visit_kube_date"),
                   models.Index(fields=["pendamping", "date"], name="visit_pendamping_date")]
        constraints = [
            models.CheckConstraint(condition=Q(members_present__lte=models.F("members_active")),
                                   name="visit_present_within_active"),
        ]

    def __str__(self) -> str:
        return f"{self.kube_id} {self.date}"

    @property
    def attendance_percent(self) -> int | None:
        if not self.members_active:
            return None
        return round(100 * self.members_present / self.members_active)


class VisitAttendance(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey("registry.Member", on_delete=models.PROTECT, related_name="visit_attendance")
    present = models.BooleanField(_("hadir"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "member"], name="visit_attendance_once")]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.member_id} {self.present}"


class BookAudit(models.Model):
    visit = models.ForeignKey(Visit, verbose_name=_("kunjungan"), on_delete=models.PROTECT, related_name="audits")
    book = models.CharField(_("buku"), max_length=12, choices=Book.choices)
    checked = models.BooleanField(_("diperiksa"), default=False)
    in_order = models.BooleanField(_("tertib"), default=False)
    findings = models.CharField(_("temuan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pemeriksaan buku")
        verbose_name_plural = _("pemeriksaan buku")
        constraints = [
            models.UniqueConstraint(fields=["visit", "book"], name="audit_book_once"),
            models.CheckConstraint(condition=Q(checked=True) | Q(in_order=False), name="audit_in_order_needs_checked"),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.book}"


class FollowUp(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="follow_ups")
    visit = models.ForeignKey(Visit, verbose_name=_("dari kunjungan"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="follow_ups")
    action = models.CharField(_("tindak lanjut"), max_length=300)
    person = models.ForeignKey("registry.Member", verbose_name=_("penanggung jawab"), on_delete=models.PROTECT,
                               related_name="follow_ups")
    due_on = models.DateField(_("batas waktu"))
    closed_on = models.DateField(_("selesai pada"), null=True, blank=True)
    closed_in = models.ForeignKey(Visit, verbose_name=_("ditutup pada kunjungan"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="closed_follow_ups")
    closing_note = models.CharField(_("catatan penyelesaian"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["kube_id", "closed_on", "due_on", "id"]
        indexes = [models.Index(fields=["kube", "closed_on", "due_on"], name="followup_open")]

    def __str__(self) -> str:
        return self.action


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    return f"kunjungan/{instance.visit.kube_id}/{instance.visit_id}/{filename}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, verbose_name=_("kunjungan"), on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("foto"), upload_to=visit_photo_path)
    thumbnail = models.ImageField(_("gambar kecil"), upload_to=visit_photo_path)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("foto kunjungan")
        verbose_name_plural = _("foto kunjungan")
        ordering = ["visit_id", "id"]

    def __str__(self) -> str:
        return self.image.name or ""


class Topic(models.TextChoices):
    """Materi asistensi (seed 000) and the interventions of seed 003."""

    ORGANISING = "organisasi", _("Pengorganisasian KUBE")
    ADMINISTRATION = "administrasi", _("Pengadministrasian KUBE")
    FINANCE = "keuangan", _("Manajemen keuangan")
    BUSINESS = "usaha", _("Kewirausahaan dan pemasaran")
    STUDY_VISIT = "studi", _("Studi banding")
    CHARITY = "bakti", _("Bakti sosial/KUBER")
    OTHER = "lain", _("Lainnya")


class AssistanceEvent(models.Model):
    title = models.CharField(_("judul kegiatan"), max_length=200)
    date = models.DateField(_("tanggal"))
    kabupaten = models.ForeignKey("regions.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT,
                                  related_name="+")
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    topic = models.CharField(_("materi"), max_length=14, choices=Topic.choices)
    method = models.CharField(_("metode"), max_length=200, default="Penyampaian materi dan diskusi")
    speakers = models.TextField(_("narasumber"), help_text=_("Satu orang per baris, dengan instansinya."))
    moderator = models.CharField(_("moderator"), max_length=200, blank=True)
    committee = models.TextField(_("panitia"), blank=True)
    problems_raised = models.TextField(_("permasalahan yang disampaikan KUBE"), blank=True)
    results = models.TextField(_("hasil kegiatan"), blank=True)
    organised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("penyelenggara"), null=True,
                                     on_delete=models.PROTECT, related_name="+")
    organiser_region = models.ForeignKey("regions.Region", verbose_name=_("wilayah penyelenggara"),
                                         on_delete=models.PROTECT, related_name="+")
    kubes = models.ManyToManyField("registry.Kube", verbose_name=_("KUBE peserta"), related_name="events",
                                   through="EventKube")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("asistensi")
        verbose_name_plural = _("asistensi")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kabupaten", "date"], name="event_kabupaten_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class EventKube(models.Model):
    event = models.ForeignKey(AssistanceEvent, on_delete=models.PROTECT, related_name="participations")
    kube = models.ForeignKey("registry.Kube", on_delete=models.PROTECT, related_name="event_participations")
    people = models.PositiveSmallIntegerField(_("jumlah peserta dari KUBE ini"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "kube"], name="event_kube_once")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kube_id}"


class EventParticipant(models.Model):
    event = models.ForeignKey(AssistanceEvent, on_delete=models.PROTECT, related_name="participants")
    kube = models.ForeignKey("registry.Kube", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("registry.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=150)

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """Seed 003, Tabel 5–9: one evaluation of one intervention."""

    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations")
    event = models.ForeignKey(AssistanceEvent, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="evaluations")
    activity = models.ForeignKey("books.Activity", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="evaluations")
    title = models.CharField(_("kegiatan"), max_length=200)
    date = models.DateField(_("tanggal"))
    indicators = models.TextField(_("indikator keberhasilan"))
    results = models.TextField(_("hasil yang diperoleh"))
    supporting = models.TextField(_("faktor pendukung"), blank=True)
    inhibiting = models.TextField(_("faktor penghambat"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluasi")
        verbose_name_plural = _("evaluasi")
        ordering = ["-date", "-id"]
        constraints = [
            # Exactly one thing is evaluated.
            models.CheckConstraint(
                condition=(Q(visit__isnull=False, event__isnull=True, activity__isnull=True)
                           | Q(visit__isnull=True, event__isnull=False, activity__isnull=True)
                           | Q(visit__isnull=True, event__isnull=True, activity__isnull=False)),
                name="evaluation_one_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class EvaluationTarget(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="targets")
    description = models.CharField(_("target"), max_length=250,
                                   help_text=_("misalnya: peserta menerima pesan kegiatan dengan baik"))
    target_percent = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)
    reached_percent = models.DecimalField(_("tercapai (%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["evaluation_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target_percent__gte=0) & Q(target_percent__lte=100),
                                   name="target_percent_0_100"),
            models.CheckConstraint(condition=Q(reached_percent__isnull=True)
                                   | (Q(reached_percent__gte=0) & Q(reached_percent__lte=100)),
                                   name="reached_percent_0_100"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def met(self) -> bool | None:
        if self.reached_percent is None:
            return None
        return Decimal(self.reached_percent) >= Decimal(self.target_percent)


class StageCriterion(models.Model):
    """One item of the checklist for reaching a stage (data, not code)."""

    stage = models.CharField(_("tahap yang dituju"), max_length=14)
    code = models.SlugField(_("kode"), max_length=40)
    text = models.CharField(_("kriteria"), max_length=250)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("kriteria tahap")
        verbose_name_plural = _("kriteria tahap")
        ordering = ["stage", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return self.text


class StageCheck(models.Model):
    """The mentor ticked (or unticked) a criterion for a group, with evidence. The latest row counts."""

    kube = models.ForeignKey("registry.Kube", on_delete=models.PROTECT, related_name="stage_checks")
    criterion = models.ForeignKey(StageCriterion, on_delete=models.PROTECT, related_name="checks")
    met = models.BooleanField(_("terpenuhi"))
    evidence = models.CharField(_("bukti"), max_length=300)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kube_id", "criterion_id", "-checked_at", "-id"]
        indexes = [models.Index(fields=["kube", "criterion"], name="stagecheck_kube_criterion")]

    def __str__(self) -> str:
        return f"{self.kube_id} {self.criterion_id} {self.met}"
