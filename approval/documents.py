"""Berita acara (A4 PDF) of an approval: what was signed, its figures, who signed at which level.

The LPJ's figures are the books' own (books.lpj), the period report's are the snapshot kept at its
acceptance (or, before it, the figures as they stand, labelled so). Built with lib.pdf like every
other SIKUBE document."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approval.models import Action, Level, Lpj, Report
from approval.selectors import lpj_state_label, report_differences
from approval.services import report_figures
from books.lpj import lpj_build, parse_period
from lib.money import rupiah
from lib.pdf import PdfDocument

SIGNING = (Action.SUBMIT, Action.CONFIRM, Action.VERIFY, Action.CHECK, Action.APPROVE, Action.ACCEPT)


def _when(value: object) -> str:
    return date_format(timezone.localtime(value), "j F Y H:i") if value else "—"  # type: ignore[arg-type]


def _signatories(steps: list) -> list[tuple[str, str, str, str]]:
    """The standing signatures: the acts forward since the last step back (a return, a withdrawal)."""
    current: list = []
    for step in steps:
        if step.action in SIGNING:
            current.append(step)
        elif step.action in (Action.RETURN, Action.UNAPPROVE, Action.WITHDRAW, Action.REOPEN_GRANT):
            current = []
    return [(str(Level(s.level).label), str(Action(s.action).label), s.actor.full_name if s.actor else "—",
             _when(s.at)) for s in current if s.action != Action.SUBMIT]


def berita_acara_lpj(lpj: Lpj, *, printed_by: str = "") -> bytes:
    kube = lpj.kube
    report = lpj_build(kube, parse_period(lpj.code))
    doc = PdfDocument(title=_("Berita Acara Persetujuan LPJ"), printed_by=printed_by,
                      header_lines=[kube.name, kube.desa.label, report.period.label])
    doc.key_values([
        (_("KUBE"), f"{kube.name} ({kube.reg_number})"),
        (_("Bulan buku"), report.period.label),
        (_("Status"), lpj_state_label(lpj)),
        (_("Diajukan"), _when(lpj.submitted_at)),
        (_("Diverifikasi"), _when(lpj.verified_at)),
        (_("Disetujui"), _when(lpj.approved_at)),
    ])
    doc.heading(_("Angka LPJ"))
    money = report.money
    doc.table([_("Uraian"), _("Jumlah")], [
        (_("Saldo awal kas dan bank"), rupiah(money.opening)),
        (_("Uang masuk"), rupiah(money.money_in)),
        (_("Uang keluar"), rupiah(money.money_out)),
        (_("Saldo akhir kas dan bank"), rupiah(money.closing)),
        (_("Pendapatan"), rupiah(report.statement.total_income)),
        (_("Beban"), rupiah(report.statement.total_expenses)),
        (_("Laba (rugi)"), rupiah(report.statement.profit)),
    ], numeric=[1], widths=[0.6, 0.4])
    steps = list(lpj.steps.select_related("actor"))
    findings = [s for s in steps if s.action in (Action.VERIFY, Action.CHECK, Action.APPROVE) and s.note]
    if findings:
        doc.heading(_("Temuan dan catatan"))
        for s in findings:
            doc.paragraph(f"{Level(s.level).label}: {s.note}")
    doc.heading(_("Yang menandatangani"))
    rows = _signatories(steps)
    doc.table([_("Tingkat"), _("Tindakan"), _("Nama"), _("Waktu")], rows or [("—", "—", "—", "—")],
              widths=[0.25, 0.25, 0.28, 0.22])
    doc.signatures([(f"{role}\n{action}", name) for role, action, name, _at in rows[-3:]] or [(_("Pengurus"), "")])
    return doc.render()


def berita_acara_report(report: Report, *, printed_by: str = "") -> bytes:
    period = parse_period(report.period)
    doc = PdfDocument(title=_("Berita Acara Penerimaan Laporan"), printed_by=printed_by,
                      header_lines=[report.region.label, period.label])
    accepted = report.snapshot is not None
    doc.key_values([
        (_("Wilayah"), report.region.label),
        (_("Periode"), period.label),
        (_("Diajukan"), _when(report.submitted_at)),
        (_("Diterima"), _when(report.accepted_at)),
    ])
    doc.heading(_("Angka yang diterima") if accepted else _("Angka saat ini (belum diterima)"))
    figures = report.snapshot or [list(x) for x in report_figures(report.region_id, report.period)]
    doc.table([_("Angka"), _("Nilai")], [(label, "—" if value is None else value) for label, value in figures],
              numeric=[1], widths=[0.65, 0.35])
    differences = report_differences(report)
    if differences:
        doc.heading(_("Berubah sejak diterima"))
        doc.table([_("Angka"), _("Saat diterima"), _("Sekarang")],
                  [(d.label, d.accepted, d.now) for d in differences], numeric=[1, 2], widths=[0.5, 0.25, 0.25])
    steps = list(report.steps.select_related("actor"))
    rows = _signatories(steps) + [(str(Level(s.level).label), str(Action(s.action).label),
                                   s.actor.full_name if s.actor else "—", _when(s.at))
                                  for s in steps if s.action == Action.SUBMIT][-1:]
    doc.heading(_("Yang menandatangani"))
    doc.table([_("Tingkat"), _("Tindakan"), _("Nama"), _("Waktu")], rows or [("—", "—", "—", "—")],
              widths=[0.25, 0.25, 0.28, 0.22])
    doc.signatures([(f"{role}\n{action}", name) for role, action, name, _at in rows[-2:]] or [(_("Kantor"), "")])
    return doc.render()
