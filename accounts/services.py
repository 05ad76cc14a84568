"""Writes on accounts and tokens. Each runs in one transaction with its audit row."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.errors import AccountsError
from accounts.models import ROLE_REGION_LEVEL, ApiToken, Role, User, token_hash
from audit.models import Action
from audit.services import audit_record, diff, snapshot
from lib.regioncode import LEVEL_KABUPATEN, LEVEL_PROVINSI
from regions.models import Region

_AUDITED = ["username", "full_name", "role", "region_id", "phone", "institution", "is_active"]


def _check_role_region(role: str, region: Region | None) -> None:
    if role not in Role.values:
        raise AccountsError(_("Peran tidak dikenal."), field="role")
    if role == Role.PENDAMPING:
        # The home region: the office that employs the mentor. Offices assign only their own
        # mentors, and only to groups inside it (accounts.access.mentor_assign_problem).
        if region is None or region.level not in (LEVEL_PROVINSI, LEVEL_KABUPATEN):
            raise AccountsError(_("Pilih wilayah kerja pendamping: provinsi atau kabupaten/kota kantor Dinas "
                                  "Sosial yang mempekerjakannya."), field="region")
        return
    level = ROLE_REGION_LEVEL.get(role)
    if level is None:
        return
    if region is None:
        raise AccountsError(_("Pilih wilayah kerja untuk peran ini."), field="region")
    if region.level != level:
        what = _("provinsi") if level == 1 else _("kabupaten/kota")
        raise AccountsError(
            _("Wilayah kerja %(role)s harus sebuah %(what)s, bukan %(region)s.")
            % {"role": Role(role).label, "what": what, "region": region.label},
            field="region",
        )


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountsError(" ".join(exc.messages), field="password") from None


@transaction.atomic
def user_create(*, actor: Any, username: str, full_name: str, role: str, password: str,
                region: Region | None = None, phone: str = "", institution: str = "",
                validate: bool = True, password_hash: str = "") -> User:
    """`password_hash`, when given, is a hash of `password` made once and stored as it is: the demo's
    ~80 accounts share one of its public password (one Argon2 hash costs 0.2-0.5 s of CPU)."""
    username = username.strip().lower()
    if not username:
        raise AccountsError(_("Nama pengguna wajib diisi."), field="username")
    if User.objects.filter(username=username).exists():
        raise AccountsError(_("Nama pengguna %(u)s sudah dipakai.") % {"u": username},
                            field="username")
    if not full_name.strip():
        raise AccountsError(_("Nama lengkap wajib diisi."), field="full_name")
    _check_role_region(role, region)
    user = User(username=username, full_name=full_name.strip(), role=role, region=region,
                phone=phone.strip(), institution=institution.strip(),
                is_staff=False, is_superuser=False)
    if validate:
        _check_password(password, user)
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.save()
    audit_record(actor=actor, action=Action.CREATE, obj=user,
                 changes={k: [None, v] for k, v in snapshot(user, _AUDITED).items()})
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, full_name: str, role: str,
                region: Region | None, phone: str = "", institution: str = "",
                is_active: bool = True) -> User:
    _check_role_region(role, region)
    if user.pk == getattr(actor, "pk", None) and (not is_active or role != user.role):
        raise AccountsError(_("Anda tidak dapat menonaktifkan atau mengubah peran akun Anda sendiri."))
    before = snapshot(user, _AUDITED)
    user.full_name = full_name.strip()
    user.role = role
    user.region = region
    user.phone = phone.strip()
    user.institution = institution.strip()
    user.is_active = is_active
    user.save()
    changes = diff(before, snapshot(user, _AUDITED))
    if changes:
        audit_record(actor=actor, action=Action.UPDATE, obj=user, changes=changes)
    return user


@transaction.atomic
def user_language_set(*, user: User, language: str) -> None:
    """Keep the interface language the user chose on their account, so it follows them to a new
    browser (applied at sign-in, accounts.views.SikubeLoginView)."""
    if language not in dict(settings.LANGUAGES):
        raise AccountsError(_("Bahasa tidak dikenal."))
    if user.language == language:
        return
    audit_record(actor=user, action=Action.UPDATE, obj=user, changes={"language": [user.language, language]})
    user.language = language
    user.save(update_fields=["language"])


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> int:
    """Set a new password (the owner's change or the administrator's reset) and revoke every API
    token of the user: a password is changed because it may be known to someone else, who may
    have made a token with it. Signed-in sessions end too (Django checks the password hash).
    Returns how many tokens were revoked, for the page or the answer to say so."""
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    changes: dict[str, Any] = {"password": ["***", "***"]}
    if revoked:
        changes["api_tokens_revoked"] = [0, revoked]
    audit_record(actor=actor, action=Action.UPDATE, obj=user, changes=changes)
    return revoked


def tokens_revoked_message(count: int) -> str:
    """What a password change says about the tokens it revoked (page and API alike)."""
    if not count:
        return _("Kata sandi sudah diganti.")
    return ngettext("Kata sandi sudah diganti. %(count)d token API dicabut; aplikasi yang memakainya perlu "
                    "token baru.",
                    "Kata sandi sudah diganti. %(count)d token API dicabut; aplikasi yang memakainya perlu "
                    "token baru.", count) % {"count": count}


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the raw key is returned once and never stored."""
    name = name.strip() or _("Token API")
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= 20:
        raise AccountsError(_("Paling banyak 20 token aktif. Cabut token yang tidak dipakai."))
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name[:80], key_hash=token_hash(raw),
                                    hint=raw[:8])
    audit_record(actor=user, action=Action.CREATE, obj=token)
    return token, raw


@transaction.atomic
def token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise AccountsError(_("Token tidak ditemukan."), code="not_found")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=user, action=Action.UPDATE, obj=token, changes={"revoked": [False, True]})
