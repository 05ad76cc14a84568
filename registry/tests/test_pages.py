"""The registry through its pages: register with members, list and filter, NIK search, documents."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from audit.models import AuditEntry
from lib.nik import nik_date_part
from registry.models import Kube
from testing import DESA_A2, make_user

BIRTH = date(1979, 8, 15)


def registration_post(n: int, *, positions=("ketua", "sekretaris", "bendahara"), desa=DESA_A2, **extra):
    data = {"name": "KUBE Sekar Wangi", "desa": desa, "address": "Kp. Babakan", "rt": "002",
            "rw": "004", "formed_on": "2025-06-01", "programme": "", "target_group": "fakir_miskin",
            "business_type": "pangan", "business_description": "Keripik singkong",
            "business_mode": "kelompok", "bonds": ["tempat_tinggal", "jenis_usaha"], "bond_note": "",
            "pendamping": "", "officers_chosen_on": "",
            "m-TOTAL_FORMS": str(n + 2), "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0",
            "m-MAX_NUM_FORMS": "60"}
    for i in range(n):
        sex = "P" if i % 2 == 0 else "L"
        data |= {
            f"m-{i}-nik": f"320406{nik_date_part(BIRTH, sex)}{700 + i:04d}",
            f"m-{i}-kk_number": f"3204061234{560000 + i}", f"m-{i}-name": f"Anggota Sekar {i + 1}",
            f"m-{i}-sex": sex, f"m-{i}-birth_date": BIRTH.isoformat(),
            f"m-{i}-task": "" if i < 3 else "Produksi", f"m-{i}-target_group": "fakir_miskin",
            f"m-{i}-welfare_level": "miskin", f"m-{i}-position": positions[i] if i < len(positions) else "",
        }
    for i in range(n, n + 2):  # two blank rows, as the page leaves them
        data |= {f"m-{i}-target_group": "fakir_miskin", f"m-{i}-welfare_level": "miskin",
                 f"m-{i}-position": ""}
    data.update(extra)
    return data


def with_programme(data, cast):
    from testing import programme_fm

    data["programme"] = str(programme_fm().pk)
    return data


def test_an_office_registers_a_group_with_six_members_through_the_page(client, cast):
    client.force_login(cast.kab)
    response = client.post(reverse("registry:create"), with_programme(registration_post(6), cast))
    kube = Kube.objects.get(name="KUBE Sekar Wangi")
    assert response.status_code == 302 and response["Location"] == f"/kube/{kube.pk}/"
    assert kube.members.count() == 6 and kube.officers.count() == 3
    assert kube.bonds == ["tempat_tinggal", "jenis_usaha"]


def test_a_bad_row_is_shown_next_to_its_member_and_nothing_is_saved(client, cast):
    client.force_login(cast.kab)
    data = with_programme(registration_post(6), cast)
    data["m-3-nik"] = "3204061508"
    response = client.post(reverse("registry:create"), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert "NIK harus 16 digit" in str(formset.forms[3].errors["nik"])
    assert not Kube.objects.filter(name="KUBE Sekar Wangi").exists()


def test_four_members_are_refused_on_the_page(client, cast):
    client.force_login(cast.kab)
    response = client.post(reverse("registry:create"), with_programme(registration_post(4), cast))
    assert "mensyaratkan 5 sampai 10 KK" in response.content.decode()
    assert not Kube.objects.filter(name="KUBE Sekar Wangi").exists()


def test_a_desa_outside_the_offices_kabupaten_is_refused(client, cast):
    client.force_login(cast.kab)
    data = with_programme(registration_post(6, desa="32.71.04.1002"), cast)
    response = client.post(reverse("registry:create"), data)
    assert "di luar wilayah kerja Anda" in response.content.decode()
    assert not Kube.objects.filter(name="KUBE Sekar Wangi").exists()


def test_add_row_redraws_the_form_with_one_more_member_and_keeps_the_input(client, cast):
    client.force_login(cast.kab)
    data = with_programme(registration_post(2), cast)
    data["add_row"] = "1"
    response = client.post(reverse("registry:create"), data)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 5
    assert "Anggota Sekar 2" in response.content.decode()
    assert not Kube.objects.filter(name="KUBE Sekar Wangi").exists()


def test_the_list_filters_by_region_stage_status_and_name(client, cast):
    client.force_login(cast.prov)
    url = reverse("registry:list")

    def names(params):
        return {row.kube.name for row in client.get(url, params).context["rows"]}

    assert names({}) == {"KUBE Maju Sejahtera 11", "KUBE Mekar Jaya 02", "KUBE Cempaka"}
    assert names({"region": "32.71"}) == {"KUBE Cempaka"}
    assert names({"region": "32.04.06"}) == {"KUBE Maju Sejahtera 11"}
    assert names({"q": "cempaka"}) == {"KUBE Cempaka"}
    assert names({"q": "Ani Suryani"}) == {"KUBE Maju Sejahtera 11"}  # a member's name
    assert names({"stage": "kemandirian"}) == set()
    assert names({"pendamping": cast.pendamping.pk}) == {"KUBE Maju Sejahtera 11"}
    # A region outside the province is refused, not silently widened.
    assert names({"region": "33"}) == {"KUBE Maju Sejahtera 11", "KUBE Mekar Jaya 02", "KUBE Cempaka"}
    assert "di luar wilayah kerja" in client.get(url, {"region": "33"}).content.decode()


@pytest.mark.parametrize("who", ["prov", "pusat"])  # a region's groups, and the country's (asked per user)
def test_the_mentor_filter_lists_the_mentors_only_when_few_enough_to_choose_from(client, cast, monkeypatch, who):
    """The province (and the country) holds two mentors' groups; with room for one, the list asks
    for a region first, and a mentor chosen (a link) still filters and stays shown."""
    monkeypatch.setattr("registry.forms.MENTOR_CHOICES_MAX", 1)
    client.force_login(getattr(cast, who))
    url = reverse("registry:list")

    def offered(params):
        response = client.get(url, params)
        choices = [value for value, _label in response.context["form"].fields["pendamping"].widget.choices]
        return choices, 'data-testid="mentor-hint"' in response.content.decode(), response

    assert offered({})[:2] == ([""], True)
    assert offered({"region": "32.04"})[:2] == (["", cast.pendamping.pk], False)  # Kab. Bandung: one mentor
    choices, hint, response = offered({"pendamping": cast.pendamping.pk})
    assert (choices, hint) == (["", cast.pendamping.pk], True)
    assert {row.kube.name for row in response.context["rows"]} == {"KUBE Maju Sejahtera 11"}
    monkeypatch.setattr("registry.forms.MENTOR_CHOICES_MAX", 2)
    choices, hint, _response = offered({})
    assert (set(choices), hint) == ({"", cast.pendamping.pk, cast.pendamping_other.pk}, False)


def test_nik_search_is_exact_and_only_by_post(client, cast):
    client.force_login(cast.kab)
    member = cast.kube_b.members.first()
    assert client.get(reverse("registry:nik_search"), {"nik": member.nik}).status_code == 405
    found = client.post(reverse("registry:nik_search"), {"nik": member.nik}).context["found"]
    assert [m.pk for m in found] == [member.pk]
    other = member.nik[:15] + str((int(member.nik[-1]) + 1) % 10)
    assert client.post(reverse("registry:nik_search"), {"nik": other}).context["found"] == []
    # A NIK substring in the name search finds nothing.
    assert client.get(reverse("registry:list"), {"q": member.nik[:10]}).context["rows"] == []


def test_nik_search_stays_inside_the_reach(client, cast):
    client.force_login(cast.kab)
    bogor = cast.kube_c.members.first()
    assert client.post(reverse("registry:nik_search"), {"nik": bogor.nik}).context["found"] == []


def test_the_member_book_pdf_lists_members_with_masked_nik_for_the_province(client, cast):
    client.force_login(cast.prov)
    response = client.get(reverse("registry:member_book_pdf", args=[cast.kube_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Buku Keanggotaan KUBE" in text and "KUBE Maju Sejahtera 11" in text
    assert "Cibeunying" in text and "Ani Suryani" in text and "Ketua" in text
    nik = cast.kube_a.members.get(name="Ani Suryani").nik
    assert nik not in text and nik[:4] + "********" + nik[-4:] in text
    assert "Sekretaris" in text and "Bendahara" in text  # signature block


def test_the_officers_pdf_shows_current_officers(client, cast):
    client.force_login(cast.pendamping)
    response = client.get(reverse("registry:officers_pdf", args=[cast.kube_a.pk]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Daftar Pengurus KUBE" in text and "Ani Suryani" in text


def test_exporting_personal_data_is_restricted_and_recorded(client, cast):
    client.force_login(cast.kab)
    response = client.get(reverse("registry:members_export", args=[cast.kube_a.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    niks = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert niks == set(cast.kube_a.members.values_list("nik", flat=True))
    entry = AuditEntry.objects.get(action="export", kube_id=cast.kube_a.pk)
    assert entry.actor == cast.kab
    client.force_login(cast.pendamping)
    assert client.get(reverse("registry:members_export", args=[cast.kube_a.pk])).status_code == 403


def test_the_list_exports_to_excel_with_the_same_filters(client, cast):
    client.force_login(cast.prov)
    response = client.get(reverse("registry:export"), {"region": "32.04"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Nomor registrasi", "Nama KUBE")
    assert {r[2] for r in rows[1:]} == {"KUBE Maju Sejahtera 11", "KUBE Mekar Jaya 02"}
    assert all(str(r[7]).startswith("32.04") for r in rows[1:])
    assert cast.kube_a.members.first().nik not in str(rows)


def test_stage_and_status_changes_are_kept_as_history_on_the_page(client, cast):
    client.force_login(cast.kab)
    today = date.today().isoformat()
    client.post(reverse("registry:stage", args=[cast.kube_a.pk]),
                {"stage": "pengembangan", "effective_on": today, "reason": "Usaha berjalan"})
    client.post(reverse("registry:status", args=[cast.kube_a.pk]),
                {"status": "stagnan", "effective_on": today, "reason": "Tidak ada pertemuan"})
    page = client.get(reverse("registry:detail", args=[cast.kube_a.pk])).content.decode()
    assert "Usaha berjalan" in page and "Tidak ada pertemuan" in page
    cast.kube_a.refresh_from_db()
    assert (cast.kube_a.stage, cast.kube_a.status) == ("pengembangan", "stagnan")
    response = client.post(reverse("registry:stage", args=[cast.kube_a.pk]),
                           {"stage": "kemandirian", "effective_on": today, "reason": ""})
    assert response.context["form"].errors["reason"] == ["Bidang ini tidak boleh kosong."]
    cast.kube_a.refresh_from_db()
    assert cast.kube_a.stage == "pengembangan"


def test_reassigning_the_mentor_keeps_the_history(client, cast):
    colleague = make_user("pendamping.cileunyi", Role.PENDAMPING, "32.04")
    client.force_login(cast.kab)
    client.post(reverse("registry:assign", args=[cast.kube_a.pk]),
                {"pendamping": colleague.pk, "start_on": date.today().isoformat()})
    cast.kube_a.refresh_from_db()
    assert cast.kube_a.pendamping == colleague
    periods = list(cast.kube_a.assignments.order_by("start_on", "id").values_list("pendamping_id", "end_on"))
    assert periods[0] == (cast.pendamping.pk, date.today())
    assert periods[1] == (colleague.pk, None)


def test_the_list_ranks_groups_by_the_early_warning(client, cast):
    import time_machine

    from mentoring.services import AuditLine, visit_log
    from outbox import drainer
    from testing import make_lively

    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        make_lively(cast.kube_a, actor=cast.pendamping, day=date(2026, 11, 20))
        visit_log(actor=cast.pendamping, kube=cast.kube_a, date=date(2026, 11, 20), place="Balai", problems="-",
                  present=list(cast.kube_a.members.all()), audits=[AuditLine("kas", True, True)])
        drainer.drain()  # the early warning is read from the summaries
        client.force_login(cast.prov)
        url = reverse("registry:list")
        rows = client.get(url, {"order": "perhatian"}).context["rows"]
        states = [row.kube.state for row in rows]
        assert [s.health_score for s in states] == sorted((s.health_score for s in states), reverse=True)
        assert rows[-1].kube == cast.kube_a and states[-1].health == "sehat" and states[0].health != "sehat"
        assert [row.kube for row in client.get(url, {"health": "sehat"}).context["rows"]] == [cast.kube_a]
        page = client.get(url, {"health": "sehat"}).content.decode()
        assert f'href="/kube/{cast.kube_a.pk}/kesehatan/"' in page
