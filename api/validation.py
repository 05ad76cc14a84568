"""The schema layer's refusals in Indonesian: pydantic's errors, translated by error type, with
the field named in words ("Jumlah harus lebih dari nol.").

pydantic's own messages are English ("Input should be greater than or equal to 1"); a client
shows our message to a treasurer, so none of them reaches an answer. The type codes are
pydantic's stable `type` values (https://docs.pydantic.dev/latest/errors/validation_errors/).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The Indonesian words for the fields of the API's request bodies and query strings. A field not
# listed is named by its key in quotes, which is still a sentence a person can act on.
LABELS: dict[str, Any] = {
    "account": gettext_lazy("Akun"), "account_name": gettext_lazy("Atas nama rekening"),
    "account_number": gettext_lazy("Nomor rekening"), "acquired_on": gettext_lazy("Tanggal perolehan"),
    "action": gettext_lazy("Tindakan"), "activity": gettext_lazy("Kegiatan"), "address": gettext_lazy("Alamat"),
    "agenda": gettext_lazy("Acara"), "agenda_activity": gettext_lazy("Kegiatan buku agenda"),
    "aim": gettext_lazy("Tujuan"), "amount": gettext_lazy("Jumlah"), "assignments": gettext_lazy("Penugasan"),
    "audits": gettext_lazy("Pemeriksaan buku"), "attention_only": gettext_lazy("Hanya yang perlu perhatian"),
    "bank_name": gettext_lazy("Bank"), "birth_date": gettext_lazy("Tanggal lahir"),
    "bond_note": gettext_lazy("Keterangan ikatan"), "bonds": gettext_lazy("Ikatan pemersatu"),
    "book": gettext_lazy("Buku"), "budget": gettext_lazy("Anggaran"), "budget_source": gettext_lazy("Sumber dana"),
    "business_description": gettext_lazy("Uraian usaha"), "business_mode": gettext_lazy("Usaha dijalankan oleh"),
    "business_type": gettext_lazy("Jenis usaha"), "checked": gettext_lazy("Diperiksa"),
    "close_follow_ups": gettext_lazy("Tindak lanjut yang ditutup"), "closing_note": gettext_lazy("Catatan penutupan"),
    "code": gettext_lazy("Kode"), "committee": gettext_lazy("Panitia"), "condition": gettext_lazy("Kondisi"),
    "credit": gettext_lazy("Kredit"), "criterion": gettext_lazy("Kriteria"),
    "current_password": gettext_lazy("Kata sandi sekarang"), "date": gettext_lazy("Tanggal"),
    "date_from": gettext_lazy("Tanggal awal"), "date_to": gettext_lazy("Tanggal akhir"),
    "debit": gettext_lazy("Debit"), "decree_number": gettext_lazy("Nomor SK"), "description": gettext_lazy("Uraian"),
    "desa": gettext_lazy("Desa/kelurahan"), "disposal_reason": gettext_lazy("Alasan penghapusan"),
    "disposed": gettext_lazy("Dihapus dari inventaris"), "domain": gettext_lazy("Ranah"),
    "dtsen_number": gettext_lazy("Nomor DTSEN/DTKS"), "dtsen_desil": gettext_lazy("Desil DTSEN"),
    "accept_duplicate": gettext_lazy("Bukan orang yang sama"), "target_desil_max": gettext_lazy("Desil sasaran"),
    "due_on": gettext_lazy("Tanggal batas"), "effective_on": gettext_lazy("Tanggal berlaku"),
    "end_on": gettext_lazy("Tanggal selesai"), "end_reason": gettext_lazy("Alasan berakhir"),
    "end_time": gettext_lazy("Jam selesai"), "event": gettext_lazy("Asistensi"), "evidence": gettext_lazy("Bukti"),
    "facilitator_name": gettext_lazy("Nama fasilitator"), "fee": gettext_lazy("Jasa"),
    "fee_percent_month": gettext_lazy("Jasa per bulan (%)"), "findings": gettext_lazy("Temuan"),
    "follow_ups": gettext_lazy("Tindak lanjut"), "format": gettext_lazy("Format"),
    "formed_on": gettext_lazy("Tanggal dibentuk"), "full_name": gettext_lazy("Nama lengkap"),
    "fund": gettext_lazy("Dana IKS"), "funds": gettext_lazy("Dana IKS"), "grant": gettext_lazy("Bantuan"),
    "grant_per_member": gettext_lazy("Bantuan per anggota"), "groups": gettext_lazy("KUBE"),
    "iks_fund": gettext_lazy("Dana IKS"), "in_order": gettext_lazy("Tertib"),
    "include_left": gettext_lazy("Termasuk yang keluar"), "include_past": gettext_lazy("Termasuk yang lalu"),
    "indicator": gettext_lazy("Indikator"), "indicators": gettext_lazy("Indikator"),
    "inhibiting": gettext_lazy("Faktor penghambat"), "institution": gettext_lazy("Instansi"),
    "instrument": gettext_lazy("Instrumen"), "is_active": gettext_lazy("Aktif"), "is_asset": gettext_lazy("Aset"),
    "item": gettext_lazy("Barang"), "items": gettext_lazy("Butir"), "items_text": gettext_lazy("Butir"),
    "joined_on": gettext_lazy("Tanggal masuk"), "kind": gettext_lazy("Jenis"), "kk_number": gettext_lazy("Nomor KK"),
    "kube": gettext_lazy("KUBE"), "kubes": gettext_lazy("KUBE"), "left_on": gettext_lazy("Tanggal keluar"),
    "left_reason": gettext_lazy("Alasan keluar"), "legal_basis": gettext_lazy("Dasar hukum"),
    "lines": gettext_lazy("Baris"), "loan": gettext_lazy("Pinjaman"),
    "loan_fee_percent_month": gettext_lazy("Jasa pinjaman per bulan (%)"), "location": gettext_lazy("Lokasi"),
    "max_age": gettext_lazy("Umur paling tinggi"), "max_members": gettext_lazy("Anggota paling banyak"),
    "member": gettext_lazy("Anggota"), "members": gettext_lazy("Anggota"), "met": gettext_lazy("Terpenuhi"),
    "method": gettext_lazy("Metode"), "min_age": gettext_lazy("Umur paling rendah"),
    "min_members": gettext_lazy("Anggota paling sedikit"), "minutes": gettext_lazy("Notulen"),
    "mode": gettext_lazy("Cara menilai"), "moderator": gettext_lazy("Moderator"), "name": gettext_lazy("Nama"),
    "nik": gettext_lazy("NIK"), "note": gettext_lazy("Keterangan"), "number": gettext_lazy("Nomor"),
    "open_only": gettext_lazy("Hanya yang terbuka"), "order": gettext_lazy("Urutan"), "page": gettext_lazy("Halaman"),
    "page_size": gettext_lazy("Ukuran halaman"), "parent": gettext_lazy("Wilayah induk"),
    "participants": gettext_lazy("Peserta"), "password": gettext_lazy("Kata sandi"),
    "pendamping": gettext_lazy("Pendamping"), "people": gettext_lazy("Jumlah peserta"),
    "month": gettext_lazy("Bulan"), "percent_done": gettext_lazy("Persen terlaksana"),
    "period": gettext_lazy("Periode"),
    "person": gettext_lazy("Penanggung jawab"), "phone": gettext_lazy("Nomor HP"), "place": gettext_lazy("Tempat"),
    "plan_line": gettext_lazy("Baris RAB"), "position": gettext_lazy("Jabatan"),
    "present": gettext_lazy("Yang hadir"), "priorities": gettext_lazy("Prioritas"),
    "problems": gettext_lazy("Masalah"), "problems_raised": gettext_lazy("Masalah yang diajukan"),
    "programme": gettext_lazy("Program"), "purpose": gettext_lazy("Keperluan"), "q": gettext_lazy("Kata pencarian"),
    "quantity": gettext_lazy("Banyaknya"), "realisation": gettext_lazy("Realisasi"), "reason": gettext_lazy("Alasan"),
    "receipt_no": gettext_lazy("Nomor bukti"), "received_on": gettext_lazy("Tanggal diterima"),
    "recipient_kind": gettext_lazy("Penerima perguliran"), "recipient_kube": gettext_lazy("KUBE penerima"),
    "recipients": gettext_lazy("Penerima"), "reflection": gettext_lazy("Refleksi"), "region": gettext_lazy("Wilayah"),
    "remarks": gettext_lazy("Keterangan"),
    "results": gettext_lazy("Hasil"), "role": gettext_lazy("Peran"), "rt": gettext_lazy("RT"),
    "rw": gettext_lazy("RW"), "scale_labels": gettext_lazy("Arti tiap nilai"),
    "scale_max": gettext_lazy("Nilai tertinggi"), "scale_min": gettext_lazy("Nilai terendah"),
    "score": gettext_lazy("Nilai"), "scores": gettext_lazy("Nilai"), "sex": gettext_lazy("Jenis kelamin"),
    "share_percent": gettext_lazy("Bagian (%)"), "size": gettext_lazy("Ukuran"),
    "size_exempt_targets": gettext_lazy("Sasaran tanpa batas jumlah"), "skills": gettext_lazy("Keterampilan"),
    "solutions": gettext_lazy("Pemecahan"), "source": gettext_lazy("Sumber"), "speakers": gettext_lazy("Narasumber"),
    "stage": gettext_lazy("Tahap"), "standard": gettext_lazy("Standar"), "start_on": gettext_lazy("Tanggal mulai"),
    "start_time": gettext_lazy("Jam mulai"), "status": gettext_lazy("Status"),
    "status_note": gettext_lazy("Catatan status"), "status_reason": gettext_lazy("Alasan status"),
    "supporting": gettext_lazy("Faktor pendukung"), "target": gettext_lazy("Target"),
    "target_group": gettext_lazy("Sasaran"), "targets": gettext_lazy("Target"), "task": gettext_lazy("Tugas"),
    "term_end": gettext_lazy("Akhir masa jabatan"), "term_months": gettext_lazy("Jangka waktu (bulan)"),
    "term_start": gettext_lazy("Awal masa jabatan"), "text": gettext_lazy("Teks"), "title": gettext_lazy("Judul"),
    "topic": gettext_lazy("Topik"), "treasurer_report_reviewed": gettext_lazy("Laporan bendahara diperiksa"),
    "type": gettext_lazy("Golongan"), "unit": gettext_lazy("Satuan"), "unit_cost": gettext_lazy("Harga satuan"),
    "until": gettext_lazy("Sampai tanggal"), "user": gettext_lazy("Pengguna"),
    "username": gettext_lazy("Nama pengguna"), "value": gettext_lazy("Nilai"), "values": gettext_lazy("Nilai"),
    "via": gettext_lazy("Dari/ke"), "visit": gettext_lazy("Kunjungan"),
    "welfare_level": gettext_lazy("Tingkat kesejahteraan"), "when": gettext_lazy("Waktu"),
    "work_plan_item": gettext_lazy("Butir rencana kerja"), "new_password": gettext_lazy("Kata sandi baru"),
    "token": gettext_lazy("Token"), "earlier_id": gettext_lazy("Penilaian sebelumnya"),
}
_WRAPPERS = {"body", "query", "path", "payload", "form", "file", "header", "cookie", "function-after",
             "function-plain", "function-before", "function-wrap", "json-or-python", "nullable", "union", "tagged-union"}


def field_key(loc: list[Any] | tuple[Any, ...]) -> str:
    """The dotted path of the field, as `details` carries it ("lines.2.debit")."""
    return ".".join(str(p) for p in loc if str(p) not in _WRAPPERS and not _is_type_tag(p))


def _is_type_tag(part: Any) -> bool:
    # pydantic names a union's branches in the location ("int", "str", "constrained-str" …).
    # A plain name ("date") is a field, never a tag: tags of our schemas carry brackets or a prefix.
    return isinstance(part, str) and (part.startswith(("constrained-", "lax-", "strict-")) or "[" in part)


def field_label(loc: list[Any] | tuple[Any, ...]) -> str:
    """"Jumlah", or "Debit (baris 3)" for the third line of a list."""
    parts = [p for p in loc if str(p) not in _WRAPPERS and not _is_type_tag(p)]
    names = [p for p in parts if isinstance(p, str)]
    rows = [p for p in parts if isinstance(p, int)]
    if not names:
        return _("Isi permintaan")
    name = names[-1]
    label = str(LABELS.get(name) or f"«{name}»")
    if rows:
        return _("%(field)s (baris %(n)s)") % {"field": label, "n": rows[-1] + 1}
    return label


def message(error: dict[str, Any]) -> str:
    """One pydantic error as an Indonesian sentence that names the field and says what to send."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    field = field_label(list(error.get("loc", [])))
    values = {"field": field, **{k: _plain(v) for k, v in ctx.items()}}
    if kind == "rupiah":
        # The parser's own sentence, the one the page shows; named when the field is not "Jumlah".
        said = str(ctx.get("message", ""))
        return said if field == str(LABELS["amount"]) else f"{field}: {said}"
    template = _template(kind, ctx)
    try:
        return template % values
    except (KeyError, TypeError, ValueError):
        return _("%(field)s tidak valid.") % {"field": field}


def _plain(value: Any) -> Any:
    return str(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else value


def _template(kind: str, ctx: dict[str, Any]) -> str:
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        if (kind == "greater_than_equal" and bound == 1) or (kind == "greater_than" and bound == 0):
            return _("%(field)s harus lebih dari nol.")
        if kind == "greater_than_equal" and bound == 0:
            return _("%(field)s tidak boleh negatif.")
        return _("%(field)s paling sedikit %(ge)s.") if kind == "greater_than_equal" else _("%(field)s harus lebih dari %(gt)s.")
    templates = {
        "missing": _("%(field)s wajib diisi."),
        "string_type": _("%(field)s harus berupa teks."),
        "string_too_short": _("%(field)s paling sedikit %(min_length)s karakter."),
        "string_too_long": _("%(field)s paling banyak %(max_length)s karakter."),
        "string_pattern_mismatch": _("%(field)s tidak sesuai bentuk yang diminta (%(pattern)s)."),
        "string_unicode": _("%(field)s harus berupa teks."),
        "int_type": _("%(field)s harus berupa bilangan bulat."),
        "int_parsing": _("%(field)s harus berupa bilangan bulat."),
        "int_from_float": _("%(field)s harus berupa bilangan bulat, tanpa desimal."),
        "int_parsing_size": _("%(field)s terlalu besar."),
        "float_type": _("%(field)s harus berupa angka."),
        "float_parsing": _("%(field)s harus berupa angka."),
        "finite_number": _("%(field)s harus berupa angka."),
        "decimal_type": _("%(field)s harus berupa angka."),
        "decimal_parsing": _("%(field)s harus berupa angka."),
        "decimal_max_places": _("%(field)s paling banyak %(decimal_places)s angka di belakang koma."),
        "decimal_max_digits": _("%(field)s paling banyak %(max_digits)s angka."),
        "decimal_whole_digits": _("%(field)s paling banyak %(whole_digits)s angka di depan koma."),
        "less_than_equal": _("%(field)s paling banyak %(le)s."),
        "less_than": _("%(field)s harus kurang dari %(lt)s."),
        "bool_type": _("%(field)s harus true atau false."),
        "bool_parsing": _("%(field)s harus true atau false."),
        "date_type": _("%(field)s harus tanggal berbentuk TTTT-BB-HH, misalnya 2026-11-20."),
        "date_parsing": _("%(field)s harus tanggal berbentuk TTTT-BB-HH, misalnya 2026-11-20."),
        "date_from_datetime_parsing": _("%(field)s bukan tanggal yang ada; tulis TTTT-BB-HH, misalnya 2026-11-20."),
        "date_from_datetime_inexact": _("%(field)s harus tanggal saja, tanpa jam."),
        "month_type": _("%(field)s ditulis TTTT-BB, misalnya 2026-03."),
        "period_type": _("%(field)s ditulis 2026-03 (bulan), 2026-Q1 (triwulan) atau 2026 (tahun)."),
        "time_type": _("%(field)s harus jam berbentuk JJ:MM, misalnya 09:30."),
        "time_parsing": _("%(field)s harus jam berbentuk JJ:MM, misalnya 09:30."),
        "datetime_type": _("%(field)s harus tanggal dan jam ISO 8601 dengan zona, misalnya 2026-11-20T09:30:00+07:00."),
        "datetime_parsing": _("%(field)s harus tanggal dan jam ISO 8601 dengan zona, misalnya 2026-11-20T09:30:00+07:00."),
        "datetime_from_date_parsing": _("%(field)s harus tanggal dan jam ISO 8601 dengan zona, misalnya 2026-11-20T09:30:00+07:00."),
        "list_type": _("%(field)s harus berupa daftar."),
        "set_type": _("%(field)s harus berupa daftar."),
        "tuple_type": _("%(field)s harus berupa daftar."),
        "too_short": _("%(field)s paling sedikit %(min_length)s butir."),
        "too_long": _("%(field)s paling banyak %(max_length)s butir."),
        "dict_type": _("%(field)s harus berupa objek JSON."),
        "model_type": _("%(field)s harus berupa objek JSON."),
        "model_attributes_type": _("%(field)s harus berupa objek JSON."),
        "dataclass_type": _("%(field)s harus berupa objek JSON."),
        "json_invalid": _("Isi permintaan bukan JSON yang sah."),
        "json_type": _("Isi permintaan bukan JSON yang sah."),
        "extra_forbidden": _("%(field)s tidak dikenal; hapus isian ini."),
        "enum": _("%(field)s harus salah satu dari: %(expected)s."),
        "literal_error": _("%(field)s harus salah satu dari: %(expected)s."),
        "percent_type": _("%(field)s harus persen 0 sampai %(max)s dengan paling banyak dua angka di "
                          "belakang koma, misalnya 12.5."),
        "nik_type": _("%(field)s harus NIK lengkap 16 angka."),
        "username_type": _("%(field)s hanya boleh berisi huruf, angka, titik, garis bawah dan tanda hubung."),
        "slug_type": _("%(field)s hanya boleh berisi huruf, angka, tanda hubung dan garis bawah."),
        "account_code_type": _("%(field)s harus 3 sampai 10 angka, misalnya 5105."),
        "rupiah_type": _("%(field)s harus bilangan bulat Rupiah, misalnya 1250000 atau \"1.250.000\"."),
        "uuid_type": _("%(field)s harus UUID."),
        "uuid_parsing": _("%(field)s harus UUID."),
        "url_type": _("%(field)s harus alamat URL."),
        "url_parsing": _("%(field)s harus alamat URL."),
        "bytes_type": _("%(field)s harus berupa berkas."),
        "union_tag_invalid": _("%(field)s tidak valid."),
        "value_error": _("%(field)s tidak valid."),
        "assertion_error": _("%(field)s tidak valid."),
    }
    return templates.get(kind, _("%(field)s tidak valid."))
