"""manage.py backup [--dir D]: a consistent copy of the database and the media, taken while the server runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Buat cadangan basis data dan berkas unggahan (boleh saat server berjalan)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="folder cadangan (bawaan: var/backups)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = backup_create(options["dir"])
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        size = sum(f["bytes"] for f in made.manifest["files"].values())
        self.stdout.write(f"Cadangan dibuat: {made.path} ({size / 1e6:.1f} MB)")
