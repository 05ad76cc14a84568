"""Excel import: every row checked, all or nothing, errors named by row and column."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lib.xlsx import SpreadsheetError
from registry.importer import MEMBER_COLUMNS, import_workbook
from registry.models import Kube, Member
from testing import programme_fm
from testing.registry import build, upload


@pytest.fixture
def programme(cast):
    return programme_fm()


def test_a_clean_sheet_of_fifty_groups_imports_everything(cast, programme):
    result = import_workbook(actor=cast.kab, upload=upload(build(50)))
    assert result.ok, result.issues[:3]
    assert (result.kubes, result.members) == (50, 500)
    assert Kube.objects.filter(name__startswith="KUBE Impor").count() == 50
    kube = Kube.objects.get(name="KUBE Impor 007")
    assert kube.officers.count() == 3 and kube.members.count() == 10


def test_one_bad_row_among_five_hundred_saves_nothing_and_is_named(cast, programme):
    def tweak(serial, row):
        if serial == 337:
            row[1] = row[1][:10]  # a NIK cut short
        return row

    before = Member.objects.count()
    result = import_workbook(actor=cast.kab, upload=upload(build(50, tweak=tweak)))
    assert not result.ok
    assert Member.objects.count() == before
    assert not Kube.objects.filter(name__startswith="KUBE Impor").exists()
    [issue] = result.issues
    assert (issue.sheet, issue.row, issue.column) == ("Anggota", 338, "NIK")  # row 1 is the header
    assert "16 digit" in issue.problem and "Teks" in issue.fix


def test_the_error_sheet_can_be_downloaded_from_the_page(client, cast, programme):
    def tweak(serial, row):
        if serial == 4:
            row[4] = "X"
        return row

    client.force_login(cast.kab)
    response = client.post(reverse("registry:import"), {"file": upload(build(2, tweak=tweak))})
    assert response.status_code == 200
    assert "Tidak ada data yang disimpan" in response.content.decode()
    token = response.context["error_token"]
    sheet = load_workbook(io.BytesIO(client.get(reverse("registry:import_errors", args=[token])).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Lembar", "Baris", "Kolom", "Masalah", "Cara memperbaiki")
    assert rows[1][:3] == ("Anggota", 5, "Jenis kelamin (L/P)")
    # Another user cannot fetch it.
    client.force_login(cast.kab_other)
    assert client.get(reverse("registry:import_errors", args=[token])).status_code == 404


def test_group_level_rules_are_reported_on_the_group_row(cast, programme):
    def tweak(serial, row):
        if serial == 2:
            row[14] = "Ketua"  # a second Ketua in K1
        return row

    result = import_workbook(actor=cast.kab, upload=upload(build(2, tweak=tweak)))
    assert any(i.sheet == "KUBE" and i.row == 2 and "Ketua hanya boleh satu" in i.problem for i in result.issues)
    assert any("Belum ada Sekretaris" in i.problem for i in result.issues)


def test_a_desa_outside_the_offices_reach_is_refused(cast, programme):
    result = import_workbook(actor=cast.kab_other, upload=upload(build(1)))
    assert any("di luar wilayah kerja" in i.problem for i in result.issues)
    assert not Kube.objects.filter(name__startswith="KUBE Impor").exists()


def test_a_nik_typed_as_a_number_is_refused_because_excel_rounds_it(cast, programme):
    def tweak(serial, row):
        if serial == 1:
            row[1] = int(row[1])
        return row

    result = import_workbook(actor=cast.kab, upload=upload(build(1, tweak=tweak)))
    assert [(i.row, i.column) for i in result.issues] == [(2, "NIK")]
    assert "angka" in result.issues[0].problem


def test_a_formula_is_refused(cast, programme):
    def tweak(serial, row):
        if serial == 3:
            row[3] = '=CONCAT("A","B")'
        return row

    result = import_workbook(actor=cast.kab, upload=upload(build(1, tweak=tweak)))
    assert any(i.row == 4 and "rumus" in i.problem for i in result.issues)


def test_a_person_already_in_a_group_is_refused(cast, programme):
    taken = cast.kube_b.members.first()

    def tweak(serial, row):
        if serial == 5:
            row[1], row[4], row[5] = taken.nik, taken.sex, taken.birth_date
        return row

    result = import_workbook(actor=cast.kab, upload=upload(build(1, tweak=tweak)))
    assert any(i.row == 6 and "KUBE Mekar Jaya 02" in i.problem for i in result.issues)


def test_the_same_nik_twice_in_the_file_is_refused(cast, programme):
    data = build(2)
    wb = load_workbook(io.BytesIO(data))
    wb["Anggota"]["B13"] = wb["Anggota"]["B2"].value
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_workbook(actor=cast.kab, upload=upload(buffer.getvalue()))
    assert any(i.row == 13 and "baris 2" in i.problem for i in result.issues)


def test_wrong_headers_are_reported_once(cast, programme):
    wb = Workbook()
    wb.active.title = "KUBE"
    wb.active.append(["Nama", "Desa"])
    wb.create_sheet("Anggota").append(["NIK"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_workbook(actor=cast.kab, upload=upload(buffer.getvalue()))
    assert {i.problem for i in result.issues} == {"Judul kolom tidak sesuai templat."}


def test_a_file_that_is_not_excel_gets_a_clear_message(cast):
    with pytest.raises(SpreadsheetError, match="bukan berkas Excel"):
        import_workbook(actor=cast.kab, upload=upload(b"NIK;Nama\n3204;Ani\n", "data.xlsx"))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(SpreadsheetError, match="terlalu besar"):
        import_workbook(actor=cast.kab, upload=upload(buffer.getvalue()))


def test_the_template_has_both_sheets_with_the_import_headers(client, cast, programme):
    client.force_login(cast.kab)
    wb = load_workbook(io.BytesIO(client.get(reverse("registry:import_template")).content))
    assert wb.sheetnames[:2] == ["KUBE", "Anggota"]
    assert [c.value for c in wb["Anggota"][1]] == [c.header for c in MEMBER_COLUMNS]
    assert "kube-fm" in [c.value for c in wb["Daftar"]["I"]]


def test_only_office_roles_may_import(client, cast, programme):
    for user in (cast.pendamping, cast.ketua, cast.pusat):
        client.force_login(user)
        assert client.post(reverse("registry:import"), {"file": upload(build(1))}).status_code == 404
    assert not Kube.objects.filter(name__startswith="KUBE Impor").exists()


def test_the_import_through_the_api_is_all_or_nothing_with_rows_named(client, cast, programme):
    from accounts.services import token_create

    _t, raw = token_create(user=cast.kab, name="sistem daerah")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def tweak(serial, row):
        if serial == 13:
            row[1] = row[1][:10]
        return row

    refused = client.post("/api/v1/imports", {"file": upload(build(3, tweak=tweak))}, **auth)
    body = refused.json()
    assert refused.status_code == 422 and body["code"] == "import_invalid" and "tidak ada yang tersimpan" in body["message"]
    assert body["details"][0]["row"] == 14 and body["details"][0]["sheet"] == "Anggota"  # the 13th member
    assert not Kube.objects.filter(name__startswith="KUBE Impor").exists()
    not_excel = client.post("/api/v1/imports", {"file": upload(b"PK\x03\x04 not really")}, **auth)
    assert not_excel.status_code == 400 and not_excel.json()["field"] == "file"
    done = client.post("/api/v1/imports", {"file": upload(build(3))}, **auth)
    assert done.status_code == 201 and done.json() == {"kubes": 3, "members": 30, "warnings": []}
    _t, member_token = token_create(user=cast.ketua, name="hp")
    assert client.post("/api/v1/imports", {"file": upload(build(1))},
                       HTTP_AUTHORIZATION=f"Bearer {member_token}").status_code == 404  # as the page: not there


def test_a_sheet_of_a_million_rows_is_refused_early_and_saves_nothing(cast, programme):
    """The rows are written straight into the sheet's XML (openpyxl would take minutes to write them)."""
    import re

    source = zipfile.ZipFile(io.BytesIO(build(1)))
    names = {n: source.read(n) for n in source.namelist()}
    sheet = "xl/worksheets/sheet2.xml"  # "Anggota", the second sheet
    assert sheet in names
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>K1</t></is></c></row>'
                   for r in range(2, 1_000_002))
    names[sheet] = re.sub(rb"<row r=\"2\".*</sheetData>", rows.encode() + b"</sheetData>", names[sheet],
                          flags=re.S)
    names[sheet] = re.sub(rb"<dimension [^>]*/>", b"", names[sheet])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    result = import_workbook(actor=cast.kab, upload=upload(buffer.getvalue()))
    assert any("Terlalu banyak baris" in i.problem for i in result.issues)
    assert not Kube.objects.filter(name__startswith="KUBE Impor").exists()
