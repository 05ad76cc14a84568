"""The sender: takes waiting messages, hands them to the gateway, records what happened.

Never twice: a message is claimed (status "sending", the time, one more attempt) in a short
transaction of its own before the gateway is called — on PostgreSQL the rows are read
`FOR UPDATE SKIP LOCKED`, so two workers take different rows; on SQLite the claim's BEGIN
IMMEDIATE lets one worker claim at a time, and the claim's UPDATE only takes rows still pending.
The outcome is recorded in a second transaction, guarded on the row still being "sending".

A worker that dies between the gateway's answer and the record leaves the row "sending". After
`MESSAGING_LEASE_SECONDS` the next worker finds it (`recover_stale`) and does not guess: a gateway
that deduplicates on the client reference (the file backend) gets it again under the same
reference and drops the copy; the SMS and WhatsApp gateways have no such reference, so the row is
marked "tidak pasti" (uncertain) and is not resent; a delivery report that arrives for it later
still marks it delivered. Officers see uncertain messages counted on the group's page.

Retries: a refusal the gateway calls temporary (network, 5xx, 429) is tried again after
`MESSAGING_BACKOFF_SECONDS` × 2^(attempt − 1) (capped at six hours), up to `MESSAGING_MAX_ATTEMPTS`
attempts, then the message is failed; a permanent refusal (a bad number) fails it at once.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from messaging.backends import Backend, Outcome, Outgoing
from messaging.models import Consent, Message, Status
from messaging.texts import WHATSAPP_TEMPLATES

log = logging.getLogger("sikube.messaging")
MAX_BACKOFF = timedelta(hours=6)
FLUSH_EVERY = 20  # answers recorded per transaction; a crash leaves at most these many "sending"


@dataclass
class Counts:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    uncertain: int = 0
    requeued: int = 0
    ids: list[int] = field(default_factory=list)

    @property
    def taken(self) -> int:
        return self.sent + self.retried + self.failed + self.cancelled


def backoff(attempts: int) -> timedelta:
    """The wait before attempt `attempts + 1`: base × 2^(attempts − 1), at most six hours."""
    delay = timedelta(seconds=settings.MESSAGING_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


def recover_stale(backend: Backend, *, now: datetime) -> tuple[int, int]:
    """Rows left "sending" past the lease by a worker that died: (requeued, marked uncertain)."""
    cutoff = now - timedelta(seconds=settings.MESSAGING_LEASE_SECONDS)
    stale = Message.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    with transaction.atomic():
        if backend.deduplicates:
            return stale.update(status=Status.PENDING, next_attempt_at=now), 0
        return 0, stale.update(status=Status.UNCERTAIN, last_error=_(
            "Pengirim berhenti saat mengirim; gateway tidak dapat memastikan pesan ini sampai. Tidak dikirim ulang."))


def claim(backend: Backend, *, limit: int, now: datetime) -> list[int]:
    """Take up to `limit` due messages for this worker: marked "sending" before any call."""
    with transaction.atomic():
        due = Message.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        if not ids:
            return []
        Message.objects.filter(pk__in=ids, status=Status.PENDING).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, backend=backend.name)
        return list(Message.objects.filter(pk__in=ids, status=Status.SENDING, claimed_at=now)
                    .values_list("id", flat=True))


def _record(message: Message, outcome: Outcome, *, now: datetime) -> str:
    """Write the gateway's answer, only onto a row this worker still holds as "sending"."""
    held = Message.objects.filter(pk=message.pk, status=Status.SENDING)
    if outcome.ok:
        status = Status.DELIVERED if outcome.delivered else Status.SENT
        held.update(status=status, sent_at=now, delivered_at=now if outcome.delivered else None,
                    provider_id=outcome.provider_id[:120], last_error="")
        return "sent"
    error = (outcome.error or _("Gateway menolak pesan."))[:250]
    if outcome.permanent or message.attempts >= settings.MESSAGING_MAX_ATTEMPTS:
        held.update(status=Status.FAILED, last_error=error)
        return "failed"
    held.update(status=Status.PENDING, last_error=error, next_attempt_at=now + backoff(message.attempts))
    return "retried"


def _cancel(message: Message, reason: str) -> str:
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(status=Status.CANCELLED, last_error=reason)
    return "cancelled"


def _outgoing(message: Message) -> Outgoing:
    return Outgoing(phone=message.member.phone, text=message.text, params=list(message.params),
                    template=WHATSAPP_TEMPLATES[message.event], client_ref=str(message.client_ref))


def _flush(done: list[tuple[Message, Outcome]], counts: Counts, *, now: datetime) -> None:
    """Record a few answers in one transaction (one commit, not one per message)."""
    if not done:
        return
    with transaction.atomic():
        for message, outcome in done:
            result = _record(message, outcome, now=now)
            setattr(counts, result, getattr(counts, result) + 1)
    done.clear()


def send_claimed(backend: Backend, ids: list[int], *, now: datetime) -> Counts:
    """Send messages this worker has claimed: consent and the phone read again first, then the
    gateway called from `MESSAGING_CONCURRENCY` threads (a gateway answers in tenths of a second),
    each answer recorded as it comes, at most `FLUSH_EVERY` at a time."""
    counts = Counts(ids=list(ids))
    messages = list(Message.objects.filter(pk__in=ids).select_related("member").order_by("id"))
    consenting = set(Consent.objects.filter(member_id__in={m.member_id for m in messages}, withdrawn_at__isnull=True)
                     .values_list("member_id", flat=True))
    sendable = []
    for message in messages:
        if message.member_id not in consenting:
            counts.cancelled += 1
            _cancel(message, _("Persetujuan dicabut sebelum pesan terkirim."))
        elif not message.member.phone:
            counts.cancelled += 1
            _cancel(message, _("Nomor HP anggota kosong."))
        else:
            sendable.append(message)
    if not sendable:
        return counts
    done: list[tuple[Message, Outcome]] = []
    with ThreadPoolExecutor(max_workers=max(1, min(settings.MESSAGING_CONCURRENCY, len(sendable)))) as pool:
        futures = {pool.submit(backend.send, _outgoing(m)): m for m in sendable}
        for future in as_completed(futures):
            done.append((futures[future], future.result()))
            if len(done) >= FLUSH_EVERY:
                _flush(done, counts, now=now)
        _flush(done, counts, now=now)
    return counts


def send_one(backend: Backend, message_id: int, *, now: datetime) -> str:
    """Send one claimed message; what became of it."""
    counts = send_claimed(backend, [message_id], now=now)
    return next(name for name in ("sent", "retried", "failed", "cancelled") if getattr(counts, name))


def run_once(backend: Backend, *, limit: int = 200, now: datetime | None = None) -> Counts:
    """One pass: recover what a dead worker left, then send what is due, up to `limit`."""
    now = now or timezone.now()
    requeued, uncertain = recover_stale(backend, now=now)
    counts = send_claimed(backend, claim(backend, limit=limit, now=now), now=now)
    counts.requeued, counts.uncertain = requeued, uncertain
    return counts


def run_all(backend: Backend, *, batch: int = 200) -> Counts:
    """Send everything due now (the cron run); stops when a pass takes nothing."""
    total = Counts()
    while True:
        counts = run_once(backend, limit=batch)
        for name in ("sent", "retried", "failed", "cancelled", "uncertain", "requeued"):
            setattr(total, name, getattr(total, name) + getattr(counts, name))
        if counts.taken == 0:
            return total


def follow(backend: Backend, *, poll: float) -> None:  # pragma: no cover - runs until stopped
    """Keep sending: a pass, then a pause of `poll` seconds when nothing was due."""
    while True:
        counts = run_once(backend)
        if counts.taken:
            log.info("pesan: %s terkirim, %s dicoba lagi nanti, %s gagal", counts.sent, counts.retried, counts.failed)
        else:
            time.sleep(poll)
