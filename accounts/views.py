from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.access import Kind, require
from accounts.errors import AccountsError
from accounts.forms import LoginForm, OwnPasswordForm, PasswordForm, TokenForm, UserForm
from accounts.limits import LockedOut, Throttled, check_locked, credentials_attempt
from accounts.models import ApiToken, Role, User
from accounts.services import (
    token_create,
    token_revoke,
    tokens_revoked_message,
    user_create,
    user_language_set,
    user_set_password,
    user_update,
)
from lib.forms import apply_error


class SikubeLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Every attempt counts against the address's limit (accounts/limits.py) before the
        password is checked; the lockout per username is django-axes'."""
        try:
            credentials_attempt(request)
        except Throttled as exc:
            return throttled_response(request, exc)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        """Signed in: the language stored on the account wins over this browser's cookie."""
        response = super().form_valid(form)
        language = form.get_user().language
        if language:
            translation.activate(language)
            set_language_cookie(response, language)
        return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The language switch: Django's set_language (cookie, redirect back), and for a signed-in
    user the choice kept on the account too."""
    response = set_language(request)
    chosen = request.POST.get("language", "")
    if request.user.is_authenticated and chosen in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=chosen)  # type: ignore[arg-type]
    return response


def throttled_response(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = render(request, "accounts/login.html",
                      {"form": LoginForm(request), "locked_message": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any,
                     **kwargs: Any) -> HttpResponse:
    """django-axes calls this when a username is locked (page and API alike)."""
    message = _("Terlalu banyak percobaan masuk yang gagal. Akun ini dikunci sementara "
                "(15 menit); coba lagi nanti atau hubungi admin Dinas Sosial.")
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "locked_out", "message": message}, status=429)
    return render(request, "accounts/login.html",
                  {"form": LoginForm(request), "locked_message": message}, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Anda sudah keluar."))
    return redirect("accounts:login")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = OwnPasswordForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _change_own_password(request, user, form.cleaned_data)
        except (Throttled, LockedOut) as exc:
            apply_error(form, exc)
            status = 429
        except AccountsError as exc:
            apply_error(form, exc)
        else:
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", status=status, context={
        "password_form": form,
        "token_form": TokenForm(),
        "tokens": ApiToken.objects.filter(user=user).order_by("-created_at")[:50],
    })


def _change_own_password(request: HttpRequest, user: User, data: dict[str, Any]) -> None:
    """Throttled and locked like sign-in (the same address limit, django-axes' lockout), then the
    service, which revokes the user's API tokens."""
    credentials_attempt(request, user=user)
    checked = authenticate(request, username=user.username, password=data["current_password"])
    check_locked(request)
    if not isinstance(checked, User) or checked.pk != user.pk:
        raise AccountsError(_("Kata sandi sekarang salah."), field="current_password")
    revoked = user_set_password(actor=user, user=user, password=data["password"])
    update_session_auth_hash(request, user)
    messages.success(request, tokens_revoked_message(revoked))


@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi nama token."))
        return redirect("accounts:profile")
    try:
        token, raw = token_create(user=user, name=form.cleaned_data["name"])
    except AccountsError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:profile")
    return render(request, "accounts/token_created.html", {"token": token, "raw": raw})


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    token = get_object_or_404(ApiToken, pk=token_id, user=user)
    token_revoke(user=user, token=token)
    messages.success(request, _("Token %(name)s sudah dicabut.") % {"name": token.name})
    return redirect("accounts:profile")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.USER)
    qs = User.objects.select_related("region").order_by("username")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(role=role)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html",
                  {"page": page, "q": q, "role": role, "roles": Role.choices})


@login_required
def user_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.USER, write=True)
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = user_create(actor=request.user, username=data["username"],
                                  full_name=data["full_name"], role=data["role"],
                                  password=data["password"], region=data["region"],
                                  phone=data["phone"], institution=data["institution"])
        except AccountsError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Pengguna %(u)s sudah dibuat.") % {"u": created.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "editing": False})


@login_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    require(request.user, Kind.USER, write=True)
    target = get_object_or_404(User, pk=user_id)
    initial = {"username": target.username, "full_name": target.full_name, "role": target.role,
               "region": target.region_id or "", "institution": target.institution,
               "phone": target.phone, "is_active": target.is_active}
    form = UserForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_update(actor=request.user, user=target, full_name=data["full_name"],
                        role=data["role"], region=data["region"], phone=data["phone"],
                        institution=data["institution"], is_active=data["is_active"])
        except AccountsError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Perubahan untuk %(u)s sudah disimpan.") % {"u": target.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html",
                  {"form": form, "editing": True, "target": target,
                   "password_form": PasswordForm()})


@login_required
@require_POST
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    require(request.user, Kind.USER, write=True)
    target = get_object_or_404(User, pk=user_id)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            revoked = user_set_password(actor=request.user, user=target, password=form.cleaned_data["password"])
        except AccountsError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, ngettext(
                "Kata sandi %(u)s sudah diganti; %(count)d token API miliknya dicabut.",
                "Kata sandi %(u)s sudah diganti; %(count)d token API miliknya dicabut.", revoked)
                % {"u": target.username, "count": revoked})
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("accounts:user_edit", target.pk)
