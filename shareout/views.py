"""The share-out's pages under the group's tab "Bagi Hasil": the rule, the yearly close, each
year's proposal with its working, the meeting's decision and the posting; and a member's own share.
Every write goes through shareout/services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Kind, access_kube
from front.tabs import book_context
from lib.forms import apply_error
from lib.money import rupiah
from registry.models import Kube
from shareout.errors import ShareOutError
from shareout.forms import DecisionForm, RuleForm, YearForm
from shareout.models import ShareOut, Status
from shareout.selectors import current_rule, my_shares, share_out_view, share_outs_of, year_figures
from shareout.services import share_out_decide, share_out_post, share_out_propose, share_rule_adopt, year_close


def _kube(request: HttpRequest, kube_id: int) -> Kube:
    """As the book pages: reading for everyone in reach, writing for those who keep the books."""
    return access_kube(request.user, kube_id, write=Kind.BOOKS if request.method == "POST" else None)


def _years(kube: Kube) -> list[int]:
    """The group's ended years, newest first."""
    last = timezone.localdate().year - 1
    return list(range(last, kube.formed_on.year - 1, -1))


@login_required
def home(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = _kube(request, kube_id)
    rule = current_rule(kube)
    rule_form = RuleForm(request.POST or None, prefix="rule", initial={
        k: getattr(rule, k) for k in ("capital_percent", "members_percent", "weight_equal", "weight_savings",
                                      "weight_work", "leavers", "payout")} if rule else None)
    if request.method == "POST" and rule_form.is_valid():
        d = rule_form.cleaned_data
        try:
            adopted = share_rule_adopt(actor=request.user, kube=kube, adopted_on=d["adopted_on"],
                                       capital_percent=d["capital_percent"], members_percent=d["members_percent"],
                                       weight_equal=d["weight_equal"] or 0, weight_savings=d["weight_savings"] or 0,
                                       weight_work=d["weight_work"] or 0, leavers=d["leavers"], payout=d["payout"])
        except ShareOutError as exc:
            apply_error(rule_form, exc)
        else:
            messages.success(request, _("Aturan pembagian hasil usaha versi %(v)s disahkan.") % {"v": adopted.version})
            return redirect("shareout:home", kube.pk)
    closes = {c.year: c for c in kube.year_closes.all()}
    outs = {s.year: s for s in share_outs_of(kube)}
    years = [(y, closes.get(y), outs.get(y), None if y in closes else year_figures(kube, y)) for y in _years(kube)]
    return render(request, "shareout/home.html", book_context(
        request, kube, "shareout", rule=rule, rules=list(kube.share_rules.select_related("rules").order_by("-version")),
        rule_form=rule_form, years=years, is_member=kube.members.filter(user_id=request.user.pk or 0).exists()))


def _refused(request: HttpRequest, exc: ShareOutError) -> None:
    messages.error(request, exc.message)


@login_required
@require_POST
def close_year(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = _kube(request, kube_id)
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tahun buku ditulis empat angka, misalnya 2026."))
        return redirect("shareout:home", kube.pk)
    try:
        closing = year_close(actor=request.user, kube=kube, year=form.cleaned_data["year"])
    except ShareOutError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Tahun buku %(y)s ditutup: laba setelah IKS %(p)s.")
                         % {"y": closing.year, "p": rupiah(closing.profit_after_iks)})
    return redirect("shareout:home", kube.pk)


@login_required
@require_POST
def propose(request: HttpRequest, kube_id: int, year: int) -> HttpResponse:
    kube = _kube(request, kube_id)
    try:
        share_out_propose(actor=request.user, kube=kube, year=year)
    except ShareOutError as exc:
        _refused(request, exc)
        return redirect("shareout:home", kube.pk)
    messages.success(request, _("Usulan pembagian hasil usaha tahun %(y)s dihitung menurut aturan.") % {"y": year})
    return redirect("shareout:detail", kube.pk, year)


def _share_out(kube: Kube, year: int) -> ShareOut:
    found = ShareOut.objects.filter(kube=kube, year=year).select_related("rule", "rule__rules", "transaction").first()
    if found is None:
        raise Http404
    return found


@login_required
def detail(request: HttpRequest, kube_id: int, year: int) -> HttpResponse:
    kube = _kube(request, kube_id)
    share_out = _share_out(kube, year)
    lines = list(share_out.lines.select_related("member").order_by("id"))
    form = DecisionForm(request.POST or None, lines=lines, initial={
        "meeting_date": share_out.meeting_date or timezone.localdate(), "present": share_out.present,
        "decision": share_out.decision})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            share_out_decide(actor=request.user, share_out=share_out, meeting_date=d["meeting_date"],
                             present=d["present"], decision=d["decision"], adjustments=form.adjustments(),
                             payouts=form.payouts())
        except ShareOutError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Keputusan musyawarah dicatat. Periksa lalu bukukan."))
            return redirect("shareout:detail", kube.pk, year)
    return render(request, "shareout/detail.html", book_context(
        request, kube, "shareout", view=share_out_view(share_out), share_out=share_out, form=form,
        editable=share_out.status != Status.POSTED))


@login_required
@require_POST
def post(request: HttpRequest, kube_id: int, year: int) -> HttpResponse:
    kube = _kube(request, kube_id)
    share_out = _share_out(kube, year)
    try:
        share_out = share_out_post(actor=request.user, share_out=share_out)
    except ShareOutError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Pembagian hasil usaha tahun %(y)s dibukukan: %(m)s kepada anggota.")
                         % {"y": year, "m": rupiah(share_out.members_total)})
    return redirect("shareout:detail", kube.pk, year)


@login_required
def mine(request: HttpRequest, kube_id: int) -> HttpResponse:
    """A member's own share of each year and how it was worked out."""
    kube = _kube(request, kube_id)
    member = kube.members.filter(user_id=request.user.pk or 0).order_by("-joined_on").first()
    if member is None:
        raise Http404
    return render(request, "shareout/mine.html", book_context(
        request, kube, "shareout", member=member, shares=my_shares(kube, member)))
