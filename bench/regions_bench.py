"""Loading the complete Kemendagri hierarchy: into an empty table, then again (idempotent).

Target (issue "Foundation"): seconds, not minutes. Uses its own scratch database.
Run: .venv/bin/python -m bench.regions_bench
"""

from __future__ import annotations

import time

from bench.common import DATA_DIR, report, setup_django


def main() -> None:
    scratch = DATA_DIR / "regions-scratch.sqlite3"
    for path in DATA_DIR.glob("regions-scratch.sqlite3*"):
        path.unlink()
    import os

    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    setup_django()
    from django.core.management import call_command

    from regions.services import regions_sync

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    first = regions_sync()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    again = regions_sync()
    warm = time.perf_counter() - started
    print(report("Region load", [
        (f"load {first.total:,} regions into an empty table", f"{cold:.1f} s", "seconds, not minutes"),
        (f"load again ({again.created} new, {again.updated} changed)", f"{warm:.1f} s", "idempotent"),
    ]))
    for path in DATA_DIR.glob("regions-scratch.sqlite3*"):
        path.unlink()


if __name__ == "__main__":
    main()
