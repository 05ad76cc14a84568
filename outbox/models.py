"""The summary outbox: "this group, this month changed", written by the services in the writer's
transaction and nothing more (outbox/services.py).

A drainer registered by a higher app (monitoring registers its summary refresh at start-up) takes
the rows after commit, recomputes what they name and deletes them. A row is a promise that is kept
even when the process dies between commit and drain: `manage.py monitoring_refresh --pending`
(cron, and at start-up) drains whatever is left.

The group is a plain id, not a foreign key: the outbox sits below the registry in the layers, and
a row must never stop a write or hold a lock on the group.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingChange(models.Model):
    kube_id = models.BigIntegerField(_("KUBE"))
    month = models.PositiveIntegerField(_("bulan"), null=True, blank=True,
                                        help_text="YYYYMM; kosong: keadaan KUBE saja")
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("perubahan menunggu")
        indexes = [models.Index(fields=["kube_id"], name="pending_kube")]

    def __str__(self) -> str:
        return f"{self.kube_id} {self.month or '-'}"
