"""Messages to members (SMS or WhatsApp) and the consent they rest on.

Design:

- A `Message` row is written by the service of the event that causes it (a savings deposit, a
  loan repayment, a month closed, a share-out posted), in that event's transaction: if the event
  rolls back, so does its message; if it commits, the message waits in this table (the outbox)
  until the worker (`manage.py messages_send`) takes it. `event_ref` names the event and the
  member, unique, so an event can never queue two messages for one person.
- The text is rendered when the row is written (it is short, Indonesian, gettext) and carries only
  the group's name, the amount, the date and a balance: never a NIK, a KK number or anyone else's
  figures. The phone number is not copied: the worker reads the member's current number, so a
  number an officer corrected is used by the next attempt.
- Nothing is queued, and nothing sent, without a `Consent` in force for the member. A consent is
  withdrawn (by an officer, or by the member replying BERHENTI), never deleted: who agreed, when
  and how stays on record.
- Sending is claim-then-call: the worker marks a row "sending" (with the time and an attempt
  counted) in a short transaction before it calls the gateway with the row's `client_ref`. A row
  found still "sending" after the lease (the worker died between the call and the record) is not
  sent blindly again: see `messaging.worker.recover_stale`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Kube, Member


class ConsentMethod(models.TextChoices):
    FORM = "form", _("formulir tertulis")
    MEETING = "meeting", _("lisan dalam rapat anggota")
    VISIT = "visit", _("lisan saat kunjungan pendamping")


class WithdrawnHow(models.TextChoices):
    OFFICER = "officer", _("dicabut oleh petugas")
    REPLY = "reply", _("anggota membalas BERHENTI")


class Consent(models.Model):
    member = models.ForeignKey(Member, verbose_name=_("anggota"), on_delete=models.PROTECT,
                               related_name="message_consents")
    given_on = models.DateField(_("tanggal persetujuan"))
    method = models.CharField(_("cara persetujuan"), max_length=10, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    withdrawn_how = models.CharField(_("cara pencabutan"), max_length=10, choices=WithdrawnHow.choices, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dicabut oleh"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("persetujuan menerima pesan")
        verbose_name_plural = _("persetujuan menerima pesan")
        constraints = [
            # At most one consent in force per member: recording again while one stands is refused.
            models.UniqueConstraint(fields=["member"], condition=Q(withdrawn_at__isnull=True),
                                    name="consent_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.given_on}"


class Event(models.TextChoices):
    DEPOSIT = "deposit", _("setoran simpanan")
    WITHDRAWAL = "withdrawal", _("penarikan simpanan")
    MEETING = "meeting", _("simpanan rapat")
    REPAYMENT = "repayment", _("angsuran pinjaman")
    MONTH_CLOSE = "month_close", _("tutup buku bulanan")
    SHARE_OUT = "share_out", _("bagi hasil usaha")


class Status(models.TextChoices):
    PENDING = "pending", _("menunggu")
    SENDING = "sending", _("sedang dikirim")
    SENT = "sent", _("terkirim ke gateway")
    DELIVERED = "delivered", _("sampai")
    FAILED = "failed", _("gagal")
    UNCERTAIN = "uncertain", _("tidak pasti")  # the worker died mid-call; the gateway cannot tell
    CANCELLED = "cancelled", _("dibatalkan")   # consent withdrawn or no phone before it went


class Message(models.Model):
    kube = models.ForeignKey(Kube, verbose_name=_("KUBE"), on_delete=models.PROTECT, related_name="messages")
    member = models.ForeignKey(Member, verbose_name=_("anggota"), on_delete=models.PROTECT, related_name="messages")
    event = models.CharField(_("peristiwa"), max_length=12, choices=Event.choices)
    event_ref = models.CharField(_("rujukan peristiwa"), max_length=80, unique=True)
    text = models.CharField(_("isi pesan"), max_length=320)
    params = models.JSONField(_("isian templat"), default=list)  # WhatsApp template parameters, in order
    client_ref = models.UUIDField(_("rujukan klien"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("coba lagi pada"), default=timezone.now)
    claimed_at = models.DateTimeField(_("diambil pengirim"), null=True, blank=True)
    backend = models.CharField(_("gateway"), max_length=12, blank=True)
    provider_id = models.CharField(_("nomor pesan di gateway"), max_length=120, blank=True)
    last_error = models.CharField(_("galat terakhir"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["kube", "status"], name="message_kube_status"),
            models.Index(fields=["member", "-created_at"], name="message_member_recent"),
            models.Index(fields=["provider_id"], name="message_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.event_ref} {self.status}"
