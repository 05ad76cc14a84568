from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from monitoring.drain import drain
from monitoring.state import refresh_states
from outbox import drainer


class Command(BaseCommand):
    help = ("Perbarui keadaan tiap KUBE untuk hal yang berubah karena waktu (bulan sejak pertemuan terakhir, "
            "pinjaman jatuh tempo). Jalankan setiap malam (cron). Dengan --pending: hitung saja perubahan yang "
            "masih menunggu (cron tiap menit, dan saat aplikasi mulai). Dengan --follow: terus menghitung "
            "perubahan begitu datang, sampai dihentikan (gunicorn menjalankannya di samping server aplikasi).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--pending", action="store_true",
                            help="Hitung perubahan yang menunggu di antrean ringkasan, lalu berhenti.")
        parser.add_argument("--follow", action="store_true",
                            help="Hitung perubahan yang menunggu, lalu terus menunggu perubahan baru "
                                 "(setiap OUTBOX_POLL_MS milidetik) sampai dihentikan.")
        parser.add_argument("--parent", type=int, default=None,
                            help="Dengan --follow: berhenti bila proses ini (server aplikasi) tidak ada lagi.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["follow"]:
            drainer.follow(poll=settings.OUTBOX_POLL, parent=options["parent"])
            return
        if options["pending"]:
            taken = drain()
            self.stdout.write(f"{taken:,} perubahan yang menunggu dihitung ke ringkasan.")
            return
        taken = drain()  # what is pending first, so the nightly states start from current rows
        count = refresh_states()
        self.stdout.write(f"Keadaan {count:,} KUBE diperbarui ({taken:,} perubahan menunggu ikut dihitung).")
