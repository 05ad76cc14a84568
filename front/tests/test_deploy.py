import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_production_settings_pass_the_deploy_check(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "HTTPS", "STATIC_MANIFEST")}
    env |= {"SECRET_KEY": "p" * 20 + "Q7!x-z" * 10, "DEBUG": "0", "ALLOWED_HOSTS": "sikube.example.go.id",
            "SIKUBE_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env["SIKUBE_VAR_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
