"""manage.py start_up: what `make run` does before it serves, in one process.

Each step is the `manage.py` command the README names, run with `call_command` as it would run on
its own. One process instead of eight starts Django once: each start imports every app (about
1.5 s a step on a small machine; bench/RESULTS.md, `make run` on a fresh clone).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

STEPS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    # migrate runs the system checks once for all the steps.
    ("migrate", "migrate", {"interactive": False, "verbosity": 0, "skip_checks": False}),
    ("regions_load", "regions_load", {}),
    ("demo_load", "demo_load", {}),  # only into an empty database
    # Changes committed but not drained before the last stop, then what time alone changed since.
    ("monitoring_refresh --pending", "monitoring_refresh", {"pending": True, "verbosity": 0}),
    ("monitoring_refresh", "monitoring_refresh", {"verbosity": 0}),
    ("idempotency_purge", "idempotency_purge", {"verbosity": 0}),  # stored answers past their time
    ("collectstatic", "collectstatic", {"interactive": False, "verbosity": 0}),
    ("demo_accounts", "demo_accounts", {}),
)


class Command(BaseCommand):
    help = "Siapkan server untuk `make run`: migrasi, wilayah, data demo, ringkasan, berkas statis."
    requires_system_checks: list[str] = []  # migrate, the first step, runs them

    def handle(self, *args: Any, **options: Any) -> None:
        for label, name, kwargs in STEPS:
            started, cpu = time.monotonic(), time.process_time()
            call_command(name, stdout=self.stdout, stderr=self.stderr, **kwargs)
            self.stdout.write(f"    ({label}: {time.monotonic() - started:.1f} s, "
                              f"CPU {time.process_time() - cpu:.1f} s)")
