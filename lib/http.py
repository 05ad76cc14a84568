from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(content: bytes, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    stem, _dot, ext = filename.rpartition(".")
    safe = f"{slugify(stem) or 'dokumen'}.{ext}"
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{safe}"'
    response["Cache-Control"] = "no-store, private"
    return response


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    return file_response(content, filename=filename, content_type="application/pdf", inline=True)


def xlsx_response(content: bytes, *, filename: str) -> HttpResponse:
    return file_response(content, filename=filename, content_type=XLSX)
