"""manage.py ledger_check: the ledger's invariants over every stored line (exit 1 when broken)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from books.integrity import ledger_problems


class Command(BaseCommand):
    help = "Periksa keutuhan buku besar: setiap transaksi seimbang, lengkap dan tidak setengah tercatat."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = ledger_problems()
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError("Buku besar tidak utuh.")
        self.stdout.write("Buku besar utuh: setiap transaksi seimbang dan lengkap.")
