#!/usr/bin/env bash
# Run pytest with the test environment `make test` uses: scripts/pytest.sh <pytest args>
set -euo pipefail
cd "$(dirname "$0")/.."
export SECRET_KEY="${SECRET_KEY:-test-only-secret-key-not-for-production-0123456789abcdefghijklmnop}"
export DEBUG=0 HTTPS=0 STATIC_MANIFEST=0
export SIKUBE_VAR_DIR="${SIKUBE_VAR_DIR:-/tmp/sikube-test-var}"
exec .venv/bin/python -m pytest "$@"
