"""Monitoring's summary tables, so that dashboards never scan the raw books (as DHIS2's analytics
tables): one row per group per month of flows (`GroupMonth`), and one row per group of its current
state (`GroupState`: balances, last dates, members, PEKA, health and class). Both carry the region
code at every tier, so a region's figures are sums over an indexed equality.

They are rewritten for a group shortly after the change that affects them commits: the change leaves
a row in the outbox (outbox.services.record, in its own transaction) and a drain
(monitoring/drain.py) recomputes what it names. They are refreshed nightly for what time alone changes (days since the
last meeting, loans falling due) by `manage.py monitoring_refresh`, and can be rebuilt from the raw
records with `manage.py monitoring_rebuild --check`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Health(models.TextChoices):
    HEALTHY = "sehat", _("Sehat")
    ATTENTION = "perhatian", _("Perlu perhatian")
    CRITICAL = "kritis", _("Kritis")
    DISSOLVED = "bubar", _("Bubar")


class Klass(models.TextChoices):
    NONE = "belum", _("Belum Tumbuh")
    TUMBUH = "tumbuh", _("Tumbuh")
    BERKEMBANG = "berkembang", _("Berkembang")
    MAJU = "maju", _("Maju/Mandiri")


class RegionCodes(models.Model):
    prov = models.CharField(max_length=2)
    kab = models.CharField(max_length=5)
    kec = models.CharField(max_length=8)
    desa = models.CharField(max_length=13)

    class Meta:
        abstract = True


# Flows of one month, summed by dashboards over regions and months.
MONTH_FIELDS = [
    "revenue", "expense", "grant_in", "onward_out", "iks_in", "iks_out", "savings_in", "savings_out",
    "loans_out", "loans_in", "capital_delta", "entries", "visits", "visit_present", "visit_active", "audits",
    "meetings", "meeting_present", "meeting_recorded",
]


class MonthFlows(models.Model):
    revenue = models.BigIntegerField(default=0)
    expense = models.BigIntegerField(default=0)
    grant_in = models.BigIntegerField(default=0)
    onward_out = models.BigIntegerField(default=0)
    iks_in = models.BigIntegerField(default=0)
    iks_out = models.BigIntegerField(default=0)
    savings_in = models.BigIntegerField(default=0)
    savings_out = models.BigIntegerField(default=0)
    loans_out = models.BigIntegerField(default=0)
    loans_in = models.BigIntegerField(default=0)
    capital_delta = models.BigIntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    visit_present = models.PositiveIntegerField(default=0)
    visit_active = models.PositiveIntegerField(default=0)
    audits = models.PositiveIntegerField(default=0)
    meetings = models.PositiveIntegerField(default=0)
    meeting_present = models.PositiveIntegerField(default=0)
    meeting_recorded = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class GroupMonth(RegionCodes, MonthFlows):
    kube = models.ForeignKey("registry.Kube", on_delete=models.CASCADE, related_name="months")
    period = models.PositiveIntegerField(help_text="YYYYMM")
    # The month's LPJ is approved at the top of its chain (approval.Lpj.approved_at): the dashboards'
    # "hanya yang disetujui" sums only these rows. The approval services announce every change of it
    # through the outbox, so the drain keeps it like the flows.
    approved = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kube", "period"], name="group_month_once")]
        indexes = [models.Index(fields=["prov", "period"], name="gm_prov_period"),
                   models.Index(fields=["kab", "period"], name="gm_kab_period"),
                   models.Index(fields=["kec", "period"], name="gm_kec_period"),
                   models.Index(fields=["desa", "period"], name="gm_desa_period"),
                   models.Index(fields=["period"], name="gm_period")]

    def __str__(self) -> str:
        return f"{self.kube_id} {self.period}"


TARGET_FIELDS = ["tg_fakir_miskin", "tg_terasing", "tg_disabilitas", "tg_lansia", "tg_anak_terlantar",
                 "tg_wanita_rawan", "tg_keluarga_muda", "tg_pemuda", "tg_kumuh"]
# Active members against DTSEN (registry's Member.dtsen_status/dtsen_desil, the latest record):
# by status, the found ones by desil, and those outside their programme's target desil.
DESIL_FIELDS = [f"desil_{n}" for n in range(1, 11)]
DTSEN_FIELDS = ["dtsen_found", "dtsen_not_found", "dtsen_unchecked", *DESIL_FIELDS, "outside_target"]


class GroupState(RegionCodes):
    kube = models.OneToOneField("registry.Kube", primary_key=True, on_delete=models.CASCADE, related_name="state")
    status = models.CharField(max_length=8)
    stage = models.CharField(max_length=14)
    has_mentor = models.BooleanField(default=False)
    klass = models.CharField(max_length=10, choices=Klass.choices, default=Klass.NONE)
    health = models.CharField(max_length=10, choices=Health.choices, default=Health.HEALTHY)
    health_score = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)  # [[code, {params}], …], worded when shown
    # members
    members = models.PositiveSmallIntegerField(default=0)
    members_f = models.PositiveSmallIntegerField(default=0)
    welfare_fakir_miskin = models.PositiveSmallIntegerField(default=0)
    welfare_miskin = models.PositiveSmallIntegerField(default=0)
    welfare_hampir_miskin = models.PositiveSmallIntegerField(default=0)
    tg_fakir_miskin = models.PositiveSmallIntegerField(default=0)
    tg_terasing = models.PositiveSmallIntegerField(default=0)
    tg_disabilitas = models.PositiveSmallIntegerField(default=0)
    tg_lansia = models.PositiveSmallIntegerField(default=0)
    tg_anak_terlantar = models.PositiveSmallIntegerField(default=0)
    tg_wanita_rawan = models.PositiveSmallIntegerField(default=0)
    tg_keluarga_muda = models.PositiveSmallIntegerField(default=0)
    tg_pemuda = models.PositiveSmallIntegerField(default=0)
    tg_kumuh = models.PositiveSmallIntegerField(default=0)
    members_without_task = models.PositiveSmallIntegerField(default=0)
    dtsen_found = models.PositiveSmallIntegerField(default=0)
    dtsen_not_found = models.PositiveSmallIntegerField(default=0)
    dtsen_unchecked = models.PositiveSmallIntegerField(default=0)
    desil_1 = models.PositiveSmallIntegerField(default=0)
    desil_2 = models.PositiveSmallIntegerField(default=0)
    desil_3 = models.PositiveSmallIntegerField(default=0)
    desil_4 = models.PositiveSmallIntegerField(default=0)
    desil_5 = models.PositiveSmallIntegerField(default=0)
    desil_6 = models.PositiveSmallIntegerField(default=0)
    desil_7 = models.PositiveSmallIntegerField(default=0)
    desil_8 = models.PositiveSmallIntegerField(default=0)
    desil_9 = models.PositiveSmallIntegerField(default=0)
    desil_10 = models.PositiveSmallIntegerField(default=0)
    outside_target = models.PositiveSmallIntegerField(default=0)  # registry.rules.dtsen_flag is not None
    officers_since = models.DateField(null=True, blank=True)
    # activity
    last_meeting_on = models.DateField(null=True, blank=True)
    last_visit_on = models.DateField(null=True, blank=True)
    last_entry_on = models.DateField(null=True, blank=True)
    last_audit_on = models.DateField(null=True, blank=True)
    last_closed_period = models.PositiveIntegerField(null=True, blank=True)
    attendance_recent = models.PositiveSmallIntegerField(null=True, blank=True)  # % over the last 3 meetings
    attendance_before = models.PositiveSmallIntegerField(null=True, blank=True)  # % over the 3 before
    recorders = models.PositiveSmallIntegerField(default=0)  # people who wrote entries/activities, 6 months
    records = models.PositiveIntegerField(default=0)
    top_recorder_share = models.PositiveSmallIntegerField(default=0)  # %
    # money now
    grant_total = models.BigIntegerField(default=0)
    capital = models.BigIntegerField(default=0)
    savings = models.BigIntegerField(default=0)
    savings_3m_ago = models.BigIntegerField(default=0)
    iks_collected = models.BigIntegerField(default=0)
    iks_used = models.BigIntegerField(default=0)
    loans_outstanding = models.BigIntegerField(default=0)
    par30_amount = models.BigIntegerField(default=0)
    onward_total = models.BigIntegerField(default=0)
    profit_6m = models.BigIntegerField(default=0)
    profit_prev_6m = models.BigIntegerField(default=0)
    # PEKA (latest session and the one before)
    peka_on = models.DateField(null=True, blank=True)
    peka_mean = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    peka_prev_mean = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    peka_d1 = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    peka_d2 = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    peka_d3 = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    peka_d4 = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    peka_d5 = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    peka_d6 = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    peka_d7 = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    evidence = models.JSONField(default=dict, blank=True)  # classification criteria met: {code: true/false}
    refreshed_on = models.DateField(null=True, blank=True)

    class Meta:
        # Region and score: a region's groups, the most in need of attention read first from the index.
        indexes = [models.Index(fields=["prov", "health_score", "kube"], name="gs_prov_score"),
                   models.Index(fields=["kab", "health_score", "kube"], name="gs_kab_score"),
                   models.Index(fields=["kec"], name="gs_kec"), models.Index(fields=["desa"], name="gs_desa"),
                   models.Index(fields=["health_score", "kube"], name="gs_score")]

    def __str__(self) -> str:
        return f"{self.kube_id} {self.health}"


class ClassCheck(models.Model):
    """A classification criterion the records cannot show, ticked by the mentor with evidence. The
    latest row per group and criterion counts."""

    kube = models.ForeignKey("registry.Kube", on_delete=models.PROTECT, related_name="class_checks")
    code = models.CharField(_("kriteria"), max_length=30)
    met = models.BooleanField(_("terpenuhi"))
    evidence = models.CharField(_("bukti"), max_length=300)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kube_id", "code", "-checked_at", "-id"]
        indexes = [models.Index(fields=["kube", "code"], name="classcheck_kube_code")]

    def __str__(self) -> str:
        return f"{self.kube_id} {self.code} {self.met}"


# --- the kabupaten tier ------------------------------------------------------------------------------
# The same figures summed over a kabupaten's groups, so that the national and provincial dashboards
# read ~500 rows instead of 100,000. Rewritten from the group rows (never by increments) for the
# kabupaten of every group a drain took, in the drain's transaction, under a lock on the kabupaten's
# Region row so that two drains in one kabupaten take turns (writers never take that lock).


class KabupatenMonth(MonthFlows):
    prov = models.CharField(max_length=2)
    kab = models.CharField(max_length=5)
    period = models.PositiveIntegerField(help_text="YYYYMM")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kab", "period"], name="kabupaten_month_once")]
        indexes = [models.Index(fields=["prov", "period"], name="km_prov_period"),
                   models.Index(fields=["period"], name="km_period")]

    def __str__(self) -> str:
        return f"{self.kab} {self.period}"


class KabupatenApprovedMonth(MonthFlows):
    """KabupatenMonth over the approved group-months only (GroupMonth.approved), written beside it by
    the same drain, so that "hanya yang disetujui" costs the national dashboard what "semua" costs:
    ~500 rows a month instead of a join of 100,000 group-months with the approvals (bench/RESULTS.md)."""

    prov = models.CharField(max_length=2)
    kab = models.CharField(max_length=5)
    period = models.PositiveIntegerField(help_text="YYYYMM")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kab", "period"], name="kabupaten_approved_month_once")]
        indexes = [models.Index(fields=["prov", "period"], name="kam_prov_period"),
                   models.Index(fields=["period"], name="kam_period")]

    def __str__(self) -> str:
        return f"{self.kab} {self.period} (disetujui)"


class KabupatenState(models.Model):
    kab = models.CharField(max_length=5, primary_key=True)
    prov = models.CharField(max_length=2, db_index=True)
    figures = models.JSONField(default=dict)  # {figure: int}, as monitoring.figures.state_figures sums them
    refreshed_at = models.DateTimeField(null=True, blank=True)  # the drain (or refresh) that wrote the row: "as of"

    def __str__(self) -> str:
        return self.kab
