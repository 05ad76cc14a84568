"""Shared by the benchmarks: a Django set up on the benchmark database, timing helpers."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
OUT_DIR = BENCH_DIR / "out"


def setup_django(db_name: str = "national.sqlite3") -> None:
    DATA_DIR.mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATA_DIR / db_name}")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("AXES_ENABLED", "0")
    os.environ.setdefault("SIKUBE_VAR_DIR", str(DATA_DIR / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikube.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1048576:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} × {cpu}{mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed(fn: Callable[[], object], *, runs: int, warmup: int = 3) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {"n": runs, "p50": statistics.median(samples), "p95": percentile(samples, 0.95),
            "max": max(samples)}


def git_rev() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=BENCH_DIR, check=False).stdout.strip()
    except OSError:
        return "?"


def report(title: str, rows: list[tuple[str, str, str]]) -> str:
    """A markdown block: what, measured, target."""
    # In UTC: Django sets the process's zone to the project's (Asia/Jakarta), so local time read 7 h ahead.
    lines = [f"### {title}", "", f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {git_rev()}, {machine()}, "
             f"SQLite {sqlite_version()}", "", "| what | measured | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    text = "\n".join(lines) + "\n"
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / f"{title.lower().replace(' ', '-')}.md").write_text(text)
    return text


@contextmanager
def gunicorn_server(workers: int = 2, threads: int = 2) -> Iterator[int]:
    """gunicorn serving the benchmark database on a free loopback port; yields the port."""
    import signal
    import socket
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "STATIC_MANIFEST": "0", "AXES_ENABLED": "0",
           "LOG_LEVEL": "WARNING", "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "sikube.wsgi:application",
                               "--config", "python:sikube.gunicorn_conf", "--bind",
                               f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
                               "--log-level", "warning"], cwd=BENCH_DIR.parent, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
