"""The assessment report (PDF, A4, Indonesian) and the export of every score (xlsx)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from assessments.models import Assessment, Mode
from assessments.selectors import Comparison, Results, comparison, previous_of, priorities_of, results
from lib.pdf import PdfDocument
from lib.xlsx import Workbook

AFTER = colors.HexColor("#0b7a53")
BEFORE = colors.HexColor("#b0b7bb")


def score(value: Decimal | None) -> str:
    """A mean as people read it: two decimals, Indonesian comma."""
    return "—" if value is None else floatformat(value, 2)


def change(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + floatformat(value, 2)


class _Spider(SpiderChart):  # type: ignore[misc]
    """ReportLab's spider chart scaled to the instrument's top score instead of the data's maximum."""

    top = 4.0

    def normalizeData(self, outer: float = 0.0) -> list[list[float]]:
        self._norm = self.top
        return [[e / self.top for e in row] for row in self.data]


def radar(labels: list[str], series: list[tuple[str, list[float], Any]], *, top: int, width: float) -> Drawing:
    height = 78 * mm
    drawing = Drawing(width, height)
    chart = _Spider()
    chart._top = float(top)
    chart.x, chart.y = width / 2 - 38 * mm, 6 * mm
    chart.width = chart.height = 64 * mm
    chart.data = [values for _n, values, _c in series]
    chart.labels = labels
    chart.spokes.strokeColor = colors.HexColor("#cccccc")
    for i, (_name, _values, color) in enumerate(series):
        chart.strands[i].strokeColor = color
        chart.strands[i].strokeWidth = 1.5
        chart.strands[i].fillColor = None
    chart.spokeLabels.fontSize = 7
    drawing.add(chart)
    for i, (name, _values, color) in enumerate(series):
        drawing.add(String(width - 46 * mm, height - (8 + 5 * i) * mm, f"■ {name}", fontSize=8, fillColor=color))
    return drawing


def _domain_labels(res: Results) -> list[str]:
    """The spokes carry the domain numbers; the table above names them (long names overlap)."""
    return [_("Bidang %(n)s") % {"n": d.domain.number} for d in res.domains]


def letter(index: int) -> str:
    """a, b, … z, aa, ab, … as seed 003 lists the characteristics."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def analysis_rows(res: Results) -> tuple[str, str]:
    """Seed 003's Tabel 2: the strong characteristics; the weak ones with their number and score."""
    strong = "\n".join(f"{letter(i)}. ({r.item.number}) {r.item.text}" for i, r in enumerate(res.strong_by_number))
    weak = "\n".join(f"{letter(i)}. ({r.item.number}) {r.item.text} ({_('nilai')} {score(r.mean)})"
                     for i, r in enumerate(res.weak_by_number))
    return strong or "—", weak or "—"


def assessment_pdf(assessment: Assessment, *, printed_by: str = "") -> bytes:
    kube = assessment.kube
    version = assessment.version
    res = results(assessment)
    doc = PdfDocument(title=_("Laporan Penilaian Kapasitas (PEKA)"), printed_by=printed_by, header_lines=[
        f"{kube.name} · {kube.desa.path}", date_format(assessment.date, "l j F Y")])
    participants = list(assessment.participants.select_related("member").order_by("member__name"))
    doc.key_values([
        (_("Tanggal"), date_format(assessment.date, "j F Y")),
        (_("Tempat"), assessment.place or "—"),
        (_("Fasilitator"), assessment.facilitator_name),
        (_("Instrumen"), _("%(i)s, versi %(v)s") % {"i": version.instrument.name, "v": version.number}),
        (_("Skala dan standar"), _("%(a)s–%(b)s; ciri di bawah %(s)s lemah")
         % {"a": version.scale_min, "b": version.scale_max, "s": score(version.standard)}),
        (_("Cara menilai"), assessment.get_mode_display()),
        (_("Jumlah peserta"), str(len(participants))),
    ])
    doc.heading(_("Peserta"))
    doc.paragraph(", ".join(p.member.name for p in participants))
    history = list(assessment.history.all())
    if history:
        doc.heading(_("Alur sejarah kelompok"))
        doc.table([_("Waktu"), _("Peristiwa")], [[h.when, h.event] for h in history], widths=[0.22, 0.78])
    if assessment.reflection:
        doc.heading(_("Refleksi pencapaian tujuan"))
        doc.paragraph(assessment.reflection)
    doc.heading(_("Nilai per ciri"))
    rows: list[list[object]] = []
    for d in res.domains:
        rows.append([f"{d.domain.number}.", d.domain.name.upper(), "", score(d.mean), ""])
        rows += [[r.item.number, r.item.text, r.scores, score(r.mean), _("lemah") if r.weak else ""] for r in d.items]
    doc.table([_("No."), _("Ciri"), _("Penilai"), _("Rata-rata"), ""], rows, widths=[0.07, 0.6, 0.1, 0.12, 0.11],
              numeric=[2, 3])
    doc.heading(_("Nilai per bidang"))
    doc.table([_("Bidang"), _("Rata-rata")], [[f"{d.domain.number}. {d.domain.name}", score(d.mean)]
                                              for d in res.domains], widths=[0.8, 0.2], numeric=[1])
    doc.story.append(radar(_domain_labels(res), [(date_format(assessment.date, "j M Y"),
                                                  [float(d.mean or 0) for d in res.domains], AFTER)],
                           top=version.scale_max, width=doc.width))
    doc.heading(_("Analisa hubungan nilai, ciri-ciri dan pencapaian tujuan"))
    strong, weak = analysis_rows(res)
    doc.table([_("Ciri-ciri yang kuat"), _("Ciri-ciri yang lemah")], [[strong, weak]], widths=[0.5, 0.5])
    priorities = priorities_of(assessment)
    if priorities:
        doc.heading(_("Prioritas"))
        doc.table([_("Urutan"), _("Ciri"), pgettext("peka", "Nilai")],
                  [[p.rank, f"({p.item.number}) {p.item.text}", score(_mean(res, p.item_id))] for p in priorities],
                  widths=[0.1, 0.75, 0.15], numeric=[0, 2])
    actions = list(assessment.actions.select_related("item", "person").order_by("due_on", "id"))
    if actions:
        doc.heading(_("Rencana Tindak Lanjut (RTL)"))
        doc.table([_("Ciri"), _("Kegiatan"), _("Tujuan"), _("Penanggung jawab"), _("Waktu"), _("Indikator"),
                   _("Target"), _("Status")],
                  [[a.item.number, a.activity, a.aim, a.person.name, date_format(a.due_on, "j M Y"), a.indicator,
                    a.target, a.get_status_display()] for a in actions],
                  widths=[0.06, 0.17, 0.16, 0.13, 0.1, 0.16, 0.12, 0.1])
    earlier = previous_of(assessment)
    if earlier is not None:
        _comparison_section(doc, comparison(assessment, earlier), top=version.scale_max)
    doc.signatures([(_("Fasilitator"), assessment.facilitator_name), (_("Ketua KUBE"), "")])
    return doc.render()


def _mean(res: Results, item_id: int) -> Decimal | None:
    return next((r.mean for r in res.items if r.item.pk == item_id), None)


def _comparison_section(doc: PdfDocument, comp: Comparison, *, top: int) -> None:
    before, after = date_format(comp.earlier.date, "j M Y"), date_format(comp.later.date, "j M Y")
    doc.heading(_("Perbandingan dengan penilaian %(d)s") % {"d": before})
    doc.paragraph(_("Peserta: %(b)s orang sebelumnya, %(a)s orang sekarang.")
                  % {"b": comp.participants_before, "a": comp.participants_after})
    doc.table([_("Bidang"), before, after, pgettext("selisih nilai", "Perubahan")],
              [[f"{r.number}. {r.text}", score(r.before), score(r.after), change(r.change)] for r in comp.domains],
              widths=[0.55, 0.15, 0.15, 0.15], numeric=[1, 2, 3])
    doc.story.append(radar([_("Bidang %(n)s") % {"n": r.number} for r in comp.domains], [
        (before, [float(r.before or 0) for r in comp.domains], BEFORE),
        (after, [float(r.after or 0) for r in comp.domains], AFTER)], top=top, width=doc.width))
    doc.table([_("No."), _("Ciri"), before, after, pgettext("selisih nilai", "Perubahan")],
              [[r.number, r.text, score(r.before), score(r.after), change(r.change)] for r in comp.items],
              widths=[0.07, 0.57, 0.12, 0.12, 0.12], numeric=[0, 2, 3, 4])
    left = comp.left_weak
    doc.paragraph(_("Ciri yang tidak lemah lagi: %(l)s.") % {"l": ", ".join(
        f"({r.number}) {score(r.before)} → {score(r.after)}" for r in left)} if left
        else _("Belum ada ciri lemah yang naik ke atas standar."))


def scores_xlsx(assessment: Assessment) -> bytes:
    """Every score: one row per characteristic, one column per participant (or the consensus)."""
    res = results(assessment)
    participants = list(assessment.participants.select_related("member").order_by("member__name"))
    values: dict[tuple[int | None, int], int] = {
        (s.participant_id, s.item_id): s.value for s in assessment.scores.all()}
    columns: list[tuple[int | None, str]] = (
        [(None, _("Kesepakatan"))] if assessment.mode == Mode.CONSENSUS
        else [(p.pk, p.member.name) for p in participants])
    book = Workbook()
    headers = [_("No."), _("Bidang"), _("Ciri"), *[name for _pk, name in columns], _("Rata-rata"), _("Lemah")]
    rows = [[r.item.number, d.domain.name, r.item.text, *[values.get((pk, r.item.pk)) for pk, _n in columns],
             float(r.mean) if r.mean is not None else None, _("ya") if r.weak else ""]
            for d in res.domains for r in d.items]
    book.sheet(pgettext("peka", "Nilai"), headers, rows, widths=[6, 24, 60, *[12] * len(columns), 10, 8])
    book.sheet(_("Bidang"), [_("No."), _("Bidang"), _("Rata-rata")],
               [[d.domain.number, d.domain.name, float(d.mean) if d.mean is not None else None]
                for d in res.domains], widths=[6, 40, 10])
    book.sheet(_("RTL"), [_("Ciri"), _("Kegiatan"), _("Tujuan"), _("Penanggung jawab"), _("Waktu"),
                          _("Indikator"), _("Target"), _("Status")],
               [[a.item.number, a.activity, a.aim, a.person.name, a.due_on, a.indicator, a.target,
                 a.get_status_display()] for a in assessment.actions.select_related("item", "person")],
               widths=[6, 30, 30, 20, 12, 30, 20, 12])
    return book.close()
