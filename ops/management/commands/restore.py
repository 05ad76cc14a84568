"""manage.py restore DIR --yes: bring a backup back (stop the server first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from books.integrity import ledger_problems
from ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Pulihkan cadangan: basis data dan berkas unggahan diganti isinya. Hentikan server lebih dulu."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", type=Path, help="folder cadangan (sikube-YYYYMMDD-HHMMSS)")
        parser.add_argument("--yes", action="store_true", help="ya, ganti data yang sekarang")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("Pemulihan mengganti semua data yang sekarang. Ulangi dengan --yes bila yakin.")
        try:
            restored = backup_restore(options["source"])
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Dipulihkan dari {restored.path} (dibuat {restored.manifest['created_at']}).")
        problems = ledger_problems()
        if problems:
            raise CommandError("Buku besar hasil pemulihan tidak utuh: " + "; ".join(problems))
        self.stdout.write("Buku besar utuh. Jalankan `manage.py migrate` bila kode lebih baru dari cadangan.")
