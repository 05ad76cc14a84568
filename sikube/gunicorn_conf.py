"""gunicorn's settings for every SIKUBE app server (`gunicorn -c python:sikube.gunicorn_conf …`).

The summary outbox is drained by one drainer process beside the app server, not inside its
workers: a drain recomputes a group's months and rewrites its kabupaten's rows, and in a worker it
competed with the requests for the interpreter and (on SQLite) for the write lock, which made
every posting wait (bench/RESULTS.md, 2026-12-01). So unless OUTBOX_DRAIN says otherwise the
workers only record what changed (OUTBOX_DRAIN=process) and the master starts
`manage.py monitoring_refresh --follow` when it is ready and stops it when it exits. Several app
servers each start their own drainer; any number of drainers take each pending row once
(monitoring/drain.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("OUTBOX_DRAIN", "process")  # read by the workers' settings

BASE_DIR = Path(__file__).resolve().parent.parent
_drainer: subprocess.Popen[bytes] | None = None


def when_ready(server: Any) -> None:
    """The master is listening: start the drainer (it stops by itself if the master dies)."""
    global _drainer
    if os.environ["OUTBOX_DRAIN"] != "process":
        return
    _drainer = subprocess.Popen([sys.executable, "manage.py", "monitoring_refresh", "--follow", "-v0",  # noqa: S603 - our arguments
                                 "--parent", str(os.getpid())], cwd=BASE_DIR)
    server.log.info("summary drainer started (pid %s)", _drainer.pid)


def post_worker_init(worker: Any) -> None:
    """The worker has loaded the app: freeze it out of the garbage collector's walks."""
    from lib.workers import freeze_loaded_app

    worker.log.info("app loaded, %s objects frozen", freeze_loaded_app())


def on_exit(server: Any) -> None:
    if _drainer is None or _drainer.poll() is not None:
        return
    _drainer.terminate()
    try:
        _drainer.wait(timeout=30)
    except subprocess.TimeoutExpired:
        _drainer.kill()
