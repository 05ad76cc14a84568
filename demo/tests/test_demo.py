"""The demo loads once, has every role and a year of books, and refuses to load twice.

One test, because loading the demo (40 groups, a year of books each) takes tens of seconds.
"""

from datetime import date

import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import testing
from accounts.models import Role, User
from approval.models import Lpj
from assessments.models import Assessment
from books.models import PeriodClose, Transaction
from dtsen.models import DuplicatePair
from lib.regioncode import is_within
from mentoring.models import AssistanceEvent, Evaluation
from mentoring.selectors import workspace
from monitoring.models import GroupState
from monitoring.state import differences
from outbox import drainer
from regions.services import regions_sync
from registry.models import Kube, Member
from registry.selectors import outside_target_q
from shareout.models import ShareOut
from testing.documents import pdf_text

DEMO_DESAS = {"32.04.06.1002", "32.04.06.1001", "32.04.06.2003", "32.04.06.2005", "32.04.05.2001", "32.04.05.2004",
              "32.04.05.2005", "32.04.10.2001", "32.04.10.2003", "32.71.04.1002", "32.71.04.1003", "32.71.04.1008",
              "32.71.01.1001"}


@time_machine.travel("2026-11-23 10:00 +0700", tick=True)  # the demo's "now": health and classes as of then
def test_the_demo_has_every_role_forty_groups_and_a_year_of_books(db, settings):
    testing.ensure_regions()
    regions_sync(only=DEMO_DESAS)
    call_command("demo_load")
    drainer.drain()  # what `make run` does next (monitoring_refresh --pending)

    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(username="admin", role=Role.ADMIN).exists()
    kubes = list(Kube.objects.all())
    assert 35 <= len(kubes) <= 45
    assert {k.desa_id[:5] for k in kubes} == {"32.04", "32.71"}
    assert all(is_within(k.desa_id, "32") for k in kubes)
    assert {k.status for k in kubes} == {"aktif", "stagnan", "bubar"}

    main = Kube.objects.get(name="KUBE Maju Sejahtera 11")
    assert Transaction.objects.filter(kube=main).count() > 100
    assert PeriodClose.objects.filter(kube=main, period=202610).exists()
    # Some groups stopped writing after a few months: the fading groups monitoring must catch.
    last_entries = [Transaction.objects.filter(kube=k).order_by("-date").values_list("date", flat=True).first()
                    for k in kubes if k.status != "bubar"]
    assert any(d is not None and d.isoformat() < "2026-06-01" for d in last_entries)
    assert any(d is not None and d.isoformat() >= "2026-10-01" for d in last_entries)

    # A year of monthly visits, two assistance events with their evaluations, a mentor with groups to chase.
    assert main.visits.count() >= 10 and main.visits.filter(audits__checked=True).exists()
    assert AssistanceEvent.objects.count() == 2
    assert Evaluation.objects.filter(event__isnull=False).count() == 2
    assert Evaluation.objects.filter(activity__kube=main).exists() and main.stage_checks.filter(met=True).exists()
    mentor = User.objects.get(username="pendamping.cimenyan")
    rows = workspace(Kube.objects.filter(pendamping=mentor), today=date(2026, 11, 23))
    assert any(r.attention >= 10 for r in rows) and any(r.attention < 10 for r in rows)
    client = Client()
    client.force_login(mentor)
    text = pdf_text(client.get(reverse("mentoring:visits_pdf", args=[main.pk])).content)
    assert "Tempat Pertemuan" in text and "Masalah dan Keberhasilan yang Muncul" in text and "Pelaporan keuangan" in text

    # PEKA: seed 003's two sessions on the main group, with priorities and an RTL carried into the work plan.
    first, second = main.assessments.order_by("date")
    assert first.item_results.filter(weak=True).exists() and first.actions.filter(work_plan_item__isnull=False).count() == 3
    assert second.participants.count() > first.participants.count()
    assert Assessment.objects.count() > 20

    # A group (the main one when its books began in 2025) shared out its first book year at its
    # January meeting, posted to the ledger.
    shared = ShareOut.objects.get(year=2025)
    assert shared.status == "dibukukan" and shared.transaction is not None and shared.members_total > 0
    assert shared.capital + shared.members_total == shared.kube.year_closes.get(year=2025).profit_after_iks

    # Monitoring: every health state and every class is in the demo, and the summaries are exact.
    assert set(GroupState.objects.values_list("health", flat=True)) == {"sehat", "perhatian", "kritis", "bubar"}
    assert set(GroupState.objects.values_list("klass", flat=True)) >= {"belum", "tumbuh", "berkembang", "maju"}
    assert differences() == []

    # DTSEN: members in several desil, two outside their programme's target, one duplicate pair to resolve.
    assert set(Member.objects.filter(dtsen_status="found").values_list("dtsen_desil", flat=True)) >= {1, 2, 3, 4, 6, 7}
    assert Member.objects.filter(outside_target_q()).count() == 2
    pair = DuplicatePair.objects.get()
    assert pair.state == "open" and pair.first.kk_number == pair.second.kk_number and pair.first.kube != pair.second.kube
    client = Client()
    client.force_login(User.objects.get(username="dinsos.bandung"))
    assert pair.first.name in client.get(reverse("dtsen:duplicates")).content.decode()

    # Messages: four members of the main group agreed; their receipts went out, one number is dead.
    from messaging.models import Message
    from messaging.selectors import group_messages

    view = group_messages(main)
    assert sum(1 for r in view.members if r.consent) == 4
    assert view.counts.delivered > 20 and view.counts.failed > 2 and view.counts.waiting == 0
    assert not Message.objects.exclude(kube=main).exists()
    assert len(view.failing) == 1 and view.failing[0].consent is not None  # the dead number, listed to correct

    # The reporting chain: the main group's last three closed months, one approved (and locked in the
    # books), one returned by the mentor with a reason, one waiting for the mentor.
    lpjs = list(Lpj.objects.filter(kube=main).order_by("period"))
    assert [(lpj.approved, lpj.next_level, bool(lpj.returned_reason)) for lpj in lpjs] == [
        (True, None, False), (False, "pengurus", True), (False, "pendamping", False)]
    assert PeriodClose.objects.get(kube=main, period=lpjs[0].period).locked_at is not None
    assert PeriodClose.objects.get(kube=main, period=lpjs[2].period).locked_at is None

    users, groups = User.objects.count(), Kube.objects.count()
    call_command("demo_load")  # the database is no longer empty: nothing happens
    assert (User.objects.count(), Kube.objects.count()) == (users, groups)

    for username in ("admin", "pusat", "dinsos.jabar", "dinsos.bandung", "pendamping.cimenyan",
                     "bendahara.majusejahtera", "anggota.majusejahtera"):
        client = Client()
        response = client.post(reverse("accounts:login"), {"username": username, "password": settings.DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get(reverse("front:home"), follow=True).status_code == 200
