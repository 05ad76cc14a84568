"""Idempotent writes: a POST to the API with an `Idempotency-Key` header is carried out once.

A phone on a bad connection sends a posting, loses the answer and sends it again. With the same
key (any string of 1–255 visible ASCII characters, e.g. a UUID the app makes per action), the
retry creates nothing and gets the first answer back, with `Idempotent-Replayed: true`.

The key is recorded in the same database transaction as the work itself, so either both are
saved or neither is: a crash between them cannot leave a posting without its key (a retry would
post twice) or a key without its posting (a retry would be refused). On SQLite that transaction
begins at the view's first write, so the reads before it (token, reach, chart, closed months) do
not hold the write lock; elsewhere the key's row is the transaction's first statement. A second
request with the key while the first is still running waits for it (for the lock, or for the
unique index) and then replays its answer; a copy that finds the key recorded when its own first
write begins is stopped there, its transaction rolled back. The same key with a different request
is refused (422). A refusal that wrote nothing (400, 404, 409, 422) is kept too, in a short
transaction of its own, so that a retry gets the same answer. Keys are scoped to the token that
sent them (a session call of SIKUBE's own pages: to the signed-in user, `user_scope`, so that a
phone's outbox replays across a session that expired and a new sign-in) and kept for
`IDEMPOTENCY_KEEP_HOURS` (24 by default).

Nothing is written for a request that is refused anyway: the token is checked before the key is
recorded (an unknown, revoked or inactive user's token goes straight on to the 401, without a
row and without the database's write lock), so a stored answer is replayed only to a token still
in force; a role that may not make the write at all is refused in front of this middleware
(api.middleware.WriteRoleMiddleware), without a row or a transaction; and any other refusal (401,
403, 429) or a server error (5xx) is rolled back with the key: a retry runs again. Expired rows
of every token go with the nightly `manage.py idempotency_purge` and, at most once a minute per
process, with a recorded write (a DELETE on every write was a statement more inside every
posting's write lock); the answers they hold may carry personal data.

Pages use the same table (`PageIdempotencyMiddleware`, below): every page form that writes
carries a one-time key the server renders into it (`{% submission_key %}`, the field
`_submission`), scoped to the signed-in user (`user_scope`). A second POST of the same rendered
form (a double tap, a reload after a lost answer, back and resubmit) changes nothing and is sent
to the first result: only a success answer is kept (the redirect after a successful POST, or an
htmx 2xx); a form refused and shown again with its errors keeps no key, and its new rendering
carries a fresh one. The page path claims its key as the API does: one read of an earlier answer
first, the key's row inserted at the form's first write (so the form's reads do not hold the write
lock), the answer stored before COMMIT.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, UnreadablePostError
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


def _refuse(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


class KeyTaken(Exception):
    """The key was recorded by a copy of this request that finished first: the work stops here
    (its transaction is rolled back) and the first answer is replayed (api.errors answers it)."""


def _earlier(scope: str, key: str) -> tuple[str, int | None, str, bytes] | None:
    """The fingerprint, status, content type and body kept for this key, if any (one raw read:
    every keyed write asks, before any transaction)."""
    with connection.cursor() as cursor:
        cursor.execute('SELECT fingerprint, status, content_type, body FROM api_idempotentrequest '
                       'WHERE scope = %s AND "key" = %s', [scope, key])
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1], row[2], bytes(row[3]))


class _Claim:
    """The key's row, inserted inside the work's transaction; `taken` when a copy was first."""

    def __init__(self, scope: str, key: str, fingerprint: str) -> None:
        self.scope, self.key, self.fingerprint = scope, key, fingerprint
        self.made = self.taken = False

    def __call__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                'INSERT INTO api_idempotentrequest (scope, "key", fingerprint, status, content_type, body, created_at) '
                """VALUES (%s, %s, %s, NULL, '', %s, %s) ON CONFLICT (scope, "key") DO NOTHING""",
                [self.scope, self.key, self.fingerprint, b"",
                 connection.ops.adapt_datetimefield_value(timezone.now())])
            inserted = cursor.rowcount == 1
        self.made, self.taken = inserted, not inserted
        if self.taken:
            raise KeyTaken

    def store(self, response: HttpResponse, body: bytes | None = None) -> None:
        """The answer kept for the key: the response's own body, or `body` (a page's replay data)."""
        with connection.cursor() as cursor:
            cursor.execute('UPDATE api_idempotentrequest SET status = %s, content_type = %s, body = %s '
                           'WHERE scope = %s AND "key" = %s',
                           [response.status_code, response.get("Content-Type", "")[:100],
                            response.content if body is None else body, self.scope, self.key])

    def release(self) -> None:
        """Give the key back (a page form shown again keeps none), inside the work's transaction."""
        with connection.cursor() as cursor:
            cursor.execute('DELETE FROM api_idempotentrequest WHERE scope = %s AND "key" = %s', [self.scope, self.key])
        self.made = False


def _deferred_for(claim: _Claim) -> tuple[bool, AbstractContextManager[None]]:
    """Whether the claim waits for the work's first write (SQLite outside a transaction), and the
    context that arranges it (lib.sqlite.base.DatabaseWrapper.begin_at_first_write)."""
    lazy = hasattr(connection, "begin_at_first_write") and not connection.in_atomic_block
    return lazy, connection.begin_at_first_write(claim) if lazy else nullcontext()  # type: ignore[attr-defined]


def _in_progress() -> JsonResponse:
    return _refuse(409, "idempotency_in_progress",
                   _("Permintaan dengan Idempotency-Key ini masih diproses. Coba lagi sebentar lagi."))


def _answer_earlier(earlier: tuple[str, int | None, str, bytes], fingerprint: str) -> HttpResponse:
    fingerprint_then, status, content_type, body = earlier
    if status is None:
        return _in_progress()
    if fingerprint_then != fingerprint:
        return _refuse(422, "idempotency_key_reused",
                       _("Idempotency-Key ini sudah dipakai untuk permintaan lain. Buat kunci baru "
                         "untuk setiap tindakan."))
    response = HttpResponse(body, status=status, content_type=content_type or None)
    response["Idempotent-Replayed"] = "true"
    return response


def _kept(response: HttpResponse) -> bool:
    return not (response.status_code >= 500 or response.status_code in NOT_KEPT
                or getattr(response, "streaming", False))


class IdempotencyMiddleware:
    """The key and the work commit in one transaction. On SQLite that transaction begins at the
    view's first write (lib.sqlite.base.DatabaseWrapper.begin_at_first_write), so the write lock
    is not held while the view only reads (token, reach, chart, closed months); the key's row is
    the transaction's first statement. Elsewhere (PostgreSQL, or already inside a transaction)
    the row is inserted first, and a copy still running holds it until it commits."""

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
        return self.once(request, scope, key)

    def once(self, request: HttpRequest, scope: str, key: str) -> HttpResponse:
        """Run the view once for (scope, key); a copy gets the first answer."""
        fingerprint = _fingerprint(request)
        earlier = _earlier(scope, key)  # a retry of a finished request: no transaction at all
        if earlier is not None:
            return _answer_earlier(earlier, fingerprint)
        for prepare in BEFORE_LOCK:
            prepare(request)
        claim = _Claim(scope, key, fingerprint)
        lazy, deferred = _deferred_for(claim)
        response: HttpResponse | None = None
        try:
            with deferred, transaction.atomic():
                if not lazy:
                    claim()
                response = self.get_response(request)
                if claim.taken or not _kept(response):
                    transaction.set_rollback(True)  # nothing of it is kept: a retry runs again
                elif claim.made:
                    claim.store(response)
                    _purge_if_due()  # an index range on created_at, inside the lock held anyway
        except KeyTaken:
            pass
        if claim.taken:
            return self._replay_copy(scope, key, fingerprint)
        assert response is not None
        if not claim.made and _kept(response):
            # Nothing was written (a refusal): the answer is kept all the same, so that the key
            # stays this request's and a retry gets the same answer.
            try:
                with transaction.atomic():
                    claim()
                    claim.store(response)
            except KeyTaken:
                return self._replay_copy(scope, key, fingerprint)
        return response

    def _replay_copy(self, scope: str, key: str, fingerprint: str) -> HttpResponse:
        earlier = _earlier(scope, key)
        if earlier is None:  # cannot happen: the copy committed its row before this one could look
            return _in_progress()
        return _answer_earlier(earlier, fingerprint)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A page view stopped by KeyTaken: a plain answer, thrown away by `once` (no error logged)."""
        if isinstance(exception, KeyTaken):
            return HttpResponse(status=409)
        return None


# --- Page forms ------------------------------------------------------------------------------

PAGE_FIELD = "_submission"
# Never kept on the page side, like EXEMPT above: the API (its own middleware), and pages whose
# forms carry no key anyway (sign-in, the NIK search, the DTSEN previews) but could be sent one.
PAGE_EXEMPT = ("/api/", "/akun/masuk", "/static/")
# The messages a kept answer carried, so that a replay can show the first result's receipt again.
_KEPT_LEVELS = (messages.SUCCESS, messages.INFO, messages.WARNING)


def user_scope(user: Any) -> str:
    """The idempotency scope of a signed-in user: the sha256 of "user:<pk>", the same for every
    session and device of the user (a reload after signing in again still finds its key), never
    another user's, and never the raw session id (which would then sit in a table)."""
    return hashlib.sha256(f"user:{user.pk}".encode()).hexdigest()


def new_submission_key() -> str:
    """A fresh one-time key for one rendering of a form."""
    return uuid.uuid4().hex


def _page_fingerprint(request: HttpRequest) -> str:
    """What the user sent: method, path, query, every posted field but the CSRF token (sorted,
    so the browser's field order does not matter) and each uploaded file's field, name and size.
    Not the raw body: a multipart body's boundary is new on every submit of the same form."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    for name in sorted(request.POST):
        if name == "csrfmiddlewaretoken":
            continue
        for value in request.POST.getlist(name):
            digest.update(f"{name}={value}".encode() + b"\0")
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"{name}:{upload.name}:{upload.size}".encode() + b"\0")
    return digest.hexdigest()


def _posted_key(request: HttpRequest) -> str | None:
    """The form's key, or None for a POST without one (or whose body cannot be read: the view
    then answers as it would anyway)."""
    try:
        key = request.POST.get(PAGE_FIELD)
    except (OSError, UnreadablePostError, RequestDataTooBig, TooManyFieldsSent):
        return None
    return key if key and KEY.match(key) else None


def _page_kept(request: HttpRequest, response: HttpResponse) -> bool:
    """Only a success is kept: a redirect (Post/Redirect/Get after the work is saved), or a 2xx
    answer to htmx. A 200 or 400 page is a form shown again (with its errors, or to confirm), and
    a redirect that leaves an error message is a refusal (the month close says why on its page)."""
    if getattr(response, "streaming", False):
        return False
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    if any(m.level >= messages.ERROR for m in queued):
        return False
    if 300 <= response.status_code < 400:
        return True
    return request.headers.get("HX-Request") == "true" and 200 <= response.status_code < 300


def _page_answer(request: HttpRequest, response: HttpResponse) -> bytes:
    """What a replay needs, as JSON in the row's body: where the redirect went (the receipt), the
    messages the first answer left for the next page, and an htmx answer's body and HX- headers."""
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    answer = {
        "location": response.get("Location", ""),
        "messages": [[m.level, str(m.message), m.extra_tags or ""] for m in queued if m.level in _KEPT_LEVELS],
        "headers": {k: v for k, v in response.items() if k.lower().startswith("hx-")},
        "body": "" if response.status_code >= 300 else response.content.decode("utf-8", "replace"),
    }
    return json.dumps(answer).encode()


def _page_replay(request: HttpRequest, earlier: tuple[str, int | None, str, bytes], fingerprint: str) -> HttpResponse:
    """The first answer again, with a note that nothing was saved twice (or, when the form was
    changed before it was sent again, that the change was not saved); a key whose first answer
    is not kept yet says so and sends the form's page again."""
    fingerprint_then, status, content_type, body = earlier
    if status is None:
        messages.warning(request, _("Formulir ini masih diproses. Periksa sebentar lagi apakah sudah "
                                    "tersimpan sebelum mengirimnya lagi."))
        return HttpResponseRedirect(request.get_full_path())
    changed = fingerprint_then != fingerprint
    answer = json.loads(body or b"{}")
    storage = getattr(request, "_messages", None)
    pending = set()
    if storage is not None:
        pending = {str(m.message) for m in storage}
        storage.used = False  # only peeked: the next page still shows them
    for level, text, tags in answer.get("messages", []):
        if text not in pending:
            messages.add_message(request, level, text, extra_tags=tags)
    if changed:
        messages.warning(request, _("Formulir ini sudah pernah dikirim dan tersimpan; perubahan yang Anda kirim "
                                    "ulang tidak disimpan. Buka formulirnya lagi untuk mencatat yang baru."))
    else:
        messages.info(request, _("Formulir ini sudah terkirim sebelumnya; tidak ada yang dicatat dua kali."))
    response: HttpResponse
    if answer.get("location"):
        response = HttpResponseRedirect(answer["location"])
        response.status_code = status
    else:
        response = HttpResponse(answer.get("body", ""), status=status, content_type=content_type or None)
    for name, value in answer.get("headers", {}).items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class PageIdempotencyMiddleware:
    """A page POST carrying `_submission` from a signed-in user runs once (the module's docstring),
    with the API's pieces: one read of an earlier answer before anything else, the key claimed by
    one INSERT … ON CONFLICT DO NOTHING at the work's first write (on SQLite the transaction begins
    there, so the form's reads do not hold the write lock), the answer stored before COMMIT. Its
    own rule: only a success is kept; a form shown again gives its key back. It sits after
    authentication and messages; the API's requests are IdempotencyMiddleware's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (request.method != "POST" or request.path.startswith(PAGE_EXEMPT)
                or user is None or not user.is_authenticated):
            return self.get_response(request)
        key = _posted_key(request)
        if key is None:
            return self.get_response(request)
        scope = user_scope(user)
        fingerprint = _page_fingerprint(request)
        earlier = _earlier(scope, key)  # a form sent again after its first answer: no transaction at all
        if earlier is not None:
            return _page_replay(request, earlier, fingerprint)
        claim = _Claim(scope, key, fingerprint)
        lazy, deferred = _deferred_for(claim)
        response: HttpResponse | None = None
        kept = False
        try:
            with deferred, transaction.atomic():
                if not lazy:
                    claim()
                response = self.get_response(request)
                if claim.taken or response.status_code >= 500 or response.status_code in NOT_KEPT:
                    transaction.set_rollback(True)  # as in the API: nothing of it is kept, a new submit runs again
                else:
                    kept = _page_kept(request, response)
                    if not kept and claim.made:
                        claim.release()  # a form shown again: the key stays unused, the (refused) work is the view's
                    elif kept and claim.made:
                        claim.store(response, _page_answer(request, response))
                        _purge_if_due()
        except KeyTaken:
            pass
        if claim.taken:
            return self._replay_copy(request, scope, key, fingerprint)
        assert response is not None
        if kept and not claim.made:
            # A success that wrote nothing: kept all the same, so that the form sent again is sent
            # to the same result.
            try:
                with transaction.atomic():
                    claim()
                    claim.store(response, _page_answer(request, response))
            except KeyTaken:
                return self._replay_copy(request, scope, key, fingerprint)
        return response

    def _replay_copy(self, request: HttpRequest, scope: str, key: str, fingerprint: str) -> HttpResponse:
        """A copy that found the key claimed at its first write: its work was rolled back."""
        return _page_replay(request, _earlier(scope, key) or (fingerprint, None, "", b""), fingerprint)
