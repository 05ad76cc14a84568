"""404 and 405 under /api/ answer the API's JSON error, not Django's HTML page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


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
