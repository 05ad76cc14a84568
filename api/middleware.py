"""The API's answers before any operation runs: 404 and 405 under /api/ as the API's JSON error
(not Django's HTML page), and 403 for a role that may not make a write, before its body is read."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from accounts.access import check_role, operation_kinds
from api.auth import request_token_owner


class ApiJsonErrorsMiddleware:
    """An unknown path under /api/v1/ never reaches django-ninja (Django's URL resolver answers
    with its HTML 404), and a wrong method gets ninja's empty 405: a client that reads every
    answer as {"code", "message"} would break on both."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (response.status_code not in (404, 405) or not request.path.startswith("/api/")
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        if response.status_code == 404:
            return JsonResponse({"code": "not_found", "message": _("Alamat API ini tidak ada. Lihat /api/v1/docs.")},
                                status=404)
        allowed = response.get("Allow", "")
        answer = JsonResponse({"code": "method_not_allowed", "message": _(
            "Metode %(method)s tidak dipakai di alamat ini; yang boleh: %(allowed)s.")
            % {"method": request.method, "allowed": allowed or "-"}}, status=405)
        if allowed:
            answer["Allow"] = allowed
        return answer


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def operation_of(request: HttpRequest) -> str | None:
    """The request's operation as the OpenAPI document names it ("POST /api/v1/loans/{loan_id}/repayments"),
    or None for a path the URLs do not know."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    route = _PARAM.sub(r"{\1}", match.route)
    return f"{request.method} /{route}"


OUTBOX_USER_HEADER = "HTTP_X_OUTBOX_USER"


class OutboxOwnerMiddleware:
    """An item of a phone's outbox is sent with the id of the user who saved it (`X-Outbox-User`,
    static/js/offline/app.js). When the browser's session is by then someone else's (another user
    signed in on the same phone while the item waited, and the page had not yet learnt it), the
    write is refused before anything is recorded, the key included: the item stays on the phone for
    its own user instead of being booked under another user's name. It sits in front of
    api.idempotency, so the refusal writes nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        owner = request.META.get(OUTBOX_USER_HEADER)
        if owner is not None and request.method in WRITE_METHODS and request.path.startswith("/api/"):
            found = request_token_owner(request)
            user = found[1] if found is not None else request.user
            if user.is_authenticated and str(user.pk) != owner.strip():
                return JsonResponse({"code": "other_user", "message": _(
                    "Catatan ini disimpan oleh pengguna lain di HP ini. Catatan itu tidak dikirim dan tetap "
                    "menunggu sampai pengguna itu masuk lagi.")}, status=409)
        return self.get_response(request)


class WriteRoleMiddleware:
    """Role before body, for every role and every write (accounts.access.OPERATION_KINDS): a role
    that writes none of the operation's kinds gets 403 before its body is parsed or validated, before
    any object is looked up (so the answer is the same for every id) and before an Idempotency-Key is
    recorded (it sits in front of api.idempotency, so a refusal takes no write lock and writes
    nothing). A request without a token in force goes on to authentication (401)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in WRITE_METHODS and request.path.startswith("/api/"):
            kinds = operation_kinds(operation_of(request) or "")
            found = request_token_owner(request) if kinds else None
            if found is not None:
                try:
                    check_role(found[1], kinds)
                except Http404:
                    return JsonResponse({"code": "not_found", "message": _("Data tidak ditemukan.")}, status=404)
                except PermissionDenied:
                    request.user = found[1]  # for the refusal log
                    return JsonResponse({"code": "forbidden", "message": _("Peran Anda tidak boleh melakukan ini.")},
                                        status=403)
        return self.get_response(request)
