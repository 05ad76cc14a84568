"""The national (or one region's) pass for likely duplicate people, for cron or after a big import:
`manage.py dtsen_duplicates [--region 32.04]`. New pairs are listed for the offices to resolve."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dtsen.services import duplicates_scan
from lib.regioncode import normalize


class Command(BaseCommand):
    help = "Cari kemungkinan data ganda (orang yang sama terdaftar dua kali) di antara anggota aktif."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="Kode wilayah; kosong: seluruh Indonesia")

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        region = normalize(options["region"]) if options["region"] else ""
        result = duplicates_scan(actor=None, region_code=region)
        self.stdout.write(f"{result.members} anggota aktif diperiksa, {result.pairs} pasangan, {result.new} baru "
                          f"({time.perf_counter() - start:.1f} s)")
