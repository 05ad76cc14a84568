"""Capacity assessment (PEKA, Penilaian Kapasitas; seed 003, after ACCESS-AusAID 2005).

- The instrument is data: an `Instrument` has numbered `InstrumentVersion`s, each with its scale,
  the standard under which an item is weak, its `Domain`s and numbered `Item`s (ciri-ciri). A
  version is never edited once used; a new version is published and the old one retired, so an
  old assessment always shows against the instrument it used.
- An `Assessment` is one session with a group: date, facilitator, the members who took part,
  the history timeline (alur sejarah) and the reflection on goals. `Score`s are entered per
  participant per item, or one consensus score per item.
- `ItemResult` and `DomainResult` hold the means, rewritten in the same transaction as the
  scores, so results, comparisons and regional roll-ups read them instead of the raw scores.
- The group chooses `Priority` items among the weak ones and turns them into `RtlAction`s
  (the follow-up plan, RTL), which can be carried into the work-plan book and linked to the
  agenda activity that carried them out (and evaluated there).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Instrument(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    source = models.CharField(_("sumber"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("instrumen PEKA")
        verbose_name_plural = _("instrumen PEKA")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, verbose_name=_("instrumen"), on_delete=models.PROTECT,
                                   related_name="versions")
    number = models.PositiveSmallIntegerField(_("versi"))
    scale_min = models.PositiveSmallIntegerField(_("nilai terendah"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("nilai tertinggi"), default=4)
    scale_labels = models.JSONField(_("arti tiap nilai"), default=list, blank=True)
    standard = models.DecimalField(_("standar"), max_digits=4, decimal_places=2, default=2.5,
                                   help_text=_("Ciri dengan rata-rata di bawah standar adalah ciri yang lemah."))
    published_on = models.DateField(_("berlaku sejak"))
    retired_on = models.DateField(_("tidak dipakai sejak"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("versi instrumen")
        verbose_name_plural = _("versi instrumen")
        ordering = ["instrument_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_unique"),
            models.CheckConstraint(condition=Q(scale_min__lt=models.F("scale_max")), name="scale_min_below_max"),
            models.CheckConstraint(condition=Q(standard__gte=models.F("scale_min"))
                                   & Q(standard__lte=models.F("scale_max")), name="standard_within_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.name} v{self.number}"

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

    def label_for(self, value: int) -> str:
        """The meaning of a score. The default labels are in the catalogue; others show as written."""
        from django.utils.translation import gettext

        index = value - self.scale_min
        labels = self.scale_labels or []
        return gettext(str(labels[index])) if 0 <= index < len(labels) else str(value)

    @property
    def scale(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Domain(models.Model):
    """One of the fields (bidang) the items are grouped in."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="domains")
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("bidang"), max_length=150)

    class Meta:
        ordering = ["version_id", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="domain_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Item(models.Model):
    """A characteristic (ciri) of the organisation, numbered across the whole instrument."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="items")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(_("nomor"))
    text = models.CharField(_("ciri"), max_length=400)

    class Meta:
        ordering = ["version_id", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="item_number_unique")]

    def __str__(self) -> str:
        return f"({self.number}) {self.text}"


class Mode(models.TextChoices):
    PARTICIPANTS = "peserta", _("Nilai tiap peserta")
    CONSENSUS = "konsensus", _("Satu nilai kesepakatan per ciri")


class Assessment(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="assessments")
    version = models.ForeignKey(InstrumentVersion, verbose_name=_("instrumen"), on_delete=models.PROTECT,
                                related_name="assessments")
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    mode = models.CharField(_("cara menilai"), max_length=10, choices=Mode.choices, default=Mode.PARTICIPANTS)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("fasilitator"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    facilitator_name = models.CharField(_("fasilitator"), max_length=150)
    reflection = models.TextField(_("refleksi pencapaian tujuan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penilaian kapasitas")
        verbose_name_plural = _("penilaian kapasitas")
        ordering = ["kube_id", "-date", "-id"]
        indexes = [models.Index(fields=["kube", "date"], name="assessment_kube_date")]

    def __str__(self) -> str:
        return f"PEKA {self.kube_id} {self.date}"


class HistoryEvent(models.Model):
    """One step of the group's history timeline (alur sejarah), as the group tells it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="history")
    when = models.CharField(_("waktu"), max_length=40)
    event = models.CharField(_("peristiwa"), max_length=400)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assessment_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.when}: {self.event}"


class Participant(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="participants")
    member = models.ForeignKey("registry.Member", verbose_name=_("anggota"), on_delete=models.PROTECT,
                               related_name="assessment_participations")

    class Meta:
        ordering = ["assessment_id", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "member"], name="participant_once")]

    def __str__(self) -> str:
        return str(self.member_id)


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="scores")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("nilai"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "participant", "item"], name="score_once"),
            models.UniqueConstraint(fields=["assessment", "item"], condition=Q(participant__isnull=True),
                                    name="consensus_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.item_id} {self.value}"


class ItemResult(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="item_results")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    scores = models.PositiveSmallIntegerField(_("jumlah penilai"))
    total = models.PositiveIntegerField(_("jumlah nilai"))
    mean = models.DecimalField(_("rata-rata"), max_digits=4, decimal_places=2)
    weak = models.BooleanField(_("lemah"))

    class Meta:
        ordering = ["assessment_id", "item__number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="item_result_once")]
        indexes = [models.Index(fields=["item", "weak"], name="item_result_weak")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.mean}"


class DomainResult(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="domain_results")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    mean = models.DecimalField(_("rata-rata"), max_digits=4, decimal_places=2)

    class Meta:
        ordering = ["assessment_id", "domain__number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="domain_result_once")]

    def __str__(self) -> str:
        return f"{self.domain_id} {self.mean}"


class Priority(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="priorities")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        ordering = ["assessment_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="priority_item_once"),
            models.UniqueConstraint(fields=["assessment", "rank"], name="priority_rank_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.item_id}"


class RtlStatus(models.TextChoices):
    PLANNED = "rencana", _("Direncanakan")
    RUNNING = "berjalan", pgettext_lazy("aksi RTL", "Berjalan")
    DONE = "selesai", _("Selesai")
    DROPPED = "batal", _("Batal")


class RtlAction(models.Model):
    """One action of the follow-up plan (Rencana Tindak Lanjut) for a priority."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(Item, verbose_name=_("ciri prioritas"), on_delete=models.PROTECT, related_name="+")
    activity = models.CharField(_("kegiatan"), max_length=200)
    aim = models.CharField(_("tujuan"), max_length=250)
    person = models.ForeignKey("registry.Member", verbose_name=_("penanggung jawab"), on_delete=models.PROTECT,
                               related_name="rtl_actions")
    due_on = models.DateField(_("waktu pelaksanaan"))
    indicator = models.CharField(_("indikator keberhasilan"), max_length=300)
    target = models.CharField(_("target"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=RtlStatus.choices, default=RtlStatus.PLANNED)
    status_note = models.CharField(_("catatan"), max_length=300, blank=True)
    work_plan_item = models.ForeignKey("books.WorkPlanItem", verbose_name=_("di Buku Rencana Kerja"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="rtl_actions")
    agenda_activity = models.ForeignKey("books.Activity", verbose_name=_("dilaksanakan pada kegiatan"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="rtl_actions")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aksi RTL")
        verbose_name_plural = _("rencana tindak lanjut")
        ordering = ["assessment_id", "due_on", "id"]

    def __str__(self) -> str:
        return self.activity
