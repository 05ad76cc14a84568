"""`manage.py messages_send`: send the members' messages that wait (cron every minute, or --follow)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from messaging import worker
from messaging.backends import ConfigError, configured


class Command(BaseCommand):
    help = ("Kirim pesan kepada anggota yang menunggu (SMS atau WhatsApp, lewat gateway yang diatur "
            "MESSAGING_BACKEND), dengan percobaan ulang. Dengan --follow: terus mengirim sampai dihentikan.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--follow", action="store_true",
                            help="Terus mengirim pesan begitu datang (setiap MESSAGING_POLL_MS milidetik).")
        parser.add_argument("--check", action="store_true",
                            help="Periksa pengaturan gateway saja, lalu berhenti.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backend = configured()
        except ConfigError as exc:
            raise CommandError(str(exc)) from None
        if options["check"]:
            self.stdout.write(f"Gateway {backend.name} siap.")
            return
        if options["follow"]:
            worker.follow(backend, poll=settings.MESSAGING_POLL)
            return
        counts = worker.run_all(backend)
        self.stdout.write(f"{counts.sent:,} pesan terkirim, {counts.retried:,} dicoba lagi nanti, "
                          f"{counts.failed:,} gagal, {counts.cancelled:,} dibatalkan, "
                          f"{counts.uncertain:,} tidak pasti ({backend.name}).")
