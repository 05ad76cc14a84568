"""Period reports per tier (xlsx and PDF, Indonesian), built from the summary rows only: of every
group, or with `approved_only` the flows of the approved group-months only; each document says which
(the PDF in its first line, the workbook on its first sheet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from approval.models import Report
from approval.selectors import Completeness, Counts, completeness
from books.lpj import Period, parse_period
from lib.money import rupiah
from lib.pdf import PdfDocument
from lib.regioncode import within_q
from lib.xlsx import Workbook
from mentoring.models import AssistanceEvent
from monitoring.health import reasons_text
from monitoring.models import Health, Klass
from monitoring.selectors import Dashboard, Figures, Scope, dashboard, groups_in
from monitoring.shareouts import share_out_figures
from regions.models import Region

COUNT, MONEY, PERCENT = "count", "money", "percent"


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | Decimal | None
    kind: str = COUNT


def number(value: int | Decimal | None, places: int = 0) -> str:
    """A number in the reader's format (Indonesian: 1.234 and 12,5), for the PDF."""
    if value is None:
        return "—"
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def percent(value: Decimal | None, places: int = 1) -> str:
    return "—" if value is None else f"{number(value, places)} %"


def shown(figure: Figure) -> str:
    if figure.kind == MONEY:
        return rupiah(int(figure.value)) if figure.value is not None else "—"
    if figure.kind == PERCENT:
        return percent(figure.value if isinstance(figure.value, Decimal) or figure.value is None
                       else Decimal(figure.value))
    return number(figure.value)


def figures_of(f: Figures) -> list[Figure]:
    """Every figure of a region, one number each, in the order the report prints them (one column
    each in the xlsx, so that a column sums and sorts)."""
    return [
        Figure(_("KUBE"), f["groups"]),
        Figure(_("KUBE aktif"), f["status_aktif"]),
        Figure(_("KUBE stagnan"), f["status_stagnan"]),
        Figure(_("KUBE bubar"), f["status_bubar"]),
        Figure(_("Tahap pembentukan"), f["stage_pembentukan"]),
        Figure(_("Tahap pengembangan"), f["stage_pengembangan"]),
        Figure(_("Tahap kemandirian"), f["stage_kemandirian"]),
        *[Figure(_("Kelas %(k)s") % {"k": label}, f[f"class_{k}"]) for k, label in Klass.choices],
        *[Figure(_("Kesehatan: %(h)s") % {"h": str(label).lower()}, f[f"health_{h}"])
          for h, label in Health.choices if h != Health.DISSOLVED],
        Figure(_("Anggota"), f["members"]),
        Figure(_("Anggota perempuan"), f["members_f"]),
        Figure(_("Anggota fakir miskin"), f["welfare_fakir_miskin"]),
        Figure(_("Anggota miskin"), f["welfare_miskin"]),
        Figure(_("Anggota hampir miskin"), f["welfare_hampir_miskin"]),
        Figure(_("Anggota ditemukan di DTSEN"), f["dtsen_found"]),
        *[Figure(_("Anggota desil %(n)s") % {"n": n}, f[f"desil_{n}"]) for n in range(1, 11)],
        Figure(_("Anggota tidak ditemukan di DTSEN"), f["dtsen_not_found"]),
        Figure(_("Anggota belum diperiksa di DTSEN"), f["dtsen_unchecked"]),
        Figure(_("Anggota di luar desil sasaran program"), f["outside_target"]),
        Figure(_("KUBE dengan anggota di luar sasaran"), f["groups_outside_target"]),
        Figure(_("Bantuan stimulan diterima"), f["grant_total"], MONEY),
        Figure(_("Modal sekarang"), f["capital"], MONEY),
        Figure(_("Modal dibanding bantuan"), f.capital_vs_grant, PERCENT),
        Figure(_("Pendapatan dalam periode"), f["revenue"], MONEY),
        Figure(_("Beban dalam periode"), f["expense"], MONEY),
        Figure(_("Laba dalam periode"), f.profit, MONEY),
        Figure(_("IKS disisihkan dalam periode"), f["iks_in"], MONEY),
        Figure(_("IKS dipakai dalam periode"), f["iks_out"], MONEY),
        Figure(_("Simpanan anggota"), f["savings"], MONEY),
        Figure(_("Pinjaman anggota beredar"), f["loans_outstanding"], MONEY),
        Figure(_("Pinjaman terlambat lebih dari 30 hari"), f["par30_amount"], MONEY),
        Figure(_("PAR 30"), f.par30, PERCENT),
        Figure(_("Bantuan yang digulirkan"), f["onward_total"], MONEY),
        Figure(_("Kunjungan pendamping"), f["visits"]),
        Figure(_("Kunjungan yang seharusnya"), f["visits_due"]),
        Figure(_("Kehadiran pada kunjungan"), f.attendance, PERCENT),
        Figure(_("Pertemuan kelompok"), f["meetings"]),
        Figure(_("Kehadiran pada pertemuan"), f.meeting_attendance, PERCENT),
    ]


def snapshot_figures(region_code: str, period_code: str) -> list[tuple[str, Any]]:
    """A region's report figures as [(label, value)] for the reporting chain's snapshot at acceptance
    (registered with approval in monitoring/apps.py): ints stay ints, percentages become text."""
    region = Region.objects.get(pk=region_code)
    board = dashboard(Scope(region.code, region, region.level), parse_period(period_code))
    return [(str(f.label), f.value if f.value is None or isinstance(f.value, int) else str(f.value))
            for f in figures_of(board.total)]


def figure_rows(f: Figures) -> list[tuple[str, str]]:
    """The figures of a region as the PDF prints them: label and the number in the reader's format."""
    return [(figure.label, shown(figure)) for figure in figures_of(f)]


def _events(scope: Scope, period: Period) -> list[Any]:
    """The asistensi held in the region in the period, each with `groups`, its number of groups."""
    qs = (AssistanceEvent.objects.filter(date__gte=period.start, date__lte=period.end).select_related("kabupaten")
          .annotate(groups=Count("participations")))
    if scope.code:
        qs = qs.filter(within_q("kabupaten_id", scope.code[:5]) if len(scope.code) >= 5
                       else within_q("kabupaten_id", scope.code))
    return list(qs.order_by("date"))


def _title(board: Dashboard) -> tuple[str, str]:
    where = board.scope.region.label if board.scope.region else _("Nasional")
    return _("Laporan Pemantauan KUBE"), f"{where} · {board.period.label}"


def report_xlsx(scope: Scope, period: Period, *, approved_only: bool = False) -> bytes:
    board = dashboard(scope, period, approved_only=approved_only)
    book = Workbook()
    title, subtitle = _title(board)
    book.sheet(_("Keterangan"), [title, subtitle], [[board.basis, ""], [board.basis_note, ""],
                                                    [_chain_status(scope, period), ""]], widths=[110, 30])
    columns = figures_of(board.total)
    headers = [_("Wilayah"), *[c.label for c in columns]]
    rows = [[board.scope.region.label if board.scope.region else _("Nasional"), *[c.value for c in columns]]]
    rows += [[region.name, *[c.value for c in figures_of(f)]] for region, f in board.children]
    book.sheet(_("Ringkasan"), headers, rows, widths=[28, *[14] * len(columns)],
               money_columns=[i + 1 for i, c in enumerate(columns) if c.kind == MONEY],
               percent_columns=[i + 1 for i, c in enumerate(columns) if c.kind == PERCENT])
    book.sheet(_("Tren bulanan"), [_("Bulan"), _("Pendapatan"), _("Beban"), _("Laba"), _("Kunjungan"),
                                   _("Pertemuan"), _("Baris buku")],
               [[f"{p // 100}-{p % 100:02d}", r["revenue"], r["expense"], r["revenue"] - r["expense"], r["visits"],
                 r["meetings"], r["entries"]] for p, r in board.trend], widths=[10, 16, 16, 16, 11, 11, 11],
               money_columns=[1, 2, 3])
    attention = list(groups_in(scope, attention_only=True, limit=5000))
    book.sheet(_("Perlu perhatian"), [_("KUBE"), _("Nomor registrasi"), _("Desa/kelurahan"), _("Kesehatan"), _("Skor"),
                                      _("Alasan")],
               [[s.kube.name, s.kube.reg_number, s.kube.desa.label, s.get_health_display(), s.health_score,
                 "; ".join(reasons_text(s.reasons))] for s in attention], widths=[30, 22, 26, 14, 8, 80])
    book.sheet(_("Asistensi"), [_("Tanggal"), _("Kabupaten/kota"), _("Kegiatan"), _("Materi"), _("KUBE peserta")],
               [[e.date, e.kabupaten.name, e.title, e.get_topic_display(), e.groups]
                for e in _events(scope, period)], widths=[12, 24, 40, 24, 12])
    shares = share_out_figures(scope, period.year - 1)
    book.sheet(_("Pembagian hasil usaha %(y)s") % {"y": shares.year},
               [_("Wilayah / KUBE"), _("KUBE membagi"), _("Untuk anggota"), _("Menjadi modal"), _("Alasan ditandai")],
               [[board.scope.region.label if board.scope.region else _("Nasional"), shares.total.groups,
                 shares.total.paid, shares.total.capital, ""],
                *[[r.name, t.groups, t.paid, t.capital, ""] for r, t in shares.children],
                *[[kube.name, None, None, None, "; ".join(reasons)] for kube, reasons in shares.flagged]],
               widths=[30, 12, 16, 16, 80], money_columns=[2, 3])
    lpj = _completeness(scope, period)
    book.sheet(_("Kelengkapan LPJ %(p)s") % {"p": _month_code(period.months[-1])},
               [_("Wilayah"), _("KUBE wajib lapor"), _("Diajukan"), _("Diverifikasi"), _("Disetujui"), _("Tepat waktu")],
               [[board.scope.region.label if board.scope.region else _("Nasional"), *_count_cells(lpj.total)],
                *[[r.name, *_count_cells(c)] for r, c in lpj.children]], widths=[30, 14, 12, 12, 12, 12])
    return book.close()


def _month_code(period: int) -> str:
    return f"{period // 100}-{period % 100:02d}"


def _completeness(scope: Scope, period: Period) -> Completeness:
    """The reporting chain's completeness of the period's last month (approval.selectors)."""
    return completeness(scope.code, period.months[-1], today=timezone.localdate(), late_limit=200)


def _count_cells(c: Counts) -> list[int]:
    return [c.expected, c.submitted, c.verified, c.approved, c.on_time]


def _chain_status(scope: Scope, period: Period) -> str:
    """Where this region's report stands in the chain (empty when it has not been submitted)."""
    report = Report.objects.filter(region_id=scope.code, period=period.code).first() if scope.code else None
    if report is not None and report.accepted_at:
        return _("Laporan ini diterima tingkat di atas pada %(d)s; angka saat diterima tersimpan di berita "
                 "acaranya.") % {"d": date_format(timezone.localtime(report.accepted_at), "j F Y")}
    if report is not None and report.submitted_at:
        return _("Laporan ini sudah diajukan dan menunggu diterima.")
    return ""


def report_pdf(scope: Scope, period: Period, *, printed_by: str = "", approved_only: bool = False) -> bytes:
    board = dashboard(scope, period, approved_only=approved_only)
    title, subtitle = _title(board)
    doc = PdfDocument(title=title, header_lines=[subtitle, board.basis], wide=True, printed_by=printed_by)
    doc.paragraph(" ".join(t for t in (board.basis_note, _chain_status(scope, period)) if t))
    doc.heading(_("Ringkasan"))
    doc.key_values(figure_rows(board.total))
    lpj = _completeness(scope, period)
    doc.heading(_("Kelengkapan LPJ bulan %(p)s") % {"p": _month_code(period.months[-1])})
    doc.table([_("Wilayah"), _("KUBE wajib lapor"), _("Diajukan"), _("Diverifikasi"), _("Disetujui"), _("Tepat waktu")],
              [[board.scope.region.label if board.scope.region else _("Nasional"), *map(number, _count_cells(lpj.total))],
               *[[r.name, *map(number, _count_cells(c))] for r, c in lpj.children]],
              widths=[0.3, 0.14, 0.14, 0.14, 0.14, 0.14], numeric=[1, 2, 3, 4, 5])
    if board.children:
        doc.heading(_("Per wilayah: %(w)s") % {"w": board.child_level_name})
        doc.table([_("Wilayah"), _("KUBE"), _("Sehat"), _("Perlu perhatian"), _("Kritis"), _("Anggota"), _("Laba"),
                   _("Modal/bantuan"), _("Kunjungan"), _("Seharusnya"), _("PAR 30")],
                  [[r.name, number(f["groups"]), number(f["health_sehat"]), number(f["health_perhatian"]),
                    number(f["health_kritis"]), number(f["members"]), rupiah(f.profit), percent(f.capital_vs_grant),
                    number(f["visits"]), number(f["visits_due"]), percent(f.par30)]
                   for r, f in board.children],
                  widths=[0.18, 0.06, 0.06, 0.08, 0.06, 0.08, 0.13, 0.1, 0.08, 0.08, 0.09],
                  numeric=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    doc.heading(_("Tren bulanan"))
    doc.table([_("Bulan"), _("Pendapatan"), _("Laba"), _("Kunjungan"), _("Pertemuan")],
              [[date_format(date(p // 100, p % 100, 1), "M Y"), rupiah(r["revenue"]),
                rupiah(r["revenue"] - r["expense"]), number(r["visits"]), number(r["meetings"])] for p, r in board.trend],
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
    shares = share_out_figures(scope, period.year - 1)
    doc.heading(_("Pembagian hasil usaha tahun buku %(y)s") % {"y": shares.year})
    doc.paragraph(_("%(n)s KUBE membukukan pembagian: %(p)s untuk anggota, %(c)s menjadi modal.")
                  % {"n": number(shares.total.groups), "p": rupiah(shares.total.paid), "c": rupiah(shares.total.capital)})
    if shares.children:
        doc.table([_("Wilayah"), _("KUBE"), _("Untuk anggota"), _("Menjadi modal")],
                  [[r.name, number(t.groups), rupiah(t.paid), rupiah(t.capital)] for r, t in shares.children],
                  widths=[0.4, 0.1, 0.25, 0.25], numeric=[1, 2, 3])
    for kube, reasons in shares.flagged:
        doc.paragraph(f"{kube.name} ({kube.desa.label}): " + "; ".join(reasons))
    doc.paragraph(_("Kunjungan pendamping %(v)s, pertemuan kelompok %(m)s, baris Buku Kas Umum %(e)s dalam periode.")
                  % {"v": number(board.total["visits"]), "m": number(board.total["meetings"]),
                     "e": number(board.total["entries"])})
    return doc.render()
