"""Every mentoring page opens for the user it is meant for, without inline code the CSP would block."""

from datetime import date

from django.urls import reverse

from mentoring.services import evaluation_record, event_record, visit_log
from regions.models import Region
from testing import assert_csp_clean


def test_every_mentoring_page_opens_clean(client, cast):
    visit = visit_log(actor=cast.pendamping, kube=cast.kube_a, date=date(2026, 3, 5), place="Rumah Ketua",
                      problems="Pemasaran", present=list(cast.kube_a.members.all()[:3]))
    event = event_record(actor=cast.kab, title="Asistensi", date=date(2026, 5, 20),
                         kabupaten=Region.objects.get(pk="32.04"), topic="keuangan", speakers="Dinsos",
                         kubes=[(cast.kube_a, 2)])
    evaluation_record(actor=cast.kab, event=event, title="Asistensi", date=date(2026, 5, 20), indicators="x",
                      results="y", targets=[("Pesan diterima", 90, 95)])
    kube = cast.kube_a.pk
    pages = {
        cast.pendamping: [
            reverse("mentoring:workspace"), reverse("mentoring:visits", args=[kube]),
            reverse("mentoring:visit_new", args=[kube]), reverse("mentoring:visit", args=[kube, visit.pk]),
            reverse("mentoring:stage", args=[kube]), reverse("mentoring:events"),
            reverse("mentoring:event", args=[event.pk]),
            reverse("mentoring:evaluation_new", args=[kube, "kunjungan", visit.pk]),
        ],
        cast.kab: [
            reverse("mentoring:mentors"), reverse("mentoring:assign"), reverse("mentoring:events"),
            reverse("mentoring:event_new"), reverse("mentoring:event", args=[event.pk]),
            reverse("mentoring:event_evaluation_new", args=["asistensi", event.pk]),
            reverse("mentoring:mentor_workspace", args=[cast.pendamping.pk]),
            reverse("mentoring:visits", args=[kube]), reverse("mentoring:stage", args=[kube]),
        ],
        cast.ketua: [reverse("mentoring:visits", args=[kube]), reverse("mentoring:visit", args=[kube, visit.pk]),
                     reverse("mentoring:stage", args=[kube])],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
            assert_csp_clean(response.content.decode(), url)


def test_an_office_sees_its_mentors_and_opens_their_workspace_but_not_anothers(client, cast):
    client.force_login(cast.kab)
    listing = client.get(reverse("mentoring:mentors")).content.decode()
    assert cast.pendamping.full_name in listing and cast.pendamping_other.full_name not in listing
    assert client.get(reverse("mentoring:mentor_workspace", args=[cast.pendamping_other.pk])).status_code == 404
    client.force_login(cast.pendamping_other)
    assert client.get(reverse("mentoring:mentor_workspace", args=[cast.pendamping.pk])).status_code == 404
