from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import Kind, require
from audit.models import Action, AuditEntry


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.AUDIT)
    qs = AuditEntry.objects.all()
    username = request.GET.get("user", "").strip()
    if username:
        qs = qs.filter(actor_username=username.lower())
    kube = request.GET.get("kube", "").strip()
    if kube.isdigit():
        qs = qs.filter(kube_id=int(kube))
    action = request.GET.get("action", "")
    if action in Action.values:
        qs = qs.filter(action=action)
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        qs = qs.filter(at__lte=datetime.combine(end, time.max, tzinfo=tz))
    page = Paginator(qs.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {
        "page": page, "actions": Action.choices,
        "f": {"user": username, "kube": kube, "action": action,
              "from": request.GET.get("from", ""), "to": request.GET.get("to", "")},
    })
