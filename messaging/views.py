"""The group's messages page (counts, consent, phones that keep failing) and the gateways' webhooks.

The page is read by everyone in the group's reach; phones are masked for those who do not see
personal data (accounts.access.sees_personal_data). Consent is recorded and withdrawn by those who
keep the members' records (Kind.MEMBER: the district office, the mentor, the administrator).

The webhooks are the gateways' doors in: no session, no CSRF token (a gateway has neither), each
authenticated by its shared secret, compared in constant time; an unset secret closes the door (404).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import Kind, access_child, access_kube, may_write, sees_personal_data
from front.tabs import book_context
from lib.forms import apply_error
from lib.personal import mask_phone
from messaging.forms import ConsentForm, WithdrawForm
from messaging.selectors import group_messages
from messaging.services import MessagingError, consent_record, consent_withdraw, delivery_report, inbound_reply
from registry.models import Member

log = logging.getLogger("sikube.messaging")


@login_required
def group(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.MEMBER if request.method == "POST" else None)
    view = group_messages(kube)
    can_consent = may_write(request.user, kube, Kind.MEMBER)
    choices = [(r.member.pk, r.member.name) for r in view.members if r.consent is None and r.member.phone]
    form = ConsentForm(request.POST or None, members=choices)
    if request.method == "POST" and form.is_valid():
        member = access_child(request.user, Member.objects.filter(kube=kube), form.cleaned_data["member"])
        try:
            consent_record(actor=request.user, member=member, given_on=form.cleaned_data["given_on"],
                           method=form.cleaned_data["method"])
        except MessagingError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Persetujuan %(m)s menerima pesan dicatat.") % {"m": member.name})
            return redirect("messaging:group", kube.pk)
    unmasked = sees_personal_data(request.user)
    rows = [(r, r.member.phone if unmasked or sees_personal_data(request.user, r.member) else mask_phone(r.member.phone))
            for r in view.members]
    return render(request, "messaging/group.html", book_context(
        request, kube, "messages", view=view, rows=rows, form=form, can_consent=can_consent,
        failing=[(r, phone) for r, phone in rows if r.failing]))


@login_required
@require_POST
def withdraw(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.MEMBER)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        raise Http404
    member = access_child(request.user, Member.objects.filter(kube=kube), form.cleaned_data["member"])
    try:
        consent_withdraw(actor=request.user, member=member)
    except MessagingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Persetujuan %(m)s dicabut; pesan yang menunggu tidak dikirim.") % {"m": member.name})
    return redirect("messaging:group", kube.pk)


# --- the gateways' webhooks ---------------------------------------------------------------------

def _signed_by_meta(request: HttpRequest) -> bool:
    given = request.headers.get("X-Hub-Signature-256", "")
    wanted = "sha256=" + hmac.new(settings.WHATSAPP_APP_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(given, wanted)


def _whatsapp_events(payload: dict[str, Any]) -> tuple[int, int]:
    """Replies and delivery statuses of a Cloud API webhook: (consents withdrawn, statuses applied)."""
    withdrawn = applied = 0
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for incoming in value.get("messages") or []:
                text = (incoming.get("text") or {}).get("body", "") or (incoming.get("button") or {}).get("text", "")
                withdrawn += inbound_reply(phone=str(incoming.get("from", "")), text=str(text))
            for status in value.get("statuses") or []:
                state = status.get("status")
                if state in ("delivered", "read"):
                    applied += delivery_report(provider_id=str(status.get("id", "")), delivered=True)
                elif state == "failed":
                    errors = status.get("errors") or [{}]
                    applied += delivery_report(provider_id=str(status.get("id", "")), delivered=False,
                                               error=f"{errors[0].get('code', '')} {errors[0].get('title', '')}".strip())
    return withdrawn, applied


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    """Meta's subscription check (GET, the verify token) and its events (POST, signed with the app secret)."""
    if not (settings.WHATSAPP_APP_SECRET and settings.WHATSAPP_VERIFY_TOKEN):
        raise Http404
    if request.method == "GET":
        token = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") == "subscribe" and hmac.compare_digest(token, settings.WHATSAPP_VERIFY_TOKEN):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse(status=403)
    if not _signed_by_meta(request):
        log.warning("webhook WhatsApp: tanda tangan tidak cocok")
        return HttpResponse(status=403)
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    withdrawn, applied = _whatsapp_events(payload if isinstance(payload, dict) else {})
    return JsonResponse({"withdrawn": withdrawn, "statuses": applied})


@csrf_exempt
@require_POST
def sms_webhook(request: HttpRequest) -> HttpResponse:
    """Inbound SMS forwarded by the gateway (form or JSON fields `from` and `text`, or Zenziva's
    inbox names `nohp` and `pesan`), the shared secret in the X-Sikube-Secret header."""
    secret = settings.MESSAGING_WEBHOOK_SECRET
    if not secret:
        raise Http404
    if not hmac.compare_digest(request.headers.get("X-Sikube-Secret", ""), secret):
        return HttpResponse(status=403)
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError:
            return HttpResponse(status=400)
        data = data if isinstance(data, dict) else {}
    else:
        data = request.POST.dict()
    phone = str(data.get("from") or data.get("nohp") or "")
    text = str(data.get("text") or data.get("pesan") or "")
    return JsonResponse({"withdrawn": inbound_reply(phone=phone, text=text)})
