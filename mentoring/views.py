"""The mentor's pages: workspace, visits, follow-ups, photos, evaluations, the stage checklist;
the offices' assistance events and mentor assignment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import (
    Kind,
    access_child,
    access_kube,
    access_mentor_workspace,
    access_one,
    can_write,
    check_role,
    kubes_for_user,
    may_write,
    mentors_for_user,
    require_office,
)
from books.models import Activity
from front.tabs import book_context
from lib.forms import apply_error
from lib.http import pdf_response, private_image_response
from mentoring import documents
from mentoring.errors import MentoringError
from mentoring.forms import AssignKecamatanForm, EvaluationForm, EventForm, PromoteForm, VisitForm
from mentoring.models import AssistanceEvent, Book, Evaluation, StageCriterion, Visit, VisitPhoto
from mentoring.selectors import (
    event_participations,
    events_in_reach,
    mentor_loads,
    participant_names,
    visit_history,
    workspace,
)
from mentoring.services import (
    NEXT_STAGE,
    AuditLine,
    NewFollowUp,
    evaluation_record,
    event_record,
    follow_up_close,
    latest_checks,
    mentor_assign_kecamatan,
    stage_check_set,
    stage_promote,
    visit_log,
    visit_photo_add,
)
from registry.choices import Stage
from registry.models import Kube


@login_required
def workspace_view(request: HttpRequest, mentor_id: int | None = None) -> HttpResponse:
    mentor, groups = access_mentor_workspace(request.user, mentor_id)
    today = timezone.localdate()
    rows = workspace(groups, today=today)
    return render(request, "mentoring/workspace.html", {
        "mentor": mentor, "rows": rows, "today": today, "own": mentor.pk == request.user.pk,
        "attention": [r for r in rows if r.needs_attention]})


@login_required
def mentors(request: HttpRequest) -> HttpResponse:
    """Offices: the mentors working in their region and how their groups fare."""
    require_office(request.user)
    kubes = kubes_for_user(request.user)
    # The office's own mentors: home region within its reach (accounts.access.mentors_for_user).
    rows = mentor_loads(list(mentors_for_user(request.user).order_by("full_name", "id")), kubes)
    unassigned = kubes.filter(pendamping__isnull=True).exclude(status="bubar").count()
    return render(request, "mentoring/mentors.html", {"rows": rows, "unassigned": unassigned,
                                                      "can_assign": can_write(request.user, Kind.KUBE)})


def _visit_form_data(form: VisitForm) -> dict[str, Any]:
    d = form.cleaned_data
    audits = [AuditLine(b.value, d[f"audit_{b.value}_checked"], d[f"audit_{b.value}_in_order"],
                        d[f"audit_{b.value}_findings"]) for b in Book
              if d[f"audit_{b.value}_checked"] or d[f"audit_{b.value}_in_order"] or d[f"audit_{b.value}_findings"]]
    follow_ups = [NewFollowUp(d[f"fu_{i}_action"], d[f"fu_{i}_person"], d[f"fu_{i}_due_on"])
                  for i in range(3) if d[f"fu_{i}_action"] or d[f"fu_{i}_person"] or d[f"fu_{i}_due_on"]]
    return {"audits": audits, "follow_ups": follow_ups, "close": [(f, "") for f in d["close"]]}


@login_required
def visit_new(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.VISIT)
    form = VisitForm(request.POST or None, request.FILES or None, kube=kube)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit = visit_log(actor=request.user, kube=kube, date=d["date"], kind=d["kind"], place=d["place"],
                              start_time=d["start_time"], end_time=d["end_time"], problems=d["problems"],
                              solutions=d["solutions"], present=d["present"],
                              treasurer_report_reviewed=d["treasurer_report_reviewed"], **_visit_form_data(form))
        except MentoringError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Kunjungan %(d)s tercatat; kehadiran %(p)s dari %(n)s anggota.")
                             % {"d": date_format(visit.date, "j F Y"), "p": visit.members_present,
                                "n": visit.members_active})
            # Photos come last and one by one: a bad photo is refused, the visit is kept.
            for upload in request.FILES.getlist("photos"):
                try:
                    visit_photo_add(actor=request.user, visit=visit, upload=upload)
                except MentoringError as exc:
                    messages.warning(request, exc.message)
            return redirect("mentoring:visit", kube.pk, visit.pk)
    return render(request, "mentoring/visit_form.html", book_context(request, kube, "visits", form=form))


@login_required
def visit_detail(request: HttpRequest, kube_id: int, visit_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id)
    visit = access_child(request.user, Visit.objects.select_related("pendamping").filter(kube=kube), visit_id,
                         write=Kind.VISIT if request.method == "POST" else None)
    if request.method == "POST":
        for upload in request.FILES.getlist("photos"):
            try:
                visit_photo_add(actor=request.user, visit=visit, upload=upload)
            except MentoringError as exc:
                messages.warning(request, exc.message)
        return redirect("mentoring:visit", kube.pk, visit.pk)
    return render(request, "mentoring/visit_detail.html", book_context(
        request, kube, "visits", visit=visit, attendance=visit.attendance.select_related("member").order_by(
            "-present", "member__name"), audits=visit.audits.order_by("id"), follow_ups=visit.follow_ups.all(),
        closed=visit.closed_follow_ups.all(), photos=visit.photos.all(),
        evaluations=visit.evaluations.prefetch_related("targets"), can_visit=can_write(request.user, Kind.VISIT)))


@login_required
def visit_photo(request: HttpRequest, kube_id: int, photo_id: int, size: str) -> FileResponse:
    """Photos are personal: served only through the group's reach, never from a public folder."""
    kube = access_kube(request.user, kube_id)
    photo = access_child(request.user, VisitPhoto.objects.filter(visit__kube=kube), photo_id, via="visit__kube")
    return private_image_response(photo.thumbnail if size == "kecil" else photo.image)


@login_required
def visits(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id)
    history = list(visit_history(kube))
    history.reverse()
    return render(request, "mentoring/visits.html", book_context(
        request, kube, "visits", visits=history, can_visit=can_write(request.user, Kind.VISIT),
        open_follow_ups=kube.follow_ups.filter(closed_on__isnull=True).select_related("person"),
        evaluations=Evaluation.objects.filter(Q(visit__kube=kube) | Q(activity__kube=kube) | Q(event__kubes=kube))
        .distinct().order_by("-date")[:20], today=timezone.localdate()))


@login_required
def visits_pdf(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id)
    return pdf_response(documents.visit_history_pdf(kube, printed_by=request.user.get_username()),
                        filename=f"pendampingan-{kube.reg_number}.pdf")


@login_required
def evaluations_pdf(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id)
    return pdf_response(documents.evaluations_pdf(kube, printed_by=request.user.get_username()),
                        filename=f"evaluasi-{kube.reg_number}.pdf")


@login_required
@require_POST
def follow_up_done(request: HttpRequest, kube_id: int, follow_up_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id)
    follow_up = access_child(request.user, kube.follow_ups.all(), follow_up_id, write=(Kind.VISIT, Kind.BOOKS))
    try:
        follow_up_close(actor=request.user, follow_up=follow_up, closed_on=timezone.localdate(),
                        note=request.POST.get("note", ""))
    except MentoringError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tindak lanjut ditandai selesai."))
    return redirect("mentoring:visits", kube.pk)


def _evaluation_subject(request: HttpRequest, kube: Kube | None, kind: str, subject_id: int) -> dict[str, Any]:
    if kind == "kunjungan" and kube is not None:
        return {"visit": access_child(request.user, Visit.objects.filter(kube=kube), subject_id, write=Kind.VISIT)}
    if kind == "kegiatan" and kube is not None:
        return {"activity": access_child(request.user, Activity.objects.filter(kube=kube), subject_id,
                                         write=(Kind.VISIT, Kind.BOOKS))}
    if kind == "asistensi":
        check_role(request.user, Kind.EVENT)
        return {"event": access_one(request.user, events_in_reach(request.user), subject_id)}
    raise Http404


@login_required
def evaluation_new(request: HttpRequest, kind: str, subject_id: int, kube_id: int | None = None) -> HttpResponse:
    kube = access_kube(request.user, kube_id) if kube_id is not None else None
    subject = _evaluation_subject(request, kube, kind, subject_id)
    thing = next(iter(subject.values()))
    if isinstance(thing, AssistanceEvent):
        title = thing.title
    elif isinstance(thing, Activity):
        title = f"{thing.get_kind_display()}: {thing.agenda.splitlines()[0] if thing.agenda else ''}".strip(": ")
    else:
        title = f"{thing.get_kind_display()} {thing.place}"
    initial = {"title": title[:200], "date": thing.date}
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            evaluation_record(actor=request.user, title=d["title"], date=d["date"], indicators=d["indicators"],
                              results=d["results"], supporting=d["supporting"], inhibiting=d["inhibiting"],
                              targets=d["targets"], **subject)
        except MentoringError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Evaluasi tersimpan."))
            if "event" in subject:
                return redirect("mentoring:event", subject["event"].pk)
            assert kube is not None
            return redirect("mentoring:visits", kube.pk)
    context = {"form": form, "title": _("Evaluasi: %(t)s") % {"t": initial["title"]}, "submit": _("Simpan evaluasi")}
    if kube is not None:
        return render(request, "books/form_page.html", book_context(request, kube, "visits", **context))
    return render(request, "form_page.html", context)


# --- assistance events ------------------------------------------------------------------------

@login_required
def events(request: HttpRequest) -> HttpResponse:
    qs = events_in_reach(request.user).select_related("kabupaten").order_by("-date", "-id")
    return render(request, "mentoring/events.html", {"events": qs[:200],
                                                     "can_organise": can_write(request.user, Kind.EVENT)})


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    check_role(request.user, Kind.EVENT)
    root = require_office(request.user)
    kubes = kubes_for_user(request.user).exclude(status="bubar").select_related("desa").order_by("name")
    form = EventForm(request.POST or None, kubes=kubes, root=root)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event = event_record(actor=request.user, title=d["title"], date=d["date"], kabupaten=d["kabupaten"],
                                 place=d["place"], topic=d["topic"], method=d["method"], speakers=d["speakers"],
                                 moderator=d["moderator"], committee=d["committee"],
                                 kubes=[(k, max(d["people"], sum(1 for p in d["participant_rows"] if p[0] == k)))
                                        for k in d["kubes"]],
                                 participants=d["participant_rows"],
                                 problems_raised=d["problems_raised"], results=d["results"])
        except MentoringError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Asistensi tercatat."))
            return redirect("mentoring:event", event.pk)
    return render(request, "mentoring/event_form.html", {"form": form})


def _participations(event: AssistanceEvent, viewer: Any) -> list[tuple[Any, list[str]]]:
    names = participant_names(event, viewer)
    return [(p, names.get(p.kube_id, [])) for p in event_participations(event, viewer)]


@login_required
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_one(request.user, events_in_reach(request.user).select_related("kabupaten", "organised_by"), event_id)
    return render(request, "mentoring/event_detail.html", {
        "event": event, "participations": _participations(event, request.user),
        "evaluations": event.evaluations.prefetch_related("targets"),
        "can_organise": can_write(request.user, Kind.EVENT)})


@login_required
def event_pdf(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_one(request.user, events_in_reach(request.user), event_id)
    return pdf_response(documents.event_pdf(event, viewer=request.user, printed_by=request.user.get_username()),
                        filename=f"asistensi-{event.date:%Y-%m-%d}.pdf")


# --- stage ------------------------------------------------------------------------------------

@login_required
def stage(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.STAGE if request.method == "POST" else None)
    target = NEXT_STAGE.get(Stage(kube.stage))
    can_tick = may_write(request.user, kube, Kind.STAGE)
    if request.method == "POST":
        try:
            if "promote" in request.POST:
                form = PromoteForm(request.POST)
                if not form.is_valid():
                    raise MentoringError(_("Tulis alasan kenaikan tahap."), field="reason")
                kube = stage_promote(actor=request.user, kube=kube, reason=form.cleaned_data["reason"],
                                     effective_on=form.cleaned_data["effective_on"])
                messages.success(request, _("KUBE naik ke tahap %(s)s.") % {"s": kube.get_stage_display()})
                return redirect("registry:detail", kube.pk)
            criterion = get_object_or_404(StageCriterion, pk=int(request.POST.get("criterion", "0")))
            stage_check_set(actor=request.user, kube=kube, criterion=criterion, met=request.POST.get("met") == "1",
                            evidence=request.POST.get("evidence", ""))
            messages.success(request, _("Kriteria diperbarui."))
        except (MentoringError, ValueError) as exc:
            messages.error(request, exc.message if isinstance(exc, MentoringError) else _("Kriteria tidak dikenal."))
        return redirect("mentoring:stage", kube.pk)
    checks = latest_checks(kube)
    criteria = list(StageCriterion.objects.filter(stage=target, is_active=True)) if target else []
    rows = [(c, checks.get(c.pk)) for c in criteria]
    history = kube.lifecycle_changes.filter(field="stage").select_related("decided_by").order_by("-effective_on")
    return render(request, "mentoring/stage.html", book_context(
        request, kube, "home", target=Stage(target).label if target else None, rows=rows, can_tick=can_tick,
        ready=bool(rows) and all(ch and ch.met for _c, ch in rows), promote_form=PromoteForm(), history=history))


@login_required
def assign(request: HttpRequest) -> HttpResponse:
    check_role(request.user, Kind.KUBE)
    form = AssignKecamatanForm(request.POST or None, root=require_office(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            count = mentor_assign_kecamatan(actor=request.user, kecamatan=d["kecamatan"], pendamping=d["pendamping"],
                                            start_on=d["start_on"])
        except MentoringError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, ngettext("%(n)s KUBE di %(k)s kini didampingi %(p)s.",
                                               "%(n)s KUBE di %(k)s kini didampingi %(p)s.", count)
                             % {"n": count, "k": d["kecamatan"].label, "p": d["pendamping"].full_name})
            return redirect("mentoring:mentors")
    return render(request, "form_page.html", {"form": form, "title": _("Tugaskan pendamping per kecamatan"),
                                                        "submit": _("Tugaskan")})

