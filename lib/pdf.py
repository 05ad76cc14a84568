"""A4 documents in Indonesian with ReportLab: header, tables, signature block, page numbers.

Every printable book (Buku Keanggotaan, Daftar Pengurus, LPJ, visit history …) is
built with `PdfDocument`, so they share one look: the group's name and region at
the top, "Halaman x dari y" and the print time at the bottom, and a place for
signatures at the end.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

_styles = getSampleStyleSheet()
STYLE_TITLE = ParagraphStyle("title", parent=_styles["Title"], fontSize=14, leading=17, spaceAfter=2)
STYLE_SUB = ParagraphStyle("sub", parent=_styles["Normal"], fontSize=9.5, leading=12,
                           alignment=TA_CENTER, textColor=colors.HexColor("#333333"))
STYLE_H2 = ParagraphStyle("h2", parent=_styles["Heading2"], fontSize=11.5, leading=14, keepWithNext=1,
                          spaceBefore=8, spaceAfter=4)
STYLE_BODY = ParagraphStyle("body", parent=_styles["Normal"], fontSize=9, leading=11.5)
STYLE_CELL = ParagraphStyle("cell", parent=_styles["Normal"], fontSize=8, leading=10)
STYLE_CELL_NUM = ParagraphStyle("cellnum", parent=STYLE_CELL, alignment=TA_RIGHT)
STYLE_HEAD = ParagraphStyle("head", parent=STYLE_CELL, fontName="Helvetica-Bold")
STYLE_SMALL = ParagraphStyle("small", parent=_styles["Normal"], fontSize=7.5, leading=9,
                             textColor=colors.HexColor("#555555"))

GRID = colors.HexColor("#9aa5ab")
HEAD_BG = colors.HexColor("#e4efe9")


def p(text: object, style: ParagraphStyle = STYLE_BODY) -> Paragraph:
    """A paragraph from plain text (escaped; newlines kept)."""
    return Paragraph(escape(str(text if text is not None else "")).replace("\n", "<br/>"), style)


class PdfDocument:
    def __init__(self, *, title: str, header_lines: Sequence[str], wide: bool = False,
                 printed_by: str = "") -> None:
        self.title = title
        self.header_lines = list(header_lines)
        self.pagesize = landscape(A4) if wide else A4
        self.story: list[Flowable] = []
        self.printed_at: datetime = timezone.localtime()
        self.printed_by = printed_by
        self.story.append(Paragraph(escape(title), STYLE_TITLE))
        for line in self.header_lines:
            self.story.append(p(line, STYLE_SUB))
        self.story.append(Spacer(1, 5 * mm))

    @property
    def width(self) -> float:
        return float(self.pagesize[0] - 30 * mm)

    def heading(self, text: str) -> None:
        self.story.append(Paragraph(escape(text), STYLE_H2))

    def paragraph(self, text: str, style: ParagraphStyle = STYLE_BODY) -> None:
        self.story.append(p(text, style))

    def spacer(self, height_mm: float = 4) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    CHUNK = 35

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]], *,
              widths: Sequence[float] | None = None, numeric: Sequence[int] = (),
              total_row: Sequence[object] | None = None) -> None:
        """A bordered table whose header repeats on every page. `widths` are fractions.

        Long tables are laid out as consecutive tables of CHUNK rows: ReportLab re-wraps every
        remaining row each time a table is split across a page, which makes one long table
        quadratic (a 300-line cash book took over a minute as one table, a few ms in chunks).
        """
        if len(rows) > self.CHUNK:
            for start in range(0, len(rows), self.CHUNK):
                chunk = rows[start:start + self.CHUNK]
                last = start + self.CHUNK >= len(rows)
                self.table(headers, chunk, widths=widths, numeric=numeric,
                           total_row=total_row if last else None)
            return
        data: list[list[object]] = [[p(h, STYLE_HEAD) for h in headers]]
        for row in rows:
            data.append([p(v, STYLE_CELL_NUM if i in numeric else STYLE_CELL)
                         for i, v in enumerate(row)])
        if total_row is not None:
            data.append([p(v, ParagraphStyle("tot", parent=STYLE_CELL_NUM if i in numeric else STYLE_CELL,
                                              fontName="Helvetica-Bold"))
                         for i, v in enumerate(total_row)])
        col_widths = [w * self.width for w in widths] if widths else None
        table = Table(data, colWidths=col_widths, repeatRows=1)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if total_row is not None:
            style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f3f3")))
        table.setStyle(TableStyle(style))
        self.story.append(table)

    def key_values(self, pairs: Sequence[tuple[str, object]]) -> None:
        data = [[p(k, STYLE_HEAD), p(v, STYLE_CELL)] for k, v in pairs]
        table = Table(data, colWidths=[0.3 * self.width, 0.7 * self.width])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        self.story.append(table)

    def signatures(self, signers: Sequence[tuple[str, str]], *, place_date: str = "") -> None:
        """A row of signature boxes: (role, name). Names may be blank for a hand-written one."""
        cells_top = [p(role, ParagraphStyle("sr", parent=STYLE_BODY, alignment=TA_CENTER))
                     for role, _name in signers]
        cells_gap = ["" for _ in signers]
        cells_name = [p(f"( {name or '.' * 30} )", ParagraphStyle("sn", parent=STYLE_BODY,
                                                                    alignment=TA_CENTER))
                      for _role, name in signers]
        table = Table([cells_top, cells_gap, cells_name],
                      colWidths=[self.width / len(signers)] * len(signers),
                      rowHeights=[None, 18 * mm, None])
        block: list[Flowable] = [Spacer(1, 8 * mm)]
        if place_date:
            block.append(p(place_date, ParagraphStyle("pd", parent=STYLE_BODY, alignment=TA_RIGHT)))
            block.append(Spacer(1, 2 * mm))
        block.append(table)
        self.story.append(KeepTogether(block))

    def _footer(self, canvas: object, doc: object) -> None:
        from reportlab.pdfgen.canvas import Canvas

        assert isinstance(canvas, Canvas)
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        left = f"SIKUBE · {self.title} · dicetak {self.printed_at:%d-%m-%Y %H:%M}"
        if self.printed_by:
            left += f" oleh {self.printed_by}"
        canvas.drawString(15 * mm, 9 * mm, left)
        canvas.drawRightString(self.pagesize[0] - 15 * mm, 9 * mm, f"Halaman {canvas.getPageNumber()}")
        canvas.restoreState()

    def render(self) -> bytes:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=self.pagesize, leftMargin=15 * mm,
                                rightMargin=15 * mm, topMargin=14 * mm, bottomMargin=16 * mm,
                                title=self.title, author="SIKUBE", subject=" · ".join(self.header_lines))
        doc.build(self.story, onFirstPage=self._footer, onLaterPages=self._footer)
        return buffer.getvalue()
