"""Idempotent writes: a POST to the API with an `Idempotency-Key` header is carried out once.

A phone on a bad connection sends a posting, loses the answer and sends it again. With the same
key (any string of 1–255 visible ASCII characters, e.g. a UUID the app makes per action), the
retry creates nothing and gets the first answer back, with `Idempotent-Replayed: true`.

The key is recorded in the same database transaction as the work itself, so either both are
saved or neither is: a crash between them cannot leave a posting without its key (a retry would
post twice) or a key without its posting (a retry would be refused). A second request with the
key while the first is still running waits for it (the unique index holds it) and then replays
its answer. The same key with a different request is refused (422). Keys are scoped to the
token that sent them (a session call of SIKUBE's own pages: to the signed-in user, `user_scope`,
so that a phone's outbox replays across a session that expired and a new sign-in) and kept for `IDEMPOTENCY_KEEP_HOURS` (24 by default).

Nothing is written for a request that is refused anyway: the token is checked before the key is
recorded (an unknown, revoked or inactive user's token goes straight on to the 401, without a
row and without the database's write lock), so a stored answer is replayed only to a token still
in force; a role that may not make the write at all is refused in front of this middleware
(api.middleware.WriteRoleMiddleware), without a row or a transaction; and any other refusal (401,
403, 429) or a server error (5xx) is rolled back with the key: a retry runs again. Expired rows
of every token go with the nightly `manage.py idempotency_purge` and, at most once a minute per
process, with a recorded write (a DELETE on every write was a statement more inside every
posting's write lock); the answers they hold may carry personal data.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from api.auth import CsrfRefused, request_token_owner, session_user
from api.models import IdempotentRequest

HEADER = "HTTP_IDEMPOTENCY_KEY"
# Never kept: answers that carry a secret (a new token) or that are reads sent as POST so that
# personal data stays out of URLs (the NIK search), and the DTSEN extracts' previews and duplicate pairs,
# which show NIKs side by side; a retry of those simply runs again (a second preview, or "already
# applied / resolved", never a second change).
EXEMPT = ("/api/v1/auth/", "/api/v1/members/search", "/api/v1/dtsen/")
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Answers never kept: refusals that a retry with another token or role must not see replayed,
# the rate limit (a retry later should run) and server errors (a retry should run).
NOT_KEPT = {401, 403, 429}
# Work that may run before the transaction opens, registered by the apps whose writes carry heavy
# uploads (a photo to decode): with a key, the whole request runs inside one transaction (the key
# must commit with the work), which on SQLite holds the write lock from its first statement.
BEFORE_LOCK: list[Callable[[HttpRequest], None]] = []


def before_lock(prepare: Callable[[HttpRequest], None]) -> Callable[[HttpRequest], None]:
    """Register `prepare(request)`, run for every keyed write before its transaction opens. It
    must write nothing and raise nothing: it leaves its result (or its refusal) on the request's
    objects for the view, which then decides as it would without a key."""
    BEFORE_LOCK.append(prepare)
    return prepare


def user_scope(user: Any) -> str:
    """The scope of a signed-in user's keys (sessions and page forms): the user, not the session."""
    return hashlib.sha256(f"user:{user.pk}".encode()).hexdigest()


def _session_scope(request: HttpRequest) -> str | None:
    """`user_scope` of a same-origin session call with its CSRF token; None for anything that
    authentication will refuse (no session, an inactive user, a missing or wrong CSRF token).
    Django's CSRF check reads the form first (a photo's multipart), which would leave no body for
    the fingerprint: the body is read into memory before it. A session upload larger than
    DATA_UPLOAD_MAX_MEMORY_SIZE goes without a key (the phone sends photos of at most 1.5 MB)."""
    try:
        request.body  # noqa: B018 - kept for the fingerprint before the CSRF check parses the form
    except RequestDataTooBig:
        return None
    try:
        user = session_user(request)
    except CsrfRefused:
        return None
    return user_scope(user) if user is not None else None


def _scope(request: HttpRequest) -> str | None:
    """The token's own hash while it is in force, else the session's user; None for anything
    authentication will refuse."""
    found = request_token_owner(request)
    if found is not None:
        return found[0].key_hash
    return _session_scope(request)


def purge_expired() -> int:
    """Delete every kept answer older than IDEMPOTENCY_KEEP_HOURS, whoever it belonged to."""
    cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    deleted, _per_model = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


PURGE_EVERY = 60.0  # seconds between the purges a process makes along with a recorded write
_next_purge = 0.0


def _purge_if_due() -> None:
    """`purge_expired` if this process has not purged for PURGE_EVERY seconds. Two threads racing
    may both purge: harmless, the second deletes nothing."""
    global _next_purge
    now = time.monotonic()
    if now < _next_purge:
        return
    _next_purge = now + PURGE_EVERY
    purge_expired()


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    try:
        digest.update(request.body)
    except RequestDataTooBig:  # an upload too large to hold in memory: its type and length stand for it
        digest.update(f"{request.META.get('CONTENT_TYPE', '')}\0{request.META.get('CONTENT_LENGTH', '')}".encode())
    return digest.hexdigest()


def _replay(row: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status or 200, content_type=row.content_type or None)
    response["Idempotent-Replayed"] = "true"
    return response


def _refuse(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(HEADER)
        if (key is None or request.method not in METHODS or not request.path.startswith("/api/")
                or request.path.startswith(EXEMPT)):
            return self.get_response(request)
        if not KEY.match(key):
            return _refuse(400, "idempotency_key_invalid",
                           _("Idempotency-Key harus 1–255 karakter ASCII yang terlihat (misalnya sebuah UUID)."))
        scope = _scope(request)
        if scope is None:  # no token in force: authentication refuses it, and nothing is written
            return self.get_response(request)
        fingerprint = _fingerprint(request)
        for prepare in BEFORE_LOCK:
            prepare(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotentRequest.objects.create(scope=scope, key=key, fingerprint=fingerprint)
            except IntegrityError:
                # Used before (or in use right now: the insert above waited for it to finish).
                earlier = IdempotentRequest.objects.filter(scope=scope, key=key).first()
                if earlier is None or earlier.status is None:
                    return _refuse(409, "idempotency_in_progress",
                                   _("Permintaan dengan Idempotency-Key ini masih diproses. Coba lagi sebentar lagi."))
                if earlier.fingerprint != fingerprint:
                    return _refuse(422, "idempotency_key_reused",
                                   _("Idempotency-Key ini sudah dipakai untuk permintaan lain. Buat kunci baru "
                                     "untuk setiap tindakan."))
                return _replay(earlier)
            response = self.get_response(request)
            if (response.status_code >= 500 or response.status_code in NOT_KEPT
                    or getattr(response, "streaming", False)):
                transaction.set_rollback(True)  # nothing of it is kept: a retry runs again
                return response
            row.status = response.status_code
            row.content_type = response.get("Content-Type", "")
            row.body = response.content
            row.save(update_fields=["status", "content_type", "body"])
            _purge_if_due()  # an index range on created_at, inside the lock this write holds anyway
        return response
