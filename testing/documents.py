"""Reading the PDFs SIKUBE prints, in tests."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace folded, so wrapped cells still read as one phrase."""
    assert content.startswith(b"%PDF")
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))
