from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class BodySizeLimitMiddleware:
    """Refuse an oversized request from its Content-Length, before anything reads it.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE only covers form fields; uploads stream
    to disk without a ceiling. One limit here keeps a phone's 200 MB video (or a
    hostile client) from filling the disk.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_BYTES:
            message = _("Data yang dikirim terlalu besar (batas %(mb)s MB).") % {
                "mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "too_large", "message": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every answer: no page of SIKUBE uses the camera, the microphone, the
    location or any other powerful feature, so none may (an injected script or a framed page
    included). Visit photos are chosen with a plain file input, which opens the phone's own camera
    app without the camera feature. Placed before WhiteNoise so that static files carry it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.value = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.value)
        return response


class IndonesianFirstMiddleware:
    """Bahasa Indonesia unless the user chose otherwise with the language switch.

    Many phones in Indonesia run an English system language; the browser's
    Accept-Language must not turn the interface English for people who read Indonesian.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and API answers may carry personal data: no browser or proxy keeps them.

    Static files are served by WhiteNoise before this runs and keep their long cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response


security_log = logging.getLogger("sikube.security")


class RefusalLogMiddleware:
    """Every refused request (401, 403) in the security log: who (user id and role, never a name),
    what (method and path; no query string, no body), when. accounts.access.refused() logs the
    looks outside reach, which answer 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (401, 403):
            user = getattr(request, "user", None)
            security_log.warning(
                "refused status=%s user=%s role=%s method=%s path=%s", response.status_code,
                getattr(user, "pk", None) or "-", getattr(user, "role", "") or "-", request.method, request.path)
        return response
