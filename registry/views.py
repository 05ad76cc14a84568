from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    Kind,
    access_kube,
    access_member,
    can_read_kind,
    can_write,
    kubes_for_user,
    may_write,
    region_root,
    require,
    sees_personal_data,
)
from accounts.errors import AccountsError
from accounts.models import User
from lib.forms import apply_error
from registry import services
from registry.choices import Position
from registry.errors import RegistryError, StaleEdit
from registry.forms import (
    MENTOR_CHOICES_MAX,
    AccountForm,
    AssignForm,
    KubeFilterForm,
    KubeForm,
    KubeRegisterForm,
    LeaveForm,
    MemberEditForm,
    MemberForm,
    MemberFormSet,
    NikSearchForm,
    OfficersForm,
    ProgrammeForm,
    StageForm,
    StatusForm,
    TaskForm,
    stale_rows,
)
from registry.models import Kube, LifecycleChange, Member, Programme
from registry.selectors import (
    KubeFilters,
    current_officers,
    kube_list,
    kube_rows,
    kube_search,
    member_rows,
    nik_lookup,
)

INITIAL_MEMBER_ROWS = 5


def _root(request: HttpRequest) -> str:
    return region_root(request.user) or ""


def filters_from(form: KubeFilterForm) -> KubeFilters:
    """The valid filters of the form; an invalid one is dropped and its error shown."""
    if not form.is_bound:
        return KubeFilters()
    form.is_valid()
    d = form.cleaned_data
    return KubeFilters(
        q=d.get("q") or "", region=d["region"].code if d.get("region") else "",
        stage=d.get("stage") or "", status=d.get("status") or "",
        programme=d["programme"].pk if d.get("programme") else None,
        business_type=d.get("business_type") or "",
        pendamping=d["pendamping"].pk if d.get("pendamping") else None,
        health=d.get("health") or "", by_attention=d.get("order") == "perhatian",
    )


def _mentors_of(scope: QuerySet[Kube]) -> QuerySet[User]:
    """The users who mentor a group of `scope`. For the whole country each user is asked whether
    they hold a group (one index seek each), which stops at the first MENTOR_CHOICES_MAX + 1 the
    filter needs to know there are too many to list; gathering every group's mentor first read all
    the country's groups on every visit of the list, the page's costliest query without a search.
    A region's few thousand groups are cheaper to gather than every user to ask."""
    if not scope.query.where:
        return User.objects.filter(Exists(Kube.objects.filter(pendamping=OuterRef("pk"))))
    return User.objects.filter(pk__in=scope.values("pendamping"))


def _mentor_ids(scope: QuerySet[Kube]) -> list[int]:
    """Up to one more than the filter lists (MENTOR_CHOICES_MAX) of the mentors of `scope`'s groups:
    for the country each user asked whether they hold a group, as `_mentors_of`; for a region its
    groups' distinct mentors, read from the (desa, pendamping) index alone. Asked as users holding
    one of the region's groups, PostgreSQL walked every group by mentor for a province (22 ms).
    The region's are read whole (a province has hundreds) and cut here: with a LIMIT PostgreSQL may
    walk the mentor index from its first mentor hoping to meet enough of the region's early, which
    took 22 ms for Jawa Barat, whose mentors' numbers lie in the middle."""
    if not scope.query.where:
        return list(_mentors_of(scope).order_by().values_list("pk", flat=True)[:MENTOR_CHOICES_MAX + 1])
    return list(scope.filter(pendamping__isnull=False).order_by().values_list("pendamping", flat=True)
                .distinct())[:MENTOR_CHOICES_MAX + 1]


@login_required
def kube_list_view(request: HttpRequest) -> HttpResponse:
    scope = kubes_for_user(request.user)
    form = KubeFilterForm(request.GET or None, root=_root(request), mentors=_mentors_of(scope))
    filters = filters_from(form)
    form.offer_mentors(_mentor_ids(kube_list(request.user, KubeFilters(region=filters.region))
                                   if filters.region else scope))
    found = kube_search(request.user, filters)
    # The page's groups as ids in the list's order first, then their rows by primary key: sorting
    # a province's thousands of groups (or a common name's) with every joined column was most of
    # the page's SQL, when only 25 rows are shown.
    paginator = Paginator(found.kubes.values_list("pk", flat=True), 25)
    if found.count is not None or found.more:
        # The search counted already, up to its cap: past it the pages go on to the cap's end.
        paginator.count = found.cap + 1 if found.count is None else found.count
    page = paginator.get_page(request.GET.get("page"))
    rows = kube_rows(list(page))
    return render(request, "registry/list.html", {
        "form": form, "page": page, "rows": rows, "nik_form": NikSearchForm(),
        "can_export_personal": can_write(request.user, Kind.PERSONAL),
        "query": request.GET.urlencode(), "more_than": found.cap if found.more else None,
    })


@login_required
@require_POST
def nik_search(request: HttpRequest) -> HttpResponse:
    """NIK search: exact value, sent in the body, never in a URL (and so never in a log)."""
    form = NikSearchForm(request.POST)
    found = []
    if form.is_valid():
        nik = "".join(ch for ch in form.cleaned_data["nik"] if ch.isdigit())
        found = nik_lookup(request.user, nik)
    return render(request, "registry/nik_results.html", {"form": form, "found": found})


@login_required
def kube_create(request: HttpRequest) -> HttpResponse:
    if not can_write(request.user, Kind.KUBE):
        raise PermissionDenied
    root = _root(request)
    form = KubeRegisterForm(request.POST or None, root=root)
    if request.method == "POST":
        formset = MemberFormSet(request.POST, prefix="m")
        if "add_row" in request.POST:
            # "Tambah anggota": redraw with one more empty row, keeping what was typed.
            data = request.POST.copy()
            data["m-TOTAL_FORMS"] = str(min(int(data.get("m-TOTAL_FORMS", 0) or 0) + 1, 60))
            form = KubeRegisterForm(data, root=root)
            form.errors.clear()
            formset = MemberFormSet(data, prefix="m")
            return render(request, "registry/create.html", {"form": form, "formset": formset,
                                                            "quiet": True})
        if form.is_valid() and formset.is_valid():
            members = [f.member_data() for f in formset.forms
                       if f.has_changed() and not f.cleaned_data.get("DELETE")]
            d = form.cleaned_data
            try:
                kube = services.kube_register(
                    actor=request.user, name=d["name"], desa=d["desa"], formed_on=d["formed_on"],
                    programme=d["programme"], business_type=d["business_type"],
                    target_group=d["target_group"], business_mode=d["business_mode"],
                    business_description=d["business_description"], bonds=d["bonds"],
                    bond_note=d["bond_note"], address=d["address"], rt=d["rt"], rw=d["rw"],
                    pendamping=d["pendamping"], members=members,
                    officers_chosen_on=d["officers_chosen_on"],
                )
            except RegistryError as exc:
                _attach(form, formset, exc)
            else:
                messages.success(request, _("%(name)s terdaftar dengan nomor %(reg)s.")
                                 % {"name": kube.name, "reg": kube.reg_number})
                return redirect("registry:detail", kube.pk)
    else:
        formset = MemberFormSet(prefix="m", initial=[{} for _i in range(INITIAL_MEMBER_ROWS)])
    return render(request, "registry/create.html", {"form": form, "formset": formset})


def _attach(form: Any, formset: Any, exc: RegistryError) -> None:
    """Put a registration's problems next to the member row and field they concern."""
    member_forms = [f for f in formset.forms if f.has_changed()]
    placed = False
    for item in exc.details or []:
        index = item.get("member")
        if index is not None and index < len(member_forms):
            target = member_forms[index]
            field = item["field"] if item["field"] in target.fields else None
            target.add_error(field, item["message"])
            placed = True
        elif index is None:
            form.add_error(None, item["message"])
            placed = True
    if not placed:
        apply_error(form, exc)


@login_required
def kube_detail(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id)
    today = timezone.localdate()
    rows = member_rows(request.user, kube, on=today)
    programme = kube.programme
    size_note = ""
    if programme.size_applies_to(kube.target_group):
        if len(rows) < programme.min_members:
            size_note = _("Anggota aktif %(n)s KK, di bawah ketentuan program (paling sedikit %(min)s).") % {
                "n": len(rows), "min": programme.min_members}
        elif len(rows) > programme.max_members:
            size_note = _("Anggota aktif %(n)s KK, di atas ketentuan program (paling banyak %(max)s).") % {
                "n": len(rows), "max": programme.max_members}
    officers = current_officers(kube)
    from books.selectors import cash_balance
    from books.views.cash import ENTRY_KINDS
    from front.tabs import kube_hub, kube_tabs, kube_tasks
    from monitoring.health import reasons_text
    from monitoring.models import GroupState

    health = GroupState.objects.filter(kube=kube).first()
    is_member = kube.members.filter(user=request.user.pk, left_on__isnull=True).exists()
    return render(request, "registry/detail.html", {
        "hub": kube_hub(kube),
        "tasks": kube_tasks(request.user, kube, is_member=is_member),
        "health": health,
        "health_reasons": reasons_text(health.reasons)[:3] if health else [],
        "tabs": kube_tabs(kube),
        "tab": "home",
        "cash": cash_balance(kube),
        "can_keep": may_write(request.user, kube, Kind.BOOKS),
        "entry_kinds": [(k, k.label) for k in ENTRY_KINDS[:4]],
        "is_member": is_member,
        "kube": kube,
        "rows": rows,
        "left_rows": [r for r in member_rows(request.user, kube, on=today, include_left=True)
                      if not r.member.is_active],
        "no_task": [r for r in rows if not r.member.task and not r.position],
        "officers": officers,
        "missing_officers": [p.label for p in Position if p not in {o.position for o in officers}],
        "history": kube.lifecycle_changes.select_related("decided_by").order_by("-effective_on", "-id"),
        "assignments": kube.assignments.select_related("pendamping").order_by("-start_on", "-id"),
        "size_note": size_note,
        "can_edit_kube": can_write(request.user, Kind.KUBE),
        "can_edit_members": may_write(request.user, kube, Kind.MEMBER),
        "can_make_accounts": can_write(request.user, Kind.PERSONAL),
        "sees_personal": sees_personal_data(request.user),
        # The DTSEN flag names a member's desil: for those who see members' data in full and the offices.
        "shows_dtsen": sees_personal_data(request.user) or can_read_kind(request.user, Kind.DTSEN),
        "can_dtsen": can_write(request.user, Kind.DTSEN),
        "dtsen_flags": [r for r in rows if r.dtsen_flag],
    })


@login_required
def kube_edit(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.KUBE)
    initial = {f: getattr(kube, f) for f in ("name", "address", "rt", "rw", "formed_on", "target_group",
                                             "business_type", "business_description",
                                             "business_mode", "bonds", "bond_note")}
    initial |= {"desa": kube.desa_id, "programme": kube.programme_id, "version": kube.version}
    form = KubeForm(request.POST or None, initial=initial, root=_root(request), editing=True)
    stale = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.kube_update(actor=request.user, kube=kube, name=d["name"], desa=d["desa"],
                                 formed_on=d["formed_on"], programme=d["programme"],
                                 business_type=d["business_type"], target_group=d["target_group"],
                                 business_mode=d["business_mode"],
                                 business_description=d["business_description"], bonds=d["bonds"],
                                 bond_note=d["bond_note"], address=d["address"], rt=d["rt"], rw=d["rw"],
                                 version=d["version"])
        except StaleEdit as exc:
            kube = Kube.objects.select_related("desa", "programme").get(pk=kube.pk)
            stale = stale_rows(form, kube, yours=d["version"], current_version=kube.version)
            form = KubeForm(_with_version(request, kube.version), root=_root(request), editing=True)
            form.is_valid()
            form.add_error(None, exc.message)
        except RegistryError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Data KUBE sudah disimpan."))
            return redirect("registry:detail", kube.pk)
    return render(request, "registry/simple_form.html", {
        "kube": kube, "form": form, "title": _("Ubah data %(name)s") % {"name": kube.name},
        "submit": _("Simpan"), "stale": stale})


def _with_version(request: HttpRequest, version: int) -> Any:
    """What was sent, now based on the current version: saving it again is a choice made with
    both versions in view, not a silent overwrite."""
    data = request.POST.copy()
    data["version"] = str(version)
    return data


def _lifecycle_view(request: HttpRequest, kube_id: int, *, field: str) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.KUBE)
    form_class = StageForm if field == LifecycleChange.Field.STAGE else StatusForm
    extra = {} if field == LifecycleChange.Field.STAGE else {"members": kube.members.filter(left_on__isnull=True).count()}
    form = form_class(request.POST or None, initial={field: getattr(kube, field)}, **extra)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if field == LifecycleChange.Field.STAGE:
                services.kube_stage_change(actor=request.user, kube=kube, stage=d["stage"],
                                           effective_on=d["effective_on"], reason=d["reason"])
            else:
                services.kube_status_change(actor=request.user, kube=kube, status=d["status"],
                                            effective_on=d["effective_on"], reason=d["reason"])
        except RegistryError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Perubahan sudah dicatat."))
            return redirect("registry:detail", kube.pk)
    title = _("Ubah tahap") if field == LifecycleChange.Field.STAGE else _("Ubah status")
    return render(request, "registry/simple_form.html", {
        "kube": kube, "form": form, "title": f"{title}: {kube.name}", "submit": _("Simpan"),
        "warning": _("Mengubah status menjadi Bubar mengakhiri keanggotaan dan jabatan semua "
                     "anggota pada tanggal itu dan tidak dapat dibatalkan.")
        if field == LifecycleChange.Field.STATUS else ""})


@login_required
def kube_stage(request: HttpRequest, kube_id: int) -> HttpResponse:
    return _lifecycle_view(request, kube_id, field=LifecycleChange.Field.STAGE)


@login_required
def kube_status(request: HttpRequest, kube_id: int) -> HttpResponse:
    return _lifecycle_view(request, kube_id, field=LifecycleChange.Field.STATUS)


@login_required
def kube_assign(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.KUBE)
    form = AssignForm(request.POST or None, initial={"pendamping": kube.pendamping_id},
                      root=_root(request), covering=kube.desa_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.kube_assign_pendamping(actor=request.user, kube=kube,
                                            pendamping=form.cleaned_data["pendamping"],
                                            start_on=form.cleaned_data["start_on"])
        except RegistryError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Penugasan pendamping sudah dicatat."))
            return redirect("registry:detail", kube.pk)
    return render(request, "registry/simple_form.html", {
        "kube": kube, "form": form, "title": _("Pendamping %(name)s") % {"name": kube.name},
        "submit": _("Simpan")})


@login_required
def member_add(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.MEMBER)
    form = MemberForm(request.POST or None, initial={"joined_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(actor=request.user, kube=kube, data=form.member_data())
        except RegistryError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("%(name)s sudah ditambahkan.") % {"name": member.name})
            return redirect("registry:detail", kube.pk)
    return render(request, "registry/member_form.html", {
        "kube": kube, "form": form, "title": _("Tambah anggota %(name)s") % {"name": kube.name}})


@login_required
def member_edit(request: HttpRequest, member_id: int) -> HttpResponse:
    member = access_member(request.user, member_id, write=True)
    kube = member.kube
    form = MemberEditForm(request.POST or None, initial=MemberEditForm.initial_for(member))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, data=form.member_data(),
                                   version=form.cleaned_data["version"])
        except StaleEdit as exc:
            member = Member.objects.get(pk=member.pk)
            stale = stale_rows(form, member, yours=form.cleaned_data["version"], current_version=member.version)
            form = MemberEditForm(_with_version(request, member.version))
            form.is_valid()
            form.add_error(None, exc.message)
        except RegistryError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Data %(name)s sudah disimpan.") % {"name": member.name})
            return redirect("registry:detail", kube.pk)
    return render(request, "registry/member_form.html", {
        "kube": kube, "form": form, "member": member, "stale": stale,
        "title": _("Ubah data anggota %(name)s") % {"name": member.name}})


@login_required
def member_leave(request: HttpRequest, member_id: int) -> HttpResponse:
    member = access_member(request.user, member_id, write=True)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.member_leave(actor=request.user, member=member, left_on=d["left_on"],
                                  reason=d["reason"], note=d["note"])
        except RegistryError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("%(name)s tercatat keluar.") % {"name": member.name})
            return redirect("registry:detail", member.kube_id)
    return render(request, "registry/simple_form.html", {
        "kube": member.kube, "form": form, "submit": _("Catat keluar"),
        "title": _("%(name)s keluar dari KUBE") % {"name": member.name}})


@login_required
def member_task(request: HttpRequest, member_id: int) -> HttpResponse:
    member = access_member(request.user, member_id, write=True)
    form = TaskForm(request.POST or None, initial={"task": member.task})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_set_task(actor=request.user, member=member, task=form.cleaned_data["task"])
        except RegistryError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Tugas %(name)s sudah disimpan.") % {"name": member.name})
            return redirect(reverse("registry:detail", args=[member.kube_id]) + "#anggota")
    return render(request, "registry/simple_form.html", {
        "kube": member.kube, "form": form, "submit": _("Simpan"),
        "title": _("Tugas %(name)s") % {"name": member.name}})


@login_required
def member_account(request: HttpRequest, member_id: int) -> HttpResponse:
    member = access_member(request.user, member_id)
    if not can_write(request.user, Kind.PERSONAL):
        raise PermissionDenied
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_account_create(actor=request.user, member=member,
                                           username=form.cleaned_data["username"],
                                           password=form.cleaned_data["password"])
        except (RegistryError, AccountsError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Akun untuk %(name)s sudah dibuat.") % {"name": member.name})
            return redirect("registry:detail", member.kube_id)
    return render(request, "registry/simple_form.html", {
        "kube": member.kube, "form": form, "submit": _("Buat akun"),
        "title": _("Akun masuk untuk %(name)s") % {"name": member.name}})


@login_required
def officers_edit(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id, write=Kind.MEMBER)
    active = kube.members.filter(left_on__isnull=True).order_by("name")
    initial = {o.position: o.member_id for o in current_officers(kube)}
    form = OfficersForm(request.POST or None, members=active, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.officers_set(actor=request.user, kube=kube, ketua=d["ketua"],
                                  sekretaris=d["sekretaris"], bendahara=d["bendahara"],
                                  chosen_on=d["chosen_on"], term_start=d["term_start"],
                                  term_end=d["term_end"])
        except RegistryError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Susunan pengurus baru sudah dicatat."))
            return redirect("registry:detail", kube.pk)
    history = kube.officers.select_related("member").order_by("-term_start", "position")
    return render(request, "registry/officers_form.html", {
        "kube": kube, "form": form, "history": history})


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.SYSTEM)
    return render(request, "registry/programme_list.html",
                  {"programmes": Programme.objects.order_by("-is_active", "name")})


@login_required
def programme_edit(request: HttpRequest, programme_id: int | None = None) -> HttpResponse:
    require(request.user, Kind.SYSTEM, write=True)
    programme = get_object_or_404(Programme, pk=programme_id) if programme_id else None
    initial = {f: getattr(programme, f) for f in ProgrammeForm.base_fields} if programme else None
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_save(actor=request.user, programme=programme,
                                            **form.cleaned_data)
        except RegistryError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Program %(name)s sudah disimpan.") % {"name": saved.name})
            return redirect("registry:programme_list")
    return render(request, "registry/simple_form.html", {
        "form": form, "submit": _("Simpan"),
        "title": programme.name if programme else _("Program baru")})


__all__ = ["Kube"]
