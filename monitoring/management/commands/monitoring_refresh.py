from typing import Any

from django.core.management.base import BaseCommand

from monitoring.drain import drain
from monitoring.state import refresh_states


class Command(BaseCommand):
    help = ("Perbarui keadaan tiap KUBE untuk hal yang berubah karena waktu (bulan sejak pertemuan terakhir, "
            "pinjaman jatuh tempo). Jalankan setiap malam (cron). Dengan --pending: hitung saja perubahan yang "
            "masih menunggu (cron tiap menit, dan saat aplikasi mulai).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--pending", action="store_true",
                            help="Hitung perubahan yang menunggu di antrean ringkasan, lalu berhenti.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["pending"]:
            taken = drain()
            self.stdout.write(f"{taken:,} perubahan yang menunggu dihitung ke ringkasan.")
            return
        taken = drain()  # what is pending first, so the nightly states start from current rows
        count = refresh_states()
        self.stdout.write(f"Keadaan {count:,} KUBE diperbarui ({taken:,} perubahan menunggu ikut dihitung).")
