"""Bearer-token authentication for the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from accounts.access import WRITERS
from accounts.models import ApiToken, Role, User, token_hash


def bearer_of(request: HttpRequest) -> str | None:
    """The raw token of an `Authorization: Bearer …` header, parsed as django-ninja parses it."""
    scheme, _space, raw = str(request.META.get("HTTP_AUTHORIZATION", "")).partition(" ")
    if scheme.lower() != "bearer" or not raw:
        return None
    return raw


def token_owner(raw: str) -> tuple[ApiToken, User] | None:
    """The token and its user while both are in force: not revoked, the user active. The one test
    of a token, for authentication and for replaying a stored answer (api/idempotency.py)."""
    if not raw or len(raw) > 200:
        return None
    api_token = ApiToken.objects.select_related("user").filter(
        key_hash=token_hash(raw), revoked_at__isnull=True).first()
    if api_token is None or not api_token.user.is_active:
        return None
    return api_token, api_token.user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_owner(token)
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


# Roles that may change nothing through the API but their own sign-in (tokens, password).
READ_ONLY_ROLES = frozenset(str(r) for r in Role.values) - frozenset().union(*WRITERS.values())
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def read_only_write(request: HttpRequest) -> bool:
    """A write by a role that may write nothing (outside its own sign-in): it gets 403 whatever
    its body, so a refusal of the body must not answer first. A valid body still reaches the
    operation, which answers 404 for what the role cannot even see (the chart of accounts)."""
    user = getattr(request, "user", None)
    return (request.method not in SAFE_METHODS and getattr(user, "role", None) in READ_ONLY_ROLES
            and not request.path.startswith("/api/v1/auth/"))
