"""Writing the audit trail. Called by every service that changes a domain record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from audit.models import Action, AuditEntry
from lib.personal import PERSONAL_FIELDS, mask_value
from lib.statements import Insert, sql

# One row per change, in every service's transaction: its INSERT built once (lib/statements.py)
# rather than by the ORM's create() each time.
_INSERT = Insert(AuditEntry, ["at", "actor", "actor_username", "action", "object_type", "object_id", "object_repr",
                              "kube_id", "changes"], sql(" RETURNING {a.id}", a=AuditEntry))


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool, dict)):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The record's concrete field values, as plain JSON (foreign keys by id)."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _masked(changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key in PERSONAL_FIELDS:
            if isinstance(value, list):
                out[key] = [mask_value(key, v) for v in value]
            else:
                out[key] = mask_value(key, value)
        elif isinstance(value, dict):
            out[key] = _masked(value)
        else:
            out[key] = value
    return out


def audit_record(*, actor: Any, action: str, obj: models.Model | None = None,
                 object_type: str | None = None, object_id: Any = None,
                 object_repr: str | None = None, kube_id: int | None = None,
                 changes: dict[str, Any] | None = None) -> AuditEntry:
    """Record one change. Must run inside the transaction that makes the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the change's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        at=timezone.now(),
        actor=user,
        actor_username=getattr(user, "username", "") or "",
        action=Action(action),
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:200],
        kube_id=kube_id,
        changes=_masked(changes or {}),
    )
    connection = transaction.get_connection()
    entry.pk = _INSERT.run(connection, [getattr(entry, f.attname) for f in _INSERT.fields])
    entry._state.adding, entry._state.db = False, connection.alias
    return entry
