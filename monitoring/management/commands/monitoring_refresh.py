from typing import Any

from django.core.management.base import BaseCommand

from monitoring.state import refresh_states


class Command(BaseCommand):
    help = ("Perbarui keadaan tiap KUBE untuk hal yang berubah karena waktu (bulan sejak pertemuan terakhir, "
            "pinjaman jatuh tempo). Jalankan setiap malam (cron).")

    def handle(self, *args: Any, **options: Any) -> None:
        count = refresh_states()
        self.stdout.write(f"Keadaan {count:,} KUBE diperbarui.")
