#!/usr/bin/env bash
# make bench: build the national-scale benchmark database once (bench/data/, not in git), then
# run every benchmark. Each prints a markdown block (also written to bench/out/); copy the
# figures into bench/RESULTS.md with the date and machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY -m bench.generate
$PY -m bench.regions_bench
$PY -m bench.registry_bench
$PY -m bench.books_data
$PY -m bench.books_bench
$PY -m bench.mentoring_bench
$PY -m bench.monitoring_bench
scripts/with_postgres.sh $PY -m bench.monitoring_bench --postgres
$PY -m bench.uploads
$PY -m bench.load_test --seconds 120
scripts/with_postgres.sh $PY -m bench.load_test --postgres --seconds 120
