"""The reporting chain (pelaporan berjenjang): who submits, checks and signs which figures.

Two kinds of dossier climb the tiers, each one row that says how far it has come, with every step
below it kept as an append-only `Step` (who, when, what, a note):

- a group's month (`Lpj`): the officers submit the closed month's LPJ (the Ketua and the Bendahara
  each confirm; the second confirmation submits), the mentor verifies it against the books with
  findings, the kecamatan checks it where the province's chain has that level, and the
  kabupaten/kota office approves it. Approving locks the month in the books
  (`books.PeriodClose.locked`); after that only a granted `ReopenRequest` reopens it.
- a region's period report (`Report`): a kabupaten/kota office submits its report, the province
  accepts or returns it; the province submits its own, the ministry accepts or returns it. An
  acceptance keeps a snapshot of the report's figures as they were shown, so a later change shows
  as a difference against what was signed.

The levels of the LPJ chain are data (`ChainLevel`, per province; without rows the default chain
pengurus → pendamping → kabupaten), and a dossier copies its chain when it opens, so a province
changing its chain does not move dossiers already on their way. Rules kept by the services (after
DHIS2's data approval): a level acts only on what the level below has passed; a return needs a
reason and sends the dossier back one level (the submission's confirmations start again); a level
withdraws its own act only while the level above has not acted, and the kabupaten's approval of a
month only while the province has not accepted the kabupaten's report covering it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PENGURUS = "pengurus", _("Pengurus KUBE")
    PENDAMPING = "pendamping", _("Pendamping")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KABUPATEN = "kabupaten", _("Dinas Sosial kabupaten/kota")
    PROVINSI = "provinsi", _("Dinas Sosial provinsi")
    PUSAT = "pusat", _("Kementerian Sosial")


# The chain of a group's LPJ where the province has written none; a province may add the kecamatan.
DEFAULT_CHAIN: tuple[str, ...] = (Level.PENGURUS, Level.PENDAMPING, Level.KABUPATEN)


class ChainLevel(models.Model):
    """One level of a province's chain for the groups' LPJ, in order (position 0 submits)."""

    province = models.ForeignKey("regions.Region", verbose_name=_("provinsi"), on_delete=models.PROTECT,
                                 related_name="+")
    position = models.PositiveSmallIntegerField(_("urutan"))
    level = models.CharField(_("tingkat"), max_length=12, choices=Level.choices)

    class Meta:
        verbose_name = _("tingkat pelaporan")
        verbose_name_plural = _("tingkat pelaporan")
        ordering = ["province_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["province", "position"], name="chain_position_unique"),
            models.UniqueConstraint(fields=["province", "level"], name="chain_level_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.position} {self.level}"


class Lpj(models.Model):
    """A group's month on its way up the chain. `reached` counts the levels that have acted:
    0 nothing (or returned to the officers), 1 submitted, …, len(levels) approved."""

    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="lpj_approvals")
    period = models.PositiveIntegerField(_("bulan buku"), help_text="YYYYMM")
    # The group's desa code, copied so that completeness counts a region by prefix without a join.
    desa_code = models.CharField(_("kode desa"), max_length=13, db_index=True)
    levels = models.JSONField(_("tingkat"), default=list)
    reached = models.PositiveSmallIntegerField(_("tingkat tercapai"), default=0)
    # The confirmations of the submission under way (cleared by a return or a withdrawal).
    ketua_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dikonfirmasi ketua"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    bendahara_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dikonfirmasi bendahara"),
                                     null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    first_submitted_at = models.DateTimeField(_("pertama diajukan"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    returned_reason = models.TextField(_("alasan dikembalikan"), blank=True)
    returned_at = models.DateTimeField(_("dikembalikan"), null=True, blank=True)

    class Meta:
        verbose_name = _("LPJ berjenjang")
        verbose_name_plural = _("LPJ berjenjang")
        ordering = ["kube_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["kube", "period"], name="approval_lpj_unique"),
        ]
        indexes = [models.Index(fields=["period", "desa_code"], name="approval_lpj_period_desa"),
                   # The late list's second part, the latest submissions first, read a page at a time.
                   models.Index(fields=["period", "first_submitted_at"], name="approval_lpj_period_first")]

    def __str__(self) -> str:
        return f"LPJ {self.kube_id} {self.period}"

    @property
    def approved(self) -> bool:
        return bool(self.levels) and self.reached >= len(self.levels)

    @property
    def next_level(self) -> str | None:
        """The level whose turn it is (None once approved)."""
        return None if self.approved else self.levels[self.reached]

    @property
    def last_level(self) -> str | None:
        """The level that acted last (None before the submission)."""
        return self.levels[self.reached - 1] if self.reached else None

    @property
    def code(self) -> str:
        return f"{self.period // 100}-{self.period % 100:02d}"


class Report(models.Model):
    """A kabupaten/kota's or a province's period report on its way up: 0 open (or returned),
    1 submitted by its office, 2 accepted by the office above."""

    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT,
                               related_name="+")
    period = models.CharField(_("periode"), max_length=7)
    first_month = models.PositiveIntegerField(_("bulan pertama"))
    last_month = models.PositiveIntegerField(_("bulan terakhir"))
    reached = models.PositiveSmallIntegerField(_("tingkat tercapai"), default=0)
    first_submitted_at = models.DateTimeField(_("pertama diajukan"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    returned_reason = models.TextField(_("alasan dikembalikan"), blank=True)
    returned_at = models.DateTimeField(_("dikembalikan"), null=True, blank=True)
    # The report's figures as the accepting office saw them ({label: value}, with their order).
    snapshot = models.JSONField(_("angka saat diterima"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan berjenjang")
        verbose_name_plural = _("laporan berjenjang")
        ordering = ["region_id", "period"]
        constraints = [models.UniqueConstraint(fields=["region", "period"], name="approval_report_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period}"

    @property
    def level(self) -> str:
        return Level.PROVINSI if len(self.region_id) == 2 else Level.KABUPATEN

    @property
    def accepting_level(self) -> str:
        return Level.PUSAT if self.level == Level.PROVINSI else Level.PROVINSI


class Action(models.TextChoices):
    CONFIRM = "confirm", _("Konfirmasi pengurus")
    SUBMIT = "submit", _("Diajukan")
    VERIFY = "verify", _("Diverifikasi")
    CHECK = "check", _("Diperiksa")
    APPROVE = "approve", _("Disetujui")
    ACCEPT = "accept", _("Diterima")
    RETURN = "return", _("Dikembalikan untuk perbaikan")
    UNAPPROVE = "unapprove", _("Ditarik kembali")
    WITHDRAW = "withdraw", _("Pengajuan dibatalkan (bulan dibuka kembali)")
    REOPEN_ASK = "reopen_ask", _("Permohonan buka kembali")
    REOPEN_GRANT = "reopen_grant", _("Buka kembali disetujui")
    REOPEN_REFUSE = "reopen_refuse", _("Buka kembali ditolak")


class Step(models.Model):
    """One act on a dossier, never changed: the chain's history and the berita acara's signatories."""

    lpj = models.ForeignKey(Lpj, verbose_name=_("LPJ"), null=True, blank=True, on_delete=models.PROTECT,
                            related_name="steps")
    report = models.ForeignKey(Report, verbose_name=_("laporan"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="steps")
    level = models.CharField(_("tingkat"), max_length=12, choices=Level.choices)
    action = models.CharField(_("tindakan"), max_length=14, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("oleh"), null=True,
                              on_delete=models.PROTECT, related_name="+")
    role_label = models.CharField(_("sebagai"), max_length=60, blank=True)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("langkah pelaporan")
        verbose_name_plural = _("langkah pelaporan")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(
            condition=Q(lpj__isnull=False, report__isnull=True) | Q(lpj__isnull=True, report__isnull=False),
            name="approval_step_one_dossier")]

    def __str__(self) -> str:
        return f"{self.action} {self.level}"


class ReopenStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan")
    GRANTED = "granted", _("Disetujui")
    REFUSED = "refused", _("Ditolak")


class ReopenRequest(models.Model):
    """The group asks the approving level to reopen an approved month, with its reason."""

    lpj = models.ForeignKey(Lpj, verbose_name=_("LPJ"), on_delete=models.PROTECT, related_name="reopen_requests")
    reason = models.TextField(_("alasan"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diajukan oleh"), null=True,
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("diajukan"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=8, choices=ReopenStatus.choices, default=ReopenStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diputuskan oleh"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)

    class Meta:
        verbose_name = _("permohonan buka kembali")
        verbose_name_plural = _("permohonan buka kembali")
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["lpj"], condition=Q(status="pending"),
                                               name="approval_one_pending_reopen")]

    def __str__(self) -> str:
        return f"{self.lpj} {self.status}"


# --- completeness kept per kabupaten ---------------------------------------------------------------
# The ministry's and a province's completeness pages sum these ~500 rows a month instead of counting
# 100,000 groups and their dossiers (bench/RESULTS.md). Rewritten from the raw rows, never by
# increments (approval/rollup.py): a kabupaten's month by the services in the transaction of each
# step on its dossiers, a kabupaten's groups by the summary drain after a group changed (registered,
# dissolved, moved, its founding date corrected), and everything by `rollup.rebuild` (called by
# monitoring_rebuild). From the kabupaten down the pages count the raw rows, as before.


class KabupatenLpj(models.Model):
    """A kabupaten's month: of the groups that owe its LPJ (in the kabupaten, formed by the month's
    end, not dissolved), how many submitted, had verified, had approved and submitted on time. No
    row: none of them has a dossier that month."""

    kab = models.CharField(_("kabupaten/kota"), max_length=5)
    prov = models.CharField(_("provinsi"), max_length=2)
    period = models.PositiveIntegerField(_("bulan buku"), help_text="YYYYMM")
    submitted = models.PositiveIntegerField(_("diajukan"), default=0)
    verified = models.PositiveIntegerField(_("diverifikasi"), default=0)
    approved = models.PositiveIntegerField(_("disetujui"), default=0)
    on_time = models.PositiveIntegerField(_("tepat waktu"), default=0)
    # The due day `on_time` was counted against (APPROVAL_DUE_DAYS): a page finding another one (the
    # setting changed since) counts the raw rows instead, until the rebuild.
    due = models.DateField(_("batas pengajuan"))

    class Meta:
        verbose_name = _("kelengkapan LPJ kabupaten/kota")
        verbose_name_plural = _("kelengkapan LPJ kabupaten/kota")
        constraints = [models.UniqueConstraint(fields=["kab", "period"], name="approval_kablpj_once")]
        indexes = [models.Index(fields=["period", "prov"], name="approval_kablpj_period_prov")]

    def __str__(self) -> str:
        return f"{self.kab} {self.period}"


class KabupatenGroups(models.Model):
    """How many groups of a kabupaten, not dissolved, were formed in a month: the groups that owe a
    month's LPJ are those formed up to its end (the sum of these rows up to it)."""

    kab = models.CharField(_("kabupaten/kota"), max_length=5)
    prov = models.CharField(_("provinsi"), max_length=2)
    formed = models.PositiveIntegerField(_("bulan dibentuk"), help_text="YYYYMM")
    groups = models.PositiveIntegerField(_("jumlah KUBE"))

    class Meta:
        verbose_name = _("KUBE kabupaten/kota per bulan dibentuk")
        verbose_name_plural = _("KUBE kabupaten/kota per bulan dibentuk")
        constraints = [models.UniqueConstraint(fields=["kab", "formed"], name="approval_kabgroups_once")]
        # Covering the pages' sum (by province, or the whole nation, up to a month).
        indexes = [models.Index(fields=["prov", "formed", "kab", "groups"], name="approval_kabgroups_sum")]

    def __str__(self) -> str:
        return f"{self.kab} {self.formed}: {self.groups}"


class KabupatenApprovedGroups(models.Model):
    """How many groups of a kabupaten (by the dossier's desa code) have at least one month of a
    period approved: the dashboards' "N dari M kelompok" for "hanya yang disetujui" above the
    kabupaten. One row per month, quarter and year (`period` as books.lpj.Period.code)."""

    kab = models.CharField(_("kabupaten/kota"), max_length=5)
    prov = models.CharField(_("provinsi"), max_length=2)
    period = models.CharField(_("periode"), max_length=7)
    groups = models.PositiveIntegerField(_("jumlah KUBE"))

    class Meta:
        verbose_name = _("KUBE disetujui kabupaten/kota per periode")
        verbose_name_plural = _("KUBE disetujui kabupaten/kota per periode")
        constraints = [models.UniqueConstraint(fields=["kab", "period"], name="approval_kabapproved_once")]
        indexes = [models.Index(fields=["period", "prov"], name="approval_kabapproved_period")]

    def __str__(self) -> str:
        return f"{self.kab} {self.period}: {self.groups}"
