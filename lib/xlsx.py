"""Excel helpers: writing (xlsxwriter) and safely opening uploads (openpyxl)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from lib.errors import SikubeError

# An upload larger than this once unpacked is refused before openpyxl reads it:
# a 1 MB zip can unpack to gigabytes.
MAX_UNPACKED_BYTES = 150 * 1024 * 1024


class SpreadsheetError(SikubeError):
    code = "bad_file"


# Number formats: grouped thousands, Rupiah with its sign. Excel shows the separators of the reader's
# locale (1.250.000 in an Indonesian Excel), and the cell stays a number that sums and sorts.
COUNT_FORMAT = "#,##0"
MONEY_FORMAT = '"Rp"#,##0'
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = '#,##0.0" %"'
MAX_AUTO_WIDTH = 40


class Workbook:
    """A thin wrapper over xlsxwriter with SIKUBE's header style.

    Every number is written as a number with a grouped format (money columns in Rupiah, percent
    columns with a % sign), never as formatted text; columns are at least as wide as their
    header's longest word and the header row is frozen.
    """

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True, "strings_to_formulas": False,
                                                       "strings_to_urls": False,
                                                       "default_date_format": "dd-mm-yyyy"})
        self.head = self.book.add_format({"bold": True, "bg_color": "#E4EFE9", "border": 1,
                                          "text_wrap": True, "valign": "top"})
        self.text = self.book.add_format({"num_format": "@"})
        self.money = self.book.add_format({"num_format": MONEY_FORMAT})
        self.count = self.book.add_format({"num_format": COUNT_FORMAT})
        self.decimal = self.book.add_format({"num_format": DECIMAL_FORMAT})
        self.percent = self.book.add_format({"num_format": PERCENT_FORMAT})
        self.date = self.book.add_format({"num_format": "dd-mm-yyyy"})
        self.bold = self.book.add_format({"bold": True})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})

    def _number_format(self, value: Any, col: int, money: Sequence[int], percent: Sequence[int]) -> Any:
        if col in money:
            return self.money
        if col in percent:
            return self.percent
        return self.count if isinstance(value, int) else self.decimal

    def sheet(self, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
              widths: Sequence[int] | None = None, text_columns: Sequence[int] = (),
              money_columns: Sequence[int] = (), percent_columns: Sequence[int] = ()) -> Any:
        ws = self.book.add_worksheet(name[:31])
        ws.write_row(0, 0, list(headers), self.head)
        ws.freeze_panes(1, 0)
        given = list(widths or [])
        for col, header in enumerate(headers):
            # As wide as the header's longest word (the header wraps at spaces), and as asked.
            longest = max((len(word) for word in str(header).split()), default=0) + 2
            width = max(given[col] if col < len(given) else min(len(str(header)) + 2, MAX_AUTO_WIDTH), longest)
            fmt = self.text if col in text_columns else self.money if col in money_columns else None
            ws.set_column(col, col, width, fmt)
        count = 0
        for r, row in enumerate(rows, start=1):
            count = r
            for c, value in enumerate(row):
                if isinstance(value, (date, datetime)):
                    ws.write_datetime(r, c, value if isinstance(value, datetime)
                                      else datetime(value.year, value.month, value.day), self.date)
                elif c in text_columns and value is not None:
                    ws.write_string(r, c, str(value), self.text)
                elif value is None:
                    ws.write_blank(r, c, None)
                elif isinstance(value, bool):
                    ws.write_string(r, c, _("Ya") if value else _("Tidak"))
                elif isinstance(value, (int, float, Decimal)):
                    ws.write_number(r, c, float(value) if isinstance(value, Decimal) else value,
                                    self._number_format(value, c, money_columns, percent_columns))
                else:
                    ws.write(r, c, value)
        if count:
            ws.autofilter(0, 0, count, len(headers) - 1)
        return ws

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def open_upload(upload: Any, *, max_bytes: int) -> Any:
    """An openpyxl workbook from an uploaded file, or a SpreadsheetError saying what to fix."""
    from openpyxl import load_workbook

    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise SpreadsheetError(_("Berkas terlalu besar (%(mb).1f MB; batas %(max)s MB). Bagi menjadi "
                                 "beberapa berkas.") % {"mb": size / 1048576, "max": max_bytes // 1048576})
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(_("Berkas ini bukan berkas Excel .xlsx. Simpan ulang dari Excel atau "
                                 "LibreOffice sebagai \"Excel 2007-365 (.xlsx)\" lalu unggah lagi."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise SpreadsheetError(_("Isi berkas terlalu besar setelah dibuka. Bagi menjadi "
                                         "beberapa berkas yang lebih kecil."))
            if "xl/workbook.xml" not in archive.namelist():
                raise SpreadsheetError(_("Berkas ini arsip zip, tetapi bukan buku kerja Excel .xlsx."))
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(_("Berkas Excel rusak atau tidak dapat dibaca. Buka di Excel, simpan "
                                 "ulang sebagai .xlsx, lalu unggah lagi.")) from None
