"""A real installation for the ops tests: migrated, the test cast seeded, its pending summary rows drained."""

from __future__ import annotations

import json

import pytest

from testing.live import Live


@pytest.fixture
def live(tmp_path):
    installation = Live(tmp_path)
    try:
        installation.manage("migrate", "--noinput")
        installation.seed = json.loads(installation.python("ops.tests.seed"))
        installation.manage("monitoring_refresh", "--pending")  # the seed's own rows
        yield installation
    finally:
        installation.close()
