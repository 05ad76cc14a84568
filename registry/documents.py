"""The registry's printable books: Buku Keanggotaan and Daftar Pengurus (A4 PDF)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import access_kube
from lib.http import pdf_response
from lib.pdf import PdfDocument
from registry.models import Kube
from registry.selectors import current_officers, member_rows


def _header(kube: Kube) -> list[str]:
    return [
        f"{kube.name} · {kube.reg_number}",
        " ".join(x for x in (kube.address, f"RT {kube.rt}" if kube.rt else "",
                             f"RW {kube.rw}" if kube.rw else "") if x),
        kube.desa.path,
    ]


def _d(day: date | None) -> str:
    return date_format(day, "j M Y") if day else ""


def _signers(kube: Kube) -> list[tuple[str, str]]:
    names = {o.position: o.member.name for o in current_officers(kube)}
    return [(_("Ketua"), names.get("ketua", "")), (_("Sekretaris"), names.get("sekretaris", "")),
            (_("Bendahara"), names.get("bendahara", ""))]


def _place_date(kube: Kube) -> str:
    return f"{kube.desa.name}, {date_format(timezone.localdate(), 'j F Y')}"


def member_book(user: object, kube: Kube) -> bytes:
    today = timezone.localdate()
    rows = member_rows(user, kube, on=today, include_left=True)
    doc = PdfDocument(title=_("Buku Keanggotaan KUBE"), header_lines=_header(kube), wide=True,
                      printed_by=getattr(user, "username", ""))
    active = [r for r in rows if r.member.is_active]
    doc.paragraph(_("Anggota aktif: %(n)s KK · Program: %(p)s · Tanggal dibentuk: %(d)s")
                  % {"n": len(active), "p": kube.programme.name, "d": _d(kube.formed_on)})
    doc.spacer(2)
    table_rows = []
    for i, r in enumerate(rows, start=1):
        m = r.member
        role = ", ".join(x for x in (r.position_label, m.task) if x)
        left = f"{_d(m.left_on)} ({m.get_left_reason_display()})" if m.left_on else ""
        table_rows.append([i, m.name, r.nik, m.sex, f"{m.address}", role, _d(m.joined_on), left])
    doc.table([_("No."), _("Nama"), _("NIK"), _("L/P"), _("Alamat"), _("Jabatan/tugas"),
               _("Tanggal masuk"), _("Tanggal keluar")], table_rows,
              widths=[0.04, 0.17, 0.13, 0.04, 0.2, 0.17, 0.1, 0.15], numeric=[0])
    doc.signatures(_signers(kube), place_date=_place_date(kube))
    return doc.render()


def officers_book(user: object, kube: Kube) -> bytes:
    doc = PdfDocument(title=_("Daftar Pengurus KUBE"), header_lines=_header(kube),
                      printed_by=getattr(user, "username", ""))
    doc.heading(_("Pengurus sekarang"))
    doc.table([_("Jabatan"), _("Nama"), _("Tanggal musyawarah"), _("Masa jabatan")],
              [[o.get_position_display(), o.member.name, _d(o.chosen_on),
                f"{_d(o.term_start)} – {_d(o.term_end)}"] for o in current_officers(kube)],
              widths=[0.18, 0.34, 0.2, 0.28])
    past = kube.officers.filter(ended_on__isnull=False).select_related("member").order_by("-term_start")
    if past.exists():
        doc.heading(_("Riwayat pengurus"))
        doc.table([_("Jabatan"), _("Nama"), _("Masa jabatan"), _("Berhenti"), _("Alasan")],
                  [[o.get_position_display(), o.member.name, f"{_d(o.term_start)} – {_d(o.term_end)}",
                    _d(o.ended_on), o.end_reason] for o in past],
                  widths=[0.14, 0.26, 0.24, 0.12, 0.24])
    doc.signatures(_signers(kube), place_date=_place_date(kube))
    return doc.render()


@login_required
def member_book_pdf(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id)
    return pdf_response(member_book(request.user, kube),
                        filename=f"buku-keanggotaan-{kube.reg_number}.pdf")


@login_required
def officers_pdf(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = access_kube(request.user, kube_id)
    return pdf_response(officers_book(request.user, kube), filename=f"daftar-pengurus-{kube.reg_number}.pdf")
