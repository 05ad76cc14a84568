import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
_NOT_INHERITED = {"DEBUG", "HTTPS", "STATIC_MANIFEST", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env.update(values)
    return env


def test_production_settings_pass_the_deploy_check(tmp_path: Path):
    env = _env(SECRET_KEY="p" * 20 + "Q7!x-z" * 10, DEBUG="0", ALLOWED_HOSTS="sikube.example.go.id",
               SIKUBE_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_DB = "postgres://sikube:secret@db.internal.invalid:5432/sikube"


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path):
    result = _manage(_env(SIKUBE_VAR_DIR=str(tmp_path), DATABASE_URL=PRODUCTION_DB), "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_the_embedded_install_makes_its_key_once_and_keeps_it_to_itself(tmp_path: Path):
    env = _env(SIKUBE_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)  # the embedded default, whatever database this suite runs on
    show = ("shell", "-v0", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")
    first = _manage(env, *show)
    assert first.returncode == 0, first.stderr[-2000:]
    key_file = tmp_path / "secret_key"
    assert first.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    again = _manage(env, *show)
    assert again.stdout == first.stdout
    assert sorted(p.name for p in tmp_path.iterdir() if "secret_key" in p.name) == ["secret_key"]


def test_a_secret_key_in_the_environment_wins_and_no_file_is_made(tmp_path: Path):
    env = _env(SIKUBE_VAR_DIR=str(tmp_path), SECRET_KEY="e" * 60)
    env.pop("DATABASE_URL", None)
    result = _manage(env, "shell", "-v0", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")
    assert result.stdout.strip() == "e" * 60, result.stderr[-2000:]
    assert not (tmp_path / "secret_key").exists()


def test_static_files_collect_with_the_production_manifest_storage(tmp_path: Path):
    env = _env(SECRET_KEY="s" * 60, DEBUG="0", SIKUBE_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/htmx/htmx.min.js" in manifest and "ninja/swagger-ui-bundle.js" in manifest
