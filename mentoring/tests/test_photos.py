"""Visit photos: only JPEG, PNG and WebP, at most 40 megapixels (a JPEG) or 24 (PNG and WebP, decoded whole),
decoded outside the transaction."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image

from lib import images
from mentoring import services
from mentoring.errors import MentoringError
from mentoring.models import Visit, VisitPhoto
from testing import bearer
from testing.mentoring import log, visit_post


def encoded(fmt: str, size=(64, 48), mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 120, 40) if mode == "RGB" else 1).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG whose header says width × height: what Pillow reads before it decodes anything."""
    data = bytearray(encoded("PNG", (8, 8)))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def upload(data: bytes, name="foto.jpg") -> SimpleUploadedFile:
    # The name and the content type say JPEG whatever the bytes are: only what Pillow detects counts.
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "GIF", "ICO", "PPM", "TGA", "PCX", "SGI"])
def test_formats_other_than_jpeg_png_and_webp_are_refused_by_what_they_are(cast, fmt):
    visit = log(cast)
    with pytest.raises(MentoringError) as refused:
        services.visit_photo_add(actor=cast.pendamping, visit=visit, upload=upload(encoded(fmt)))
    assert refused.value.message == (f"Foto foto.jpg berformat {fmt}; yang diterima hanya JPEG, PNG atau WebP. "
                                     "Simpan ulang sebagai JPEG lalu unggah lagi.")
    assert refused.value.code == "photo_format" and refused.value.field == "photos"
    assert not VisitPhoto.objects.exists()


def mpo() -> bytes:
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (80, 60), (10, 20, 30)), Image.new("RGB", (80, 60), (40, 50, 60))
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


@pytest.mark.parametrize("data", [encoded("JPEG", (2400, 1800)), encoded("PNG", (1800, 2400)),
                                  encoded("WEBP", (2000, 1000)), encoded("PNG", (2000, 1500), mode="P"), mpo()],
                         ids=["jpeg", "png", "webp", "png-palette", "mpo-jpeg-from-a-phone"])
def test_jpeg_png_and_webp_are_kept_resized_as_jpeg(cast, data):
    photo = services.visit_photo_add(actor=cast.pendamping, visit=log(cast), upload=upload(data, "foto.png"))
    with Image.open(photo.image.path) as large, Image.open(photo.thumbnail.path) as small:
        assert (large.format, small.format) == ("JPEG", "JPEG")
        assert large.size == (photo.width, photo.height)
        assert max(large.size) == min(1600, max(Image.open(io.BytesIO(data)).size))
        assert max(small.size) == min(320, max(large.size))


@pytest.mark.parametrize(("data", "message"), [
    (png_claiming(8000, 6000), "(48 megapiksel; batas 24 megapiksel)"),
    (png_claiming(6000, 4200), "(25 megapiksel; batas 24 megapiksel)"),  # decoded whole: the lower limit
], ids=["48-mp-png", "25-mp-png"])
def test_more_pixels_than_the_formats_limit_is_refused_from_the_header_before_decoding(cast, monkeypatch, data, message):
    def never(*args, **kwargs):
        raise AssertionError("decoded a photo above the pixel limit")

    monkeypatch.setattr(images, "_resized", never)
    with pytest.raises(MentoringError) as refused:
        services.visit_photo_add(actor=cast.pendamping, visit=log(cast), upload=upload(data))
    assert refused.value.message == f"Foto foto.jpg terlalu besar resolusinya {message}. Kecilkan foto lalu unggah lagi."
    assert refused.value.code == "photo_too_many_pixels"


def jpeg_claiming(width: int, height: int) -> bytes:
    """A valid JPEG whose frame header (SOF0) says width × height."""
    data = bytearray(encoded("JPEG", (8, 8)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def test_a_jpeg_up_to_40_megapixels_passes_the_check_and_one_above_it_does_not(cast, monkeypatch):
    """A JPEG is decoded reduced, so its limit is higher: 30 MP gets past the check (to the decoder)."""
    decoding: list[int] = []

    def spy(opened, side):
        decoding.append(opened.size[0] * opened.size[1])
        raise OSError("stop here: the check let it through")

    monkeypatch.setattr(images, "_resized", spy)
    with pytest.raises(MentoringError) as unreadable:
        services.visit_photo_add(actor=cast.pendamping, visit=log(cast), upload=upload(jpeg_claiming(6000, 5000)))
    assert decoding == [30_000_000] and unreadable.value.code == "photo_unreadable"
    with pytest.raises(MentoringError) as refused:
        services.visit_photo_add(actor=cast.pendamping, visit=log(cast), upload=upload(jpeg_claiming(8000, 6000)))
    assert refused.value.message == ("Foto foto.jpg terlalu besar resolusinya (48 megapiksel; batas 40 megapiksel). "
                                     "Kecilkan foto lalu unggah lagi.")
    assert decoding == [30_000_000]


def test_a_decompression_bomb_is_refused_with_the_limit_not_a_server_error(client, cast):
    # 60,000 × 60,000: Pillow itself refuses to open it (DecompressionBombError).
    visit = log(cast)
    response = client.post(f"/api/v1/visits/{visit.pk}/photos", {"photo": upload(png_claiming(60_000, 60_000))},
                           **bearer(cast.pendamping))
    assert response.status_code == 400
    assert response.json()["message"] == ("Foto foto.jpg terlalu besar resolusinya (batas 24 megapiksel). "
                                          "Kecilkan foto lalu unggah lagi.")
    assert not VisitPhoto.objects.exists() and Visit.objects.filter(pk=visit.pk).exists()


def test_a_jpeg_is_decoded_already_reduced(cast, monkeypatch):
    decoded: list[tuple[int, int]] = []
    thumbnail = Image.Image.thumbnail

    def spy(self, *args, **kwargs):
        decoded.append(self.size)
        return thumbnail(self, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "thumbnail", spy)
    photo = services.visit_photo_add(actor=cast.pendamping, visit=log(cast), upload=upload(encoded("JPEG", (6400, 4800))))
    assert decoded[0] == (3200, 2400)  # 1/2 scale is the smallest that still fits 1600 px
    assert (photo.width, photo.height) == (1600, 1200)


def depth_spies(monkeypatch) -> dict[str, list[int]]:
    """How many atomic blocks are open while the photo is decoded and while its row is written."""
    seen: dict[str, list[int]] = {"decode": [], "write": []}
    prepare, audit = services.photo_prepare, services.audit_record

    def decode(*args, **kwargs):  # in the request's thread: the decoding thread has a connection of its own
        seen["decode"].append(len(connection.atomic_blocks))
        return prepare(*args, **kwargs)

    def write(*args, **kwargs):
        seen["write"].append(len(connection.atomic_blocks))
        return audit(*args, **kwargs)

    monkeypatch.setattr(services, "photo_prepare", decode)
    monkeypatch.setattr(services, "audit_record", write)
    return seen


def test_the_api_decodes_the_photo_before_the_transaction_opens(client, cast, monkeypatch):
    visit = log(cast)
    outside = len(connection.atomic_blocks)  # the test's own transaction
    seen = depth_spies(monkeypatch)
    response = client.post(f"/api/v1/visits/{visit.pk}/photos", {"photo": upload(encoded("JPEG", (3000, 2000)))},
                           **bearer(cast.pendamping))
    assert response.status_code == 201, response.json()
    assert seen == {"decode": [outside], "write": [outside + 1]}  # the lock is taken only for the inserts


def test_the_page_decodes_the_photos_before_the_transaction_opens_and_keeps_the_visit(client, cast, monkeypatch):
    client.force_login(cast.pendamping)
    outside = len(connection.atomic_blocks)
    seen = depth_spies(monkeypatch)
    response = client.post(reverse("mentoring:visit_new", args=[cast.kube_a.pk]),
                           visit_post(cast, photos=[upload(encoded("PNG", (2000, 1500)), "rapat.png"),
                                                    upload(encoded("BMP"), "papan.bmp")]), follow=True)
    assert seen["decode"] == [outside, outside]  # both photos, neither in a transaction
    assert outside + 1 in seen["write"]
    assert "Foto papan.bmp berformat BMP" in response.content.decode()
    visit = Visit.objects.get()  # a refused photo does not lose the visit
    assert list(visit.photos.values_list("width", "height")) == [(1600, 1200)]


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_a_photo_is_decoded(monkeypatch):
    import testing

    cast = testing.build_cast()
    visit = log(cast)
    states: list[bool] = []
    prepare = services.photo_prepare

    def decode(*args, **kwargs):
        states.append(connection.in_atomic_block)
        return prepare(*args, **kwargs)

    monkeypatch.setattr(services, "photo_prepare", decode)
    services.visit_photo_add(actor=cast.pendamping, visit=visit, upload=upload(encoded("JPEG", (2000, 1500))))
    assert states == [False]
    assert VisitPhoto.objects.filter(visit=visit).count() == 1


def test_with_an_idempotency_key_the_photo_is_decoded_before_the_transaction_too(client, cast, monkeypatch):
    visit = log(cast)
    outside = len(connection.atomic_blocks)
    seen = depth_spies(monkeypatch)
    response = client.post(f"/api/v1/visits/{visit.pk}/photos", {"photo": upload(encoded("JPEG", (3000, 2000)))},
                           HTTP_IDEMPOTENCY_KEY="foto-1", **bearer(cast.pendamping))
    assert response.status_code == 201, response.json()
    assert seen["decode"] == [outside]


def test_with_an_idempotency_key_a_refused_photo_is_refused_as_without_one(client, cast):
    visit = log(cast)
    response = client.post(f"/api/v1/visits/{visit.pk}/photos", {"photo": upload(encoded("BMP", (40, 30)))},
                           HTTP_IDEMPOTENCY_KEY="foto-bmp", **bearer(cast.pendamping))
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "photo_format"
    assert not VisitPhoto.objects.filter(visit=visit).exists()
