"""Excel in and out of the registry: the filtered list, a group's members, the import."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Kind, access_kube, region_root, require
from audit.models import Action
from audit.services import audit_record
from lib.http import xlsx_response
from lib.xlsx import SpreadsheetError, Workbook
from registry.forms import ImportForm, KubeFilterForm
from registry.importer import import_workbook, issues_workbook, template_workbook
from registry.models import Officer
from registry.selectors import active_member_counts, kube_list
from registry.views import filters_from

EXPORT_LIMIT = 200_000


def _error_dir() -> Path:
    path = Path(settings.VAR_DIR) / "import-errors"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def kube_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered on the page, without personal data."""
    form = KubeFilterForm(request.GET or None, root=region_root(request.user) or "")
    qs = (kube_list(request.user, filters_from(form))
          .select_related("desa", "desa__parent", "desa__parent__parent", "programme", "pendamping"))
    kubes = list(qs[:EXPORT_LIMIT])
    counts: dict[int, int] = {}
    ketua: dict[int, str] = {}
    ids = [k.pk for k in kubes]
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        counts.update(active_member_counts(chunk))
        ketua.update(Officer.objects.filter(kube_id__in=chunk, position="ketua", ended_on__isnull=True)
                     .values_list("kube_id", "member__name"))
    wb = Workbook()
    headers = [_("No."), _("Nomor registrasi"), _("Nama KUBE"), _("Provinsi"), _("Kabupaten/Kota"),
               _("Kecamatan"), _("Desa/Kelurahan"), _("Kode desa"), _("Alamat"), _("RT"), _("RW"),
               _("Tanggal dibentuk"), _("Program"), _("Sasaran"), _("Jenis usaha"),
               _("Usaha dijalankan oleh"), _("Tahap"), _("Status"), _("Pendamping"),
               _("Anggota aktif (KK)"), _("Ketua")]

    def rows() -> list[list[object]]:
        out = []
        for i, k in enumerate(kubes, start=1):
            kec = k.desa.parent
            kab = kec.parent if kec else None
            path = k.desa.path.split(", ")
            out.append([i, k.reg_number, k.name, path[-1] if path else "", kab.name if kab else "",
                        kec.name if kec else "", k.desa.name, k.desa_id, k.address, k.rt, k.rw,
                        k.formed_on, k.programme.name, k.get_target_group_display(),
                        k.get_business_type_display(), k.get_business_mode_display(),
                        k.get_stage_display(), k.get_status_display(),
                        k.pendamping.full_name if k.pendamping else "", counts.get(k.pk, 0),
                        ketua.get(k.pk, "")])
        return out

    wb.sheet(_("KUBE"), headers, rows(), widths=[6, 22, 30, 16, 22, 18, 20, 15, 28, 5, 5, 12, 26,
                                                 22, 18, 22, 26, 16, 22, 10, 22],
             text_columns=[7, 9, 10])
    stamp = timezone.localdate().isoformat()
    return xlsx_response(wb.close(), filename=f"daftar-kube-{stamp}.xlsx")


@login_required
def members_export(request: HttpRequest, kube_id: int) -> HttpResponse:
    """A group's members with unmasked personal data: restricted, and recorded in the audit trail."""
    kube = access_kube(request.user, kube_id, write=Kind.PERSONAL)
    members = list(kube.members.order_by("joined_on", "id"))
    with transaction.atomic():
        audit_record(actor=request.user, action=Action.EXPORT, obj=kube, kube_id=kube.pk,
                     object_repr=_("Data pribadi anggota %(k)s") % {"k": kube.name},
                     changes={"members": [None, len(members)]})
    wb = Workbook()
    wb.sheet(_("Anggota"), [
        _("No."), _("NIK"), _("Nomor KK"), _("Nama"), _("L/P"), _("Tanggal lahir"), _("Alamat"),
        _("Nomor HP"), _("Sasaran"), _("Tingkat kesejahteraan"), _("Status DTSEN"),
        _("Desil DTSEN"), _("Keterampilan"), _("Tugas"), _("Tanggal masuk"),
        _("Tanggal keluar"), _("Alasan keluar")],
        [[i, m.nik, m.kk_number, m.name, m.sex, m.birth_date, m.address, m.phone,
          m.get_target_group_display(), m.get_welfare_level_display(), m.get_dtsen_status_display(),
          m.dtsen_desil or "", m.skills, m.task, m.joined_on, m.left_on,
          m.get_left_reason_display() if m.left_on else ""] for i, m in enumerate(members, start=1)],
        widths=[5, 19, 19, 26, 5, 12, 30, 15, 20, 16, 16, 10, 20, 20, 12, 12, 18],
        text_columns=[1, 2, 7, 10])
    return xlsx_response(wb.close(), filename=f"anggota-{kube.reg_number}.xlsx")


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.IMPORT)
    return xlsx_response(template_workbook(), filename="templat-impor-kube.xlsx")


@login_required
def kube_import(request: HttpRequest) -> HttpResponse:
    require(request.user, Kind.IMPORT, write=request.method == "POST")
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result = import_workbook(actor=request.user, upload=form.cleaned_data["file"],  # type: ignore[arg-type]
                                     accept_duplicates=form.cleaned_data["accept_duplicates"])
        except SpreadsheetError as exc:
            form.add_error("file", exc.message)
        else:
            if result.ok:
                messages.success(request, _("Impor berhasil: %(k)s KUBE dengan %(m)s anggota tersimpan.")
                                 % {"k": result.kubes, "m": result.members})
                context["result"] = result
            else:
                token = f"{request.user.pk}-{secrets.token_urlsafe(12)}"
                (_error_dir() / f"{token}.xlsx").write_bytes(issues_workbook(result.issues))
                context |= {"result": result, "issues": result.issues[:100], "error_token": token}
    return render(request, "registry/import.html", context)


@login_required
def import_errors(request: HttpRequest, token: str) -> HttpResponse:
    require(request.user, Kind.IMPORT)
    owner, _sep, rest = token.partition("-")
    if owner != str(request.user.pk) or not rest.replace("-", "").replace("_", "").isalnum():
        raise Http404
    path = _error_dir() / f"{token}.xlsx"
    if not path.is_file():
        raise Http404
    return xlsx_response(path.read_bytes(), filename="kesalahan-impor.xlsx")
