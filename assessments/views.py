"""PEKA pages: a group's sessions, the scoring grid, results with the analysis table and radar,
priorities and the follow-up plan (RTL), comparison, the report; instruments; the regional roll-up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import Kind, access_child, access_kube, can_write
from assessments import documents
from assessments.errors import AssessmentError
from assessments.forms import DetailsForm, RtlForm, RtlStatusForm, StartForm, VersionForm, history_text
from assessments.models import Assessment, InstrumentVersion, Item, Mode, RtlAction, RtlStatus
from assessments.selectors import (
    Results,
    comparison,
    previous_of,
    priorities_of,
    region_groups,
    results,
    rollup,
    session_views,
)
from assessments.services import (
    assessment_details_save,
    assessment_start,
    instrument_text,
    instrument_version_publish,
    instrument_version_retire,
    priorities_set,
    rtl_action_add,
    rtl_action_status,
    rtl_link_activity,
    rtl_to_work_plan,
    scores_save,
)
from books.models import Activity
from front.tabs import book_context
from lib.charts import chart_json
from lib.forms import apply_error
from lib.http import pdf_response, xlsx_response
from regions.models import Region
from registry.models import Kube


def _assessment(request: HttpRequest, kube_id: int, assessment_id: int, *, write: bool = False
                ) -> tuple[Kube, Assessment]:
    kube = access_kube(request.user, kube_id, write=Kind.ASSESSMENT if write else None)
    assessment = access_child(request.user, Assessment.objects.select_related("version__instrument", "kube__desa")
                              .filter(kube=kube), assessment_id)
    return kube, assessment


@login_required
def assessment_list(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id)
    sessions = session_views(kube.assessments.order_by("-date", "-id"))
    return render(request, "assessments/list.html", book_context(
        request, kube, "peka", sessions=sessions, can_assess=can_write(request.user, Kind.ASSESSMENT)))


@login_required
def assessment_new(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.ASSESSMENT)
    form = StartForm(request.POST or None, kube=kube,
                     initial={"facilitator_name": getattr(request.user, "full_name", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            assessment = assessment_start(
                actor=request.user, kube=kube, version=d["version"], date=d["date"], mode=d["mode"],
                participants=d["participants"], facilitator_name=d["facilitator_name"], place=d["place"],
                reflection=d["reflection"], history=d["history"])
        except AssessmentError as exc:
            apply_error(form, exc)
        else:
            count = assessment.participants.count()
            messages.success(request, ngettext("Penilaian dimulai dengan %(n)s peserta. Isi nilainya.",
                                               "Penilaian dimulai dengan %(n)s peserta. Isi nilainya.", count)
                             % {"n": count})
            return redirect("assessments:scores", kube.pk, assessment.pk)
    return render(request, "books/form_page.html", book_context(
        request, kube, "peka", form=form, title=_("Mulai penilaian kapasitas (PEKA)"), submit=_("Mulai")))


@login_required
def assessment_edit(request: HttpRequest, kube_id: int, assessment_id: int) -> HttpResponse:
    kube, assessment = _assessment(request, kube_id, assessment_id, write=True)
    form = DetailsForm(request.POST or None, kube=kube, initial={
        "facilitator_name": assessment.facilitator_name, "place": assessment.place,
        "reflection": assessment.reflection, "history": history_text(assessment),
        "participants": [p.member_id for p in assessment.participants.all()]})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            assessment_details_save(actor=request.user, assessment=assessment, participants=d["participants"],
                                    place=d["place"], reflection=d["reflection"], history=d["history"],
                                    facilitator_name=d["facilitator_name"])
        except AssessmentError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Data penilaian tersimpan."))
            return redirect("assessments:detail", kube.pk, assessment.pk)
    return render(request, "books/form_page.html", book_context(
        request, kube, "peka", form=form, title=_("Ubah data penilaian"), submit=_("Simpan")))


def _posted_scores(request: HttpRequest, items: dict[int, Item]) -> dict[tuple[int | None, int], int | None]:
    """Fields n-<participant id or k>-<item id>: a score, or empty to clear it."""
    scores: dict[tuple[int | None, int], int | None] = {}
    for key in request.POST:
        raw = request.POST.get(key, "")
        if not key.startswith("n-"):
            continue
        try:
            _n, who, item_id = key.split("-")
            participant_id = None if who == "k" else int(who)
            item = items[int(item_id)]
        except (ValueError, KeyError):
            raise AssessmentError(_("Isian nilai tidak dikenal.")) from None
        raw = raw.strip()
        if not raw:
            scores[(participant_id, item.pk)] = None
            continue
        try:
            scores[(participant_id, item.pk)] = int(raw)
        except ValueError:
            raise AssessmentError(_("Nilai \"%(v)s\" untuk ciri %(i)s bukan angka bulat.")
                                  % {"v": raw[:10], "i": item.number}, field="scores") from None
    return scores


@login_required
def assessment_scores(request: HttpRequest, kube_id: int, assessment_id: int) -> HttpResponse:
    """The scoring grid: every participant × every item on a laptop; one participant at a time on a phone."""
    kube, assessment = _assessment(request, kube_id, assessment_id, write=True)
    version = assessment.version
    items = {i.pk: i for i in version.items.all()}
    participants = list(assessment.participants.select_related("member").order_by("member__name"))
    one = request.GET.get("peserta")
    shown = participants
    if one and assessment.mode == Mode.PARTICIPANTS:
        shown = [p for p in participants if str(p.pk) == one]
        if not shown:
            raise Http404
    values = {(s.participant_id, s.item_id): s.value for s in assessment.scores.all()}
    error = None
    if request.method == "POST":
        try:
            posted = _posted_scores(request, items)
            changed = scores_save(actor=request.user, assessment=assessment, scores=posted)
        except AssessmentError as exc:
            error = exc.message
            values.update({k: v for k, v in _loose(request, items).items()})
        else:
            messages.success(request, ngettext("Nilai tersimpan (%(n)s perubahan).", "Nilai tersimpan (%(n)s perubahan).",
                                               changed) % {"n": changed})
            if "selesai" in request.POST:
                return redirect("assessments:detail", kube.pk, assessment.pk)
            if one:
                following = next((p for p in participants if p.pk > int(one)), None) if "berikut" in request.POST \
                    else None
                target = following.pk if following else one
                return redirect(f"{request.path}?peserta={target}")
            return redirect(request.path)
    columns: list[tuple[str, str]] = (
        [("k", _("Kesepakatan"))] if assessment.mode == Mode.CONSENSUS
        else [(str(p.pk), p.member.name) for p in shown])
    grid = []
    for domain in version.domains.prefetch_related("items"):
        rows = []
        for item in domain.items.all():
            cells = [(f"n-{who}-{item.pk}", values.get((None if who == "k" else int(who), item.pk)), name)
                     for who, name in columns]
            rows.append((item, cells))
        grid.append((domain, rows))
    switch = [(p, sum(1 for (pid, _i), v in values.items() if pid == p.pk and v not in (None, "")))
              for p in participants]
    return render(request, "assessments/scores.html", book_context(
        request, kube, "peka", assessment=assessment, version=version, grid=grid, columns=columns, switch=switch,
        one=one, error=error, item_count=len(items), scale=[(v, version.label_for(v)) for v in version.scale]))


def _loose(request: HttpRequest, items: dict[int, Item]) -> dict[tuple[int | None, int], Any]:
    """What was typed, to show it back next to the message when the scores were refused."""
    typed: dict[tuple[int | None, int], Any] = {}
    for key in request.POST:
        raw = request.POST.get(key, "")
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "n" and parts[2].isdigit() and int(parts[2]) in items:
            who = None if parts[1] == "k" else (int(parts[1]) if parts[1].isdigit() else None)
            typed[(who, int(parts[2]))] = raw.strip() or None
    return typed


@login_required
def assessment_detail(request: HttpRequest, kube_id: int, assessment_id: int) -> HttpResponse:
    kube, assessment = _assessment(request, kube_id, assessment_id)
    res: Results = results(assessment)
    priorities = priorities_of(assessment)
    can_assess = can_write(request.user, Kind.ASSESSMENT)
    actions = list(assessment.actions.select_related("item", "person", "work_plan_item", "agenda_activity")
                   .order_by("due_on", "id"))
    earlier = previous_of(assessment)
    chart = chart_json("radar", [f"{d.domain.number}. {d.domain.name}" for d in res.domains],
                       [(date_format(assessment.date, "j M Y"), [d.mean for d in res.domains])],
                       top=assessment.version.scale_max)
    ranks = {p.item_id: p.rank for p in priorities}
    return render(request, "assessments/detail.html", book_context(
        request, kube, "peka", assessment=assessment, res=res, priorities=priorities, actions=actions,
        earlier=earlier, chart=chart, can_assess=can_assess, ranks=ranks,
        rank_choices=range(1, len(res.weak) + 1),
        can_update_rtl=can_assess or can_write(request.user, Kind.BOOKS),
        rtl_form=RtlForm(kube=kube, priorities=priorities) if priorities else None,
        status_choices=RtlStatus.choices,
        activities=kube.activities.order_by("-date")[:50] if can_assess else [],
        participant_names=[p.member.name for p in assessment.participants.select_related("member")
                           .order_by("member__name")]))


@login_required
@require_POST
def priorities_save(request: HttpRequest, kube_id: int, assessment_id: int) -> HttpResponse:
    kube, assessment = _assessment(request, kube_id, assessment_id, write=True)
    items = {i.pk: i for i in assessment.version.items.all()}
    ranked: list[tuple[int, Item]] = []
    for key in request.POST:
        raw = request.POST.get(key, "")
        if key.startswith("p-") and raw.strip():
            try:
                ranked.append((int(raw), items[int(key[2:])]))
            except (ValueError, KeyError):
                messages.error(request, _("Urutan prioritas tidak terbaca."))
                return redirect("assessments:detail", kube.pk, assessment.pk)
    ranks = [r for r, _i in ranked]
    if len(set(ranks)) != len(ranks):
        messages.error(request, _("Dua ciri mendapat urutan yang sama; beri setiap prioritas urutan sendiri."))
        return redirect("assessments:detail", kube.pk, assessment.pk)
    try:
        priorities_set(actor=request.user, assessment=assessment, items=[i for _r, i in sorted(ranked)])
    except AssessmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Prioritas tersimpan."))
    return redirect(f"{_detail_url(kube, assessment)}#prioritas")


def _detail_url(kube: Kube, assessment: Assessment) -> str:
    return reverse("assessments:detail", args=[kube.pk, assessment.pk])


@login_required
@require_POST
def rtl_add(request: HttpRequest, kube_id: int, assessment_id: int) -> HttpResponse:
    kube, assessment = _assessment(request, kube_id, assessment_id, write=True)
    priorities = priorities_of(assessment)
    form = RtlForm(request.POST, kube=kube, priorities=priorities)
    if form.is_valid():
        d = form.cleaned_data
        try:
            rtl_action_add(actor=request.user, assessment=assessment, item=assessment.version.items.get(pk=d["item"]),
                           activity=d["activity"], aim=d["aim"], person=d["person"], due_on=d["due_on"],
                           indicator=d["indicator"], target=d["target"])
        except AssessmentError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Aksi RTL ditambahkan."))
            return redirect(f"{_detail_url(kube, assessment)}#rtl")
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{_detail_url(kube, assessment)}#rtl")


@login_required
@require_POST
def rtl_update(request: HttpRequest, kube_id: int, assessment_id: int, action_id: int) -> HttpResponse:
    kube, assessment = _assessment(request, kube_id, assessment_id)
    action = access_child(request.user, RtlAction.objects.filter(assessment=assessment), action_id, via="assessment__kube")
    writer = can_write(request.user, Kind.ASSESSMENT)
    if not (writer or can_write(request.user, Kind.BOOKS)):
        raise PermissionDenied
    try:
        if "work_plan" in request.POST:
            if not writer:
                raise PermissionDenied
            rtl_to_work_plan(actor=request.user, action=action)
            messages.success(request, _("Aksi dicatat di Buku Rencana Kerja."))
        elif "agenda_activity" in request.POST:
            if not writer:
                raise PermissionDenied
            raw = request.POST.get("agenda_activity", "")
            activity = access_child(request.user, Activity.objects.filter(kube=kube), int(raw)) if raw.isdigit() else None
            rtl_link_activity(actor=request.user, action=action, activity=activity)
            messages.success(request, _("Kegiatan pelaksana tersimpan."))
        else:
            form = RtlStatusForm(request.POST)
            if not form.is_valid():
                raise AssessmentError(_("Pilih status."))
            rtl_action_status(actor=request.user, action=action, status=form.cleaned_data["status"],
                              note=form.cleaned_data["note"])
            messages.success(request, _("Status aksi RTL diperbarui."))
    except AssessmentError as exc:
        messages.error(request, exc.message)
    return redirect(f"{_detail_url(kube, assessment)}#rtl")


@login_required
def assessment_compare(request: HttpRequest, kube_id: int, assessment_id: int, earlier_id: int) -> HttpResponse:
    kube, assessment = _assessment(request, kube_id, assessment_id)
    earlier = access_child(request.user, Assessment.objects.filter(kube=kube), earlier_id)
    if earlier.version.instrument_id != assessment.version.instrument_id:
        raise Http404
    comp = comparison(assessment, earlier)
    chart = chart_json("radar", [f"{r.number}. {r.text}" for r in comp.domains], [
        (date_format(earlier.date, "j M Y"), [r.before for r in comp.domains]),
        (date_format(assessment.date, "j M Y"), [r.after for r in comp.domains])], top=assessment.version.scale_max)
    return render(request, "assessments/compare.html", book_context(
        request, kube, "peka", assessment=assessment, earlier=earlier, comp=comp, chart=chart))


@login_required
def assessment_pdf(request: HttpRequest, kube_id: int, assessment_id: int) -> HttpResponse:
    kube, assessment = _assessment(request, kube_id, assessment_id)
    return pdf_response(documents.assessment_pdf(assessment, printed_by=request.user.get_username()),
                        filename=f"peka-{kube.reg_number}-{assessment.date:%Y-%m-%d}.pdf")


@login_required
def assessment_xlsx(request: HttpRequest, kube_id: int, assessment_id: int) -> HttpResponse:
    kube, assessment = _assessment(request, kube_id, assessment_id)
    return xlsx_response(documents.scores_xlsx(assessment),
                         filename=f"peka-nilai-{kube.reg_number}-{assessment.date:%Y-%m-%d}.xlsx")


# --- instruments ---------------------------------------------------------------------------------

@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    rows = InstrumentVersion.objects.select_related("instrument").order_by("instrument__name", "-number")
    return render(request, "assessments/instruments.html", {
        "versions": rows, "can_edit": can_write(request.user, Kind.SYSTEM)})


@login_required
def instrument_version(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(InstrumentVersion.objects.select_related("instrument"), pk=version_id)
    if request.method == "POST":
        if not can_write(request.user, Kind.SYSTEM):
            raise PermissionDenied
        try:
            instrument_version_retire(actor=request.user, version=version, on=timezone.localdate())
        except AssessmentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Versi %(v)s tidak dipakai lagi untuk penilaian baru.") % {"v": version.number})
        return redirect("assessments:instrument", version.pk)
    return render(request, "assessments/instrument.html", {
        "version": version, "domains": version.domains.prefetch_related("items"),
        "labels": [(v, version.label_for(v)) for v in version.scale],
        "used": version.assessments.count(), "can_edit": can_write(request.user, Kind.SYSTEM)})


@login_required
def instrument_version_new(request: HttpRequest, version_id: int) -> HttpResponse:
    if not can_write(request.user, Kind.SYSTEM):
        raise PermissionDenied
    base = get_object_or_404(InstrumentVersion.objects.select_related("instrument"), pk=version_id)
    form = VersionForm(request.POST or None, initial={
        "scale_min": base.scale_min, "scale_max": base.scale_max, "standard": base.standard,
        "scale_labels": "\n".join(base.scale_labels or []), "items_text": instrument_text(base)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            version = instrument_version_publish(
                actor=request.user, instrument=base.instrument, items_text=d["items_text"], scale_min=d["scale_min"],
                scale_max=d["scale_max"], scale_labels=d["scale_labels"].splitlines(), standard=d["standard"],
                published_on=d["published_on"], note=d["note"])
        except AssessmentError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Versi %(v)s diterbitkan; versi sebelumnya tidak dipakai lagi untuk penilaian "
                                        "baru.") % {"v": version.number})
            return redirect("assessments:instrument", version.pk)
    return render(request, "form_page.html", {
        "form": form, "title": _("Versi baru %(i)s") % {"i": base.instrument.name}, "submit": _("Terbitkan")})


# --- the regional roll-up ----------------------------------------------------------------------------

@login_required
def region_rollup(request: HttpRequest) -> HttpResponse:
    """Offices: mean domain scores over the groups' latest assessments, and the items most often weak."""
    code, kubes, instrument = region_groups(request.user, request.GET.get("wilayah"))
    region = Region.objects.filter(pk=code).first() if code else None
    if code and region is None:
        raise Http404
    summary = rollup(kubes, instrument.pk)
    children: list[tuple[Region, int]] = []
    if not region or region.level < 4:
        length = len(code) + 3 if code else 2  # "32" → "32.04" → "32.04.06" → "32.04.06.2003"
        if region and region.level == 3:
            length = len(code) + 5
        counts = dict(kubes.exclude(status="bubar").annotate(prefix=Substr("desa_id", 1, length))
                      .values("prefix").annotate(n=Count("id")).values_list("prefix", "n"))
        children = [(r, counts[r.code]) for r in Region.objects.filter(code__in=counts).order_by("name")]
    chart = chart_json("radar", [f"{n}. {name}" for n, name, _m in summary.domains],
                       [(region.label if region else _("Nasional"), [m for _n, _name, m in summary.domains])], top=4)
    return render(request, "assessments/rollup.html", {
        "summary": summary, "region": region, "children": children, "chart": chart, "instrument": instrument,
        "groups_in_region": kubes.exclude(status="bubar").count()})
