"""A DTSEN extract: matched by NIK within reach, previewed exactly, applied all or nothing, malformed
files refused with a message naming the row and column, the file kept only when chosen."""

import json
from datetime import date

import pytest

from audit.models import AuditEntry
from dtsen.errors import ExtractRefused
from dtsen.models import ColumnMapping, Extract
from dtsen.services import extract_apply, extract_preview
from registry.models import DtsenRecord, Member
from registry.services import dtsen_record_add
from testing import make_kube
from testing.dtsen import bulk_members, csv_bytes, xlsx_bytes

DATA_DATE = date(2026, 10, 31)


@pytest.fixture
def planted(cast):
    """2,000 rows against every active member of Kab. Bandung: 5 members missing, 12 with a new
    desil, 3 whose name disagrees, one NIK (not a member's) twice, one row with a 15-digit NIK, and
    people who are not members to make up the count."""
    big = make_kube(name="KUBE Ekstrak", desa="32.04.06.2003", actor=cast.kab)
    bulk_members(big, 1900)
    Member.objects.filter(kube__in=[cast.kube_a, cast.kube_b, big]).update(dtsen_status="found", dtsen_desil=3)
    members = list(Member.objects.filter(kube__desa__code__startswith="32.04.", left_on__isnull=True).order_by("pk"))
    assert len(members) == 1912 + 6  # the big group's own six founders too
    missing, changed, renamed = members[:5], members[5:17], members[17:20]
    rows = []
    for m in members[5:]:
        desil = 5 if m in changed else 3
        name = "Bukan Orang Ini" if m in renamed else m.name.upper()
        rows.append([m.nik, m.kk_number, name, desil, "Kp. Babakan"])
    rows += [["3204060101990001", "3204060000000001", "Orang Dua Kali", 2, ""],
             ["3204060101990001", "3204060000000001", "Orang Dua Kali", 2, ""]]
    rows.append(["320406010199000", "3204060000000002", "NIK Pendek", 2, ""])
    serial = 0
    while len(rows) < 2000:
        serial += 1
        rows.append([f"3204069901{serial:06d}", f"32040688{serial:08d}", f"Bukan Anggota {serial}", 1, ""])
    return {"rows": rows, "missing": missing, "changed": changed, "renamed": renamed, "members": members}


def preview(cast, data, name="ekstrak.xlsx", **kw):
    return extract_preview(actor=cast.kab, data=data, file_name=name, region_code="32.04", data_date=DATA_DATE, **kw)


def test_the_preview_lists_exactly_the_planted_differences(cast, planted):
    extract = preview(cast, xlsx_bytes(planted["rows"]))
    p = extract.preview
    assert p["counts"]["rows"] == 2000 and extract.rows == 2000
    assert {c["member"] for c in p["not_found"]} == {m.pk for m in planted["missing"]}
    assert {c["member"]: c["desil"] for c in p["new_desil"]} == {m.pk: 5 for m in planted["changed"]}
    assert {c["member"] for c in p["name_disagrees"]} == {m.pk for m in planted["renamed"]}
    assert [c["rows"] for c in p["nik_twice"]] == [[1915, 1916]] and p["nik_twice"][0]["member"] is None
    assert [(c["row"], c["column"]) for c in p["malformed"]] == [(1917, "NIK")]
    assert "16 digit" in p["malformed"][0]["problem"]
    counts = p["counts"]
    assert (counts["not_found"], counts["new_desil"], counts["name_disagrees"], counts["nik_twice"],
            counts["malformed"]) == (5, 12, 3, 1, 1)
    assert counts["unchanged"] == len(planted["members"]) - 20
    # Nothing about any member is saved by a preview.
    assert not DtsenRecord.objects.filter(source="extract").exists()
    assert Member.objects.filter(dtsen_desil=5).count() == 0


def test_applying_saves_every_change_at_once(cast, planted):
    extract = preview(cast, xlsx_bytes(planted["rows"]))
    assert extract_apply(actor=cast.kab, extract=extract) == 17
    extract.refresh_from_db()
    assert extract.state == Extract.State.APPLIED and extract.applied_by == cast.kab
    changed = Member.objects.filter(pk__in=[m.pk for m in planted["changed"]])
    assert set(changed.values_list("dtsen_status", "dtsen_desil")) == {("found", 5)}
    missing = Member.objects.filter(pk__in=[m.pk for m in planted["missing"]])
    assert set(missing.values_list("dtsen_status", "dtsen_desil")) == {("not_found", None)}
    renamed = Member.objects.filter(pk__in=[m.pk for m in planted["renamed"]])
    assert set(renamed.values_list("dtsen_desil", flat=True)) == {3}
    records = DtsenRecord.objects.filter(extract_id=extract.pk)
    assert records.count() == 17 and set(records.values_list("data_date", flat=True)) == {DATA_DATE}
    assert set(records.values_list("recorded_by", flat=True)) == {cast.kab.pk}
    with pytest.raises(Exception, match="sudah diterapkan"):
        extract_apply(actor=cast.kab, extract=extract)


def test_a_failure_while_applying_saves_nothing(cast, planted, monkeypatch):
    extract = preview(cast, xlsx_bytes(planted["rows"]))
    import registry.services

    calls = {"n": 0}
    original = registry.services.audit_record

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second group's audit row: the first group's records are written by then
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(registry.services, "audit_record", failing)
    with pytest.raises(RuntimeError):
        extract_apply(actor=cast.kab, extract=extract)
    assert calls["n"] == 2
    assert not DtsenRecord.objects.filter(extract_id=extract.pk).exists()
    assert Member.objects.filter(dtsen_desil=5).count() == 0
    assert Member.objects.filter(dtsen_status="not_found").count() == 0
    extract.refresh_from_db()
    assert extract.state == Extract.State.PREVIEWED


def test_a_member_changed_since_the_preview_refuses_the_whole_apply(cast, planted):
    extract = preview(cast, xlsx_bytes(planted["rows"]))
    dtsen_record_add(actor=cast.kab, member=planted["changed"][0], status="found", desil=7, source="manual")
    with pytest.raises(Exception, match="berubah sejak pratinjau") as refused:
        extract_apply(actor=cast.kab, extract=extract)
    assert getattr(refused.value, "code", "") == "stale_preview"
    assert not DtsenRecord.objects.filter(extract_id=extract.pk).exists()
    assert Member.objects.filter(dtsen_status="not_found").count() == 0


def test_the_extract_matches_only_members_in_the_offices_reach(cast):
    bogor = list(cast.kube_c.members.all())
    data = csv_bytes([[m.nik, m.kk_number, m.name, 9, ""] for m in bogor])
    extract = preview(cast, data, name="ekstrak.csv")
    counts = extract.preview["counts"]
    # Kota Bogor's members are not Kab. Bandung's: their NIKs count as "not members", and every member
    # of Bandung is missing from this extract.
    assert counts["not_members"] == len(bogor) and counts["new_desil"] == 0
    assert counts["not_found"] == Member.objects.filter(kube__in=[cast.kube_a, cast.kube_b]).count()
    with pytest.raises(Exception) as outside:
        extract_preview(actor=cast.kab, data=data, file_name="x.csv", region_code="32.71", data_date=DATA_DATE)
    assert getattr(outside.value, "status", 0) == 404


def test_no_nik_is_stored_with_the_extract_or_written_to_the_audit(cast, planted):
    extract = preview(cast, xlsx_bytes(planted["rows"]))
    extract_apply(actor=cast.kab, extract=extract)
    stored = json.dumps(Extract.objects.get(pk=extract.pk).preview)
    audit = json.dumps(list(AuditEntry.objects.filter(object_type__in=["dtsen.extract", "registry.dtsenrecord"])
                            .values_list("changes", flat=True)))
    for m in [*planted["members"][:40], Member(nik="3204060101990001")]:
        assert m.nik not in stored and m.nik not in audit
    assert not extract.kept_file


def test_the_file_is_kept_only_when_the_office_chooses(cast, planted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = xlsx_bytes(planted["rows"][:50])
    assert not preview(cast, data).kept_file
    kept = preview(cast, data, keep_file=True)
    assert kept.kept_file and kept.kept_file.read() == data
    entry = AuditEntry.objects.filter(object_type="dtsen.extract", object_id=str(kept.pk)).get()
    assert entry.actor == cast.kab and entry.changes["kept"] is True and entry.changes["rows"] == 50


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "foto.png", "bukan lembar kerja"),
    (b"%PDF-1.7 lorem ipsum", "laporan.pdf", "bukan lembar kerja"),
    (b"NIK NO_KK NAMA DESIL\n1 2 3 4\n", "ekstrak.txt", "bukan lembar kerja"),
])
def test_a_file_that_is_not_a_spreadsheet_is_refused(cast, data, name, expected):
    with pytest.raises(ExtractRefused, match=expected):
        preview(cast, data, name=name)
    assert not Extract.objects.exists()


def test_a_wrong_header_is_refused_naming_row_one_and_the_missing_column(cast):
    data = xlsx_bytes([["3204061705800001", "3204061234000001", "Ani", 3]], headers=["NIK", "NO_KK", "NAMA", "KELAS"])
    with pytest.raises(ExtractRefused) as refused:
        preview(cast, data)
    message = refused.value.message
    assert message.startswith("Baris 1: kolom Desil tidak ditemukan") and "KELAS" in message


def test_a_formula_in_the_nik_column_is_refused_naming_row_and_column(cast):
    rows = [["3204061705800001", "3204061234000001", "Ani", 3, ""]] * 3 + [["=A2+1", "3204061234000001", "Ani", 3, ""]]
    with pytest.raises(ExtractRefused) as refused:
        preview(cast, xlsx_bytes(rows))
    assert refused.value.message.startswith("Baris 5, kolom NIK: sel berisi rumus")


def test_the_offices_column_names_are_remembered(cast):
    member = cast.kube_a.members.first()
    headers = ["NOMOR INDUK", "KARTU KELUARGA", "NAMA ART", "PERINGKAT"]
    data = csv_bytes([[member.nik, member.kk_number, member.name, 2]], headers=headers)
    with pytest.raises(ExtractRefused, match="kolom NIK tidak ditemukan"):
        preview(cast, data, name="a.csv")
    mapping = {"nik": "Nomor Induk", "kk_number": "kartu keluarga", "name": "NAMA ART", "desil": "peringkat"}
    first = preview(cast, data, name="a.csv", mapping=mapping)
    assert [c["member"] for c in first.preview["new_desil"]] == [member.pk]
    assert ColumnMapping.objects.get(region_code="32.04").columns["nik"] == "NOMOR INDUK"
    second = preview(cast, data, name="b.csv")  # no mapping given: the office's own is used
    assert second.preview["counts"]["new_desil"] == 1


def test_a_file_without_its_header_row_does_not_echo_a_nik(cast):
    data = csv_bytes([["3204061705800002", "3204061234000002", "Budi", 3, ""]],
                     headers=["3204061705800001", "3204061234000001", "Ani", "3", ""])
    with pytest.raises(ExtractRefused) as refused:
        preview(cast, data, name="tanpa-judul.csv")
    assert "3204061705800001" not in refused.value.message and "3204********0001" in refused.value.message
