"""A real installation for the tests that need one: its own database (a SQLite file, or a new
database on the test run's PostgreSQL server), `manage.py` in subprocesses, and gunicorn on a free
loopback port that a test may kill with SIGKILL and start again."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection


class Live:
    def __init__(self, tmp: Path) -> None:
        self.var = tmp / "var"
        self.env = {**os.environ, "SIKUBE_VAR_DIR": str(self.var), "DEBUG": "0", "HTTPS": "0", "STATIC_MANIFEST": "0",
                    "AXES_ENABLED": "0", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"}
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.vendor = connection.vendor
        self.pg_name = ""
        if self.vendor == "postgresql":
            self.pg_name = f"sikube_live_{uuid.uuid4().hex[:10]}"
            self._pg_admin(f'CREATE DATABASE "{self.pg_name}"')
            db = settings.DATABASES["default"]
            self.env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{self.pg_name}"
        else:
            self.env.pop("DATABASE_URL", None)
        self.server: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.seed: dict[str, Any] = {}  # what the test's seed script printed

    def _pg_admin(self, sql: str) -> None:
        import psycopg

        db = settings.DATABASES["default"]
        with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres",
                             autocommit=True) as admin:
            admin.execute(sql)

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=self.env,
                                capture_output=True, text=True, timeout=300)
        if check and result.returncode:
            raise AssertionError(f"manage.py {' '.join(args)}: {result.stderr[-3000:]}")
        return result

    def python(self, module: str, *args: str) -> str:
        result = subprocess.run([sys.executable, "-m", module, *args], cwd=settings.BASE_DIR, env=self.env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def start(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sikube.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--threads", "4", "--timeout", "120", "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=self.env, start_new_session=True)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not start")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no shutdown, no rollback, no flush."""
        assert self.server is not None
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=30)
        self.server = None

    def stop(self) -> None:
        if self.server is not None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=30)
            self.server = None

    def close(self) -> None:
        self.stop()
        if self.pg_name:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    def request(self, method: str, path: str, *, token: str, body: Any = None, data: bytes | None = None,
                content_type: str = "application/json", headers: dict[str, str] | None = None,
                timeout: float = 60) -> tuple[int, Any]:
        payload = data if data is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=payload, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type,
                                              **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - http://127.0.0.1
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")


def multipart(field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
