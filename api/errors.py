"""Every API error is JSON {"code", "message"} with the message in Indonesian."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from api.idempotency import KeyTaken
from api.parser import NulCharacter
from api.validation import field_key, field_label, message
from lib.errors import SikubeError

log = logging.getLogger("sikube.api")


def install(api: NinjaAPI) -> None:
    def reply(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
        return api.create_response(request, {"code": code, "message": message, **extra}, status=status)

    @api.exception_handler(SikubeError)
    def sikube_error(request: HttpRequest, exc: SikubeError) -> HttpResponse:
        extra: dict[str, Any] = {}
        if exc.field:
            extra["field"] = exc.field
        if exc.details is not None:
            extra["details"] = exc.details
        return reply(request, exc.status, exc.code, exc.message, **extra)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # pydantic's own words are English: each error is said again in Indonesian by its type.
        details = [{"field": field_key(list(e.get("loc", []))), "message": message(e)} for e in exc.errors]
        first = details[0] if details else {"field": "", "message": _("Isi permintaan tidak valid.")}
        extra: dict[str, Any] = {"details": details}
        if first["field"]:
            extra["field"] = first["field"]
        return reply(request, 422, "invalid", first["message"], **extra)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return reply(request, 401, "unauthorized",
                     _("Token tidak ada, tidak dikenal atau sudah dicabut."))

    @api.exception_handler(AuthorizationError)
    def forbidden_ninja(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return reply(request, 403, "forbidden", _("Peran Anda tidak boleh melakukan ini."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return reply(request, 403, "forbidden", _("Peran Anda tidak boleh melakukan ini."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return reply(request, 404, "not_found", _("Data tidak ditemukan."))

    @api.exception_handler(NulCharacter)
    def nul_character(request: HttpRequest, exc: NulCharacter) -> HttpResponse:
        text = _("%(field)s memuat karakter NUL (kode 0), yang tidak bisa disimpan. Hapus karakter itu, "
                 "lalu kirim lagi.") % {"field": field_label(list(exc.loc))}
        field = field_key(list(exc.loc))
        return reply(request, 422, "invalid", text, details=[{"field": field, "message": text}],
                     **({"field": field} if field else {}))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, NulCharacter):  # raised while ninja read the body
            return nul_character(request, exc.__cause__)
        code = {400: "bad_request", 405: "method_not_allowed", 413: "too_large",
                429: "too_many_requests"}.get(exc.status_code, "error")
        text = str(exc)
        if text.startswith("Cannot parse request body"):  # django-ninja's own, in English
            text = _("Isi permintaan bukan JSON yang sah. Kirim objek JSON dengan Content-Type: application/json.")
        return reply(request, exc.status_code, code, text)

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return reply(request, 400, "bad_request",
                     _("Isi permintaan multipart rusak (batas atau bagiannya tidak terbaca). Kirim ulang berkasnya."))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return reply(request, 413, "too_large", _("Data yang dikirim terlalu besar."))

    @api.exception_handler(KeyTaken)
    def copy_stopped(request: HttpRequest, exc: KeyTaken) -> HttpResponse:
        # Thrown away by the idempotency middleware, which replays the first copy's answer.
        return reply(request, 409, "idempotency_in_progress", _("Permintaan ini sudah dicatat."))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("api server error path=%s", request.path)
        return reply(request, 500, "server_error",
                     _("Terjadi kesalahan di server. Coba lagi; bila berulang, hubungi admin."))
