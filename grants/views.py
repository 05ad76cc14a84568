"""Grant pages: the office records a grant and its plan; the officers spend it and pass it on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import Kind, access_child, access_kube, can_write, kubes_for_user
from books.errors import BooksError
from front.tabs import book_context
from grants.errors import GrantsError
from grants.forms import GrantForm, OnwardForm, PlanForm, SpendForm
from grants.models import Grant
from grants.selectors import grant_view, grant_views
from grants.services import grant_record, grant_spend, onward_transfer, plan_set
from lib.forms import apply_error
from lib.money import rupiah


@login_required
def grant_list(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.GRANT if request.method == "POST" else None)
    form = GrantForm(request.POST or None, initial={"account_name": kube.name})
    if request.method == "POST" and form.is_valid():
        try:
            grant = grant_record(actor=request.user, kube=kube, **form.cleaned_data)
        except (GrantsError, BooksError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Bantuan %(n)s sebesar %(a)s tercatat dan masuk buku KUBE.")
                             % {"n": grant.name, "a": rupiah(grant.amount)})
            return redirect("grants:detail", kube.pk, grant.pk)
    grants = grant_views(request.user, kube)[::-1]  # the latest first
    return render(request, "grants/list.html", book_context(
        request, kube, "grants", grants=grants, form=form, can_record=can_write(request.user, Kind.GRANT),
        total=sum(g.amount for g in grants), total_passed=sum(g.passed_on for g in grants)))


@login_required
def grant_detail(request: HttpRequest, kube_id: int, grant_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id)
    grant = access_child(request.user, Grant.objects.filter(kube=kube), grant_id)
    view = grant_view(request.user, grant)
    can_plan = can_write(request.user, Kind.GRANT)
    return render(request, "grants/detail.html", book_context(
        request, kube, "grants", grant=view, can_plan=can_plan,
        plan_form=PlanForm(initial={"lines": "\n".join(
            f"{line.item} | {line.quantity} | {line.unit} | {line.unit_cost} | {'ya' if line.is_asset else 'tidak'}"
            for line in view.plan)}),
        spend_form=SpendForm(grant=grant),
        onward_form=OnwardForm(kubes=kubes_for_user(request.user).exclude(pk=kube.pk).order_by("name"))))


@login_required
def grant_plan(request: HttpRequest, kube_id: int, grant_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.GRANT)
    grant = access_child(request.user, Grant.objects.filter(kube=kube), grant_id)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_set(actor=request.user, grant=grant, lines=form.cleaned_data["lines"])
        except (GrantsError, BooksError) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("RAB disimpan."))
    elif request.method == "POST":
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("grants:detail", kube.pk, grant.pk)


@login_required
def grant_spend_view(request: HttpRequest, kube_id: int, grant_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    grant = access_child(request.user, Grant.objects.filter(kube=kube), grant_id)
    form = SpendForm(request.POST or None, grant=grant)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            spend = grant_spend(actor=request.user, plan_line=d["plan_line"], amount=d["amount"],
                                description=d["description"], date=d["date"], location=d["location"])
        except (GrantsError, BooksError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Realisasi %(a)s untuk %(i)s tercatat.")
                             % {"a": rupiah(spend.transaction.amount), "i": spend.plan_line.item})
            return redirect("grants:detail", kube.pk, grant.pk)
    return render(request, "books/form_page.html", book_context(
        request, kube, "grants", form=form, title=_("Realisasi %(g)s") % {"g": grant.name}, submit=_("Simpan")))


@login_required
def grant_onward_view(request: HttpRequest, kube_id: int, grant_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    grant = access_child(request.user, Grant.objects.filter(kube=kube), grant_id)
    form = OnwardForm(request.POST or None, kubes=kubes_for_user(request.user).exclude(pk=kube.pk))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            transfer = onward_transfer(actor=request.user, grant=grant, recipient_kind=d["recipient_kind"],
                                       recipients=d["recipients"], date=d["date"], recipient_kube=d["recipient_kube"],
                                       note=d["note"])
        except (GrantsError, BooksError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Perguliran %(a)s tercatat.") % {"a": rupiah(transfer.transaction.amount)})
            return redirect("grants:detail", kube.pk, grant.pk)
    return render(request, "books/form_page.html", book_context(
        request, kube, "grants", form=form, title=_("Gulirkan %(g)s") % {"g": grant.name}, submit=_("Simpan")))
