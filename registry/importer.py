"""Excel import of groups with their members: validate every row, then save all or nothing.

The workbook has two sheets (see `template_workbook`): "KUBE", one row per group,
and "Anggota", one row per member, tied to its group by the "Kunci KUBE" column.
Every problem found is reported with its sheet, row, column, what is wrong and how
to fix it; if there is any, nothing is saved. The rules are the registry's own
(registry/rules.py), and the saving goes through `kube_register`, exactly as the
registration page does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import kubes_for_user, mentor_assign_problem, mentors_for_user, region_in_reach
from accounts.models import User
from audit.models import Action
from audit.services import audit_record
from lib.errors import SikubeError
from lib.regioncode import normalize
from lib.xlsx import Workbook, open_upload
from outbox.services import batch
from regions.models import Region
from registry.choices import (
    Bond,
    BusinessMode,
    BusinessType,
    DtsenStatus,
    Position,
    Sex,
    TargetGroup,
    WelfareLevel,
)
from registry.duplicates import KIND_LABELS, Kind, Person, find_pairs, likely_duplicates_many
from registry.models import Member, Programme
from registry.rules import MemberData, dtsen_flag, member_problems, officer_problems, size_problem

MAX_GROUPS = 5_000
MAX_MEMBERS = 50_000
MAX_FILE_BYTES = 15 * 1024 * 1024

SHEET_KUBE = "KUBE"
SHEET_MEMBERS = "Anggota"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    fix: str
    width: int = 18
    text: bool = False
    required: bool = False


KUBE_COLUMNS = [
    Column("key", "Kunci KUBE", "Isi kode pendek yang unik di berkas ini, misalnya K1, K2.", 12, True, True),
    Column("name", "Nama KUBE", "Isi nama KUBE, misalnya KUBE Maju Sejahtera 11.", 30, required=True),
    Column("desa", "Kode desa/kelurahan", "Isi kode Kemendagri 10 digit, misalnya 32.04.06.1002.", 18, True, True),
    Column("address", "Alamat", "Tulis jalan/kampung.", 30),
    Column("rt", "RT", "Tulis nomor RT, misalnya 003.", 6, True),
    Column("rw", "RW", "Tulis nomor RW, misalnya 005.", 6, True),
    Column("formed_on", "Tanggal dibentuk", "Tulis tanggal sebagai tanggal Excel atau HH-BB-TTTT.", 14, required=True),
    Column("programme", "Kode program", "Isi kode program yang terdaftar, misalnya kube-fm.", 14, True, True),
    Column("target_group", "Sasaran", "Pilih salah satu sasaran dari daftar.", 24),
    Column("business_type", "Jenis usaha", "Pilih salah satu jenis usaha dari daftar.", 18, required=True),
    Column("business_description", "Uraian usaha", "Tulis singkat usaha kelompok.", 30),
    Column("business_mode", "Usaha dijalankan oleh", "Pilih Usaha kelompok, Usaha perorangan anggota atau Kelompok dan perorangan.", 22),
    Column("bonds", "Ikatan pemersatu", "Tulis satu atau lebih ikatan dari daftar, dipisah koma.", 30),
    Column("pendamping", "Pendamping (nama pengguna)", "Isi nama pengguna akun pendamping, atau kosongkan.", 20, True),
    Column("officers_chosen_on", "Tanggal musyawarah pengurus", "Tulis tanggal atau kosongkan (sama dengan tanggal dibentuk).", 16),
]

MEMBER_COLUMNS = [
    Column("key", "Kunci KUBE", "Isi kunci KUBE yang ada di lembar KUBE.", 12, True, True),
    Column("nik", "NIK", "Tulis 16 digit NIK sebagai teks (format kolom Teks), persis seperti di KTP.", 20, True, True),
    Column("kk_number", "Nomor KK", "Tulis 16 digit nomor KK sebagai teks, persis seperti di Kartu Keluarga.", 20, True, True),
    Column("name", "Nama", "Tulis nama lengkap sesuai KTP.", 26, required=True),
    Column("sex", "Jenis kelamin (L/P)", "Tulis L atau P.", 10, required=True),
    Column("birth_date", "Tanggal lahir", "Tulis tanggal sebagai tanggal Excel atau HH-BB-TTTT.", 14, required=True),
    Column("address", "Alamat", "Tulis alamat tinggal.", 30),
    Column("phone", "Nomor HP", "Tulis seperti 081234567890 (format kolom Teks).", 16, True),
    Column("target_group", "Sasaran", "Pilih salah satu sasaran dari daftar.", 24),
    Column("welfare_level", "Tingkat kesejahteraan", "Pilih Fakir miskin, Miskin atau Hampir miskin.", 18),
    Column("dtsen_number", "Nomor DTSEN/DTKS", "Tulis nomor DTSEN atau DTKS bila ada.", 18, True),
    Column("dtsen_desil", "Desil DTSEN", "Tulis angka desil 1 sampai 10 bila sudah diketahui, atau kosongkan.", 10),
    Column("skills", "Keterampilan", "Tulis keterampilan anggota.", 22),
    Column("task", "Tugas dalam kelompok", "Tulis tugas anggota dalam kelompok.", 22),
    Column("position", "Jabatan", "Tulis Ketua, Sekretaris, Bendahara atau kosongkan.", 12),
    Column("joined_on", "Tanggal masuk", "Tulis tanggal atau kosongkan (sama dengan tanggal dibentuk).", 14),
]


@dataclass(frozen=True)
class Issue:
    sheet: str
    row: int
    column: str
    problem: str
    fix: str


@dataclass
class ImportResult:
    issues: list[Issue] = field(default_factory=list)
    kubes: int = 0
    members: int = 0
    # Saved, but worth the office's attention: members outside the programme's target desil.
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


class _Rows:
    """Parsed rows of one sheet, with the issues found while reading cells."""

    def __init__(self, sheet: str, columns: list[Column], issues: list[Issue]) -> None:
        self.sheet = sheet
        self.columns = {c.key: c for c in columns}
        self.issues = issues

    def add(self, row: int, key: str, message: str) -> None:
        column = self.columns.get(key)
        self.issues.append(Issue(self.sheet, row, column.header if column else "",
                                 message, column.fix if column else ""))


def _choice(value: str, choices: Any) -> str | None:
    """The code for a cell that holds a code, its Indonesian label, or its label in the
    user's language (the template lists the Indonesian labels)."""
    text = value.strip().lower()
    with translation.override("id"):
        indonesian = {str(label).lower(): str(code) for code, label in choices.choices}
    for code, label in choices.choices:
        if text in (str(code).lower(), str(label).lower()):
            return str(code)
    return indonesian.get(text)


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _cells(ws: Any, columns: list[Column], sheet: str, limit: int, issues: list[Issue]
           ) -> Iterator[tuple[int, dict[str, Any]]]:
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    expected = [c.header.lower() for c in columns]
    got = [str(h or "").strip().lower() for h in (header or [])][: len(columns)]
    if got != expected:
        issues.append(Issue(sheet, 1, "", _("Judul kolom tidak sesuai templat."),
                            _("Unduh templat terbaru dan salin data ke dalamnya tanpa mengubah "
                              "baris judul.")))
        return
    for index, values in enumerate(rows, start=2):
        if index - 1 > limit:
            issues.append(Issue(sheet, index, "", _("Terlalu banyak baris (paling banyak %(n)s).")
                                % {"n": limit}, _("Bagi data menjadi beberapa berkas.")))
            return
        values = list(values or [])[: len(columns)]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        values += [None] * (len(columns) - len(values))
        yield index, {c.key: v for c, v in zip(columns, values, strict=True)}


def _text(rows: _Rows, row: int, key: str, value: Any, *, numeric_ok: bool = True) -> str:
    if value is None:
        if rows.columns[key].required:
            rows.add(row, key, _("Wajib diisi."))
        return ""
    if isinstance(value, str) and value.startswith("="):
        rows.add(row, key, _("Sel berisi rumus; isi dengan nilai, bukan rumus."))
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, (int, float)) and not numeric_ok:
        rows.add(row, key, _("Tersimpan sebagai angka sehingga digit terakhir bisa berubah."))
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        rows.add(row, key, _("Berisi tanggal, padahal seharusnya teks."))
        return ""
    return str(value).strip()


def _date(rows: _Rows, row: int, key: str, value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if rows.columns[key].required:
            rows.add(row, key, _("Wajib diisi."))
        return None
    if isinstance(value, str) and value.startswith("="):
        rows.add(row, key, _("Sel berisi rumus; isi dengan nilai, bukan rumus."))
        return None
    parsed = _parse_date(value)
    if parsed is None:
        rows.add(row, key, _("Bukan tanggal yang dapat dibaca: %(v)s.") % {"v": str(value)[:30]})
    return parsed


@dataclass
class _Group:
    row: int
    key: str
    values: dict[str, Any]
    members: list[tuple[int, MemberData]] = field(default_factory=list)


def import_workbook(*, actor: User, upload: Any, accept_duplicates: bool = False) -> ImportResult:
    """Validate the whole workbook; save everything only if there is no problem at all.

    A member who looks like one already registered (registry.duplicates) is a problem too, until the
    office has checked and uploads again with `accept_duplicates`."""
    result = ImportResult()
    issues = result.issues
    book = open_upload(upload, max_bytes=MAX_FILE_BYTES)
    names = {n.lower(): n for n in book.sheetnames}
    for needed in (SHEET_KUBE, SHEET_MEMBERS):
        if needed.lower() not in names:
            issues.append(Issue(needed, 0, "", _("Lembar %(s)s tidak ada.") % {"s": needed},
                                _("Pakai templat impor dan jangan ganti nama lembarnya.")))
    if issues:
        return result
    today = timezone.localdate()
    groups = _read_groups(book[names[SHEET_KUBE.lower()]], issues, actor=actor, today=today)
    _read_members(book[names[SHEET_MEMBERS.lower()]], issues, groups)
    book.close()
    if issues:
        return result
    _check_groups(groups, issues, actor=actor)
    _check_duplicates(groups, issues, actor=actor, accept=accept_duplicates)
    if issues:
        return result
    result.warnings = _target_warnings(groups)
    from registry.services import kube_register

    try:
        with transaction.atomic(), batch():  # one outbox row per group and month, written once for the whole import
            for group in groups.values():
                v = group.values
                kube_register(actor=actor, members=[m for _row, m in group.members], **v)
                result.kubes += 1
                result.members += len(group.members)
            audit_record(actor=actor, action=Action.IMPORT, object_type="registry.kube",
                         object_repr=_("Impor Excel"),
                         changes={"kubes": [None, result.kubes], "members": [None, result.members]})
    except SikubeError as exc:
        # A race (the same NIK registered meanwhile): nothing was saved.
        result.kubes = result.members = 0
        issues.append(Issue(SHEET_KUBE, 0, "", exc.message, _("Periksa lalu unggah lagi.")))
    return result


def _read_groups(ws: Any, issues: list[Issue], *, actor: User, today: date) -> dict[str, _Group]:
    rows = _Rows(SHEET_KUBE, KUBE_COLUMNS, issues)
    programmes = {p.code: p for p in Programme.objects.all()}
    pendampings = {u.username: u for u in mentors_for_user(actor).select_related("region")}
    groups: dict[str, _Group] = {}
    for row, cells in _cells(ws, KUBE_COLUMNS, SHEET_KUBE, MAX_GROUPS, issues):
        t = {k: _text(rows, row, k, cells[k]) for k in
             ("key", "name", "desa", "address", "rt", "rw", "programme", "target_group",
              "business_type", "business_description", "business_mode", "bonds", "pendamping")}
        formed_on = _date(rows, row, "formed_on", cells["formed_on"])
        chosen_on = _date(rows, row, "officers_chosen_on", cells["officers_chosen_on"])
        if t["key"] and t["key"] in groups:
            rows.add(row, "key", _("Kunci %(k)s sudah dipakai di baris %(r)s.")
                     % {"k": t["key"], "r": groups[t["key"]].row})
        desa = None
        if t["desa"]:
            code = normalize(t["desa"])
            desa = Region.objects.filter(pk=code, level=4, is_active=True).first()
            if desa is None:
                rows.add(row, "desa", _("Kode desa/kelurahan %(c)s tidak dikenal.") % {"c": t["desa"]})
            elif not region_in_reach(actor, desa.code):  # kube_register refuses it too (kube_desa_check)
                rows.add(row, "desa", _("Desa %(d)s di luar wilayah kerja Anda.") % {"d": desa.path})
                desa = None
        programme = programmes.get(t["programme"].lower()) if t["programme"] else None
        if t["programme"] and programme is None:
            rows.add(row, "programme", _("Kode program %(c)s tidak dikenal.") % {"c": t["programme"]})
        target = _choice(t["target_group"], TargetGroup) if t["target_group"] else TargetGroup.FAKIR_MISKIN
        if target is None:
            rows.add(row, "target_group", _("Sasaran %(v)s tidak dikenal.") % {"v": t["target_group"]})
        business = _choice(t["business_type"], BusinessType) if t["business_type"] else None
        if t["business_type"] and business is None:
            rows.add(row, "business_type", _("Jenis usaha %(v)s tidak dikenal.") % {"v": t["business_type"]})
        mode: str | None = _choice(t["business_mode"], BusinessMode) if t["business_mode"] else BusinessMode.KELOMPOK
        if mode is None:
            rows.add(row, "business_mode", _("Isian %(v)s tidak dikenal.") % {"v": t["business_mode"]})
        bonds = []
        for part in [x for x in t["bonds"].split(",") if x.strip()]:
            bond = _choice(part, Bond)
            if bond is None:
                rows.add(row, "bonds", _("Ikatan %(v)s tidak dikenal.") % {"v": part.strip()})
            else:
                bonds.append(bond)
        pendamping = None
        if t["pendamping"]:
            # The same rule as kube_register's (which checks again): only the office's own mentors
            # are known here, another office's is answered like an unknown one.
            pendamping = pendampings.get(t["pendamping"].lower())
            problem = None if pendamping is None or desa is None else mentor_assign_problem(
                actor, pendamping, region_code=desa.code)
            if pendamping is None:
                rows.add(row, "pendamping", _("Tidak ada pendamping aktif dengan nama pengguna %(u)s di wilayah "
                                              "kerja Anda. Isi nama pengguna pendamping kantor Anda, atau "
                                              "kosongkan.") % {"u": t["pendamping"]})
            elif problem:
                rows.add(row, "pendamping", problem)
                pendamping = None
        if formed_on and formed_on > today:
            rows.add(row, "formed_on", _("Tanggal dibentuk tidak boleh di masa depan."))
        if t["key"] and t["key"] not in groups:
            groups[t["key"]] = _Group(row=row, key=t["key"], values={
                "name": t["name"], "desa": desa, "formed_on": formed_on, "programme": programme,
                "target_group": target, "business_type": business, "business_mode": mode,
                "business_description": t["business_description"], "bonds": bonds,
                "address": t["address"], "rt": t["rt"], "rw": t["rw"], "pendamping": pendamping,
                "officers_chosen_on": chosen_on,
            })
    if not groups and not issues:
        issues.append(Issue(SHEET_KUBE, 2, "", _("Lembar KUBE kosong."), _("Isi satu baris per KUBE.")))
    return groups


def _read_members(ws: Any, issues: list[Issue], groups: dict[str, _Group]) -> None:
    rows = _Rows(SHEET_MEMBERS, MEMBER_COLUMNS, issues)
    for row, cells in _cells(ws, MEMBER_COLUMNS, SHEET_MEMBERS, MAX_MEMBERS, issues):
        t = {k: _text(rows, row, k, cells[k], numeric_ok=k not in ("nik", "kk_number", "phone"))
             for k in ("key", "nik", "kk_number", "name", "sex", "address", "phone", "target_group",
                       "welfare_level", "dtsen_number", "dtsen_desil", "skills", "task", "position")}
        birth = _date(rows, row, "birth_date", cells["birth_date"])
        joined = _date(rows, row, "joined_on", cells["joined_on"])
        group = groups.get(t["key"]) if t["key"] else None
        if t["key"] and group is None:
            rows.add(row, "key", _("Kunci %(k)s tidak ada di lembar KUBE.") % {"k": t["key"]})
        sex = _choice(t["sex"], Sex) if t["sex"] else None
        if t["sex"] and sex is None:
            rows.add(row, "sex", _("Jenis kelamin harus L atau P."))
        target = _choice(t["target_group"], TargetGroup) if t["target_group"] else TargetGroup.FAKIR_MISKIN
        if target is None:
            rows.add(row, "target_group", _("Sasaran %(v)s tidak dikenal.") % {"v": t["target_group"]})
        welfare = _choice(t["welfare_level"], WelfareLevel) if t["welfare_level"] else WelfareLevel.MISKIN
        if welfare is None:
            rows.add(row, "welfare_level", _("Tingkat kesejahteraan %(v)s tidak dikenal.") % {"v": t["welfare_level"]})
        desil: int | None = None
        if t["dtsen_desil"]:
            desil = int(t["dtsen_desil"]) if t["dtsen_desil"].isdigit() else None
            if desil is None or not 1 <= desil <= 10:
                rows.add(row, "dtsen_desil", _("Desil %(v)s bukan angka 1 sampai 10.") % {"v": t["dtsen_desil"][:10]})
                desil = None
        position = _choice(t["position"], Position) if t["position"] else ""
        if position is None:
            rows.add(row, "position", _("Jabatan %(v)s tidak dikenal.") % {"v": t["position"]})
        if group is None or birth is None or sex is None:
            continue
        group.members.append((row, MemberData(
            nik=t["nik"], kk_number=t["kk_number"], name=t["name"], sex=sex, birth_date=birth,
            address=t["address"], phone=t["phone"], target_group=target or TargetGroup.FAKIR_MISKIN,
            welfare_level=welfare or WelfareLevel.MISKIN, dtsen_number=t["dtsen_number"],
            dtsen_desil=desil, skills=t["skills"], task=t["task"],
            joined_on=joined, position=position or "",
        ).normalized()))


_FIELD_TO_MEMBER_COLUMN = {c.key: c.key for c in MEMBER_COLUMNS}


def _check_groups(groups: dict[str, _Group], issues: list[Issue], *, actor: User) -> None:
    group_rows = _Rows(SHEET_KUBE, KUBE_COLUMNS, issues)
    member_rows = _Rows(SHEET_MEMBERS, MEMBER_COLUMNS, issues)
    # One query for every NIK of the file already active in some group.
    all_niks = [m.nik for g in groups.values() for _r, m in g.members]
    active: dict[str, Member] = {}
    for start in range(0, len(all_niks), 500):
        for member in (Member.objects.filter(nik__in=all_niks[start:start + 500], left_on__isnull=True)
                       .select_related("kube")):
            active[member.nik] = member
    known_kecamatan = set(Region.objects.filter(level=3).values_list("code", flat=True))
    reachable = set()
    if active:
        reachable = set(kubes_for_user(actor).filter(pk__in={m.kube_id for m in active.values()})
                        .values_list("pk", flat=True))
    seen_nik: dict[str, int] = {}
    for group in groups.values():
        v = group.values
        if not group.members:
            group_rows.add(group.row, "key", _("KUBE ini tidak punya anggota di lembar Anggota."))
            continue
        programme = v["programme"]
        if programme is None or v["formed_on"] is None:
            continue
        members = [m for _r, m in group.members]
        size = size_problem(programme=programme, target_group=v["target_group"], count=len(members))
        if size:
            group_rows.add(group.row, "key", size.message)
        for problem in officer_problems(members):
            group_rows.add(group.row, "key", problem.message)
        for row, m in group.members:
            on = m.joined_on or v["formed_on"]
            for problem in member_problems(m, programme=programme, on=on, known_kecamatan=known_kecamatan):
                member_rows.add(row, _FIELD_TO_MEMBER_COLUMN.get(problem.field, ""), problem.message)
            if m.nik in seen_nik:
                member_rows.add(row, "nik", _("NIK ini sudah tercantum di baris %(r)s.") % {"r": seen_nik[m.nik]})
            else:
                seen_nik[m.nik] = row
            other = active.get(m.nik)
            if other is not None:
                where = (f"{other.kube.name} ({other.kube.reg_number})" if other.kube_id in reachable
                         else _("KUBE lain di luar wilayah Anda"))
                member_rows.add(row, "nik", _("Sudah anggota aktif %(k)s.") % {"k": where})
            if m.joined_on and m.joined_on < v["formed_on"]:
                member_rows.add(row, "joined_on", _("Tanggal masuk sebelum KUBE dibentuk."))


def _check_duplicates(groups: dict[str, _Group], issues: list[Issue], *, actor: User, accept: bool) -> None:
    """Likely duplicates against the members already registered and within the file itself, in a
    query per 500 KK numbers. Checked here for every row at once, so kube_register need not ask
    again for each member (`accept_duplicate` is set once the rows have passed)."""
    member_rows = _Rows(SHEET_MEMBERS, MEMBER_COLUMNS, issues)
    entries = [(row, m) for g in groups.values() for row, m in g.members]
    if not accept:
        people = [Person(pk=i + 1, nik=m.nik, kk_number=m.kk_number, name=m.name, birth_date=m.birth_date, sex=m.sex)
                  for i, (_row, m) in enumerate(entries)]
        found = likely_duplicates_many(people)
        reachable = set(kubes_for_user(actor).filter(
            pk__in={o.kube_id for hits in found.values() for o, _k in hits}).values_list("pk", flat=True)) if found else set()
        for i, hits in sorted(found.items()):
            other, kind = hits[0]
            where = (f"{other.kube.name} ({other.kube.reg_number})" if other.kube_id in reachable
                     else _("KUBE lain di luar wilayah Anda"))
            member_rows.add(entries[i][0], "nik", _("Kemungkinan orang yang sama dengan %(name)s, anggota aktif %(k)s "
                                                   "(%(how)s). Periksa NIK; bila memang orang lain, unggah lagi dengan "
                                                   "pilihan \"Tetap impor, bukan orang yang sama\".")
                            % {"name": other.name, "k": where, "how": KIND_LABELS[kind]})
        for match in find_pairs(people):
            if match.kind != Kind.SAME_NIK:  # the same NIK twice in the file is reported already
                member_rows.add(entries[match.second - 1][0], "nik",
                                _("Kemungkinan orang yang sama dengan baris %(r)s (%(how)s).")
                                % {"r": entries[match.first - 1][0], "how": KIND_LABELS[match.kind]})
    for _row, m in entries:
        m.accept_duplicate = True


def _target_warnings(groups: dict[str, _Group]) -> list[Issue]:
    """Members whose desil, written in the file, lies outside their programme's target."""
    out = []
    column = next(c for c in MEMBER_COLUMNS if c.key == "dtsen_desil")
    for group in groups.values():
        programme = group.values["programme"]
        for row, m in group.members:
            flag = dtsen_flag(programme, DtsenStatus.FOUND, m.dtsen_desil) if m.dtsen_desil else None
            if flag:
                out.append(Issue(SHEET_MEMBERS, row, column.header, flag,
                                 _("Tersimpan; periksa apakah anggota ini memang sasaran program.")))
    return out


def template_workbook() -> bytes:
    """The empty import template, with lists for the choice columns and a sheet of help.

    Always in Indonesian: the column headers and sheet names are the file's format.
    """
    with translation.override("id"):
        return _template_workbook()


def _template_workbook() -> bytes:
    wb = Workbook()
    kube_ws = wb.sheet(SHEET_KUBE, [c.header for c in KUBE_COLUMNS], [],
                       widths=[c.width for c in KUBE_COLUMNS],
                       text_columns=[i for i, c in enumerate(KUBE_COLUMNS) if c.text])
    member_ws = wb.sheet(SHEET_MEMBERS, [c.header for c in MEMBER_COLUMNS], [],
                         widths=[c.width for c in MEMBER_COLUMNS],
                         text_columns=[i for i, c in enumerate(MEMBER_COLUMNS) if c.text])
    lists = wb.book.add_worksheet("Daftar")
    choice_lists = {
        "Sasaran": [str(label) for _c, label in TargetGroup.choices],
        "Jenis usaha": [str(label) for _c, label in BusinessType.choices],
        "Dijalankan oleh": [str(label) for _c, label in BusinessMode.choices],
        "Tingkat kesejahteraan": [str(label) for _c, label in WelfareLevel.choices],
        "Jabatan": [str(label) for _c, label in Position.choices],
        "Jenis kelamin": ["L", "P"],
        "Ya/Tidak": ["Ya", "Tidak"],
        "Ikatan pemersatu": [str(label) for _c, label in Bond.choices],
        "Kode program": list(Programme.objects.filter(is_active=True).values_list("code", flat=True)),
    }
    refs: dict[str, str] = {}
    for col, (title, values) in enumerate(choice_lists.items()):
        lists.write(0, col, title, wb.head)
        for r, value in enumerate(values, start=1):
            lists.write(r, col, value)
        letter = chr(ord("A") + col)
        refs[title] = f"=Daftar!${letter}$2:${letter}${max(len(values), 1) + 1}"
        lists.set_column(col, col, 30)

    def validate(ws: Any, columns: list[Column], key: str, ref: str) -> None:
        index = next(i for i, c in enumerate(columns) if c.key == key)
        ws.data_validation(1, index, 20000, index, {"validate": "list", "source": ref,
                                                     "error_type": "warning"})

    validate(kube_ws, KUBE_COLUMNS, "target_group", refs["Sasaran"])
    validate(kube_ws, KUBE_COLUMNS, "business_type", refs["Jenis usaha"])
    validate(kube_ws, KUBE_COLUMNS, "business_mode", refs["Dijalankan oleh"])
    validate(kube_ws, KUBE_COLUMNS, "programme", refs["Kode program"])
    validate(member_ws, MEMBER_COLUMNS, "sex", refs["Jenis kelamin"])
    validate(member_ws, MEMBER_COLUMNS, "target_group", refs["Sasaran"])
    validate(member_ws, MEMBER_COLUMNS, "welfare_level", refs["Tingkat kesejahteraan"])
    validate(member_ws, MEMBER_COLUMNS, "position", refs["Jabatan"])
    help_ws = wb.book.add_worksheet("Petunjuk")
    help_ws.set_column(0, 0, 28)
    help_ws.set_column(1, 1, 90)
    help_ws.write(0, 0, _("Petunjuk impor KUBE"), wb.bold)
    lines = [
        ("1", _("Isi satu baris per KUBE di lembar KUBE, dengan Kunci KUBE yang unik (K1, K2 …).")),
        ("2", _("Isi satu baris per anggota di lembar Anggota; Kunci KUBE menghubungkannya ke KUBE-nya.")),
        ("3", _("Setiap KUBE perlu tepat satu Ketua, satu Sekretaris dan satu Bendahara di kolom Jabatan.")),
        ("4", _("NIK, nomor KK dan nomor HP harus berformat Teks agar digit tidak berubah.")),
        ("5", _("Bila ada satu saja kesalahan, tidak ada yang disimpan; unduh lembar kesalahan, perbaiki, lalu unggah lagi.")),
    ]
    for r, (n, text) in enumerate(lines, start=2):
        help_ws.write(r, 0, n)
        help_ws.write(r, 1, text, wb.wrap)
    help_ws.write(9, 0, _("Kolom"), wb.head)
    help_ws.write(9, 1, _("Cara mengisi"), wb.head)
    for r, c in enumerate([*KUBE_COLUMNS, *MEMBER_COLUMNS], start=10):
        help_ws.write(r, 0, c.header)
        help_ws.write(r, 1, c.fix, wb.wrap)
    return wb.close()


def issues_workbook(issues: list[Issue]) -> bytes:
    wb = Workbook()
    wb.sheet(_("Kesalahan"), [_("Lembar"), _("Baris"), _("Kolom"), _("Masalah"), _("Cara memperbaiki")],
             [[i.sheet, i.row or "", i.column, i.problem, i.fix] for i in issues],
             widths=[12, 8, 26, 70, 70])
    return wb.close()

