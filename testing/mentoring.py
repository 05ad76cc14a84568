"""Mentoring test data: a logged visit and the visit page's form."""

from __future__ import annotations

from datetime import date

from mentoring.services import visit_log

DAY = date(2026, 3, 5)


def log(cast, **extra):
    kube = cast.kube_a
    members = list(kube.members.filter(left_on__isnull=True).order_by("id"))
    values = {"actor": cast.pendamping, "kube": kube, "date": DAY, "place": "Rumah Ketua KUBE (Ibu Ani)",
              "problems": "Pelaporan keuangan; peruntukan dana IKS", "present": members[:4]}
    values.update(extra)
    return visit_log(**values)


def visit_post(cast, **extra):
    members = list(cast.kube_a.members.filter(left_on__isnull=True).order_by("id"))
    data = {"date": "2026-03-05", "start_time": "10:00", "end_time": "12:00", "kind": "rutin",
            "place": "Kantor Kelurahan", "present": [m.pk for m in members[:5]], "treasurer_report_reviewed": "on",
            "problems": "Pelaporan keuangan", "solutions": "Laporan dievaluasi",
            "audit_kas_checked": "on", "audit_kas_in_order": "on", "audit_agenda_checked": "on",
            "audit_agenda_findings": "Notulen bulan lalu belum ditulis",
            "fu_0_action": "Tulis notulen rapat", "fu_0_person": members[1].pk, "fu_0_due_on": "2026-03-15"}
    data.update(extra)
    return data
