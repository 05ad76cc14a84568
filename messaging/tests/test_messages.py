"""Members' messages: one per event and member, only with consent, sent once, retried with backoff."""

from __future__ import annotations

import json
import re
import threading
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

import testing
from books.models import TxnKind
from books.services import (
    MeetingSaving,
    cash_entry_record,
    loan_disburse,
    loan_repay,
    meeting_savings_record,
    period_close,
    savings_deposit,
    savings_withdraw,
)
from messaging import worker
from messaging.backends import FileBackend, Outcome
from messaging.models import Event, Message, Status
from messaging.services import consent_withdraw, inbound_reply
from messaging.texts import SMS_LIMIT, Figures, render
from testing.messaging import RecordingBackend, consent_all, give_phones

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)


@pytest.fixture
def cast():
    return testing.build_cast()


def _fund(cast):
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=5_000_000,
                      date=date(2026, 6, 1), description="Modal awal")


def test_a_deposit_queues_exactly_one_message_with_the_balance(cast):
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=10_000, date=DAY)
    messages = list(Message.objects.order_by("id"))
    assert [m.event for m in messages] == [Event.DEPOSIT, Event.DEPOSIT]
    assert messages[1].member_id == members[0].pk
    assert "Rp10.000" in messages[1].text and "Saldo simpanan Rp35.000" in messages[1].text
    assert "KUBE Maju Sejahtera 11" in messages[1].text and "10/06/2026" in messages[1].text


def test_no_message_without_consent_nor_after_it_is_withdrawn(cast):
    members = give_phones(cast.kube_a)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    assert Message.objects.count() == 0
    consent_all(cast.kube_a, cast.kab, members[:1])
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[1], amount=25_000, date=DAY)
    assert Message.objects.count() == 1
    consent_withdraw(actor=cast.kab, member=members[0])
    assert Message.objects.get().status == Status.CANCELLED  # the waiting one is not sent
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    assert Message.objects.count() == 1


def test_the_queue_itself_refuses_a_member_without_consent_or_phone(cast):
    from messaging.services import message_queue

    members = give_phones(cast.kube_a)
    figures = Figures(day=DAY, amount=1_000, balance=1_000)
    assert message_queue(kube=cast.kube_a, member=members[0], event=Event.DEPOSIT, ref="x", figures=figures) is None
    consent_all(cast.kube_a, cast.kab, members[:1])
    members[0].phone = ""
    assert message_queue(kube=cast.kube_a, member=members[0], event=Event.DEPOSIT, ref="x", figures=figures) is None
    assert not Message.objects.exists()


def test_consent_withdrawn_after_queueing_is_checked_again_when_sending(cast):
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    Message.objects.update(status=Status.SENDING)  # claimed already when the consent goes
    consent_withdraw(actor=cast.kab, member=members[0])
    backend = RecordingBackend()
    assert worker.send_one(backend, Message.objects.get().pk, now=timezone.now()) == "cancelled"
    assert backend.sent == []


def test_a_reply_berhenti_withdraws_the_consent(cast):
    members = consent_all(cast.kube_a, cast.kab)
    assert inbound_reply(phone=members[2].phone.lstrip("+"), text="  berhenti ") == 1
    assert inbound_reply(phone=members[3].phone, text="terima kasih") == 0
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[2], amount=5_000, date=DAY)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[3], amount=5_000, date=DAY)
    assert list(Message.objects.values_list("member_id", flat=True)) == [members[3].pk]


def test_the_meeting_sheet_sends_one_message_per_member(cast):
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[1], amount=50_000, date=DAY)
    Message.objects.all().delete()
    meeting_savings_record(actor=cast.ketua, kube=cast.kube_a, date=DAY, lines=[
        MeetingSaving(member=members[0], deposit=20_000),
        MeetingSaving(member=members[1], deposit=10_000, withdrawal=30_000),
        MeetingSaving(member=members[2], deposit=0),
    ])
    messages = {m.member_id: m for m in Message.objects.all()}
    assert set(messages) == {members[0].pk, members[1].pk}
    assert all(m.event == Event.MEETING for m in messages.values())
    assert "setoran Rp10.000, penarikan Rp30.000" in messages[members[1].pk].text
    assert "Saldo simpanan Anda Rp30.000" in messages[members[1].pk].text


def test_repayment_month_close_and_withdrawal_each_tell_the_member(cast):
    _fund(cast)
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=40_000, date=DAY)
    savings_withdraw(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=15_000, date=DAY)
    loan = loan_disburse(actor=cast.ketua, kube=cast.kube_a, member=members[1], amount=600_000, term_months=6,
                         date=date(2026, 6, 2), fee_percent_month=0)
    loan_repay(actor=cast.ketua, loan=loan, amount=100_000, date=DAY)
    period_close(actor=cast.ketua, kube=cast.kube_a, period=202606)
    by_event: dict[str, list[Message]] = {}
    for m in Message.objects.order_by("id"):
        by_event.setdefault(m.event, []).append(m)
    assert "Saldo simpanan Rp25.000" in by_event[Event.WITHDRAWAL][0].text
    assert "Sisa pinjaman Rp500.000" in by_event[Event.REPAYMENT][0].text
    closes = {m.member_id: m.text for m in by_event[Event.MONTH_CLOSE]}
    assert set(closes) == {m.pk for m in members}  # every consenting active member, once
    assert "06/2026" in closes[members[0].pk] and "Saldo simpanan Anda Rp25.000" in closes[members[0].pk]
    # Cash: 5,000,000 + 40,000 − 15,000 − 600,000 + 100,000.
    assert "kas kelompok Rp4.525.000" in closes[members[0].pk]


def test_no_nik_kk_or_other_members_data_in_any_message_and_each_fits_one_sms(cast):
    """Every template with every kind of event, through the services, then scanned."""
    _fund(cast)
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=40_000, date=DAY)
    savings_withdraw(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=15_000, date=DAY)
    meeting_savings_record(actor=cast.ketua, kube=cast.kube_a, date=DAY,
                           lines=[MeetingSaving(member=m, deposit=7_000) for m in members])
    loan = loan_disburse(actor=cast.ketua, kube=cast.kube_a, member=members[1], amount=600_000, term_months=6,
                         date=date(2026, 6, 2), fee_percent_month=0)
    loan_repay(actor=cast.ketua, loan=loan, amount=100_000, date=DAY)
    period_close(actor=cast.ketua, kube=cast.kube_a, period=202606)
    messages = list(Message.objects.select_related("member"))
    assert {m.event for m in messages} >= {Event.DEPOSIT, Event.WITHDRAWAL, Event.MEETING, Event.REPAYMENT,
                                           Event.MONTH_CLOSE}
    secrets = {v for m in members for v in (m.nik, m.kk_number, m.phone, m.phone.lstrip("+"))}
    for message in messages:
        blob = message.text + json.dumps(message.params)
        assert not any(secret in blob for secret in secrets), message.text
        assert not re.search(r"\d{12,}", blob), message.text
        others = [m.name for m in members if m.pk != message.member_id]
        assert not any(name in blob for name in others), message.text
        assert len(message.text) <= SMS_LIMIT
    # Each template directly, with a name as long as a group's may be and the largest amounts.
    for event in Event.values:
        for in_cash in (False, True):
            text, params = render(event, "KUBE " + "Sejahtera Bersama " * 8, Figures(
                day=DAY, amount=999_999_999_999, balance=999_999_999_999, withdrawal=999_999_999_999,
                cash=999_999_999_999, period="12/2026", in_cash=in_cash))
            assert len(text) <= SMS_LIMIT and "Rp999.999.999.999" in text, text
            assert text.isascii(), text  # the GSM alphabet: no typographic characters
            assert params[0] in text


def test_the_worker_sends_once_even_when_run_again(cast, tmp_path):
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    backend = RecordingBackend()
    assert worker.run_all(backend).sent == 1
    assert worker.run_all(backend).sent == 0
    assert len(backend.sent) == 1 and backend.sent[0].phone == members[0].phone
    message = Message.objects.get()
    assert message.status == Status.SENT and message.attempts == 1 and message.provider_id.startswith("p-")


class Crash(BaseException):
    """The worker killed between the gateway's answer and the record."""


def test_a_crash_after_sending_does_not_resend_blindly(cast, tmp_path, monkeypatch, settings):
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[1], amount=25_000, date=DAY)
    real_record = worker._record

    def dies(*args, **kwargs):
        raise Crash

    for backend in (FileBackend(str(tmp_path / "out.jsonl")), RecordingBackend()):
        Message.objects.update(status=Status.PENDING, attempts=0, claimed_at=None)
        monkeypatch.setattr(worker, "_record", dies)
        with pytest.raises(Crash):
            worker.run_once(backend, limit=1)
        monkeypatch.setattr(worker, "_record", real_record)
        crashed = Message.objects.get(status=Status.SENDING)
        # Within the lease nobody touches it; the other message goes.
        worker.run_once(backend)
        assert Message.objects.get(pk=crashed.pk).status == Status.SENDING
        later = timezone.now() + timedelta(seconds=settings.MESSAGING_LEASE_SECONDS + 1)
        worker.run_once(backend, now=later)
        worker.run_once(backend, now=later)
        crashed.refresh_from_db()
        if backend.deduplicates:  # the file gateway drops a copy under the same reference
            lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
            assert sorted(line["ref"] for line in lines) == sorted(str(m.client_ref) for m in Message.objects.all())
            assert crashed.status == Status.DELIVERED
        else:  # no reference the gateway knows: marked uncertain, never sent a second time
            assert crashed.status == Status.UNCERTAIN
            assert isinstance(backend, RecordingBackend)
            refs = [m.client_ref for m in backend.sent]
            assert len(refs) == len(set(refs)) == 2


def test_a_failing_gateway_is_retried_with_backoff_then_failed(cast, settings):
    settings.MESSAGING_MAX_ATTEMPTS, settings.MESSAGING_BACKOFF_SECONDS = 4, 60
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    backend = RecordingBackend(answer=lambda m: Outcome(ok=False, error="HTTP 503"))
    now = timezone.now()
    waits = []
    for attempt in range(1, 5):
        assert worker.run_once(backend, now=now).taken == 1
        message = Message.objects.get()
        assert message.attempts == attempt
        if attempt < 4:
            assert message.status == Status.PENDING
            waits.append(message.next_attempt_at - now)
            assert worker.run_once(backend, now=message.next_attempt_at - timedelta(seconds=1)).taken == 0
            now = message.next_attempt_at
    assert [w.total_seconds() for w in waits] == pytest.approx([60, 120, 240], abs=2)
    message = Message.objects.get()
    assert message.status == Status.FAILED and message.last_error == "HTTP 503"
    assert len(backend.sent) == 4
    assert worker.run_once(backend, now=now + timedelta(days=1)).taken == 0


def test_a_permanent_refusal_fails_at_once(cast):
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    backend = RecordingBackend(answer=lambda m: Outcome(ok=False, error="nomor salah", permanent=True))
    worker.run_once(backend)
    assert Message.objects.get().status == Status.FAILED


@pytest.mark.parametrize(("env", "says"), [
    ({"MESSAGING_BACKEND": "zenziva", "ZENZIVA_USERKEY": "abc"}, "ZENZIVA_PASSKEY"),
    ({"MESSAGING_BACKEND": "whatsapp", "WHATSAPP_TOKEN": "t"}, "WHATSAPP_PHONE_NUMBER_ID"),
    ({"MESSAGING_BACKEND": "console", "ZENZIVA_USERKEY": "abc"}, "MESSAGING_BACKEND=zenziva"),
    ({"MESSAGING_BACKEND": "sms"}, "tidak dikenal"),
])
def test_the_worker_refuses_a_half_set_configuration(settings, env, says):
    for key, value in env.items():
        setattr(settings, key, value)
    with pytest.raises(CommandError, match=says) as refused:
        call_command("messages_send")
    assert "tidak dijalankan" in str(refused.value) or "tidak dikenal" in str(refused.value)


def test_the_command_sends_with_the_file_gateway(cast, settings, tmp_path):
    settings.MESSAGING_BACKEND, settings.MESSAGING_FILE_PATH = "file", str(tmp_path / "m.jsonl")
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    call_command("messages_send")
    call_command("messages_send")
    assert len((tmp_path / "m.jsonl").read_text().splitlines()) == 1
    assert Message.objects.get().status == Status.DELIVERED


def _thirty(cast):
    members = consent_all(cast.kube_a, cast.kab)
    for i in range(30):
        Message.objects.create(kube=cast.kube_a, member=members[i % len(members)], event=Event.DEPOSIT,
                               event_ref=f"test{i}", text=f"pesan {i}")


def test_a_second_worker_never_takes_what_the_first_has_claimed(cast):
    """The claim is what makes two workers safe on either database: rows claimed by one are
    "sending" before its first call, and the other takes only the rest."""
    _thirty(cast)
    backend = RecordingBackend()
    now = timezone.now()
    first = worker.claim(backend, limit=15, now=now)
    assert len(first) == 15
    second = worker.run_all(backend)  # the other worker, meanwhile, sends everything else
    assert second.sent == 15
    for message_id in first:
        worker.send_one(backend, message_id, now=now)
    refs = [m.client_ref for m in backend.sent]
    assert len(refs) == len(set(refs)) == 30


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_once():
    """PostgreSQL (scripts/with_postgres.sh): two threads, two connections, SKIP LOCKED."""
    if connection.vendor != "postgresql":
        pytest.skip("two connections at once to the in-memory test database; on SQLite the claim's BEGIN "
                    "IMMEDIATE serialises workers (the test above, and bench/messages_bench.py with two processes)")
    cast = testing.build_cast()
    members = consent_all(cast.kube_a, cast.kab)
    for i in range(30):
        Message.objects.create(kube=cast.kube_a, member=members[i % len(members)], event=Event.DEPOSIT,
                               event_ref=f"test{i}", text=f"pesan {i}")
    backend = RecordingBackend(delay=0.002)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            while worker.run_once(backend, limit=3).taken:
                pass
        except BaseException as exc:  # pragma: no cover - shown by the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    refs = [m.client_ref for m in backend.sent]
    assert len(refs) == len(set(refs)) == 30
    assert Message.objects.filter(status=Status.SENT).count() == 30


def test_a_posted_share_out_tells_each_consenting_member_their_share(cast):
    from shareout.models import ShareOut
    from shareout.services import share_out_decide, share_out_post, share_out_propose, share_rule_adopt, year_close
    from testing.shareout import build_year

    year = build_year(cast)
    members = give_phones(year.kube)
    consent_all(year.kube, cast.kab, [m for m in members if m.is_active])
    Message.objects.all().delete()
    year_close(actor=cast.kab, kube=year.kube, year=2025)
    share_rule_adopt(actor=cast.kab, kube=year.kube, adopted_on=date(2026, 1, 5), capital_percent=30,
                     members_percent=70, weight_savings=100, leavers="pro_rata")
    proposal = share_out_propose(actor=cast.kab, kube=year.kube, year=2025)
    share_out_decide(actor=cast.kab, share_out=proposal, meeting_date=date(2026, 1, 10), present=7, decision="Setuju")
    Message.objects.all().delete()  # the year close told them of December's close
    share_out_post(actor=cast.kab, share_out=proposal)
    lines = {ln.member_id: ln.final for ln in ShareOut.objects.get(pk=proposal.pk).lines.all() if ln.final > 0}
    messages = {m.member_id: m for m in Message.objects.all()}
    consenting = {m.pk for m in members if m.is_active}
    assert set(messages) == set(lines) & consenting
    for member_id, message in messages.items():
        assert message.event == Event.SHARE_OUT
        assert f"bagi hasil 2025 untuk Anda Rp{lines[member_id]:,}".replace(",", ".") in message.text
