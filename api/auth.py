"""Bearer-token authentication for the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from accounts.access import WRITERS
from accounts.models import ApiToken, Role, token_hash


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        try:
            api_token = ApiToken.objects.select_related("user").get(
                key_hash=token_hash(token), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            return None
        user = api_token.user
        if not user.is_active:
            return None
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
