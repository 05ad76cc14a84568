"""Writes of the messaging app: consent recorded and withdrawn, messages queued, delivery and
replies reported by the gateways.

The books and share-out services call `consenting` and `message_queue` inside their own
transaction (books/services/notify.py), so a message exists exactly when its event does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record
from lib.errors import SikubeError
from messaging.models import Consent, ConsentMethod, Event, Message, Status, WithdrawnHow
from messaging.texts import Figures, render
from registry.models import Kube, Member

STOP_WORDS = frozenset({"BERHENTI", "STOP", "UNREG"})


class MessagingError(SikubeError):
    """A refused consent change, with the Indonesian sentence that says what to fix."""


def _by(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def consent_in_force(member: Member) -> Consent | None:
    return Consent.objects.filter(member=member, withdrawn_at__isnull=True).first()


@transaction.atomic
def consent_record(*, actor: Any, member: Member, given_on: date, method: str) -> Consent:
    """The member agreed to receive messages about their money (date, how, and who recorded it)."""
    if method not in ConsentMethod.values:
        raise MessagingError(_("Pilih cara persetujuan."), field="method")
    if not member.is_active:
        raise MessagingError(_("%(m)s sudah keluar dari KUBE.") % {"m": member.name}, field="member")
    if not member.phone:
        raise MessagingError(_("Nomor HP %(m)s belum dicatat; isi dulu di data anggota.") % {"m": member.name},
                             field="member", code="no_phone")
    if given_on > timezone.localdate():
        raise MessagingError(_("Tanggal persetujuan tidak boleh di masa depan."), field="given_on")
    if given_on < member.joined_on:
        raise MessagingError(_("Tanggal persetujuan tidak boleh sebelum anggota masuk KUBE."), field="given_on")
    try:
        with transaction.atomic():
            consent = Consent.objects.create(member=member, given_on=given_on, method=method, recorded_by=_by(actor))
    except IntegrityError:
        raise MessagingError(_("%(m)s sudah setuju menerima pesan.") % {"m": member.name},
                             field="member", code="already_consented") from None
    audit_record(actor=actor, action=Action.CREATE, obj=consent, kube_id=member.kube_id,
                 object_repr=_("Persetujuan pesan %(m)s") % {"m": member.name},
                 changes={"given_on": [None, given_on.isoformat()], "method": [None, method]})
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, member: Member, how: str = WithdrawnHow.OFFICER) -> Consent:
    """Stop messages to the member; what is still waiting is cancelled, not sent."""
    consent = Consent.objects.select_for_update().filter(member=member, withdrawn_at__isnull=True).first()
    if consent is None:
        raise MessagingError(_("%(m)s belum setuju menerima pesan.") % {"m": member.name},
                             field="member", code="no_consent")
    consent.withdrawn_at, consent.withdrawn_how, consent.withdrawn_by = timezone.now(), how, _by(actor)
    consent.save(update_fields=["withdrawn_at", "withdrawn_how", "withdrawn_by"])
    Message.objects.filter(member=member, status=Status.PENDING).update(
        status=Status.CANCELLED, last_error=_("Persetujuan dicabut."))
    audit_record(actor=actor, action=Action.UPDATE, obj=consent, kube_id=member.kube_id,
                 object_repr=_("Persetujuan pesan %(m)s") % {"m": member.name},
                 changes={"withdrawn_how": [None, how]})
    return consent


def consenting(member_ids: Iterable[int]) -> set[int]:
    """Which of these members have a consent in force (one query; none asked, none read)."""
    ids = sorted(set(member_ids))
    if not ids:
        return set()
    return set(Consent.objects.filter(member_id__in=ids, withdrawn_at__isnull=True)
               .values_list("member_id", flat=True))


def message_queue(*, kube: Kube, member: Member, event: str, ref: str, figures: Figures,
                  consent_checked: bool = False) -> Message | None:
    """Queue one message in the caller's transaction; nothing without consent or a phone, and
    nothing twice for the same event and member (`ref`). `consent_checked`: the caller asked
    `consenting` for this member in the same transaction already."""
    if event not in Event.values:
        raise ValueError(event)
    if not member.phone or not (consent_checked or member.pk in consenting([member.pk])):
        return None
    text, params = render(event, kube.name, figures)
    message, _created = Message.objects.get_or_create(
        event_ref=f"{ref}:m{member.pk}"[:80],
        defaults={"kube": kube, "member": member, "event": event, "text": text, "params": params})
    return message


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


@transaction.atomic
def inbound_reply(*, phone: str, text: str) -> int:
    """A member replied through the gateway: BERHENTI (or STOP) withdraws the consent of every
    member with that number. Anything else is ignored. Returns how many consents were withdrawn."""
    words = " ".join((text or "").upper().split())
    if words not in STOP_WORDS:
        return 0
    digits = _digits(phone)
    if len(digits) < 8:
        return 0
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    members = Member.objects.filter(phone="+" + digits)
    withdrawn = 0
    for member in members:
        if consent_in_force(member) is not None:
            consent_withdraw(actor=None, member=member, how=WithdrawnHow.REPLY)
            withdrawn += 1
    return withdrawn


def delivery_report(*, provider_id: str, delivered: bool, error: str = "") -> int:
    """The gateway says a message it accepted reached the phone (or could not)."""
    if not provider_id:
        return 0
    rows = Message.objects.filter(provider_id=provider_id).filter(
        Q(status=Status.SENT) | Q(status=Status.UNCERTAIN) | Q(status=Status.SENDING))
    if delivered:
        return rows.update(status=Status.DELIVERED, delivered_at=timezone.now())
    return rows.update(status=Status.FAILED, last_error=(error or _("Gagal sampai ke nomor tujuan."))[:250])
