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

# Each start-up step says how long it took (a fresh clone: the demo load dominates).
step() {
  local TIMEFORMAT="    ($3: %R s, CPU %U s + %S s)"
  time "$@"
}
step $PY manage.py migrate --noinput -v0
# migrate ran the system checks; the steps after it skip them (each would import every URL and API
# module again, about 1.5 s a step).
step $PY manage.py regions_load --skip-checks
step $PY manage.py demo_load --skip-checks
step $PY manage.py monitoring_refresh --pending -v0 --skip-checks   # changes committed but not drained before a stop
step $PY manage.py monitoring_refresh -v0 --skip-checks   # what time alone changes since the last start
step $PY manage.py idempotency_purge -v0 --skip-checks    # stored API answers past IDEMPOTENCY_KEEP_HOURS
step $PY manage.py collectstatic --noinput -v0 --skip-checks
echo
echo "SIKUBE berjalan di http://127.0.0.1:${PORT}  (Ctrl+C untuk berhenti)"
$PY manage.py demo_accounts
exec .venv/bin/gunicorn sikube.wsgi:application --config python:sikube.gunicorn_conf \
  --bind "127.0.0.1:${PORT}" --workers "${WORKERS:-3}" --threads 2 \
  --timeout 120 --access-logfile - --error-logfile -
