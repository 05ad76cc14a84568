"""The SMS (Zenziva) and WhatsApp Cloud API adapters against local fake servers that speak the
providers' documented request and answer, and the webhooks that bring replies and statuses back."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

import testing
from books.services import savings_deposit
from messaging import worker
from messaging.backends import WhatsAppBackend, ZenzivaBackend, configured
from messaging.models import Message, Status
from messaging.services import consent_in_force
from testing.messaging import consent_all, fake_gateway

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 10)


@pytest.fixture
def queued():
    cast = testing.build_cast()
    members = consent_all(cast.kube_a, cast.kab)
    savings_deposit(actor=cast.ketua, kube=cast.kube_a, member=members[0], amount=25_000, date=DAY)
    return cast, members


def test_zenziva_gets_the_documented_form_and_its_message_id_is_kept(queued, settings):
    _cast, members = queued

    def zenziva(request):
        return 200, {"messageId": "ZZ123", "to": parse_qs(request["raw"])["to"][0], "status": "1", "text": "Success"}

    with fake_gateway(zenziva) as gateway:
        settings.MESSAGING_BACKEND, settings.ZENZIVA_URL = "zenziva", gateway.url + "/reguler/api/sendsms/"
        settings.ZENZIVA_USERKEY, settings.ZENZIVA_PASSKEY = "uk", "pk"
        backend = configured()
        assert isinstance(backend, ZenzivaBackend)
        assert worker.run_once(backend).sent == 1
    [request] = gateway.requests
    form = {k: v[0] for k, v in parse_qs(request["raw"]).items()}
    assert request["path"] == "/reguler/api/sendsms/"
    assert request["content_type"] == "application/x-www-form-urlencoded"
    assert form["userkey"] == "uk" and form["passkey"] == "pk"
    assert form["to"] == members[0].phone.lstrip("+")
    assert form["message"] == Message.objects.get().text
    message = Message.objects.get()
    assert message.status == Status.SENT and message.provider_id == "ZZ123"


def test_zenziva_refusal_and_server_errors_are_retried_until_the_limit(queued, settings):
    settings.MESSAGING_MAX_ATTEMPTS = 2
    answers = [(500, {"status": "0", "text": "Internal error"}), (200, {"status": "0", "text": "Saldo tidak cukup"})]
    with fake_gateway(lambda request: answers.pop(0)) as gateway:
        backend = ZenzivaBackend(url=gateway.url, userkey="uk", passkey="pk")
        worker.run_once(backend)
        message = Message.objects.get()
        assert message.status == Status.PENDING and "HTTP 500" in message.last_error
        worker.run_once(backend, now=message.next_attempt_at)
    message = Message.objects.get()
    assert message.status == Status.FAILED and "Saldo tidak cukup" in message.last_error
    assert len(gateway.requests) == 2


def test_whatsapp_gets_a_template_message_and_its_wamid_is_kept(queued):
    _cast, members = queued

    def cloud_api(request):
        body = json.loads(request["raw"])
        return 200, {"messaging_product": "whatsapp", "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                     "messages": [{"id": "wamid.HBgLNjI4MTIzNDU2Nzg5FQIAERgSQzY", "message_status": "accepted"}]}

    with fake_gateway(cloud_api) as gateway:
        backend = WhatsAppBackend(base_url=gateway.url, version="v21.0", phone_number_id="1055", token="tok",
                                  language="id")
        assert worker.run_once(backend).sent == 1
    [request] = gateway.requests
    body = json.loads(request["raw"])
    message = Message.objects.get()
    assert request["path"] == "/v21.0/1055/messages"
    assert request["headers"]["Authorization"] == "Bearer tok"
    assert body["messaging_product"] == "whatsapp" and body["type"] == "template"
    assert body["to"] == members[0].phone.lstrip("+")
    assert body["template"]["name"] == "sikube_setoran" and body["template"]["language"] == {"code": "id"}
    params = [p["text"] for p in body["template"]["components"][0]["parameters"]]
    assert params == message.params == ["KUBE Maju Sejahtera 11", "Rp25.000", "10/06/2026", "Rp25.000"]
    assert message.status == Status.SENT and message.provider_id.startswith("wamid.")


def test_whatsapp_error_for_a_number_not_on_whatsapp_fails_at_once(queued):
    error = {"error": {"message": "(#131026) Message undeliverable", "type": "OAuthException", "code": 131026,
                       "fbtrace_id": "A1"}}
    with fake_gateway(lambda request: (400, error)) as gateway:
        backend = WhatsAppBackend(base_url=gateway.url, version="v21.0", phone_number_id="1", token="t", language="id")
        worker.run_once(backend)
    message = Message.objects.get()
    assert message.status == Status.FAILED and "131026" in message.last_error


def test_whatsapp_rate_limit_is_retried(queued):
    error = {"error": {"message": "(#130429) Rate limit hit", "code": 130429}}
    with fake_gateway(lambda request: (429, error)) as gateway:
        backend = WhatsAppBackend(base_url=gateway.url, version="v21.0", phone_number_id="1", token="t", language="id")
        worker.run_once(backend)
    assert Message.objects.get().status == Status.PENDING


def _signed(client, settings, payload):
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(settings.WHATSAPP_APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return client.post("/pesan/webhook/whatsapp/", body, content_type="application/json",
                       headers={"X-Hub-Signature-256": signature})


def test_whatsapp_webhook_verifies_signs_and_applies_replies_and_statuses(client, queued, settings):
    _cast, members = queued
    settings.WHATSAPP_APP_SECRET, settings.WHATSAPP_VERIFY_TOKEN = "app-secret", "verify-me"
    Message.objects.update(status=Status.SENT, provider_id="wamid.X1", sent_at=timezone.now())
    challenge = client.get("/pesan/webhook/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                                                        "hub.challenge": "1158201444"})
    assert challenge.status_code == 200 and challenge.content == b"1158201444"
    assert client.get("/pesan/webhook/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": "salah",
                                                   "hub.challenge": "1"}).status_code == 403
    payload = {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "628000", "phone_number_id": "1"},
        "statuses": [{"id": "wamid.X1", "status": "delivered", "timestamp": "1780000000",
                      "recipient_id": members[0].phone.lstrip("+")}],
        "messages": [{"from": members[1].phone.lstrip("+"), "id": "wamid.IN1", "timestamp": "1780000001",
                      "type": "text", "text": {"body": "Berhenti"}}]}}]}]}
    bad = client.post("/pesan/webhook/whatsapp/", json.dumps(payload), content_type="application/json",
                      headers={"X-Hub-Signature-256": "sha256=00"})
    assert bad.status_code == 403
    assert consent_in_force(members[1]) is not None
    response = _signed(client, settings, payload)
    assert response.status_code == 200 and response.json() == {"withdrawn": 1, "statuses": 1}
    assert Message.objects.get().status == Status.DELIVERED
    assert consent_in_force(members[1]) is None and consent_in_force(members[0]) is not None


def test_webhooks_are_closed_without_their_secret_and_refuse_a_wrong_one(client, queued, settings):
    _cast, members = queued
    settings.WHATSAPP_APP_SECRET = settings.MESSAGING_WEBHOOK_SECRET = ""
    assert client.post("/pesan/webhook/whatsapp/", "{}", content_type="application/json").status_code == 404
    assert client.post("/pesan/webhook/sms/", {"from": members[0].phone, "text": "BERHENTI"}).status_code == 404
    settings.MESSAGING_WEBHOOK_SECRET = "s3cret"
    wrong = client.post("/pesan/webhook/sms/", {"from": members[0].phone, "text": "BERHENTI"},
                        headers={"X-Sikube-Secret": "tebakan"})
    assert wrong.status_code == 403 and consent_in_force(members[0]) is not None
    right = client.post("/pesan/webhook/sms/", {"nohp": "0" + members[0].phone[3:], "pesan": "BERHENTI"},
                        headers={"X-Sikube-Secret": "s3cret"})
    assert right.status_code == 200 and right.json() == {"withdrawn": 1}
    assert consent_in_force(members[0]) is None
    assert Message.objects.get().status == Status.CANCELLED
