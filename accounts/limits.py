"""The rate limits on every attempt at a password, shared by the sign-in page, the token endpoint
and the password change (page and API).

django-axes locks a username after repeated failures from one address; that does not slow one
address trying a common password against every username, nor a stolen token's holder guessing
the current password from many addresses. So, counted in the shared cache (lib/ratelimit.py):
every attempt from one address, whatever the username (`SIGNIN_RATE`), and every password change
of one account, from whatever address (`PASSWORD_CHANGE_RATE`).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.errors import AccountsError
from accounts.models import User
from lib.clientip import client_ip
from lib.ratelimit import hit


class Throttled(AccountsError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


def credentials_attempt(request: HttpRequest, *, user: User | None = None) -> None:
    """Count one attempt at a password (before it is checked); Throttled past a limit."""
    waits = [hit("signin", client_ip(request), settings.SIGNIN_RATE)]
    if user is not None:
        waits.append(hit("password", str(user.pk), settings.PASSWORD_CHANGE_RATE))
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        raise Throttled(_("Terlalu banyak percobaan kata sandi. Tunggu %(seconds)d detik, lalu coba lagi.")
                        % {"seconds": wait}, retry_after=wait)


class LockedOut(AccountsError):
    status = 429
    code = "locked_out"


def check_locked(request: HttpRequest) -> None:
    """After authenticate(): django-axes marks the request when the username is locked."""
    if getattr(request, "axes_locked_out", False):
        raise LockedOut(_("Terlalu banyak percobaan gagal. Akun ini dikunci sementara; "
                          "coba lagi nanti atau hubungi admin."))
