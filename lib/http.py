from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
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


def private_image_response(field: FieldFile) -> FileResponse:
    """A stored JPEG (a visit photo) streamed to one reader. Photos show members' faces and homes:
    kept by no cache, the browser's included, like every other personal page (a shared phone)."""
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "no-store, private"
    return response
