from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.throttling import AnonRateThrottle

from accounts.errors import AccountsError
from accounts.models import ApiToken, User
from accounts.services import token_create, token_revoke
from api.pagination import ObjectId

router = Router(tags=["akun"])


class TokenIn(Schema):
    username: str
    password: str
    name: str = "API"


class TokenOut(Schema):
    token: str
    id: int
    name: str


class TokenInfo(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    region: str | None

    @staticmethod
    def resolve_region(obj: User) -> str | None:
        return obj.region_id


class LockedOut(AccountsError):
    status = 429
    code = "locked_out"


@router.post("/token", auth=None, response={201: TokenOut},
             throttle=[AnonRateThrottle("30/m")], summary="Minta token API")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """Tukar nama pengguna dan kata sandi dengan token. Token hanya ditampilkan sekali."""
    user = authenticate(request, username=payload.username.strip().lower(),
                        password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOut(_("Terlalu banyak percobaan gagal. Akun ini dikunci sementara; "
                          "coba lagi nanti atau hubungi admin."))
    if not isinstance(user, User):
        raise AccountsError(_("Nama pengguna atau kata sandi salah."), code="bad_credentials",
                            field="password")
    token, raw = token_create(user=user, name=payload.name)
    return Status(201, {"token": raw, "id": token.pk, "name": token.name})


@router.get("/me", response=MeOut, summary="Akun pemilik token")
def me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get("/tokens", response=list[TokenInfo], summary="Token milik saya")
def list_tokens(request: HttpRequest) -> Any:
    assert isinstance(request.user, User)
    return ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")[:100]


@router.post("/tokens/{token_id}/revoke", response={200: TokenInfo}, summary="Cabut token")
def revoke_token(request: HttpRequest, token_id: ObjectId) -> ApiToken:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    assert isinstance(request.user, User)
    token_revoke(user=request.user, token=token)
    token.refresh_from_db()
    return token
