#!/usr/bin/env bash
# Create .venv and install the pinned dependencies (pyproject.toml + constraints.txt).
set -euo pipefail
python="${1:-python3}"
venv="${2:-.venv}"
if command -v python3.11 >/dev/null 2>&1; then python=python3.11; fi
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$version" != "3.11" ]; then
  echo "SIKUBE needs Python 3.11 (found $version at $(command -v "$python"))." >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "==> creating $venv"
  "$python" -m venv "$venv"
fi
echo "==> installing pinned dependencies"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip==25.3"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
