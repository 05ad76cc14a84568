"""Registry test data: an Excel import workbook of any size, its upload, and an API group body."""

from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lib.nik import nik_date_part
from registry.importer import KUBE_COLUMNS, MEMBER_COLUMNS
from testing import DESA_A2

IMPORT_BIRTH = date(1975, 3, 9)


def build(groups: int, per_group: int = 10, *, tweak=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "KUBE"
    ws.append([c.header for c in KUBE_COLUMNS])
    members = wb.create_sheet("Anggota")
    members.append([c.header for c in MEMBER_COLUMNS])
    serial = 0
    for g in range(groups):
        key = f"K{g + 1}"
        ws.append([key, f"KUBE Impor {g + 1:03d}", "3204061002", "Kp. Babakan", "001", "002",
                   date(2025, 1, 15), "kube-fm", "Fakir miskin", "Warung sembako", "Warung",
                   "Usaha kelompok", "Kedekatan tempat tinggal", "", None])
        for i in range(per_group):
            serial += 1
            sex = "P" if i % 2 else "L"
            nik = f"320406{nik_date_part(IMPORT_BIRTH, sex)}{serial:04d}"
            row = [key, nik, f"32040612{serial:08d}", f"Warga Impor {serial}", sex, IMPORT_BIRTH, "Kp. Babakan",
                   "081234567890", "Fakir miskin", "Miskin", "", "", "berdagang",
                   "" if i < 3 else "Penjualan", ["Ketua", "Sekretaris", "Bendahara"][i] if i < 3 else "", None]
            if tweak:
                row = tweak(serial, row)
            members.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "impor.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


API_BIRTH = date(1982, 2, 3)


def member(i, position=""):
    return {"nik": f"320406{nik_date_part(API_BIRTH, 'P')}{900 + i:04d}", "kk_number": f"320406000000{1000 + i}",
            "name": f"Anggota API {i}", "sex": "P", "birth_date": API_BIRTH.isoformat(), "position": position}


def group_body(n=6):
    return {"name": "KUBE Silih Asih", "desa": DESA_A2, "formed_on": "2025-04-01", "programme": "kube-fm",
            "business_type": "kerajinan", "bonds": ["motivasi"],
            "members": [member(i, ["ketua", "sekretaris", "bendahara"][i] if i < 3 else "") for i in range(n)]}
