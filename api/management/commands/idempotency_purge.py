from typing import Any

from django.core.management.base import BaseCommand

from api.idempotency import purge_expired


class Command(BaseCommand):
    help = ("Hapus jawaban API yang disimpan untuk Idempotency-Key setelah IDEMPOTENCY_KEEP_HOURS, milik "
            "token mana pun (jawaban itu dapat memuat data pribadi). Jalankan setiap malam (cron).")

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired()
        self.stdout.write(f"{deleted:,} jawaban lama dihapus.")
