# SIKUBE — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)

.PHONY: run test test-sqlite test-postgres lint check bench bench-uploads bench-phone bench-capacity messages clean venv demo

# The stamp's name is the hash of the two files, so its presence says the venv holds them (a fresh
# clone's newer file times must not reinstall: 6 s of make run).
venv:
	@test -f $(STAMP) || { scripts/venv.sh "$(PYTHON)" "$(VENV)" && rm -f $(VENV)/.installed-* && touch $(STAMP); }

run: venv
	@scripts/run.sh

test: venv
	@scripts/test.sh

test-sqlite: venv
	@scripts/test.sh --sqlite-only

test-postgres: venv
	@scripts/with_postgres.sh scripts/with_replica.sh $(PY) -m pytest -n 2 --dist loadfile

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-logo   # the layers (README "Layers")

bench: venv
	@scripts/bench.sh

bench-uploads: venv
	$(PY) -m bench.uploads

bench-phone: venv  # the daily tasks in Chromium at 360 x 740 on the demo data (bench/phone_tasks.py)
	$(PY) -m bench.phone_tasks

bench-capacity: venv  # CAPACITY_SQLITE=/tmp/copy.sqlite3 runs SQLite on a copy of the national database
	$(PY) -m bench.capacity $(if $(CAPACITY_SQLITE),--sqlite $(CAPACITY_SQLITE))
	@scripts/with_postgres.sh $(PY) -m bench.capacity --postgres

messages: venv
	DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var/static
