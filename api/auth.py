"""Bearer-token authentication for the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from accounts.models import ApiToken, token_hash


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
