"""Authentication for the API: a bearer token (scripts, other systems) or, for SIKUBE's own pages
calling it from the same origin (the offline outbox, static/js/offline/), the signed-in session
with Django's CSRF token in the `X-CSRFToken` header for every write."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from accounts.models import ApiToken, User, token_hash
from lib.errors import SikubeError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def bearer_of(request: HttpRequest) -> str | None:
    """The raw token of an `Authorization: Bearer …` header, parsed as django-ninja parses it."""
    scheme, _space, raw = str(request.META.get("HTTP_AUTHORIZATION", "")).partition(" ")
    if scheme.lower() != "bearer" or not raw:
        return None
    return raw


@cache
def _owner_query() -> tuple[str, list[str], list[str], list[tuple[Any, list[Any]]]]:
    """One SELECT of a token in force and its user, built once from the two models' columns.

    Every API request asks it first; through the ORM (a `select_related` query compiled anew
    each time) it cost more than the posting's own inserts."""
    quote = connection.ops.quote_name
    token_cols = [str(f.column) for f in ApiToken._meta.concrete_fields]
    user_cols = [str(f.column) for f in User._meta.concrete_fields]
    columns = [f"t.{quote(c)}" for c in token_cols] + [f"u.{quote(c)}" for c in user_cols]
    sql = (f"SELECT {', '.join(columns)} FROM {quote(ApiToken._meta.db_table)} t "  # noqa: S608 - names from the models
           f"JOIN {quote(User._meta.db_table)} u ON u.{quote('id')} = t.{quote('user_id')} "
           f"WHERE t.{quote('key_hash')} = %s AND t.{quote('revoked_at')} IS NULL")
    fields = [*ApiToken._meta.concrete_fields, *User._meta.concrete_fields]
    # The converters the ORM would apply to each column (on SQLite: text to datetime, 0/1 to bool).
    converters = []
    for field in fields:
        col = field.get_col(field.model._meta.db_table)
        converters.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    return (sql, [f.attname for f in ApiToken._meta.concrete_fields], [f.attname for f in User._meta.concrete_fields],
            converters)


def token_owner(raw: str) -> tuple[ApiToken, User] | None:
    """The token and its user while both are in force: not revoked, the user active. The one test
    of a token, for authentication and for replaying a stored answer (api/idempotency.py)."""
    if not raw or len(raw) > 200:
        return None
    sql, token_names, user_names, converters = _owner_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [token_hash(raw)])
        row = cursor.fetchone()
    if row is None:
        return None
    db_values = []
    for value, (col, convert) in zip(row, converters, strict=True):
        for converter in convert:
            value = converter(value, col, connection)
        db_values.append(value)
    api_token = ApiToken.from_db(connection.alias, token_names, db_values[:len(token_names)])
    user = User.from_db(connection.alias, user_names, db_values[len(token_names):])
    if not user.is_active:
        return None
    api_token.user = user
    return api_token, user


def request_token_owner(request: HttpRequest) -> tuple[ApiToken, User] | None:
    """`token_owner` of the request's bearer token, looked up once per request (the role check
    before the body, the idempotency key and authentication all ask)."""
    raw = bearer_of(request)
    cached = getattr(request, "_sikube_token_owner", None)
    if cached is not None and cached[0] == raw:
        return cached[1]
    found = token_owner(raw) if raw else None
    request._sikube_token_owner = (raw, found)  # type: ignore[attr-defined]
    return found


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = request_token_owner(request) if bearer_of(request) == token else token_owner(token)
        if found is None:
            return None
        api_token, user = found
        now = timezone.now()
        # Writing last_used_at on every call would turn every read into a write.
        touch = timedelta(seconds=settings.API_TOKEN_TOUCH_SECONDS)
        if api_token.last_used_at is None or now - api_token.last_used_at > touch:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = user
        return user


class CsrfRefused(SikubeError):
    status = 403
    code = "csrf_failed"


def session_user(request: HttpRequest) -> User | None:
    """The signed-in, active user of a same-origin call that carries no bearer token; None for
    anything else. A write must also carry the CSRF token (else `CsrfRefused`): the session cookie
    alone would let another site's form write in the user's name. Asked by authentication and by
    the idempotency key's scope (api/idempotency.py), so a refused write never records a key."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return None  # a token was sent: the token decides, whatever cookie comes along
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    if request.method not in SAFE_METHODS and check_csrf(request) is not None:
        raise CsrfRefused(_("Token CSRF tidak ada atau tidak cocok. Muat ulang halaman, lalu kirim lagi."))
    return user


class SessionCsrf(AuthBase):
    """The session of SIKUBE's own pages (cookie), with the CSRF header for writes."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        return session_user(request)
