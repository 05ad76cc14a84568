"""Gateways: where the worker hands a message. One is chosen by `MESSAGING_BACKEND`.

- `console`: writes the message to the log (the phone masked); development.
- `file`: appends one JSON line per message to `MESSAGING_FILE_PATH`; tests and the benchmark. It
  honours the client reference: a message already in the file is not written again.
- `zenziva`: Zenziva's SMS API (console.zenziva.net, "reguler"): a form POST of userkey, passkey,
  to, message; the answer `{"messageId", "to", "status": "1", "text": "Success"}`, any other status
  a refusal. It has no client reference.
- `whatsapp`: the WhatsApp Business Cloud API, template messages: POST
  `{WHATSAPP_API_URL}/{version}/{phone-number-id}/messages` with a Bearer token and
  `{"messaging_product": "whatsapp", "to", "type": "template", "template": {"name", "language",
  "components": [{"type": "body", "parameters": [...]}]}}`; the answer's `messages[0].id` (a wamid)
  is matched by the delivery statuses the webhook receives. It has no client reference either.

Each `send` returns an `Outcome`; it never raises for what a gateway answers, so the worker
records every attempt. `deduplicates` says whether resending with the same client reference is
safe (the worker's recovery after a crash depends on it).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import requests
from django.conf import settings

from lib.personal import mask_phone

log = logging.getLogger("sikube.messaging")
TIMEOUT = 15  # seconds for one call to a gateway


@dataclass(frozen=True)
class Outcome:
    ok: bool
    provider_id: str = ""
    error: str = ""
    permanent: bool = False   # the gateway refused the number or the request itself: do not retry
    delivered: bool = False   # the backend knows it arrived (console, file)


@dataclass(frozen=True)
class Outgoing:
    phone: str        # +62…
    text: str
    template: str     # the WhatsApp template's name
    params: list[str]
    client_ref: str


class Backend(Protocol):
    name: str
    deduplicates: bool

    def send(self, message: Outgoing) -> Outcome: ...


class ConsoleBackend:
    name = "console"
    deduplicates = True  # nothing leaves the machine: a repeat costs nothing

    def send(self, message: Outgoing) -> Outcome:
        log.info("pesan %s ke %s: %s", message.client_ref, mask_phone(message.phone), message.text)
        return Outcome(ok=True, provider_id=message.client_ref, delivered=True)


class FileBackend:
    """One JSON line per message; a reference already written is answered as sent, not written
    again (the file is locked while it is read and appended, so two workers agree)."""

    name = "file"
    deduplicates = True

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._seen: set[str] = set()
        self._offset = 0
        self._lock = threading.Lock()  # the worker's threads share this object

    def _catch_up(self, handle: Any) -> None:
        handle.seek(self._offset)
        for line in handle:
            if line.strip():
                self._seen.add(json.loads(line)["ref"])
        self._offset = handle.tell()

    def send(self, message: Outgoing) -> Outcome:
        with self._lock, open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            self._catch_up(handle)
            if message.client_ref not in self._seen:
                handle.write(json.dumps({"ref": message.client_ref, "to": message.phone, "text": message.text},
                                        ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
                self._seen.add(message.client_ref)
                self._offset = handle.tell()
        return Outcome(ok=True, provider_id=message.client_ref, delivered=True)


def _error_text(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return f"HTTP {response.status_code} {error.get('code', '')}: {error.get('message', '')}"[:250]
        if "text" in body:
            return f"HTTP {response.status_code}: {body['text']}"[:250]
    return f"HTTP {response.status_code}"


class ZenzivaBackend:
    name = "zenziva"
    deduplicates = False

    def __init__(self, *, url: str, userkey: str, passkey: str) -> None:
        self.url, self.userkey, self.passkey = url, userkey, passkey
        self.session = requests.Session()

    def send(self, message: Outgoing) -> Outcome:
        data = {"userkey": self.userkey, "passkey": self.passkey, "to": message.phone.lstrip("+"),
                "message": message.text}
        try:
            response = self.session.post(self.url, data=data, timeout=TIMEOUT)
        except requests.RequestException as exc:
            return Outcome(ok=False, error=f"{type(exc).__name__}")
        if response.status_code >= 500 or response.status_code == 429:
            return Outcome(ok=False, error=_error_text(response))
        try:
            body = response.json()
        except ValueError:
            return Outcome(ok=False, error=f"HTTP {response.status_code}: jawaban bukan JSON")
        if response.status_code == 200 and str(body.get("status")) == "1":
            return Outcome(ok=True, provider_id=str(body.get("messageId", "")))
        # Zenziva answers a refusal (a bad number, no credit, a wrong key) with status other than 1.
        return Outcome(ok=False, error=_error_text(response), permanent="nomor" in str(body.get("text", "")).lower())


# Cloud API error codes that no retry will cure: the number is not on WhatsApp or not allowed,
# the template or its parameters do not match (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
WHATSAPP_PERMANENT = frozenset({100, 131026, 131009, 132000, 132001, 132005, 132007, 132012, 133010})


class WhatsAppBackend:
    name = "whatsapp"
    deduplicates = False

    def __init__(self, *, base_url: str, version: str, phone_number_id: str, token: str, language: str) -> None:
        self.url = f"{base_url.rstrip('/')}/{version}/{phone_number_id}/messages"
        self.token, self.language = token, language
        self.session = requests.Session()

    def send(self, message: Outgoing) -> Outcome:
        body: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.phone.lstrip("+"),
            "type": "template",
            "biz_opaque_callback_data": message.client_ref,  # returned with every status webhook
            "template": {
                "name": message.template,
                "language": {"code": self.language},
                "components": [{"type": "body",
                                "parameters": [{"type": "text", "text": p} for p in message.params]}],
            },
        }
        try:
            response = self.session.post(self.url, json=body, timeout=TIMEOUT,
                                         headers={"Authorization": f"Bearer {self.token}"})
        except requests.RequestException as exc:
            return Outcome(ok=False, error=f"{type(exc).__name__}")
        if response.status_code == 200:
            try:
                return Outcome(ok=True, provider_id=str(response.json()["messages"][0]["id"]))
            except (ValueError, KeyError, IndexError, TypeError):
                return Outcome(ok=False, error="HTTP 200: jawaban tanpa messages[0].id")
        code = None
        with contextlib.suppress(ValueError, AttributeError):
            code = response.json().get("error", {}).get("code")
        permanent = response.status_code in (400, 404) and code in WHATSAPP_PERMANENT
        return Outcome(ok=False, error=_error_text(response), permanent=permanent)


class ConfigError(Exception):
    """The gateway's settings are missing or half set; the message says which, in Indonesian."""


BACKENDS = ("console", "file", "zenziva", "whatsapp")


def configured() -> Backend:
    """The backend the settings name, or ConfigError saying exactly what to set."""
    s = settings
    name = s.MESSAGING_BACKEND
    if name not in BACKENDS:
        raise ConfigError(f"MESSAGING_BACKEND={name!r} tidak dikenal; pilih salah satu: {', '.join(BACKENDS)}.")
    zenziva = {"ZENZIVA_USERKEY": s.ZENZIVA_USERKEY, "ZENZIVA_PASSKEY": s.ZENZIVA_PASSKEY}
    whatsapp = {"WHATSAPP_TOKEN": s.WHATSAPP_TOKEN, "WHATSAPP_PHONE_NUMBER_ID": s.WHATSAPP_PHONE_NUMBER_ID}
    for wanted, group in (("zenziva", zenziva), ("whatsapp", whatsapp)):
        given = [k for k, v in group.items() if v]
        missing = [k for k, v in group.items() if not v]
        if name == wanted and missing:
            raise ConfigError(f"Gateway {wanted} belum lengkap: isi juga {', '.join(missing)} "
                              f"(README, bagian \"Pesan kepada anggota\"). Pengirim pesan tidak dijalankan.")
        if name != wanted and given:
            raise ConfigError(f"{', '.join(given)} diisi, tetapi MESSAGING_BACKEND={name}. Pilih "
                              f"MESSAGING_BACKEND={wanted} dan lengkapi semua variabelnya, atau kosongkan "
                              f"{', '.join(given)}. Pengirim pesan tidak dijalankan.")
    if name == "zenziva":
        return ZenzivaBackend(url=s.ZENZIVA_URL, userkey=s.ZENZIVA_USERKEY, passkey=s.ZENZIVA_PASSKEY)
    if name == "whatsapp":
        return WhatsAppBackend(base_url=s.WHATSAPP_API_URL, version=s.WHATSAPP_API_VERSION,
                               phone_number_id=s.WHATSAPP_PHONE_NUMBER_ID, token=s.WHATSAPP_TOKEN,
                               language=s.WHATSAPP_TEMPLATE_LANGUAGE)
    if name == "file":
        return FileBackend(s.MESSAGING_FILE_PATH)
    return ConsoleBackend()
