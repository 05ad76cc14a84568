from typing import Any

from django.core.management.base import BaseCommand, CommandError

from monitoring.models import GroupState
from monitoring.rebuild import rebuild
from monitoring.state import differences


class Command(BaseCommand):
    help = ("Bangun ulang ringkasan pemantauan (per KUBE per bulan, dan keadaan tiap KUBE) dari catatan asli; "
            "--check hanya membandingkan ringkasan tersimpan dengan hasil hitung ulang.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="Bandingkan saja; keluar dengan galat bila berbeda.")
        parser.add_argument("--if-empty", action="store_true", help="Bangun hanya bila ringkasan masih kosong.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            problems = differences()
            for line in problems[:50]:
                self.stdout.write(line)
            if problems:
                raise CommandError(f"Ringkasan berbeda dari catatan asli di {len(problems)} tempat.")
            self.stdout.write("Ringkasan sama dengan hasil hitung ulang dari catatan asli.")
            return
        if options["if_empty"] and GroupState.objects.exists():
            return

        timings: dict[str, float] = {}
        count = rebuild(timings=timings)
        self.stdout.write(f"Ringkasan pemantauan dibangun ulang untuk {count:,} KUBE "
                          f"(bulan {timings['months']:.1f} s, keadaan {timings['states']:.1f} s, "
                          f"kabupaten {timings['kabupaten']:.1f} s).")
