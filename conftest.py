"""Fixtures shared by every app's tests (see testing/__init__.py for the cast)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    # Argon2 is the production hasher (tested on its own); tests need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No drain thread in tests: a test that commits drains at commit; any other test drains
    # explicitly (outbox.drainer.drain()) before it reads the summaries.
    settings.OUTBOX_DRAIN = "sync"
    # The rate limits' shared cache: one folder per xdist worker, emptied before each test.
    if not getattr(settings, "REDIS_URL", ""):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        settings.CACHES["default"]["LOCATION"] = str(settings.VAR_DIR / f"cache-test-{worker}")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Every test starts with no attempt counted (lib/ratelimit.py)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _indonesian() -> Iterator[None]:
    """Each test starts in Indonesian: a request that switched the language leaves its
    choice on the thread, as Django does between requests."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture(autouse=True)
def _ledger_cleanup(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests that commit (transactional_db, live_server) leave ledger rows that the database
    refuses to delete; on SQLite Django's flush deletes row by row, so empty the ledger first,
    past the triggers. Requesting the db fixture here makes this teardown run before the flush."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    by_marker = bool(marker and marker.kwargs.get("transaction"))
    if not (names & {"transactional_db", "live_server"} or by_marker):
        yield
        return
    request.getfixturevalue("_django_db_helper" if by_marker else "transactional_db")
    yield
    from django.db import connection

    from testing.ledger import wipe_for_tests

    wipe_for_tests(connection)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    import testing

    with django_db_blocker.unblock():
        testing.ensure_regions()


@pytest.fixture
def regions(db: None) -> None:
    """The region subset; reloaded when a transactional test has flushed the tables."""
    import testing

    testing.ensure_regions()


@pytest.fixture
def cast(db: None) -> Any:
    """The cast, with monitoring's summaries of its groups drained (as the app would within a second)."""
    import testing
    from outbox import drainer

    cast = testing.build_cast()
    drainer.drain()
    return cast


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright; tests that use it skip when it is missing."""
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("/usr/bin/chromium is not installed (scripts/ensure_chromium.sh installs it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()
