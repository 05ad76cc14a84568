"""The books that are registers, not money: inventory, guests, activities, work plan, rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ItemSource(models.TextChoices):
    GRANT = "grant", _("Bantuan stimulan")
    OWN = "own", _("Dana sendiri")
    GIFT = "gift", _("Hibah/pemberian")


class Condition(models.TextChoices):
    GOOD = "baik", _("Baik")
    FAIR = "kurang", _("Kurang baik")
    BROKEN = "rusak", _("Rusak")


class InventoryItem(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="inventory")
    code = models.CharField(_("kode barang"), max_length=20)
    name = models.CharField(_("nama barang"), max_length=150)
    quantity = models.PositiveIntegerField(pgettext_lazy("banyaknya", "jumlah"), default=1)
    unit = models.CharField(_("satuan"), max_length=20, default="unit")
    acquired_on = models.DateField(_("tanggal perolehan"))
    source = models.CharField(_("asal"), max_length=6, choices=ItemSource.choices)
    value = models.BigIntegerField(_("nilai perolehan (Rp)"))
    condition = models.CharField(_("kondisi"), max_length=6, choices=Condition.choices,
                                 default=Condition.GOOD)
    location = models.CharField(_("lokasi"), max_length=150, blank=True)
    grant = models.ForeignKey("grants.Grant", verbose_name=_("bantuan"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="assets")
    transaction = models.ForeignKey("books.Transaction", verbose_name=_("transaksi pembelian"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    disposed_on = models.DateField(_("tanggal dihapus"), null=True, blank=True)
    disposal_reason = models.CharField(_("alasan penghapusan"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("barang inventaris")
        verbose_name_plural = _("buku inventaris")
        ordering = ["kube_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kube", "code"], name="inventory_code_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="inventory_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InventoryEvent(models.Model):
    """A change of condition or a disposal, dated, with who recorded it."""

    item = models.ForeignKey(InventoryItem, verbose_name=_("barang"), on_delete=models.PROTECT,
                             related_name="events")
    date = models.DateField(_("tanggal"))
    condition = models.CharField(_("kondisi"), max_length=6, choices=Condition.choices, blank=True)
    disposed = models.BooleanField(_("dihapus dari inventaris"), default=False)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan inventaris")
        verbose_name_plural = _("perubahan inventaris")
        ordering = ["item_id", "date", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.date} {self.condition}"


class GuestEntry(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="guests")
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("nama tamu"), max_length=150)
    institution = models.CharField(_("instansi/alamat"), max_length=200, blank=True)
    purpose = models.CharField(_("keperluan"), max_length=250)
    remarks = models.CharField(_("keterangan"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tamu")
        verbose_name_plural = _("buku tamu")
        ordering = ["kube_id", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ActivityKind(models.TextChoices):
    MONTHLY_MEETING = "rapat", _("Rapat rutin bulanan")
    TRAINING = "pelatihan", _("Pelatihan/sosialisasi")
    STUDY_VISIT = "studi", _("Studi banding")
    CHARITY = "bakti", _("Bakti sosial/KUBER")
    MENTORING = "pendampingan", _("Pendampingan")
    BUSINESS = "usaha", _("Kegiatan usaha bersama")
    OTHER = "lain", _("Lainnya")


class Activity(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="activities")
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis kegiatan"), max_length=12, choices=ActivityKind.choices)
    place = models.CharField(_("tempat"), max_length=150)
    agenda = models.TextField(_("acara"))
    minutes = models.TextField(_("hasil/notulen"), blank=True)
    follow_ups = models.TextField(_("tindak lanjut"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("buku agenda kegiatan")
        ordering = ["kube_id", "-date", "-id"]
        indexes = [models.Index(fields=["kube", "date"], name="activity_kube_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class ActivityAttendance(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey("registry.Member", on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("hadir"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.member_id} {self.present}"


class WorkPlanStatus(models.TextChoices):
    PLANNED = "rencana", _("Direncanakan")
    ONGOING = "berjalan", _("Berjalan")
    DONE = "selesai", _("Selesai")
    DROPPED = "batal", _("Dibatalkan")


class WorkPlanItem(models.Model):
    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="work_plan")
    activity = models.CharField(_("kegiatan"), max_length=200)
    aim = models.CharField(_("tujuan"), max_length=250)
    target = models.CharField(_("sasaran/target"), max_length=250)
    start_on = models.DateField(_("mulai"))
    end_on = models.DateField(_("selesai"))
    person = models.ForeignKey("registry.Member", verbose_name=_("penanggung jawab"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    budget = models.BigIntegerField(_("anggaran (Rp)"), default=0)
    budget_source = models.CharField(_("sumber dana"), max_length=100, blank=True)
    realisation = models.TextField(_("realisasi"), blank=True)
    percent_done = models.PositiveSmallIntegerField(_("persen terlaksana"), default=0)
    status = models.CharField(_("status"), max_length=8, choices=WorkPlanStatus.choices,
                              default=WorkPlanStatus.PLANNED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rencana kerja")
        verbose_name_plural = _("buku rencana kerja")
        ordering = ["kube_id", "start_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="workplan_percent_0_100"),
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="workplan_dates"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="workplan_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.activity


class RuleVersion(models.Model):
    """Buku Peraturan KUBE: each adopted text is a new version; old ones stay readable."""

    kube = models.ForeignKey("registry.Kube", verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="rule_versions")
    version = models.PositiveSmallIntegerField(_("versi"))
    text = models.TextField(_("isi peraturan"))
    adopted_on = models.DateField(_("disahkan dalam musyawarah tanggal"))
    loan_fee_percent_month = models.DecimalField(
        _("jasa pinjaman per bulan (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Kosongkan bila KUBE tidak memungut jasa pinjaman."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("versi peraturan")
        verbose_name_plural = _("buku peraturan KUBE")
        ordering = ["kube_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["kube", "version"], name="rule_version_unique")]

    def __str__(self) -> str:
        return f"v{self.version} {self.adopted_on}"
