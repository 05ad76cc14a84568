from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.contrib.auth import authenticate
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from accounts.access import Kind, require
from accounts.errors import AccountsError
from accounts.limits import check_locked, credentials_attempt
from accounts.models import ApiToken, Role, User
from accounts.services import (
    token_create,
    token_revoke,
    tokens_revoked_message,
    user_create,
    user_set_password,
    user_update,
)
from api.pagination import ObjectId, Page, PageParams, paginate
from api.types import USERNAME_PATTERN, Codes, Filled, Flag, Matching
from lib.regioncode import LEVEL_KABUPATEN, LEVEL_PROVINSI, normalize
from regions.models import Region

router = Router(tags=["akun"])
# Mounted at the API's root (/users): the administrator's user pages, accounts/views.py.
users_router = Router(tags=["pengguna"])


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


@router.post("/token", auth=None, response={201: TokenOut}, summary="Minta token API")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """Tukar nama pengguna dan kata sandi dengan token. Token hanya ditampilkan sekali. Dibatasi per
    alamat untuk semua nama pengguna (429 `rate_limited`), dan akun dikunci setelah beberapa kali
    salah (429 `locked_out`), seperti halaman masuk."""
    credentials_attempt(request)
    user = authenticate(request, username=payload.username.strip().lower(),
                        password=payload.password)
    check_locked(request)
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


class PasswordIn(Schema):
    password: str = Field(..., max_length=128, description="Kata sandi baru")


class OwnPasswordIn(Schema):
    current_password: str = Field(..., max_length=128, description="Kata sandi sekarang")
    password: str = Field(..., max_length=128, description="Kata sandi baru")


class PasswordChangedOut(Schema):
    username: str
    tokens_revoked: int = Field(..., description="Token API yang dicabut, termasuk token permintaan ini")
    message: str


@router.post("/password", response=PasswordChangedOut, summary="Ganti kata sandi saya")
def change_own_password(request: HttpRequest, payload: OwnPasswordIn) -> dict[str, Any]:
    """Kata sandi sekarang wajib (token yang dicuri tidak cukup untuk mengambil alih akun), dibatasi
    dan dikunci seperti halaman masuk; kata sandi baru diperiksa aturan kata sandi. Semua token API
    pengguna dicabut, termasuk token yang mengirim permintaan ini: minta token baru."""
    user = request.user
    assert isinstance(user, User)
    credentials_attempt(request, user=user)
    checked = authenticate(request, username=user.username, password=payload.current_password)
    check_locked(request)
    if not isinstance(checked, User) or checked.pk != user.pk:
        raise AccountsError(_("Kata sandi sekarang salah."), code="bad_credentials", field="current_password")
    revoked = user_set_password(actor=user, user=user, password=payload.password)
    return {"username": user.username, "tokens_revoked": revoked, "message": tokens_revoked_message(revoked)}


# --- users (administrator) -----------------------------------------------------------------

class UserOut(MeOut):
    id: int
    institution: str
    # Only the administrator reads this list, and reads phone numbers unmasked (as on the page).
    phone: str
    is_active: bool
    last_login: datetime | None


class UserListParams(Schema):
    q: str = Field("", max_length=100, description="Nama pengguna atau nama lengkap")
    role: Annotated[str, Codes(Role, blank=True)] = ""


class UserFields(Schema):
    full_name: Annotated[str, Filled(150)]
    role: Annotated[str, Codes(Role)]
    region: str | None = Field(None, max_length=13, description="Kode provinsi atau kabupaten/kota: wilayah kerja "
                                  "Dinas Sosial, atau wilayah kantor yang mempekerjakan pendamping")
    institution: str = Field("", max_length=150)
    phone: str = Field("", max_length=20)


class UserIn(UserFields):
    username: Annotated[str, Matching(USERNAME_PATTERN, "username_type", max_length=150,
                                      description="Huruf, angka, titik, garis bawah, tanda hubung")]
    password: str = Field(..., max_length=128, description="Kata sandi awal")


class UserUpdateIn(UserFields):
    is_active: Flag = True


def _work_region(code: str | None) -> Region | None:
    """The region field of the user form (accounts.forms.UserForm): a province or a kabupaten/kota."""
    if not code:
        return None
    region = Region.objects.filter(pk=normalize(code), is_active=True).first()
    if region is None:
        raise AccountsError(_("Kode wilayah %(code)s tidak dikenal. Pilih dari daftar atau ketik nama "
                              "wilayah.") % {"code": code[:20]}, field="region")
    if not LEVEL_PROVINSI <= region.level <= LEVEL_KABUPATEN:
        raise AccountsError(_("Wilayah kerja harus sebuah provinsi atau kabupaten/kota."), field="region")
    return region


def _target(user_id: int) -> User:
    return get_object_or_404(User.objects.select_related("region"), pk=user_id)


@users_router.get("/users", response=Page[UserOut], summary="Daftar pengguna")
def list_users(request: HttpRequest, filters: UserListParams = Query(...),  # noqa: B008
               pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    require(request.user, Kind.USER)
    qs = User.objects.select_related("region")
    q = filters.q.strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if filters.role:
        if filters.role not in Role.values:
            raise AccountsError(_("Peran tidak dikenal."), field="role")
        qs = qs.filter(role=filters.role)
    return paginate(qs, pages, order=("username", "id"))


@users_router.post("/users", response={201: UserOut}, summary="Tambah pengguna")
def create_user(request: HttpRequest, payload: UserIn) -> Status[User]:
    require(request.user, Kind.USER, write=True)
    username = payload.username.strip().lower()
    if not all(ch.isalnum() or ch in "._-" for ch in username):
        raise AccountsError(_("Nama pengguna hanya boleh berisi huruf, angka, titik, garis bawah dan "
                              "tanda hubung."), field="username")
    user = user_create(actor=request.user, username=username, full_name=payload.full_name,
                       role=payload.role, password=payload.password,
                       region=_work_region(payload.region), phone=payload.phone,
                       institution=payload.institution)
    return Status(201, user)


@users_router.put("/users/{user_id}", response=UserOut, summary="Ubah pengguna")
def update_user(request: HttpRequest, user_id: ObjectId, payload: UserUpdateIn) -> User:
    require(request.user, Kind.USER, write=True)
    target = _target(user_id)
    return user_update(actor=request.user, user=target, full_name=payload.full_name,
                       role=payload.role, region=_work_region(payload.region), phone=payload.phone,
                       institution=payload.institution, is_active=payload.is_active)


@users_router.post("/users/{user_id}/password", response=UserOut, summary="Ganti kata sandi pengguna")
def set_user_password(request: HttpRequest, user_id: ObjectId, payload: PasswordIn) -> User:
    """Kata sandi baru untuk pengguna (misalnya yang lupa); semua token API pengguna itu dicabut."""
    require(request.user, Kind.USER, write=True)
    target = _target(user_id)
    user_set_password(actor=request.user, user=target, password=payload.password)
    return target
