"""Backup and restore of the whole installation: the database and the uploaded files (media).

A backup is a directory `sikube-YYYYMMDD-HHMMSS/` holding
- `db.sqlite3` (SQLite's online backup API: one consistent snapshot, taken while the server runs;
  WAL readers do not block the writers) or `db.dump` (`pg_dump --format=custom`, itself one
  consistent snapshot),
- `media.tar` (photos and other uploads), and
- `manifest.json` (when, which database, each file's size and SHA-256).

`restore` checks the manifest's checksums before touching anything, then replaces the database
(SQLite: the backup API into the live file; PostgreSQL: `pg_restore --clean --single-transaction`,
so a failed restore leaves the database as it was) and the media (the current files are kept
aside as `media.before-restore-…`). Stop the server before restoring.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from lib.errors import SikubeError


class BackupError(SikubeError):
    code = "backup"


@dataclass
class Backup:
    path: Path
    manifest: dict[str, Any]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _pg_tool(name: str) -> str:
    """pg_dump / pg_restore of the server's major version when Debian's are installed side by side."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        raise BackupError(f"{name} tidak ditemukan; pasang paket postgresql-client versi {major}.")
    return found


def backup_create(directory: Path | None = None) -> Backup:
    directory = Path(directory or settings.VAR_DIR / "backups")
    target = directory / timezone.localtime().strftime("sikube-%Y%m%d-%H%M%S")
    n = 1
    while target.exists():
        n += 1
        target = directory / (timezone.localtime().strftime("sikube-%Y%m%d-%H%M%S") + f"-{n}")
    target.mkdir(parents=True)
    if connection.vendor == "sqlite":
        db_file = target / "db.sqlite3"
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=30)
        copy = sqlite3.connect(str(db_file))
        try:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("Salinan basis data rusak; cadangan dibatalkan.")
        finally:
            copy.close()
            source.close()
    elif connection.vendor == "postgresql":
        env, args = _pg_env()
        result = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner",  # noqa: S603 - our arguments
                                 "--file", str(target / "db.dump"), *args], env=env, capture_output=True, text=True)
        if result.returncode:
            shutil.rmtree(target)
            raise BackupError("pg_dump gagal: " + result.stderr.strip()[-500:])
    else:
        raise BackupError(f"Basis data {connection.vendor} tidak didukung.")
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(media.iterdir()):
        with tarfile.open(target / "media.tar", "w") as tar:
            tar.add(media, arcname="media")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "files": {p.name: {"bytes": p.stat().st_size, "sha256": _sha256(p)} for p in sorted(target.iterdir())},
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return Backup(target, manifest)


def backup_restore(source: Path) -> Backup:
    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} bukan cadangan SIKUBE (manifest.json tidak terbaca).") from exc
    for name, facts in manifest["files"].items():
        path = source / name
        if not path.exists() or _sha256(path) != facts["sha256"]:
            raise BackupError(f"Berkas {name} dalam cadangan hilang atau berubah; pemulihan dibatalkan.")
    if manifest["database"] != connection.vendor:
        raise BackupError(f"Cadangan ini dari {manifest['database']}, basis data sekarang {connection.vendor}.")
    if connection.vendor == "sqlite":
        connection.close()
        backup_db = sqlite3.connect(str(source / "db.sqlite3"))
        live = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=30)
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    else:
        connection.close()
        env, args = _pg_env()
        result = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",  # noqa: S603
                                 "--single-transaction", *args, str(source / "db.dump")],
                                env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError("pg_restore gagal; basis data tidak berubah: " + result.stderr.strip()[-500:])
    archive = source / "media.tar"
    if archive.exists():
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            media.rename(media.with_name("media.before-restore-" + timezone.localtime().strftime("%Y%m%d-%H%M%S")))
        with tarfile.open(archive) as tar:
            tar.extractall(media.parent, filter="data")
    return Backup(source, manifest)
