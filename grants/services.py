"""Recording grants, their plan (RAB), their realisation and onward transfers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, snapshot
from books.models import AccountRole, InventoryItem, ItemSource, Transaction, TxnKind
from books.selectors import reversed_ids
from books.services.ledger import Leg, check_amount, transaction_post
from grants.errors import GrantsError
from grants.models import Grant, GrantSource, OnwardRecipient, OnwardTransfer, PlanLine, RecipientKind, Spend
from lib.nik import nik_digits
from registry.models import Kube

GRANT_FIELDS = ["name", "source", "decree_number", "amount", "received_on", "bank_name", "account_number",
                "account_name"]


def _text(value: str, field: str, label: str, max_length: int) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise GrantsError(_("%(l)s wajib diisi.") % {"l": label}, field=field)
    return value[:max_length]


@transaction.atomic
def grant_record(*, actor: Any, kube: Kube, name: str, source: str, decree_number: str, amount: Any,
                 received_on: date, bank_name: str, account_number: str, account_name: str) -> Grant:
    """The office records a stimulant grant transferred to the group's bank account; it enters
    the group's ledger as Dr bank, Cr grant capital."""
    if source not in GrantSource.values:
        raise GrantsError(_("Pilih sumber dana bantuan."), field="source")
    amount = check_amount(amount)
    values = {
        "name": _text(name, "name", _("Nama bantuan"), 150),
        "decree_number": _text(decree_number, "decree_number", _("Nomor SK"), 100),
        "bank_name": _text(bank_name, "bank_name", _("Nama bank"), 60),
        "account_number": _text(account_number, "account_number", _("Nomor rekening"), 40),
        "account_name": _text(account_name, "account_name", _("Nama pemilik rekening"), 150),
    }
    txn = transaction_post(actor=actor, kube=kube, date=received_on, kind=TxnKind.GRANT,
                           description=_("Penerimaan %(n)s (SK %(sk)s)") % {"n": values["name"],
                                                                             "sk": values["decree_number"]},
                           legs=[Leg(AccountRole.BANK, debit=amount), Leg(AccountRole.GRANT_CAPITAL, credit=amount)])
    recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    grant = Grant.objects.create(kube=kube, source=source, amount=amount, received_on=received_on,
                                 transaction=txn, recorded_by=recorded_by, **values)
    audit_record(actor=actor, action=Action.CREATE, obj=grant, kube_id=kube.pk,
                 changes={k: [None, v] for k, v in snapshot(grant, GRANT_FIELDS).items()})
    return grant


@transaction.atomic
def plan_set(*, actor: Any, grant: Grant, lines: Sequence[tuple[str, int, str, Any, bool]]) -> list[PlanLine]:
    """Replace the plan lines that have no spending yet. Each line: item, quantity, unit, unit cost, is asset."""
    cleaned = []
    for i, (item, quantity, unit, unit_cost, is_asset) in enumerate(lines, start=1):
        item = " ".join((item or "").split())
        if not item:
            raise GrantsError(_("Baris RAB ke-%(n)s: tulis uraiannya.") % {"n": i}, field="lines")
        if not isinstance(quantity, int) or quantity < 1:
            raise GrantsError(_("Baris RAB ke-%(n)s: volume paling sedikit 1.") % {"n": i}, field="lines")
        cost = check_amount(unit_cost, field="lines")
        cleaned.append((item[:200], quantity, (unit or "paket")[:20], cost, bool(is_asset)))
    total = sum(q * c for _i, q, _u, c, _a in cleaned)
    if total > grant.amount:
        raise GrantsError(_("Jumlah RAB (Rp%(t)s) melebihi bantuan (Rp%(g)s).")
                          % {"t": f"{total:,}".replace(",", "."), "g": f"{grant.amount:,}".replace(",", ".")},
                          field="lines")
    kept = list(grant.plan_lines.filter(spends__isnull=False).distinct())
    grant.plan_lines.filter(spends__isnull=True).delete()
    created = [PlanLine.objects.create(grant=grant, item=i, quantity=q, unit=u, unit_cost=c, is_asset=a)
               for i, q, u, c, a in cleaned]
    audit_record(actor=actor, action=Action.UPDATE, obj=grant, kube_id=grant.kube_id,
                 changes={"plan": [None, [[i, q, u, c] for i, q, u, c, _a in cleaned]]})
    return kept + created


def plan_spent(line: PlanLine) -> int:
    undone = reversed_ids(line.grant.kube)
    return sum(t.amount for t in Transaction.objects.filter(grant_spend__plan_line=line) if t.pk not in undone)


@transaction.atomic
def grant_spend(*, actor: Any, plan_line: PlanLine, amount: Any, description: str, date: date | None = None,
                receipt_no: str | None = None, location: str = "") -> Spend:
    """Spend the grant on one line of its plan, from the bank account. Asset lines also enter the
    inventory as grant-funded."""
    grant = plan_line.grant
    amount = check_amount(amount)
    role = AccountRole.EQUIPMENT if plan_line.is_asset else AccountRole.PURCHASES
    txn = transaction_post(actor=actor, kube=grant.kube, date=date or timezone.localdate(),
                           kind=TxnKind.GRANT_SPEND, receipt_no=receipt_no,
                           description=description or _("Realisasi bantuan: %(i)s") % {"i": plan_line.item},
                           legs=[Leg(role, debit=amount), Leg(AccountRole.BANK, credit=amount)])
    spend = Spend.objects.create(plan_line=plan_line, transaction=txn)
    if plan_line.is_asset:
        count = InventoryItem.objects.filter(kube=grant.kube).count() + 1
        InventoryItem.objects.create(
            kube=grant.kube, code=f"INV-{count:03d}", name=plan_line.item, quantity=plan_line.quantity,
            unit=plan_line.unit, acquired_on=txn.date, source=ItemSource.GRANT, value=amount, grant=grant,
            transaction=txn, location=location[:150],
            created_by=actor if getattr(actor, "is_authenticated", False) else None)
    return spend


@transaction.atomic
def onward_transfer(*, actor: Any, grant: Grant, recipient_kind: str, recipients: Sequence[tuple[str, str, Any]],
                    date: date | None = None, recipient_kube: Kube | None = None, note: str = "",
                    via: str = AccountRole.BANK, receipt_no: str | None = None) -> OnwardTransfer:
    """Pass part of the grant on (menggulirkan) to families in need or to a new group."""
    if recipient_kind not in RecipientKind.values:
        raise GrantsError(_("Pilih jenis penerima."), field="recipient_kind")
    if recipient_kind == RecipientKind.NEW_KUBE and recipient_kube is None:
        raise GrantsError(_("Pilih KUBE penerima."), field="recipient_kube")
    if recipient_kube is not None and recipient_kube.pk == grant.kube_id:
        raise GrantsError(_("KUBE tidak dapat menggulirkan bantuan kepada dirinya sendiri."), field="recipient_kube")
    if not recipients:
        raise GrantsError(_("Tulis paling sedikit satu penerima dan jumlahnya."), field="recipients")
    rows = []
    for i, (name, nik, amount) in enumerate(recipients, start=1):
        name = " ".join((name or "").split())
        if not name:
            raise GrantsError(_("Penerima ke-%(n)s: tulis namanya.") % {"n": i}, field="recipients")
        nik = nik_digits(nik)
        if nik and (len(nik) != 16 or not nik.isdigit()):
            raise GrantsError(_("Penerima ke-%(n)s: NIK harus 16 digit angka atau dikosongkan.") % {"n": i},
                              field="recipients")
        rows.append((name[:150], nik, check_amount(amount, field="recipients")))
    total = sum(a for _n, _k, a in rows)
    txn = transaction_post(actor=actor, kube=grant.kube, date=date or timezone.localdate(), kind=TxnKind.ONWARD,
                           receipt_no=receipt_no,
                           description=_("Perguliran %(g)s kepada %(n)s penerima") % {"g": grant.name, "n": len(rows)},
                           legs=[Leg(AccountRole.ONWARD, debit=total), Leg(via, credit=total)])
    transfer = OnwardTransfer.objects.create(grant=grant, recipient_kind=recipient_kind,
                                             recipient_kube=recipient_kube, note=note[:250], transaction=txn)
    OnwardRecipient.objects.bulk_create([OnwardRecipient(transfer=transfer, name=n, nik=k, amount=a)
                                         for n, k, a in rows])
    audit_record(actor=actor, action=Action.CREATE, obj=transfer, kube_id=grant.kube_id,
                 changes={"total": [None, total], "recipients": [None, len(rows)]})
    return transfer


def passed_on(grant: Grant) -> int:
    undone = reversed_ids(grant.kube)
    return sum(t.amount for t in Transaction.objects.filter(onward__grant=grant) if t.pk not in undone)
