"""The Excel import reads and checks the whole workbook before its transaction opens: on SQLite a
transaction holds the write lock from its first statement, so only the inserts may be inside it."""

import pytest
from django.db import connection
from django.urls import reverse

from registry import importer, services
from registry.models import Kube
from testing import bearer, programme_fm
from testing.registry import build, upload


@pytest.fixture
def depths(cast, monkeypatch) -> dict[str, list[int]]:
    """How many atomic blocks are open while the workbook is parsed and checked, and while a group is saved."""
    programme_fm()
    seen: dict[str, list[int]] = {"parse": [], "check": [], "insert": []}

    def spy(name, real):
        def wrapper(*args, **kwargs):
            seen[name].append(len(connection.atomic_blocks))
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(importer, "_read_members", spy("parse", importer._read_members))
    monkeypatch.setattr(importer, "_check_groups", spy("check", importer._check_groups))
    monkeypatch.setattr(services, "kube_register", spy("insert", services.kube_register))
    return seen


def test_the_page_parses_and_checks_the_workbook_outside_the_transaction(client, cast, depths):
    outside = len(connection.atomic_blocks)  # the test's own transaction
    client.force_login(cast.kab)
    response = client.post(reverse("registry:import"), {"file": upload(build(2))})
    assert response.status_code == 200 and Kube.objects.filter(name__startswith="KUBE Impor").count() == 2
    assert depths == {"parse": [outside], "check": [outside], "insert": [outside + 1] * 2}


def test_the_api_parses_and_checks_the_workbook_outside_the_transaction(client, cast, depths):
    outside = len(connection.atomic_blocks)
    response = client.post("/api/v1/imports", {"file": upload(build(2))}, **bearer(cast.kab))
    assert response.status_code == 201, response.json()
    assert depths == {"parse": [outside], "check": [outside], "insert": [outside + 1] * 2}
