"""Closing months and the accountability report (LPJ) as a page and an A4 PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from books.errors import BooksError
from books.lpj import Lpj, Period, lpj_build, parse_period
from books.models import PeriodClose
from books.selectors import cash_book, month_profit
from books.services import period_close
from books.services.ledger import last_closed_period, period_of
from books.views.common import book_context, book_kube, shift_month
from lib.http import pdf_response
from lib.money import in_words, rupiah
from lib.pdf import PdfDocument
from registry.models import Kube


def _months(kube: Kube) -> list[int]:
    today = timezone.localdate()
    first = period_of(kube.formed_on)
    year, month = today.year, today.month
    out: list[int] = []
    while year * 100 + month >= first and len(out) < 36:
        out.append(year * 100 + month)
        year, month = shift_month(year, month, -1)
    return out


@login_required
def close(request: HttpRequest, kube_id: int) -> HttpResponse:
    kube = book_kube(request, kube_id)
    if request.method == "POST":
        kube = book_kube(request, kube_id, write=True)
        try:
            closing = period_close(actor=request.user, kube=kube, period=int(request.POST.get("period", "0")))
        except (ValueError, BooksError) as exc:
            messages.error(request, exc.message if isinstance(exc, BooksError) else _("Bulan tidak dikenal."))
        else:
            code = f"{closing.period // 100}-{closing.period % 100:02d}"
            messages.success(request, _("Buku bulan %(m)s ditutup. LPJ-nya siap dicetak.")
                             % {"m": date_format(parse_period(code).start, "F Y")})
            return redirect("books:lpj", kube.pk, code)
        return redirect("books:close", kube.pk)
    closed_through = last_closed_period(kube)
    closed = set(PeriodClose.objects.filter(kube=kube).values_list("period", flat=True))
    today = timezone.localdate()
    current = period_of(today)
    rows = []
    next_to_close = None
    for period in reversed(_months(kube)):
        is_closed = period in closed or (closed_through is not None and period <= closed_through)
        if not is_closed and period < current and next_to_close is None:
            next_to_close = period
        rows.append({"period": period, "code": f"{period // 100}-{period % 100:02d}", "closed": is_closed,
                     "profit": month_profit(kube, period), "current": period == current})
    rows.reverse()
    closable = [r for r in rows if not r["closed"] and not r["current"]]
    yearly = [{"code": str(year), "quarters": [(f"{year}-Q{q}", q) for q in range(1, 5)]}
              for year in sorted({p // 100 for p in _months(kube)}, reverse=True)]
    return render(request, "books/close.html", book_context(
        request, kube, "close", rows=rows, next_to_close=next_to_close, yearly=yearly, closable=closable))


@login_required
def lpj(request: HttpRequest, kube_id: int, period: str) -> HttpResponse:
    kube = book_kube(request, kube_id)
    try:
        parsed = parse_period(period)
    except BooksError as exc:
        messages.error(request, exc.message)
        return redirect("books:close", kube.pk)
    report = lpj_build(kube, parsed)
    return render(request, "books/lpj.html", book_context(request, kube, "close", lpj=report))


@login_required
def lpj_pdf(request: HttpRequest, kube_id: int, period: str) -> HttpResponse:
    kube = book_kube(request, kube_id)
    try:
        parsed = parse_period(period)
    except BooksError as exc:
        messages.error(request, exc.message)
        return redirect("books:close", kube.pk)
    content = lpj_document(lpj_build(kube, parsed), printed_by=getattr(request.user, "username", ""))
    return pdf_response(content, filename=f"lpj-{kube.reg_number}-{parsed.code}.pdf")


def lpj_document(report: Lpj, *, printed_by: str = "") -> bytes:
    kube = report.kube
    period: Period = report.period
    doc = PdfDocument(
        title=_("Laporan Pertanggungjawaban (LPJ) Pengurus"),
        header_lines=[f"{kube.name} · {kube.reg_number}", kube.desa.path,
                      _("Periode: %(p)s (%(a)s – %(b)s)") % {"p": period.label,
                                                             "a": date_format(period.start, "j F Y"),
                                                             "b": date_format(period.end, "j F Y")}],
        printed_by=printed_by)
    if not report.closed:
        doc.paragraph(_("SEMENTARA: buku periode ini belum ditutup; angka masih dapat bertambah."))
    doc.heading(_("1. Ringkasan kas (tunai dan bank)"))
    doc.table([_("Uraian"), _("Jumlah")],
              [[_("Saldo awal"), rupiah(report.cash_opening)], [_("Penerimaan"), rupiah(report.cash_in)],
               [_("Pengeluaran"), rupiah(report.cash_out)]],
              widths=[0.6, 0.4], numeric=[1],
              total_row=[_("Saldo akhir"), rupiah(report.cash_closing)])
    doc.paragraph(_("Terbilang: %(w)s") % {"w": in_words(report.cash_closing) if report.cash_closing else "nol rupiah"})
    if report.cash_by_kind:
        doc.spacer(2)
        doc.table([_("Jenis transaksi"), pgettext("uang", "Masuk"), pgettext("uang", "Keluar")],
                  [[k, rupiah(i) if i else "", rupiah(o) if o else ""] for k, i, o in report.cash_by_kind],
                  widths=[0.5, 0.25, 0.25], numeric=[1, 2])
    doc.heading(_("2. Laba rugi"))
    st = report.statement
    rows = [[_("Pendapatan: %(a)s") % {"a": n}, rupiah(v)] for n, v in st.income]
    rows.append([_("Jumlah pendapatan"), rupiah(st.total_income)])
    rows += [[_("Beban: %(a)s") % {"a": n}, rupiah(v)] for n, v in st.expenses]
    rows.append([_("Jumlah beban"), rupiah(st.total_expenses)])
    doc.table([_("Uraian"), _("Jumlah")], rows, widths=[0.6, 0.4], numeric=[1],
              total_row=[_("Laba (rugi) periode ini") if st.profit >= 0 else _("Rugi periode ini"), rupiah(st.profit)])
    doc.heading(_("3. Neraca per %(d)s") % {"d": date_format(report.balance.day, "j F Y")})
    bs = report.balance
    doc.table([_("Harta"), _("Jumlah")], [[n, rupiah(v)] for n, v in bs.assets], widths=[0.6, 0.4], numeric=[1],
              total_row=[_("Jumlah harta"), rupiah(bs.total_assets)])
    doc.spacer(2)
    doc.table([_("Kewajiban dan modal"), _("Jumlah")],
              [[n, rupiah(v)] for n, v in [*bs.liabilities, *bs.equity]], widths=[0.6, 0.4], numeric=[1],
              total_row=[_("Jumlah kewajiban dan modal"), rupiah(bs.total_liabilities_equity)])
    doc.heading(_("4. Iuran Kesetiakawanan Sosial (IKS)"))
    if report.iks:
        doc.table([_("Dana"), _("Disisihkan"), pgettext("dana", "Dipakai"), _("Saldo akhir")],
                  [[f, rupiah(a), rupiah(u), rupiah(b)] for f, a, u, b in report.iks],
                  widths=[0.4, 0.2, 0.2, 0.2], numeric=[1, 2, 3])
    else:
        doc.paragraph(_("Belum ada dana IKS."))
    doc.heading(_("5. Simpanan dan pinjaman anggota"))
    if report.savings:
        doc.table([_("Anggota"), _("Saldo simpanan"), _("Di koperasi")],
                  [[n, rupiah(b), rupiah(c)] for n, b, c in report.savings], widths=[0.5, 0.25, 0.25],
                  numeric=[1, 2], total_row=[pgettext("total", "Jumlah"), rupiah(report.savings_total), ""])
    else:
        doc.paragraph(_("Belum ada simpanan anggota."))
    loans = report.loans
    doc.paragraph(_("Pinjaman beredar: %(o)s dari %(n)s pinjaman; terlambat lebih dari 30 hari: %(r)s "
                    "(PAR 30: %(p)s %%).") % {"o": rupiah(loans.outstanding), "n": len(loans.states),
                                              "r": rupiah(loans.at_risk_30), "p": loans.par30})
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
    doc.signatures(report.signers, place_date=f"{kube.desa.name}, {date_format(timezone.localdate(), 'j F Y')}")
    if period.kind != "year":
        # The month's (or quarter's) cash book as an annex: members can check every line.
        book = cash_book(kube, start=period.start, end=period.end)
        doc.heading(_("Lampiran: Buku Kas Umum"))
        doc.table([_("Tanggal"), _("No. bukti"), _("Uraian"), pgettext("uang", "Masuk"), pgettext("uang", "Keluar"), _("Saldo")],
                  [[date_format(period.start, "j M Y"), "", _("Saldo awal"), "", "", rupiah(book.opening)]]
                  + [[date_format(ln.date, "j M Y"), ln.receipt, ln.description + (" " + _("(dibalik)") if ln.reversed
                                                                                    else ""),
                      rupiah(ln.money_in) if ln.money_in else "", rupiah(ln.money_out) if ln.money_out else "",
                      rupiah(ln.balance)] for ln in book.lines],
                  widths=[0.13, 0.11, 0.37, 0.13, 0.13, 0.13], numeric=[3, 4, 5],
                  total_row=["", "", pgettext("total", "Jumlah"), rupiah(book.total_in), rupiah(book.total_out), rupiah(book.closing)])
    return doc.render()
