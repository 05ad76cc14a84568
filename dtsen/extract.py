"""Reading a DTSEN / SIKS-NG extract: an .xlsx or a CSV, its columns found by name.

An extract names its columns in its own way (NIK, NO_KK, NAMA, DESIL …). The office maps them once
(`ColumnMapping`, remembered per office) and SIKUBE finds them by header, in any order, among
others it ignores. What cannot be read as an extract at all refuses the whole file with one
message naming the row and column: not a spreadsheet, a header without a needed column, a formula
in the NIK or KK column (its value is whatever the spreadsheet last computed, not a NIK). A single
row that is not right (a NIK of 15 digits, a desil of 11) is listed in the preview instead and
changes nothing.

The file's content never leaves this module as text: rows become `ExtractRow`s, and only member
ids and row numbers go into what is stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dtsen.errors import ExtractRefused
from lib.nik import nik_digits
from lib.personal import mask_id
from lib.xlsx import SpreadsheetError, open_upload

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000

FIELDS = ("nik", "kk_number", "name", "desil")
FIELD_LABELS = {"nik": gettext_lazy("NIK"), "kk_number": gettext_lazy("Nomor KK"), "name": gettext_lazy("Nama"),
                "desil": gettext_lazy("Desil")}
# Header names SIKS-NG and BPS extracts are seen to use; an office's own mapping comes first.
DEFAULT_HEADERS = {
    "nik": ["nik", "no_nik", "nomor nik", "nik_art"],
    "kk_number": ["no_kk", "nokk", "no. kk", "no kk", "nomor kk", "kk"],
    "name": ["nama", "nama_lengkap", "nama lengkap", "nama_art", "name"],
    "desil": ["desil", "desil_nasional", "desil nasional", "peringkat desil"],
}


@dataclass(frozen=True)
class ExtractRow:
    row: int          # the row number in the file (the header is row 1)
    nik: str
    kk_number: str
    name: str
    desil: int | None
    problem: str = ""  # why this row cannot be used (listed in the preview), naming the column
    column: str = ""


@dataclass
class Table:
    headers: list[str]
    rows: list[ExtractRow]
    sha256: str
    columns: dict[str, str]   # field → the header it was read from


def _refuse(message: str) -> ExtractRefused:
    return ExtractRefused(message, field="file")


def _raw_rows(data: bytes, name: str) -> Iterator[list[Any]]:
    """The file's rows as lists of cell values: an .xlsx through openpyxl (formulas kept as their
    text, so they can be refused), anything else as CSV text."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        try:
            book = open_upload(io.BytesIO(data), max_bytes=MAX_FILE_BYTES)
        except SpreadsheetError as exc:
            raise _refuse(exc.message) from None
        try:
            rows = [list(values) for values in book.worksheets[0].iter_rows(values_only=True)]
        except Exception:  # a damaged sheet inside a sound zip: openpyxl raises whatever its parser met
            raise _refuse(_("Berkas Excel rusak atau tidak dapat dibaca. Buka di Excel, simpan ulang sebagai "
                            ".xlsx, lalu unggah lagi.")) from None
        finally:
            book.close()
        yield from rows
        return
    if b"\x00" in data[:4096] or name.lower().endswith((".xls", ".pdf", ".doc", ".docx", ".zip")):
        raise _refuse(_("Berkas ini bukan lembar kerja: unggah ekstrak DTSEN sebagai Excel (.xlsx) atau CSV."))
    text = ""
    for encoding in ("utf-8-sig", "latin-1"):  # latin-1 reads any byte: the last resort
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t", "|"), key=first.count)
    if first.count(delimiter) == 0:
        raise _refuse(_("Berkas ini bukan lembar kerja: baris 1 tidak berisi judul kolom yang dipisah koma atau "
                        "titik koma. Unggah ekstrak DTSEN sebagai Excel (.xlsx) atau CSV."))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _refuse(_("Baris %(row)s: baris CSV ini tidak dapat dibaca (tanda kutip tidak ditutup atau "
                            "karakter kosong). Simpan ulang sebagai CSV dari Excel lalu unggah lagi.")
                          % {"row": reader.line_num}) from None
        yield row


def _header_key(value: Any) -> str:
    return " ".join(str(value or "").strip().lower().split())


def find_columns(headers: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Where each needed field is among the headers: the office's own header name first, then the
    names extracts commonly use. A needed field not found refuses the file, naming it."""
    keys = [_header_key(h) for h in headers]
    out: dict[str, int] = {}
    for name in FIELDS:
        wanted = [_header_key(mapping[name])] if mapping.get(name) else []
        wanted += DEFAULT_HEADERS[name]
        for candidate in wanted:
            if candidate in keys:
                out[name] = keys.index(candidate)
                break
        else:
            # A file without a header row shows its first data row here: a NIK or KK among it is masked.
            shown = ", ".join(mask_id(h) if sum(c.isdigit() for c in h) >= 8 else h
                              for h in (str(h or "").strip() for h in headers) if h)[:300] or _("(kosong)")
            raise _refuse(_("Baris 1: kolom %(field)s tidak ditemukan di judul kolom (%(want)s). Judul yang ada: "
                            "%(have)s. Tulis nama judul kolom %(field)s di pemetaan kolom, atau betulkan baris "
                            "judulnya.") % {"field": FIELD_LABELS[name], "want": mapping.get(name) or
                                            DEFAULT_HEADERS[name][0].upper(), "have": shown})
    return out


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _row(number: int, values: list[Any], where: dict[str, int], headers: list[str]) -> ExtractRow | None:
    def cell(name: str) -> Any:
        index = where[name]
        return values[index] if index < len(values) else None

    for name in ("nik", "kk_number"):
        value = cell(name)
        if isinstance(value, str) and value.strip().startswith("="):
            raise _refuse(_("Baris %(row)s, kolom %(col)s: sel berisi rumus, bukan nilai. Salin kolom itu lalu "
                            "tempel sebagai nilai (Paste Special → Values), simpan, dan unggah lagi.")
                          % {"row": number, "col": headers[where[name]]})
    if all(_cell_text(v) == "" for v in values):
        return None
    raw_nik, raw_kk, name = cell("nik"), cell("kk_number"), _cell_text(cell("name"))
    nik, kk = nik_digits(_cell_text(raw_nik)), nik_digits(_cell_text(raw_kk))
    desil_text = _cell_text(cell("desil"))

    def bad(field: str, message: str) -> ExtractRow:
        return ExtractRow(row=number, nik="", kk_number="", name="", desil=None, problem=message,
                          column=headers[where[field]])

    if isinstance(raw_nik, float):
        return bad("nik", _("NIK tersimpan sebagai angka sehingga digit terakhirnya bisa berubah; format kolom "
                            "sebagai Teks."))
    if len(nik) != 16 or not nik.isdigit():
        return bad("nik", _("NIK harus 16 digit angka (tertulis %(n)s digit).") % {"n": len(nik)})
    if kk and (len(kk) != 16 or not kk.isdigit()):
        return bad("kk_number", _("Nomor KK harus 16 digit angka (tertulis %(n)s digit).") % {"n": len(kk)})
    desil: int | None = None
    if desil_text:
        if not desil_text.isdigit() or not 1 <= int(desil_text) <= 10:
            return bad("desil", _("Desil harus angka 1 sampai 10 (tertulis %(v)s).") % {"v": desil_text[:10]})
        desil = int(desil_text)
    else:
        return bad("desil", _("Desil kosong."))
    return ExtractRow(row=number, nik=nik, kk_number=kk, name=name, desil=desil)


def read_extract(data: bytes, *, name: str, mapping: dict[str, str]) -> Table:
    """Every row of an extract, or ExtractRefused saying what to fix."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(_("Berkas terlalu besar (batas %(mb)s MB). Bagi per kecamatan.") % {"mb": MAX_FILE_BYTES >> 20})
    rows = _raw_rows(data, name)
    header = next(rows, None)
    if header is None:
        raise _refuse(_("Berkas kosong: baris 1 harus berisi judul kolom."))
    headers = [_cell_text(h) for h in header]
    where = find_columns(headers, mapping)
    out: list[ExtractRow] = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise _refuse(_("Baris %(row)s: terlalu banyak baris (paling banyak %(n)s). Bagi per kecamatan.")
                          % {"row": number, "n": MAX_ROWS})
        parsed = _row(number, list(values or []), where, headers)
        if parsed is not None:
            out.append(parsed)
    if not out:
        raise _refuse(_("Baris 2: berkas tidak berisi data di bawah judul kolom."))
    return Table(headers=headers, rows=out, sha256=hashlib.sha256(data).hexdigest(),
                 columns={f: headers[i] for f, i in where.items()})
