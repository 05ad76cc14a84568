#!/usr/bin/env bash
# make test: lint, then the whole suite on SQLite, then on a throw-away PostgreSQL and its replica.
set -euo pipefail
cd "$(dirname "$0")/.."
export SECRET_KEY="test-only-secret-key-not-for-production-0123456789abcdefghijklmnop"
export DEBUG=0 HTTPS=0 STATIC_MANIFEST=0
export SIKUBE_VAR_DIR="${SIKUBE_VAR_DIR:-$(mktemp -d /tmp/sikube-test-var.XXXXXX)}"
# mypy and makemigrations import the settings too.
PY=.venv/bin/python
workers="${TEST_WORKERS:-2}"

echo "==> ruff"
.venv/bin/ruff check .
echo "==> mypy"
.venv/bin/mypy . --no-error-summary
echo "==> makemigrations --check"
$PY manage.py makemigrations --check --dry-run >/dev/null
scripts/ensure_chromium.sh

echo "==> tests on SQLite"
scripts/pytest.sh -n "$workers" --dist loadfile
if [ "${1:-}" = "--sqlite-only" ]; then exit 0; fi
echo "==> tests on PostgreSQL (with a streaming replica for ops/tests/test_replica.py)"
scripts/with_postgres.sh scripts/with_replica.sh scripts/pytest.sh -n "$workers" --dist loadfile
