"""Photos from phones: identified, checked and resized before any database work.

Why this lives apart from the services' transactions: decoding is the heaviest thing a request
does. A 60-megapixel PNG is 72 KB on the wire and half a gigabyte once decoded. On SQLite a
transaction takes the write lock at its first statement (BEGIN IMMEDIATE), so decoding inside one
made every other user's write wait for it. `photo_prepare` does the decoding; the service calls it
first and opens its transaction only for the inserts.

What keeps one request's memory bounded:
- the pixel count is read from the header and refused above the format's limit before anything is
  decoded: `MAX_PIXELS` (40 MP) for a JPEG, which is decoded already reduced (`Image.draft`: the
  decoder scales by 1/2, 1/4 or 1/8), and `MAX_PIXELS_WHOLE` (24 MP) for PNG and WebP, which are
  decoded whole: a 39-MP PNG took a worker to 300 MB (bench/RESULTS.md), and a phone's PNG is a
  screenshot of a few megapixels;
- the thumbnail is made from the resized image, not from a second decode;
- one decode at a time per process, in one thread of its own (`_decoder`), so a worker holds at
  most one full-size image however many of its threads receive photos; the others wait without
  holding the database;
- that thread runs at a lower CPU priority (nice 10; Linux sets it per thread), so on a small
  server a photo being resized does not slow down the other users' requests;
- after each photo the freed memory is handed back to the system (glibc's `malloc_trim`);
  otherwise a worker kept the 200 MB of its largest photo for good.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lib.errors import SikubeError

# What Pillow detects (never the file name or the content type) → the name the message uses.
# MPO is how Pillow names a JPEG with a second picture inside, as many phone cameras write.
ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MAX_PIXELS = 40_000_000  # a JPEG: decoded reduced, so only the header's claim is bounded here
MAX_PIXELS_WHOLE = 24_000_000  # PNG and WebP: every pixel is decoded (RGBA: 96 MB at the limit)
JPEG_QUALITY = 82
# Modes that Pillow reduces and resizes with a real filter; others ("P", "1", "I;16" …) are
# converted first (for "P" and "1" Pillow would otherwise fall back to nearest neighbour).
_RESIZABLE_MODES = {"L", "LA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr"}
DECODER_NICENESS = 10
_decoders: dict[int, ThreadPoolExecutor] = {}
_decoders_lock = threading.Lock()


class ImageRefused(SikubeError):
    """An upload that is not a photo SIKUBE keeps; the message says what to send instead."""


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo ready to store: JPEG bytes of the resized image and of its thumbnail."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _unreadable(name: str) -> ImageRefused:
    return ImageRefused(_("Berkas %(f)s bukan foto yang dapat dibaca (JPEG, PNG atau WebP).") % {"f": name}, code="photo_unreadable")


def pixel_limit(label: str) -> int:
    """The most pixels a photo of this format (a label of ACCEPTED_FORMATS) may have."""
    return MAX_PIXELS if label == "JPEG" else MAX_PIXELS_WHOLE


def _too_many_pixels(name: str, pixels: int | None, limit_pixels: int = MAX_PIXELS) -> ImageRefused:
    limit = limit_pixels // 1_000_000
    if pixels is None:
        message = _("Foto %(f)s terlalu besar resolusinya (batas %(max)s megapiksel). Kecilkan foto lalu "
                    "unggah lagi.") % {"f": name, "max": limit}
    else:
        message = _("Foto %(f)s terlalu besar resolusinya (%(mp)s megapiksel; batas %(max)s megapiksel). "
                    "Kecilkan foto lalu unggah lagi.") % {"f": name, "mp": round(pixels / 1_000_000), "max": limit}
    return ImageRefused(message, code="photo_too_many_pixels")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def photo_prepare(data: bytes, *, name: str, side: int, thumb_side: int) -> PreparedPhoto:
    """Check that `data` is a JPEG, PNG or WebP photo within its format's pixel limit and resize it.

    The result fits in `side` × `side` (and its thumbnail in `thumb_side`), upright as the
    camera's EXIF orientation says, as RGB JPEG. Call it outside any transaction.
    """
    try:
        with Image.open(io.BytesIO(data)) as opened:  # reads the header only
            label = ACCEPTED_FORMATS.get(opened.format or "")
            if label is None:
                raise ImageRefused(_("Foto %(f)s berformat %(kind)s; yang diterima hanya JPEG, PNG atau WebP. "
                                     "Simpan ulang sebagai JPEG lalu unggah lagi.")
                                   % {"f": name, "kind": opened.format or "?"},
                                   code="photo_format")
            width, height = opened.size
            if width * height > pixel_limit(label):
                raise _too_many_pixels(name, width * height, pixel_limit(label))
            return _decoder().submit(_prepared, opened, side, thumb_side).result()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, for a header claiming more pixels than it will ever decode. Its format
        # is not known here, so the message names the limit every format meets.
        raise _too_many_pixels(name, None, MAX_PIXELS_WHOLE) from None
    except ImageRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        # Not an image, truncated, or a header Pillow cannot make sense of.
        raise _unreadable(name) from None


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(DECODER_NICENESS)


def _decoder() -> ThreadPoolExecutor:
    """This process's decoding thread (per process id: a forked gunicorn worker makes its own)."""
    pid = os.getpid()
    with _decoders_lock:
        if pid not in _decoders:
            _decoders[pid] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="photo-decoder",
                                                initializer=_lower_priority)
        return _decoders[pid]


def _release_memory() -> None:
    """Give the pages of the freed full-size image back to the system (glibc only; elsewhere nothing)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name).malloc_trim(0)


def _prepared(opened: Image.Image, side: int, thumb_side: int) -> PreparedPhoto:
    try:
        image = _resized(opened, side)
        small = image.copy()
        small.thumbnail((thumb_side, thumb_side))
        return PreparedPhoto(image=_jpeg(image), thumbnail=_jpeg(small), width=image.width, height=image.height)
    finally:
        opened.close()
        _release_memory()


def _resized(opened: Image.Image, side: int) -> Image.Image:
    """The decoded image, reduced to fit `side`, upright and RGB; the full-size pixels are freed."""
    if opened.format in ("JPEG", "MPO"):
        opened.draft("RGB", (side, side))  # decode at 1/2, 1/4 or 1/8 of the size, still ≥ side
    opened.load()
    image: Image.Image = opened
    if image.mode not in _RESIZABLE_MODES:
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    image.thumbnail((side, side))  # in place: reduce() by a whole factor, then a filtered resize
    if image is not opened:
        opened.close()
    upright = ImageOps.exif_transpose(image)  # on the small image: the orientation is the same
    return upright.convert("RGB") if upright.mode != "RGB" else upright
