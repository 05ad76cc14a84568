"""Period reports per tier (xlsx and PDF, Indonesian), built from the summary rows only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from books.lpj import Period
from lib.money import rupiah
from lib.pdf import PdfDocument
from lib.xlsx import Workbook
from mentoring.models import AssistanceEvent
from monitoring.health import reasons_text
from monitoring.models import Klass
from monitoring.selectors import Dashboard, Figures, Scope, dashboard, groups_in


def _pct(value: Any) -> str:
    return "—" if value is None else f"{floatformat(value, 1)} %"


def figure_rows(f: Figures) -> list[tuple[str, Any]]:
    """The figures of a region, in the order the report prints them."""
    return [
        (_("KUBE"), f["groups"]),
        (_("KUBE aktif / stagnan / bubar"), f"{f['status_aktif']} / {f['status_stagnan']} / {f['status_bubar']}"),
        (_("Tahap pembentukan / pengembangan / kemandirian"),
         f"{f['stage_pembentukan']} / {f['stage_pengembangan']} / {f['stage_kemandirian']}"),
        (_("Kelas belum / tumbuh / berkembang / maju"),
         " / ".join(str(f[f"class_{k}"]) for k in Klass.values)),
        (_("Kesehatan sehat / perlu perhatian / kritis"),
         f"{f['health_sehat']} / {f['health_perhatian']} / {f['health_kritis']}"),
        (_("Anggota (perempuan)"), f"{f['members']} ({f['members_f']})"),
        (_("Anggota fakir miskin / miskin / hampir miskin"),
         f"{f['welfare_fakir_miskin']} / {f['welfare_miskin']} / {f['welfare_hampir_miskin']}"),
        (_("Bantuan stimulan diterima"), rupiah(f["grant_total"])),
        (_("Modal sekarang (dibanding bantuan)"), f"{rupiah(f['capital'])} ({_pct(f.capital_vs_grant)})"),
        (_("Pendapatan dalam periode"), rupiah(f["revenue"])),
        (_("Laba dalam periode"), rupiah(f.profit)),
        (_("IKS disisihkan / dipakai dalam periode"), f"{rupiah(f['iks_in'])} / {rupiah(f['iks_out'])}"),
        (_("Simpanan anggota"), rupiah(f["savings"])),
        (_("Pinjaman anggota beredar (PAR 30)"), f"{rupiah(f['loans_outstanding'])} ({_pct(f.par30)})"),
        (_("Bantuan yang digulirkan"), rupiah(f["onward_total"])),
        (_("Kunjungan pendamping (dari yang seharusnya)"), f"{f['visits']} / {f['visits_due']}"),
        (_("Kehadiran pada kunjungan"), _pct(f.attendance)),
        (_("Pertemuan kelompok (kehadiran)"), f"{f['meetings']} ({_pct(f.meeting_attendance)})"),
    ]


def _events(scope: Scope, period: Period) -> list[Any]:
    """The asistensi held in the region in the period, each with `groups`, its number of groups."""
    from django.db.models import Count

    from lib.regioncode import within_q

    qs = (AssistanceEvent.objects.filter(date__gte=period.start, date__lte=period.end).select_related("kabupaten")
          .annotate(groups=Count("participations")))
    if scope.code:
        qs = qs.filter(within_q("kabupaten_id", scope.code[:5]) if len(scope.code) >= 5
                       else within_q("kabupaten_id", scope.code))
    return list(qs.order_by("date"))


def _title(board: Dashboard) -> tuple[str, str]:
    where = board.scope.region.label if board.scope.region else _("Nasional")
    return _("Laporan Pemantauan KUBE"), f"{where} · {board.period.label}"


def report_xlsx(scope: Scope, period: Period) -> bytes:
    board = dashboard(scope, period)
    book = Workbook()
    headers = [_("Wilayah"), *[label for label, _v in figure_rows(board.total)]]
    rows = [[board.scope.region.label if board.scope.region else _("Nasional"),
             *[v for _l, v in figure_rows(board.total)]]]
    rows += [[region.name, *[v for _l, v in figure_rows(f)]] for region, f in board.children]
    book.sheet(_("Ringkasan"), headers, rows, widths=[28, *[18] * (len(headers) - 1)])
    book.sheet(_("Tren bulanan"), [_("Bulan"), _("Pendapatan"), _("Beban"), _("Laba"), _("Kunjungan"),
                                   _("Pertemuan"), _("Baris buku")],
               [[f"{p // 100}-{p % 100:02d}", r["revenue"], r["expense"], r["revenue"] - r["expense"], r["visits"],
                 r["meetings"], r["entries"]] for p, r in board.trend], money_columns=[1, 2, 3])
    attention = list(groups_in(scope, attention_only=True, limit=5000))
    book.sheet(_("Perlu perhatian"), [_("KUBE"), _("Nomor registrasi"), _("Desa/kelurahan"), _("Kesehatan"), _("Skor"),
                                      _("Alasan")],
               [[s.kube.name, s.kube.reg_number, s.kube.desa.label, s.get_health_display(), s.health_score,
                 "; ".join(reasons_text(s.reasons))] for s in attention], widths=[30, 22, 26, 14, 8, 80])
    book.sheet(_("Asistensi"), [_("Tanggal"), _("Kabupaten/kota"), _("Kegiatan"), _("Materi"), _("KUBE peserta")],
               [[e.date, e.kabupaten.name, e.title, e.get_topic_display(), e.groups]
                for e in _events(scope, period)], widths=[12, 24, 40, 24, 12])
    return book.close()


def report_pdf(scope: Scope, period: Period, *, printed_by: str = "") -> bytes:
    board = dashboard(scope, period)
    title, subtitle = _title(board)
    doc = PdfDocument(title=title, header_lines=[subtitle], wide=True, printed_by=printed_by)
    doc.heading(_("Ringkasan"))
    doc.key_values(figure_rows(board.total))
    if board.children:
        doc.heading(_("Per wilayah: %(w)s") % {"w": board.child_level_name})
        doc.table([_("Wilayah"), _("KUBE"), _("Sehat"), _("Perhatian"), _("Kritis"), _("Anggota"), _("Laba"),
                   _("Modal/bantuan"), _("Kunjungan"), _("PAR 30")],
                  [[r.name, f["groups"], f["health_sehat"], f["health_perhatian"], f["health_kritis"], f["members"],
                    rupiah(f.profit), _pct(f.capital_vs_grant), f"{f['visits']}/{f['visits_due']}", _pct(f.par30)]
                   for r, f in board.children],
                  widths=[0.2, 0.06, 0.07, 0.08, 0.07, 0.08, 0.13, 0.11, 0.1, 0.1], numeric=[1, 2, 3, 4, 5, 6, 7, 8, 9])
    doc.heading(_("Tren bulanan"))
    doc.table([_("Bulan"), _("Pendapatan"), _("Laba"), _("Kunjungan"), _("Pertemuan")],
              [[date_format(date(p // 100, p % 100, 1), "M Y"), rupiah(r["revenue"]),
                rupiah(r["revenue"] - r["expense"]), r["visits"], r["meetings"]] for p, r in board.trend],
              widths=[0.2, 0.25, 0.25, 0.15, 0.15], numeric=[1, 2, 3, 4])
    attention = list(groups_in(scope, attention_only=True, limit=200))
    doc.heading(_("KUBE yang perlu perhatian"))
    if attention:
        doc.table([_("KUBE"), _("Desa/kelurahan"), _("Kesehatan"), _("Alasan")],
                  [[s.kube.name, s.kube.desa.label, s.get_health_display(), "; ".join(reasons_text(s.reasons))]
                   for s in attention], widths=[0.2, 0.18, 0.1, 0.52])
    else:
        doc.paragraph(_("Tidak ada."))
    events = _events(scope, period)
    doc.heading(_("Asistensi dalam periode"))
    if events:
        doc.table([_("Tanggal"), _("Kabupaten/kota"), _("Kegiatan"), _("Materi"), _("KUBE peserta")],
                  [[date_format(e.date, "j M Y"), e.kabupaten.name, e.title, e.get_topic_display(),
                    e.groups] for e in events],
                  widths=[0.12, 0.18, 0.4, 0.2, 0.1], numeric=[4])
    else:
        doc.paragraph(_("Tidak ada asistensi tercatat."))
    doc.paragraph(_("Kunjungan pendamping %(v)s, pertemuan kelompok %(m)s, baris Buku Kas Umum %(e)s dalam periode.")
                  % {"v": board.total["visits"], "m": board.total["meetings"], "e": board.total["entries"]})
    return doc.render()
