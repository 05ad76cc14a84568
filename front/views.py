from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import kubes_for_user, region_root, role_of
from accounts.models import GROUP_ROLES, Role
from front.navigation import ROLE_HOME_HINT
from regions.models import Region

log = logging.getLogger(__name__)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.exception("healthz: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if role_of(user) in GROUP_ROLES:
        kube = kubes_for_user(user).first()
        if kube is not None:
            return redirect("registry:detail", kube.pk)
    if role_of(user) == Role.PENDAMPING:
        return redirect("mentoring:workspace")
    root = region_root(user)
    region = Region.objects.filter(pk=root).first() if root else None
    kubes = kubes_for_user(user)
    context = {
        "hint": ROLE_HOME_HINT.get(Role(role_of(user))) if role_of(user) else "",
        "region": region,
        "kube_count": kubes.count(),
        "recent_kubes": kubes.select_related("desa").order_by("-created_at", "-id")[:5],
    }
    return render(request, "front/home.html", context)
