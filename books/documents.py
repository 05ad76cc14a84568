"""The LPJ as an A4 PDF, read by the page and by the API alike (books/lpj.py computes it)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from books.lpj import Lpj, Period, Row
from books.selectors import CashBook
from lib.money import percent, rupiah
from lib.pdf import STYLE_SMALL, PdfDocument


def _statement_rows(rows: list[Row]) -> list[list[object]]:
    return [[("    " if r.kind == "less" else "") + r.label, rupiah(r.amount)] for r in rows]


def lpj_document(report: Lpj, *, printed_by: str = "") -> bytes:
    kube = report.kube
    period: Period = report.period
    explain = report.explain
    doc = PdfDocument(
        title=_("Laporan Pertanggungjawaban (LPJ) Pengurus"),
        header_lines=[f"{kube.name} · {kube.reg_number}", kube.desa.path,
                      _("Periode: %(p)s (%(a)s – %(b)s)") % {"p": period.label,
                                                             "a": date_format(period.start, "j F Y"),
                                                             "b": date_format(period.end, "j F Y")}],
        printed_by=printed_by)
    if not report.closed:
        doc.paragraph(_("SEMENTARA: buku periode ini belum ditutup; angka masih dapat bertambah."))
    doc.heading(_("1. Ringkasan kas per akun"))
    money = report.money
    doc.table([_("Akun"), _("Saldo awal"), _("Penerimaan"), _("Pengeluaran"), _("Pindahan masuk"),
               _("Pindahan keluar"), _("Saldo akhir")],
              [[a.label, rupiah(a.opening), rupiah(a.money_in), rupiah(a.money_out), rupiah(a.transfer_in),
                rupiah(a.transfer_out), rupiah(a.closing)] for a in money.accounts],
              widths=[0.16, 0.14, 0.14, 0.14, 0.14, 0.14, 0.14], numeric=[1, 2, 3, 4, 5, 6],
              total_row=[pgettext("total", "Jumlah"), rupiah(money.opening), rupiah(money.money_in),
                         rupiah(money.money_out), rupiah(money.transfers), rupiah(money.transfers),
                         rupiah(money.closing)])
    doc.paragraph(_("Saldo akhir seluruhnya, terbilang: %(w)s") % {"w": report.closing_words})
    doc.paragraph(str(explain["cash"]), STYLE_SMALL)
    if money.by_kind:
        doc.spacer(2)
        doc.table([_("Jenis transaksi"), _("Penerimaan"), _("Pengeluaran")],
                  [[k, rupiah(i) if i else "", rupiah(o) if o else ""] for k, i, o in money.by_kind],
                  widths=[0.5, 0.25, 0.25], numeric=[1, 2])
    doc.heading(_("2. Laba rugi"))
    rows = report.income_rows
    doc.table([_("Uraian"), _("Jumlah")], _statement_rows(rows[:-1]), widths=[0.7, 0.3], numeric=[1],
              total_row=_statement_rows(rows[-1:])[0])
    doc.paragraph(str(explain["income"]), STYLE_SMALL)
    nr = report.neraca
    doc.heading(_("3. Laporan posisi keuangan (neraca) per %(d)s") % {"d": date_format(nr.day, "j F Y")})
    doc.table([nr.assets.title, _("Jumlah")], _statement_rows(nr.assets.rows), widths=[0.7, 0.3], numeric=[1],
              total_row=_statement_rows([nr.assets.total])[0])
    doc.spacer(2)
    doc.table([_("Kewajiban dan modal"), _("Jumlah")],
              [[_("Kewajiban"), ""], *_statement_rows(nr.liabilities.rows),
               *_statement_rows([nr.liabilities.total]), [_("Modal"), ""], *_statement_rows(nr.equity.rows),
               *_statement_rows([nr.equity.total])],
              widths=[0.7, 0.3], numeric=[1],
              total_row=[_("Jumlah kewajiban dan modal"), rupiah(nr.total_liabilities_equity)])
    doc.paragraph(str(explain["balance"]), STYLE_SMALL)
    doc.heading(_("4. Iuran Kesetiakawanan Sosial (IKS)"))
    if report.iks:
        doc.table([_("Dana"), _("Disisihkan"), pgettext("dana", "Dipakai"), _("Saldo akhir")],
                  [[f, rupiah(a), rupiah(u), rupiah(b)] for f, a, u, b in report.iks],
                  widths=[0.4, 0.2, 0.2, 0.2], numeric=[1, 2, 3])
    else:
        doc.paragraph(_("Belum ada dana IKS."))
    doc.paragraph(str(explain["iks"]), STYLE_SMALL)
    doc.heading(_("5. Simpanan dan pinjaman anggota"))
    if report.savings:
        doc.table([_("Anggota"), _("Saldo simpanan"), _("Di koperasi")],
                  [[n, rupiah(b), rupiah(c)] for n, b, c in report.savings], widths=[0.5, 0.25, 0.25],
                  numeric=[1, 2], total_row=[pgettext("total", "Jumlah"), rupiah(report.savings_total), ""])
    else:
        doc.paragraph(_("Belum ada simpanan anggota."))
    loans = report.loans
    doc.paragraph(_("Pinjaman beredar: %(o)s dari %(n)s pinjaman; terlambat lebih dari 30 hari: %(r)s "
                    "(PAR 30: %(p)s).") % {"o": rupiah(loans.outstanding), "n": len(loans.states),
                                           "r": rupiah(loans.at_risk_30), "p": report.par30_text})
    doc.paragraph(str(explain["savings"]), STYLE_SMALL)
    doc.heading(_("6. Kegiatan dan kehadiran"))
    if report.activities:
        doc.table([_("Tanggal"), _("Kegiatan"), _("Tempat"), _("Hadir")],
                  [[date_format(a.activity.date, "j M Y"), a.activity.get_kind_display(), a.activity.place,
                    f"{a.present}/{a.recorded}"] for a in report.activities],
                  widths=[0.18, 0.34, 0.33, 0.15])
        if report.attendance_rate is not None:
            doc.paragraph(_("Rata-rata kehadiran: %(p)s %%") % {"p": report.attendance_rate})
    else:
        doc.paragraph(_("Tidak ada kegiatan tercatat pada periode ini."))
    doc.paragraph(str(explain["activities"]), STYLE_SMALL)
    doc.heading(_("7. Perubahan inventaris"))
    changes = [[i.code, i.name, _("Diperoleh (%(s)s)") % {"s": i.get_source_display()}, rupiah(i.value)]
               for i in report.acquired]
    changes += [[e.item.code, e.item.name, _("Dihapus: %(n)s") % {"n": e.note} if e.disposed
                 else _("Kondisi: %(c)s") % {"c": e.get_condition_display()}, ""] for e in report.inventory_events]
    if changes:
        doc.table([_("Kode"), _("Barang"), _("Perubahan"), _("Nilai")], changes, widths=[0.15, 0.35, 0.3, 0.2],
                  numeric=[3])
    else:
        doc.paragraph(_("Tidak ada perubahan inventaris."))
    doc.paragraph(str(explain["inventory"]), STYLE_SMALL)
    if report.notes is not None:
        _notes_section(doc, report)
    doc.signatures(report.signers, place_date=f"{kube.desa.name}, {date_format(timezone.localdate(), 'j F Y')}")
    if report.annex is not None:
        _annex_section(doc, report.annex)
    return doc.render()


def _notes_section(doc: PdfDocument, report: Lpj) -> None:
    notes = report.notes
    assert notes is not None
    doc.heading(_("8. Catatan atas laporan keuangan"))
    doc.paragraph(str(report.explain["notes"]), STYLE_SMALL)
    doc.paragraph(_("a. Gambaran umum KUBE"))
    doc.key_values(notes.group)
    doc.paragraph(_("b. Dasar penyusunan dan kebijakan akuntansi"))
    for text in notes.basis:
        doc.paragraph("• " + text)
    doc.paragraph(_("c. Bantuan stimulan"))
    if notes.grants:
        doc.table([_("Bantuan"), _("Diterima"), _("Jumlah"), _("Direalisasikan"), _("Digulirkan")],
                  [[f"{g.name} ({g.source}, SK {g.decree_number})", date_format(g.received_on, "j M Y"),
                    rupiah(g.amount), rupiah(g.spent), rupiah(g.passed_on)] for g in notes.grants],
                  widths=[0.36, 0.13, 0.17, 0.17, 0.17], numeric=[2, 3, 4])
    else:
        doc.paragraph(_("Belum ada bantuan stimulan yang diterima."))
    doc.paragraph(_("d. Aturan IKS"))
    if notes.iks_rules:
        doc.table([_("Dana IKS"), _("Bagian dari laba bulanan"), _("Status")],
                  [[n, percent(s), _("dipakai") if a else _("tidak dipakai lagi")] for n, s, a in notes.iks_rules],
                  widths=[0.5, 0.25, 0.25], numeric=[1])
        doc.paragraph(_("Setiap bulan yang berlaba, bagian itu disisihkan dari laba bulan tersebut (dibulatkan ke "
                        "bawah) dan dicatat sebagai dana IKS; dana hanya dipakai sampai saldonya habis."))
    else:
        doc.paragraph(_("KUBE belum menetapkan aturan IKS."))
    doc.paragraph(_("e. Pinjaman anggota yang beredar"))
    if notes.loans:
        doc.table([_("Nomor"), _("Cair"), _("Pokok"), _("Sisa pokok"), _("Terlambat")],
                  [[n, date_format(d, "j M Y"), rupiah(a), rupiah(o),
                    ngettext("%(d)s hari", "%(d)s hari", late) % {"d": late} if late else "—"]
                   for n, d, a, o, late in notes.loans],
                  widths=[0.2, 0.2, 0.2, 0.2, 0.2], numeric=[2, 3],
                  total_row=[pgettext("total", "Jumlah"), "", "", rupiah(report.loans.outstanding),
                             _("PAR 30: %(p)s") % {"p": report.par30_text}])
    else:
        doc.paragraph(_("Tidak ada pinjaman yang beredar pada akhir tahun."))
    doc.paragraph(_("f. Simpanan anggota"))
    doc.paragraph(_("%(n)s anggota mempunyai simpanan, seluruhnya %(t)s; dari jumlah itu %(c)s disetorkan ke "
                    "koperasi atas nama masing-masing anggota dan sisanya dipegang kelompok.")
                  % {"n": notes.savers, "t": rupiah(notes.savings_total), "c": rupiah(notes.savings_at_coop)})
    for section in notes.more:
        doc.paragraph(section.title)
        for text in section.paragraphs:
            doc.paragraph(text)
        if section.header:
            doc.table(section.header, [list(r) for r in section.rows],
                      numeric=[i for i in range(1, len(section.header))])


def _annex_section(doc: PdfDocument, book: CashBook) -> None:
    """The period's cash book: members can check every line, and each account's running balance
    ends where the cash summary says it does."""
    doc.heading(_("Lampiran: Buku Kas Umum"))
    doc.paragraph(_("Setiap catatan uang masuk dan keluar pada periode ini. Kolom saldo adalah sisa uang di akun "
                    "baris itu (tunai, bank, atau koperasi); saldo akhir tiap akun sama dengan ringkasan kas."),
                  STYLE_SMALL)
    start = date_format(book.start, "j M Y")
    end = date_format(book.end, "j M Y")
    rows: list[list[object]] = [[start, "", _("Saldo awal"), a.short, "", "", rupiah(a.opening)]
                                for a in book.accounts]
    rows += [[date_format(ln.date, "j M Y"), ln.receipt,
              ln.description + (" " + _("(dibalik)") if ln.reversed else ""), ln.account,
              rupiah(ln.money_in) if ln.money_in else "", rupiah(ln.money_out) if ln.money_out else "",
              rupiah(ln.balance)] for ln in book.lines]
    rows += [[end, "", _("Saldo akhir"), a.short, rupiah(a.money_in), rupiah(a.money_out), rupiah(a.closing)]
             for a in book.accounts]
    doc.table([_("Tanggal"), _("No. bukti"), _("Uraian"), _("Akun"), pgettext("uang", "Masuk"),
               pgettext("uang", "Keluar"), _("Saldo akun")], rows,
              widths=[0.11, 0.1, 0.3, 0.1, 0.13, 0.13, 0.13], numeric=[4, 5, 6])
