"""The dtsen pages (menu "DTSEN"): members by desil and status, the extract upload with its
preview and apply, the duplicate people and their resolution, a member's DTSEN history.

Offices read the counts; only the district office and the administrator (Kind.DTSEN writers)
open the pages that show NIK: the others get 403 there, and everyone else 404 everywhere."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Kind, access_member, access_region, as_id, can_write, refused, region_root, require
from dtsen import selectors, services
from dtsen.forms import ExtractForm, RecordForm, ResolveForm
from dtsen.models import DuplicatePair, Extract
from lib.errors import SikubeError
from lib.forms import apply_error
from registry.models import Member


def _region(request: HttpRequest) -> str:
    root = region_root(request.user) or ""
    code = request.GET.get("wilayah", "").strip()
    return access_region(request.user, code) if code else root


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.DTSEN)
    region = _region(request)
    summary = selectors.desil_summary(request.user, region)
    return render(request, "dtsen/overview.html", {
        "summary": summary, "desils": selectors.DESILS, "can_write": can_write(request.user, Kind.DTSEN),
        "extracts": selectors.extracts_for_user(request.user)[:5] if can_write(request.user, Kind.DTSEN) else [],
    })


@login_required
def extract_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.DTSEN, write=True)
    root = region_root(request.user) or ""
    form = ExtractForm(request.POST or None, request.FILES or None, root=root,
                       mapping=services.mapping_for(request.user),
                       initial={"region": root} if root.count(".") == 1 else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            extract = services.extract_preview(
                actor=request.user, data=upload.read(), file_name=upload.name or "ekstrak",
                region_code=form.cleaned_data["region"].code, data_date=form.cleaned_data["data_date"],
                mapping=form.mapping(), keep_file=form.cleaned_data["keep_file"])
        except SikubeError as exc:
            apply_error(form, exc)
        else:
            return redirect("dtsen:extract", extract.pk)
    return render(request, "dtsen/extract_form.html", {"form": form})


def _extract(request: HttpRequest, extract_id: int) -> Extract:
    extract = selectors.extracts_for_user(request.user).filter(pk=as_id(extract_id)).first()
    if extract is None:
        refused(request.user, "dtsen extract (not found or outside reach)", extract_id)
        raise Http404
    return extract


@login_required
def extract_detail(request: HttpRequest, extract_id: int) -> HttpResponse:
    require(request.user, Kind.DTSEN, write=True)
    extract = _extract(request, extract_id)
    return render(request, "dtsen/extract_detail.html", {
        "extract": extract, "counts": extract.preview.get("counts", {}),
        "lines": selectors.preview_lines(request.user, extract)})


@login_required
@require_POST
def extract_apply(request: HttpRequest, extract_id: int) -> HttpResponse:
    require(request.user, Kind.DTSEN, write=True)
    extract = _extract(request, extract_id)
    try:
        count = services.extract_apply(actor=request.user, extract=extract)
    except SikubeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Ekstrak diterapkan: %(n)s catatan DTSEN anggota tersimpan.") % {"n": count})
    return redirect("dtsen:extract", extract.pk)


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.DTSEN, write=True)
    state = request.GET.get("keadaan", DuplicatePair.State.OPEN)
    if state not in DuplicatePair.State.values:
        state = DuplicatePair.State.OPEN
    pairs = selectors.pairs_for_user(request.user).filter(state=state).order_by("-found_at", "id")
    page = Paginator(pairs, 25).get_page(request.GET.get("page"))
    views = selectors.pair_views(request.user, DuplicatePair.objects.filter(
        pk__in=[p.pk for p in page.object_list]).order_by("-found_at", "id"))
    return render(request, "dtsen/duplicates.html", {"page": page, "pairs": views, "state": state,
                                                     "states": DuplicatePair.State.choices})


@login_required
@require_POST
def duplicates_scan(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.DTSEN, write=True)
    try:
        result = services.duplicates_scan(actor=request.user, region_code=region_root(request.user) or "")
    except SikubeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(m)s anggota aktif diperiksa: %(p)s kemungkinan data ganda, %(n)s baru.")
                         % {"m": result.members, "p": result.pairs, "n": result.new})
    return redirect("dtsen:duplicates")


@login_required
def duplicate_detail(request: HttpRequest, pair_id: int) -> HttpResponse:
    require(request.user, Kind.DTSEN, write=True)
    found = selectors.pair_views(request.user, selectors.pairs_for_user(request.user).filter(pk=as_id(pair_id)))
    if not found:
        refused(request.user, "duplicate pair (not found or outside reach)", pair_id)
        raise Http404
    view = found[0]
    # The two often bear the same name: each choice says which group and since when.
    choices = [(side.member.pk, _("%(name)s — %(kube)s, masuk %(joined)s") % {
        "name": side.member.name, "kube": side.member.kube.name, "joined": side.member.joined_on.strftime("%d-%m-%Y")})
        for side in (view.first, view.second)]
    form = ResolveForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.duplicate_resolve(actor=request.user, pair=view.pair, decision=d["decision"],
                                       member_id=d.get("member"), nik=d.get("nik", ""), note=d.get("note", ""))
        except SikubeError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Kemungkinan data ganda diselesaikan."))
            return redirect("dtsen:duplicates")
    return render(request, "dtsen/duplicate_detail.html", {"view": view, "form": form})


@login_required
def member_record(request: HttpRequest, member_id: int) -> HttpResponse:
    require(request.user, Kind.DTSEN, write=True)
    member: Member = access_member(request.user, member_id)
    form = RecordForm(request.POST or None, initial={"status": member.dtsen_status, "desil": member.dtsen_desil})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_by_hand(actor=request.user, member=member, status=d["status"], desil=d.get("desil"),
                                    data_date=d.get("data_date"), reference=d.get("reference", ""),
                                    note=d.get("note", ""))
        except SikubeError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Catatan DTSEN %(name)s tersimpan.") % {"name": member.name})
            return redirect("dtsen:member", member.pk)
    history = member.dtsen_records.select_related("recorded_by").order_by("-recorded_at", "-id")
    return render(request, "dtsen/member.html", {"member": member, "history": history, "form": form,
                                                 "can_write": can_write(request.user, Kind.DTSEN)})



