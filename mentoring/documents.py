"""Mentoring's printable tables: the visit history (seed 003, Tabel 4), the evaluations (Tabel 5)
and an assistance event's report."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.money import rupiah
from lib.pdf import PdfDocument
from mentoring.models import AssistanceEvent, Evaluation, Visit
from mentoring.selectors import event_participations, participant_names, visit_history
from registry.models import Kube


def _when(visit: Visit) -> str:
    text = date_format(visit.date, "l j F Y")
    if visit.start_time:
        text += " / Pkl. " + time_format(visit.start_time, "H.i")
        if visit.end_time:
            text += " – " + time_format(visit.end_time, "H.i")
        text += " WIB"
    return text


def visit_history_pdf(kube: Kube, *, printed_by: str = "") -> bytes:
    """One row per meeting, the columns of seed 003's Tabel 4."""
    visits = list(visit_history(kube))
    doc = PdfDocument(title=_("Pendampingan Sosial %(k)s") % {"k": kube.name},
                      header_lines=[f"{kube.reg_number} · {kube.desa.path}",
                                    _("Pendamping: %(p)s") % {"p": kube.pendamping.full_name if kube.pendamping else "—"}],
                      wide=True, printed_by=printed_by)
    rows = []
    for n, visit in enumerate(visits, start=1):
        problems = visit.problems
        solutions = visit.solutions
        extra = [_("Hadir %(p)s dari %(a)s anggota") % {"p": visit.members_present, "a": visit.members_active}]
        if visit.treasurer_report_reviewed and visit.cash_balance is not None:
            extra.append(_("Laporan bendahara dibahas; saldo kas menurut buku %(s)s") % {"s": rupiah(visit.cash_balance)})
        audited = [a for a in visit.audits.all() if a.checked]
        if audited:
            extra.append(_("Buku diperiksa: %(b)s") % {"b": ", ".join(
                f"{a.get_book_display()} ({_('tertib') if a.in_order else _('belum tertib')})" for a in audited)})
        follow = list(visit.follow_ups.all())
        if follow:
            solutions += "\n" + "\n".join(_("Tindak lanjut: %(a)s — %(p)s, %(d)s")
                                          % {"a": f.action, "p": f.person.name, "d": date_format(f.due_on, "j M Y")}
                                          for f in follow)
        rows.append([n, visit.place, _when(visit), problems + "\n" + "\n".join(extra), solutions.strip()])
    doc.table([_("No."), _("Tempat Pertemuan"), _("Tanggal/Waktu"), _("Masalah dan Keberhasilan yang Muncul"),
               _("Solusi")], rows, widths=[0.04, 0.16, 0.16, 0.34, 0.30], numeric=[0])
    if not rows:
        doc.paragraph(_("Belum ada kunjungan tercatat."))
    doc.signatures([(_("Pendamping"), kube.pendamping.full_name if kube.pendamping else ""), (_("Ketua KUBE"), "")])
    return doc.render()


def _evaluation_rows(evaluations: list[Evaluation]) -> list[list[object]]:
    rows: list[list[object]] = []
    for e in evaluations:
        targets = list(e.targets.all())
        target_text = "\n".join(f"{i}. {floatformat(t.target_percent, '-2')}% {t.description}"
                                for i, t in enumerate(targets, start=1))
        reached = "\n".join(
            f"{i}. " + (f"{floatformat(t.reached_percent, '-2')}% — " + (_("tercapai") if t.met else _("belum tercapai"))
                        if t.reached_percent is not None else _("belum diukur"))
            for i, t in enumerate(targets, start=1))
        rows.append([f"{e.title}\n{date_format(e.date, 'j F Y')}", e.indicators, e.results, e.supporting, e.inhibiting,
                     target_text, reached])
    return rows


EVALUATION_HEADERS = [gettext_lazy("Kegiatan dan Waktu"), gettext_lazy("Indikator Keberhasilan"),
                      gettext_lazy("Hasil yang Diperoleh"), gettext_lazy("Faktor Pendukung"),
                      gettext_lazy("Faktor Penghambat"), gettext_lazy("Target Pencapaian"), gettext_lazy("Capaian")]


def evaluations_pdf(kube: Kube, *, printed_by: str = "") -> bytes:
    """Every evaluation about the group, the columns of seed 003's Tabel 5 plus what was reached."""
    evaluations = list(Evaluation.objects.filter(Q(visit__kube=kube) | Q(activity__kube=kube) | Q(event__kubes=kube))
                       .distinct().prefetch_related("targets").order_by("date", "id"))
    doc = PdfDocument(title=_("Hasil Pemantauan dan Evaluasi Kegiatan"), header_lines=[kube.name, kube.desa.path],
                      wide=True, printed_by=printed_by)
    doc.table([str(h) for h in EVALUATION_HEADERS], _evaluation_rows(evaluations),
              widths=[0.14, 0.16, 0.16, 0.13, 0.13, 0.15, 0.13])
    if not evaluations:
        doc.paragraph(_("Belum ada evaluasi."))
    return doc.render()


def event_pdf(event: AssistanceEvent, *, viewer: Any, printed_by: str = "") -> bytes:
    """The report of an assistance event (seed 000's shape)."""
    doc = PdfDocument(title=_("Laporan Asistensi KUBE"), header_lines=[
        event.title, f"{event.kabupaten.name} · {date_format(event.date, 'l j F Y')}"], printed_by=printed_by)
    doc.heading(_("Pelaksanaan"))
    doc.key_values([
        (_("Tanggal"), date_format(event.date, "j F Y")),
        (_("Tempat"), f"{event.place}, {event.kabupaten.name}".strip(", ")),
        (_("Materi"), event.get_topic_display()),
        (_("Metode"), event.method),
        (_("Narasumber"), event.speakers),
        (_("Moderator"), event.moderator or "—"),
        (_("Panitia"), event.committee or "—"),
    ])
    doc.heading(_("Peserta"))
    names = participant_names(event, viewer)  # only the groups the reader may see
    doc.table([_("KUBE"), _("Desa/kelurahan"), _("Peserta"), _("Nama peserta")],
              [[p.kube.name, p.kube.desa.label, p.people, ", ".join(names.get(p.kube_id, []))]
               for p in event_participations(event, viewer)],
              widths=[0.28, 0.22, 0.1, 0.4], numeric=[2])
    doc.heading(_("Permasalahan yang disampaikan KUBE"))
    doc.paragraph(event.problems_raised or "—")
    doc.heading(_("Hasil kegiatan"))
    doc.paragraph(event.results or "—")
    evaluations = list(event.evaluations.prefetch_related("targets"))
    if evaluations:
        doc.heading(_("Evaluasi"))
        doc.table([str(h) for h in EVALUATION_HEADERS], _evaluation_rows(evaluations),
                  widths=[0.14, 0.16, 0.16, 0.13, 0.13, 0.15, 0.13])
    doc.signatures([(_("Panitia"), ""), (_("Penyelenggara"), event.organised_by.full_name if event.organised_by else "")])
    return doc.render()
