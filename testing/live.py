"""A real installation for the tests that need one: its own database (a SQLite file, or a new
database on the test run's PostgreSQL server, optionally read through its streaming replica),
`manage.py` in subprocesses, and one or more gunicorn app servers on free loopback ports, which a
test may kill with SIGKILL and start again. Requests alternate between the servers."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection


class Live:
    def __init__(self, tmp: Path, *, replica_url: str = "") -> None:
        self.var = tmp / "var"
        self.env = {**os.environ, "SIKUBE_VAR_DIR": str(self.var), "DEBUG": "0", "HTTPS": "0", "STATIC_MANIFEST": "0",
                    "AXES_ENABLED": "0", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"}
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.env.pop("DATABASE_REPLICA_URL", None)
        self.vendor = connection.vendor
        self.pg_name = ""
        if self.vendor == "postgresql":
            self.pg_name = f"sikube_live_{uuid.uuid4().hex[:10]}"
            self._pg_admin(f'CREATE DATABASE "{self.pg_name}"')
            db = settings.DATABASES["default"]
            self.env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{self.pg_name}"
            if replica_url:  # the same database on the streaming replica (scripts/with_replica.sh)
                self.env["DATABASE_REPLICA_URL"] = replica_url.rsplit("/", 1)[0] + "/" + self.pg_name
        else:
            self.env.pop("DATABASE_URL", None)
        self.servers: list[subprocess.Popen[bytes]] = []
        self.ports: list[int] = []
        self._turn = itertools.count()
        self._turn_lock = threading.Lock()
        self.answered: Counter[int] = Counter()  # answers (below 500) per server port
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

    @property
    def port(self) -> int:
        return self.ports[0]

    def start(self, servers: int = 1) -> None:
        """Start `servers` app servers (each gunicorn, 2 workers × 4 threads) on the same database."""
        for _ in range(servers):
            self._start_one()

    def _start_one(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sikube.wsgi:application", "--config", "python:sikube.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "4", "--timeout", "120", "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=self.env, start_new_session=True)
        self.servers.append(server)
        self.ports.append(port)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not start")

    def kill(self) -> None:
        """SIGKILL to every server's master and workers at once: no shutdown, no rollback, no flush."""
        assert self.servers
        for server in self.servers:
            os.killpg(server.pid, signal.SIGKILL)
        self._forget(timeout=30)

    def stop(self) -> None:
        for server in self.servers:
            with contextlib.suppress(ProcessLookupError):  # nothing of that server is left (a test killed it)
                os.killpg(server.pid, signal.SIGTERM)
        self._forget(timeout=30)

    def _forget(self, timeout: float) -> None:
        for server in self.servers:
            server.wait(timeout=timeout)
        self.servers, self.ports = [], []

    def next_port(self) -> int:
        """The servers in turn, as a load balancer would send the requests."""
        with self._turn_lock:
            return self.ports[next(self._turn) % len(self.ports)]

    def close(self) -> None:
        self.stop()
        if self.pg_name:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    def request(self, method: str, path: str, *, token: str, body: Any = None, data: bytes | None = None,
                content_type: str = "application/json", headers: dict[str, str] | None = None,
                timeout: float = 60, port: int = 0) -> tuple[int, Any]:
        status, answer, _headers = self.exchange(method, path, token=token, body=body, data=data,
                                                 content_type=content_type, headers=headers, timeout=timeout, port=port)
        return status, answer

    def exchange(self, method: str, path: str, *, token: str, body: Any = None, data: bytes | None = None,
                 content_type: str = "application/json", headers: dict[str, str] | None = None,
                 timeout: float = 60, port: int = 0) -> tuple[int, Any, dict[str, str]]:
        """One request to the next server (or `port`): status, decoded JSON body, response headers."""
        payload = data if data is not None else (json.dumps(body).encode() if body is not None else None)
        port = port or self.next_port()
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=payload, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type,
                                              **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - http://127.0.0.1
                answer = response.status, json.loads(response.read() or b"null"), dict(response.headers)
        except urllib.error.HTTPError as exc:
            answer = exc.code, json.loads(exc.read() or b"null"), dict(exc.headers)
        if answer[0] < 500:
            with self._turn_lock:
                self.answered[port] += 1
        return answer


def multipart(field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
