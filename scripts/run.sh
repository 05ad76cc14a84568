#!/usr/bin/env bash
# make run: migrate the embedded SQLite database, load regions and demo data once,
# and serve with gunicorn on http://127.0.0.1:${PORT:-8000}.
set -euo pipefail
cd "$(dirname "$0")/.."
# The signing key: SECRET_KEY if set, else the settings keep one in ${SIKUBE_VAR_DIR:-var}/secret_key.
export DEBUG="${DEBUG:-0}"
# Plain http on loopback: the HTTPS-only cookie and redirect settings are for deployments.
export HTTPS="${HTTPS:-0}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
PORT="${PORT:-8000}"
PY=.venv/bin/python

# One process for every step before serving (manage.py start_up: migrate, regions, demo data, the
# summaries, stored answers past their time, static files, the demo accounts), each step with its time.
$PY manage.py start_up
echo
echo "SIKUBE berjalan di http://127.0.0.1:${PORT}  (Ctrl+C untuk berhenti)"
exec .venv/bin/gunicorn sikube.wsgi:application --config python:sikube.gunicorn_conf \
  --bind "127.0.0.1:${PORT}" --workers "${WORKERS:-3}" --threads 2 \
  --timeout 120 --access-logfile - --error-logfile -
