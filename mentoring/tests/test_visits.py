"""A mentor's visit: attendance, the cash balance the books show, a book audit, follow-ups, photos."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from books.models import TxnKind
from books.services import cash_entry_record
from mentoring.errors import MentoringError
from mentoring.models import FollowUp, Visit, VisitPhoto
from mentoring.services import AuditLine, NewFollowUp, follow_up_close
from registry.services import member_add, member_leave
from testing import member_data
from testing.mentoring import log, visit_post


def jpeg(width=2400, height=1800, color=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_attendance_is_present_over_members_active_that_day(cast):
    kube = cast.kube_a
    late = member_add(actor=cast.kab, kube=kube, data=member_data(joined_on=date(2026, 4, 1)))
    gone = kube.members.filter(offices__isnull=True).exclude(pk=late.pk).last()
    member_leave(actor=cast.kab, member=gone, left_on=date(2026, 2, 1), reason="pindah")
    visit = log(cast, present=list(kube.members.filter(pk__in=kube.members.filter(left_on__isnull=True)
                                                        .exclude(pk=late.pk).values("pk")[:3])))
    # Six founding members, one left in February, one joins only in April: five on 5 March.
    assert (visit.members_present, visit.members_active, visit.attendance_percent) == (3, 5, 60)
    assert visit.attendance.count() == 5


def test_the_treasurers_report_is_checked_against_the_books_of_that_day(cast):
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=500_000,
                      date=date(2026, 3, 1), description="Modal")
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.SALE, amount=90_000,
                      date=date(2026, 3, 9), description="Penjualan sesudah kunjungan")
    visit = log(cast, treasurer_report_reviewed=True)
    assert visit.cash_balance == 500_000  # what the books showed on 5 March, not today


def test_the_book_audit_and_follow_ups_are_kept_and_closed_later(cast):
    kube = cast.kube_a
    person = kube.members.first()
    visit = log(cast, audits=[AuditLine("kas", True, False, "Nota belanja tidak lengkap"),
                              AuditLine("iks", True, True)],
                follow_ups=[NewFollowUp("Lengkapi nota belanja Maret", person, date(2026, 3, 20))])
    assert [(a.book, a.checked, a.in_order) for a in visit.audits.order_by("id")] == [("kas", True, False),
                                                                                        ("iks", True, True)]
    follow_up = FollowUp.objects.get(visit=visit)
    nxt = log(cast, date=date(2026, 4, 2), close=[(follow_up, "Nota sudah ditempel")])
    follow_up.refresh_from_db()
    assert (follow_up.closed_on, follow_up.closed_in) == (date(2026, 4, 2), nxt)
    with pytest.raises(MentoringError, match="sudah selesai"):
        follow_up_close(actor=cast.pendamping, follow_up=follow_up, closed_on=date(2026, 4, 3))


@pytest.mark.parametrize(("action", "with_person", "due_on", "message"), [
    ("Susun rencana kerja", False, date(2026, 3, 30), "pilih penanggung jawabnya"),
    ("Susun rencana kerja", True, None, "isi batas waktunya"),
    ("", True, date(2026, 3, 30), "tulis apa yang harus dilakukan"),
])
def test_a_follow_up_without_a_person_or_a_date_is_refused_and_nothing_saved(cast, action, with_person, due_on,
                                                                             message):
    item = NewFollowUp(action, cast.kube_a.members.first() if with_person else None, due_on)
    with pytest.raises(MentoringError, match=message):
        log(cast, follow_ups=[item])
    assert not Visit.objects.exists() and not FollowUp.objects.exists()


def test_an_in_order_book_must_have_been_checked(cast):
    with pytest.raises(MentoringError, match="hanya dapat dinyatakan tertib bila diperiksa"):
        log(cast, audits=[AuditLine("kas", False, True)])


def test_someone_from_another_group_cannot_be_marked_present(cast):
    with pytest.raises(MentoringError, match=r"Anggota yang hadir dengan id \d+ tidak ditemukan"):
        log(cast, present=[cast.kube_b.members.first()])


def test_a_mentor_cannot_log_a_visit_for_a_group_outside_their_reach(client, cast):
    client.force_login(cast.pendamping_other)
    assert client.get(reverse("mentoring:visit_new", args=[cast.kube_a.pk])).status_code == 404
    assert client.post(reverse("mentoring:visit_new", args=[cast.kube_a.pk]), {"place": "x"}).status_code == 404
    client.force_login(cast.kab)  # the office reads visits but does not log them
    assert client.get(reverse("mentoring:visit_new", args=[cast.kube_a.pk])).status_code == 403
    assert not Visit.objects.exists()


def test_the_page_logs_a_visit_and_keeps_it_when_a_photo_is_refused(client, cast):
    client.force_login(cast.pendamping)
    photo = SimpleUploadedFile("rapat.jpg", jpeg(), content_type="image/jpeg")
    not_a_photo = SimpleUploadedFile("catatan.jpg", b"bukan gambar sama sekali", content_type="image/jpeg")
    response = client.post(reverse("mentoring:visit_new", args=[cast.kube_a.pk]),
                           visit_post(cast, photos=[photo, not_a_photo]), follow=True)
    visit = Visit.objects.get()
    assert response.redirect_chain[-1][0] == reverse("mentoring:visit", args=[cast.kube_a.pk, visit.pk])
    page = response.content.decode()
    assert "catatan.jpg bukan foto yang dapat dibaca" in page
    assert (visit.members_present, visit.members_active) == (5, 6)
    assert visit.audits.get(book="agenda").findings == "Notulen bulan lalu belum ditulis"
    assert visit.follow_ups.get().person == cast.kube_a.members.filter(left_on__isnull=True).order_by("id")[1]
    stored = VisitPhoto.objects.get()
    assert max(stored.width, stored.height) == 1600  # resized on upload
    with Image.open(stored.thumbnail.path) as thumb:
        assert max(thumb.size) == 320


def test_an_oversized_photo_is_refused_with_a_message(client, cast, settings):
    settings.MAX_UPLOAD_BYTES = 40_000
    client.force_login(cast.pendamping)
    big = SimpleUploadedFile("besar.jpg", jpeg(3000, 3000) + b"\0" * 50_000, content_type="image/jpeg")
    response = client.post(reverse("mentoring:visit_new", args=[cast.kube_a.pk]), visit_post(cast, photos=[big]),
                           follow=True)
    assert response.status_code == 413  # refused before the view reads the body
    settings.MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    from mentoring import services

    original = services.PHOTO_MAX_BYTES
    services.PHOTO_MAX_BYTES = 10_000
    try:
        response = client.post(reverse("mentoring:visit_new", args=[cast.kube_a.pk]),
                               visit_post(cast, photos=[SimpleUploadedFile("besar.jpg", jpeg(), "image/jpeg")]),
                               follow=True)
    finally:
        services.PHOTO_MAX_BYTES = original
    assert "besar.jpg terlalu besar" in response.content.decode()
    assert Visit.objects.count() == 1 and not VisitPhoto.objects.exists()


def test_photos_are_served_only_within_reach(client, cast):
    client.force_login(cast.pendamping)
    client.post(reverse("mentoring:visit_new", args=[cast.kube_a.pk]),
                visit_post(cast, photos=[SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")]))
    photo = VisitPhoto.objects.get()
    url = reverse("mentoring:photo", args=[cast.kube_a.pk, photo.pk, "kecil"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(cast.kab_other)
    assert client.get(url).status_code == 404
