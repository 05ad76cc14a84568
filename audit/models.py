"""The audit trail: who did what to which record, when, and what changed.

Services write one `AuditEntry` in the same transaction as the change itself
(audit/services.py), so a change without its trace cannot be committed. Personal
data (NIK, No. KK, phone) is masked before it is stored here. Entries are never
changed or deleted by the application.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Membuat")
    UPDATE = "update", _("Mengubah")
    DELETE = "delete", _("Menghapus")
    REVERSE = "reverse", _("Membalik")
    EXPORT = "export", _("Mengekspor")
    IMPORT = "import", _("Mengimpor")
    LOGIN = "login", _("Masuk")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), null=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=8, choices=Action.choices)
    object_type = models.CharField(_("jenis data"), max_length=60)
    object_id = models.CharField(_("id data"), max_length=40, blank=True)
    object_repr = models.CharField(_("data"), max_length=200, blank=True)
    kube_id = models.BigIntegerField(_("KUBE"), null=True, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["kube_id", "at"], name="audit_kube_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"
