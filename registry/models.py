"""Registry: the KUBE groups, the programmes they are formed under, their members and officers.

Design:
- A `Programme` carries the rules a group is formed under (size, age bounds, the
  settlement-unit exception, the DTSEN desil it targets); the code reads them, it never hard-codes 5–10.
- A `Member` row is one membership: a person (by NIK) in one group from `joined_on`
  to `left_on`. The database refuses a second *active* membership for the same NIK
  (partial unique index), so "one active group per person" holds under races too.
- A member's standing in DTSEN (the national social registry since Inpres 4/2025: status and
  welfare desil 1–10) is a history of `DtsenRecord` rows: an extract matched, an office's entry,
  or the DTKS number and "verified" flag of before (migration 0003 turned them into records).
  `Member.dtsen_status`/`dtsen_desil` are the latest record's values, written only with a new
  record (registry.services.dtsen_record_add), so lists and dashboards read them without a join.
  A programme names the desil it targets (`target_desil_max`: 4 means desil 1–4).
- `Officer` rows are the Daftar Pengurus over time; at most one active holder per
  position and one active position per member are enforced by partial unique
  indexes; "exactly three" is the job of `officers_set`, which replaces all three
  at once.
- Stage and status live on the group; every change is also a `LifecycleChange`
  row (what, from, to, when effective, why, who), which is the history the pages show.
- All writes go through registry/services.py.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from registry.choices import (
    Bond,
    BusinessMode,
    BusinessType,
    DtsenSource,
    DtsenStatus,
    LeaveReason,
    Position,
    Sex,
    Stage,
    Status,
    TargetGroup,
    WelfareLevel,
)


class Programme(models.Model):
    code = models.SlugField(_("kode program"), max_length=30, unique=True)
    name = models.CharField(_("nama program"), max_length=150)
    legal_basis = models.CharField(_("dasar hukum/pedoman"), max_length=250, blank=True)
    min_members = models.PositiveSmallIntegerField(_("anggota paling sedikit (KK)"), default=5)
    max_members = models.PositiveSmallIntegerField(_("anggota paling banyak (KK)"), default=10)
    size_exempt_targets = models.JSONField(
        _("sasaran yang dibentuk per unit permukiman (tanpa batas jumlah)"),
        default=list, blank=True,
        help_text=_("Kode sasaran, misalnya terasing dan kumuh (seed 001)."),
    )
    min_age = models.PositiveSmallIntegerField(_("umur anggota paling rendah"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("umur anggota paling tinggi"), null=True, blank=True)
    target_desil_max = models.PositiveSmallIntegerField(
        _("desil DTSEN sasaran (1 sampai)"), null=True, blank=True,
        help_text=_("Misalnya 4: program ini untuk keluarga desil 1–4. Kosong: tanpa batas desil."))
    grant_per_member = models.BigIntegerField(_("bantuan per anggota (Rp)"), null=True, blank=True)
    is_active = models.BooleanField(_("masih dipakai"), default=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(min_members__gte=1)
                                   & Q(max_members__gte=models.F("min_members")),
                                   name="programme_size_bounds"),
            models.CheckConstraint(condition=Q(target_desil_max__isnull=True)
                                   | Q(target_desil_max__gte=1, target_desil_max__lte=10),
                                   name="programme_desil_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def size_applies_to(self, target_group: str) -> bool:
        return target_group not in (self.size_exempt_targets or [])


class Kube(models.Model):
    name = models.CharField(_("nama KUBE"), max_length=150)
    reg_number = models.CharField(_("nomor registrasi"), max_length=30, unique=True)
    desa = models.ForeignKey(Region, verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT,
                             related_name="+")
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    formed_on = models.DateField(_("tanggal dibentuk"))
    programme = models.ForeignKey(Programme, verbose_name=_("program"), on_delete=models.PROTECT,
                                  related_name="kubes")
    target_group = models.CharField(_("sasaran"), max_length=20, choices=TargetGroup.choices,
                                    default=TargetGroup.FAKIR_MISKIN)
    business_type = models.CharField(_("jenis usaha"), max_length=20, choices=BusinessType.choices)
    business_description = models.CharField(_("uraian usaha"), max_length=250, blank=True)
    business_mode = models.CharField(_("pengelolaan usaha"), max_length=12,
                                     choices=BusinessMode.choices, default=BusinessMode.KELOMPOK)
    bonds = models.JSONField(_("ikatan pemersatu"), default=list, blank=True)
    bond_note = models.CharField(_("keterangan ikatan"), max_length=250, blank=True)
    pendamping = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pendamping"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="mentored_kubes",
    )
    stage = models.CharField(_("tahap"), max_length=14, choices=Stage.choices,
                             default=Stage.PEMBENTUKAN)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.AKTIF)
    status_reason = models.CharField(_("alasan status"), max_length=250, blank=True)
    # The edit the identity is at: raised by kube_update on every change, so an edit that started
    # from an older one is refused instead of silently overwriting (services.check_version).
    version = models.PositiveIntegerField(_("versi"), default=1)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("KUBE")
        verbose_name_plural = _("KUBE")
        ordering = ["name", "id"]
        indexes = [
            # Region filters are code ranges on desa_id; these serve the list page.
            models.Index(fields=["desa", "name"], name="kube_desa_name"),
            models.Index(fields=["name"], name="kube_name"),
            models.Index(fields=["pendamping", "name"], name="kube_pendamping_name"),
            # The list's mentor filter gathers a region's mentors from its groups without reading
            # the groups' rows.
            models.Index(fields=["desa", "pendamping"], name="kube_desa_mentor"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bond_labels(self) -> list[str]:
        return [str(Bond(code).label) for code in self.bonds if code in Bond.values]


class RegistrationCounter(models.Model):
    """The last registration number issued per kabupaten and year (taken under a row lock)."""

    kabupaten_code = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kabupaten_code", "year"],
                                               name="regcounter_unique")]

    def __str__(self) -> str:
        return f"{self.kabupaten_code}/{self.year}: {self.last}"


class Member(models.Model):
    kube = models.ForeignKey(Kube, verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="members")
    nik = models.CharField(_("NIK"), max_length=16)
    kk_number = models.CharField(_("nomor KK"), max_length=16)
    name = models.CharField(_("nama"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    target_group = models.CharField(_("sasaran"), max_length=20, choices=TargetGroup.choices,
                                    default=TargetGroup.FAKIR_MISKIN)
    welfare_level = models.CharField(_("tingkat kesejahteraan"), max_length=14,
                                     choices=WelfareLevel.choices, default=WelfareLevel.MISKIN)
    dtsen_status = models.CharField(_("status DTSEN"), max_length=10, choices=DtsenStatus.choices,
                                    default=DtsenStatus.UNCHECKED)
    dtsen_desil = models.PositiveSmallIntegerField(_("desil DTSEN"), null=True, blank=True)
    skills = models.CharField(_("keterampilan"), max_length=250, blank=True)
    task = models.CharField(_("tugas dalam kelompok"), max_length=150, blank=True)
    joined_on = models.DateField(_("tanggal masuk"))
    left_on = models.DateField(_("tanggal keluar"), null=True, blank=True)
    left_reason = models.CharField(_("alasan keluar"), max_length=16, choices=LeaveReason.choices,
                                   blank=True)
    left_note = models.CharField(_("keterangan keluar"), max_length=250, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("akun"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="memberships")
    version = models.PositiveIntegerField(_("versi"), default=1)  # as Kube.version: member_update, member_set_task
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("anggota")
        verbose_name_plural = _("anggota")
        ordering = ["kube_id", "joined_on", "id"]
        indexes = [
            models.Index(fields=["nik"], name="member_nik"),
            models.Index(fields=["kube", "left_on"], name="member_kube_active"),
            models.Index(fields=["name"], name="member_name"),
            # The duplicate check of one registration looks up its KK and birth date.
            models.Index(fields=["kk_number", "birth_date"], name="member_kk_birth"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["nik"], condition=Q(left_on__isnull=True),
                                    name="member_one_active_group_per_nik"),
            models.UniqueConstraint(fields=["user"],
                                    condition=Q(left_on__isnull=True, user__isnull=False),
                                    name="member_one_active_group_per_user"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                                   name="member_left_after_joined"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | ~Q(left_reason=""),
                                   name="member_left_has_reason"),
            models.CheckConstraint(condition=Q(dtsen_desil__isnull=True)
                                   | Q(dtsen_desil__gte=1, dtsen_desil__lte=10),
                                   name="member_desil_range"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def age_on(self, day: date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class DtsenRecord(models.Model):
    """What DTSEN said about a member, when and from where. Never changed: a newer record
    supersedes it (the latest is copied onto the member by the service that writes it)."""

    member = models.ForeignKey(Member, verbose_name=_("anggota"), on_delete=models.PROTECT,
                               related_name="dtsen_records")
    status = models.CharField(_("status DTSEN"), max_length=10, choices=DtsenStatus.choices)
    desil = models.PositiveSmallIntegerField(_("desil"), null=True, blank=True)
    data_date = models.DateField(_("tanggal data"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=8, choices=DtsenSource.choices)
    reference = models.CharField(_("nomor DTSEN/DTKS"), max_length=30, blank=True)
    extract_id = models.PositiveIntegerField(_("ekstrak"), null=True, blank=True)
    note = models.CharField(_("keterangan"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("catatan DTSEN")
        verbose_name_plural = _("catatan DTSEN")
        ordering = ["member_id", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["member", "recorded_at"], name="dtsen_member_at")]
        constraints = [
            models.CheckConstraint(condition=Q(desil__isnull=True) | Q(desil__gte=1, desil__lte=10),
                                   name="dtsen_desil_range"),
            models.CheckConstraint(condition=~Q(status="found") | Q(desil__isnull=False)
                                   | Q(source="dtks"),
                                   name="dtsen_found_has_desil"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.desil or ''}".strip()


class Officer(models.Model):
    kube = models.ForeignKey(Kube, verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="officers")
    member = models.ForeignKey(Member, verbose_name=_("anggota"), on_delete=models.PROTECT,
                               related_name="offices")
    position = models.CharField(_("jabatan"), max_length=10, choices=Position.choices)
    chosen_on = models.DateField(_("tanggal musyawarah pemilihan"))
    term_start = models.DateField(_("awal masa jabatan"))
    term_end = models.DateField(_("akhir masa jabatan"))
    ended_on = models.DateField(_("berhenti menjabat"), null=True, blank=True)
    end_reason = models.CharField(_("alasan berhenti"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pengurus")
        verbose_name_plural = _("pengurus")
        ordering = ["kube_id", "-term_start", "position"]
        constraints = [
            models.UniqueConstraint(fields=["kube", "position"], condition=Q(ended_on__isnull=True),
                                    name="officer_one_holder_per_position"),
            models.UniqueConstraint(fields=["member"], condition=Q(ended_on__isnull=True),
                                    name="officer_one_position_per_member"),
            models.CheckConstraint(condition=Q(term_end__gt=models.F("term_start")),
                                   name="officer_term_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.member.name}"


class LifecycleChange(models.Model):
    class Field(models.TextChoices):
        STAGE = "stage", _("Tahap")
        STATUS = "status", _("Status")

    kube = models.ForeignKey(Kube, verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="lifecycle_changes")
    field = models.CharField(_("yang berubah"), max_length=6, choices=Field.choices)
    old_value = models.CharField(_("dari"), max_length=14, blank=True)
    new_value = models.CharField(_("menjadi"), max_length=14)
    effective_on = models.DateField(_("berlaku sejak"))
    reason = models.CharField(_("alasan"), max_length=250)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diputuskan oleh"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan tahap/status")
        verbose_name_plural = _("perubahan tahap/status")
        ordering = ["kube_id", "-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_value} → {self.new_value} ({self.effective_on})"

    def label(self, value: str) -> str:
        choices = Stage if self.field == self.Field.STAGE else Status
        return str(choices(value).label) if value in choices.values else value

    @property
    def old_label(self) -> str:
        return self.label(self.old_value) if self.old_value else ""

    @property
    def new_label(self) -> str:
        return self.label(self.new_value)


class PendampingAssignment(models.Model):
    """Which mentor held a group when: the current one is also Kube.pendamping."""

    kube = models.ForeignKey(Kube, verbose_name=_("KUBE"), on_delete=models.PROTECT,
                             related_name="assignments")
    pendamping = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pendamping"),
                                   on_delete=models.PROTECT, related_name="assignments")
    start_on = models.DateField(_("mulai"))
    end_on = models.DateField(_("selesai"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ditugaskan oleh"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan pendamping")
        verbose_name_plural = _("penugasan pendamping")
        ordering = ["kube_id", "-start_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kube"], condition=Q(end_on__isnull=True),
                                    name="assignment_one_current_per_kube"),
        ]

    def __str__(self) -> str:
        return f"{self.pendamping} {self.start_on}–{self.end_on or ''}"


class GroupMemberNames(models.Model):
    """PostgreSQL's way to a group through its members' names (registry/search.py): one row a
    group, every name its members have had, one a line. The table is PostgreSQL's only (migration
    0009 creates it there, without a foreign key); this model lets a query name it as Django's own
    queries name a table, so that a subquery of it follows the aliases of the query around it."""

    kube = models.OneToOneField(Kube, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+")
    desa_id = models.CharField(max_length=13)
    names = models.TextField()

    class Meta:
        managed = False
        db_table = "registry_kube_member_names"

    def __str__(self) -> str:
        return f"{self.kube_id}: {self.names.count(chr(10)) + 1} names"
