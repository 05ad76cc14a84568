"""Writes of monitoring: the mentor's tick on a classification criterion the records cannot show."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record
from monitoring.classification import CRITERIA
from monitoring.errors import MonitoringError
from monitoring.models import ClassCheck
from outbox import services as outbox
from registry.models import Kube


@transaction.atomic
def class_check_set(*, actor: Any, kube: Kube, code: str, met: bool, evidence: str) -> ClassCheck:
    criterion = next((c for c in CRITERIA if c.code == code), None)
    if criterion is None or criterion.from_records:
        raise MonitoringError(_("Kriteria itu dibaca dari catatan KUBE dan tidak dapat dicentang."), field="code")
    evidence = " ".join((evidence or "").split())
    if met and not evidence:
        raise MonitoringError(_("Bukti wajib diisi."), field="evidence")
    if len(evidence) > 300:
        raise MonitoringError(_("Bukti paling panjang 300 karakter."), field="evidence")
    check = ClassCheck.objects.create(kube=kube, code=code, met=met, evidence=evidence,
                                      checked_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action=Action.UPDATE, obj=check, kube_id=kube.pk,
                 changes={"criterion": [None, code], "met": [None, met]})
    outbox.record(kube.pk)
    return check
