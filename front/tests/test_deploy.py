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


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path):
    env = _env(SIKUBE_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_static_files_collect_with_the_production_manifest_storage(tmp_path: Path):
    env = _env(SECRET_KEY="s" * 60, DEBUG="0", SIKUBE_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/htmx/htmx.min.js" in manifest and "ninja/swagger-ui-bundle.js" in manifest
