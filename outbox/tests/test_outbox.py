"""The outbox: what a service's record() writes, the batch of a bulk load, when the registered
drainer runs, and that the outbox knows nothing of its reader."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from outbox import drainer
from outbox.models import PendingChange
from outbox.services import batch, record


@pytest.fixture
def calls(monkeypatch):
    """A stand-in drainer, registered the way monitoring registers its own."""
    seen: list[int] = []

    def fake() -> int:
        seen.append(PendingChange.objects.count())
        return 0

    monkeypatch.setattr(drainer, "_drain", None)
    drainer.register(fake)
    return seen


def rows() -> list[tuple[int, int | None]]:
    return list(PendingChange.objects.order_by("id").values_list("kube_id", "month"))


def test_a_record_is_one_row_per_month_or_one_for_the_state(db):
    record(7, 202610, None, 202609, 202610)
    record(8)
    assert rows() == [(7, 202609), (7, 202610), (8, None)]


def test_a_batch_writes_once_at_its_end_one_row_per_group_and_month(db, django_assert_num_queries):
    with batch():
        with django_assert_num_queries(0):
            record(7, 202610)
            record(7, 202610, 202611)
            record(9)
            with batch():  # nested: the outer block writes
                record(9, 202601)
        assert rows() == []
    assert rows() == [(7, 202610), (7, 202611), (9, 202601)]


def test_a_batch_that_fails_writes_nothing(db):
    with pytest.raises(ValueError), batch():
        record(7, 202610)
        raise ValueError
    assert rows() == []


def test_the_registered_drainer_runs_after_commit_in_sync_mode(db, settings, calls,
                                                              django_capture_on_commit_callbacks):
    settings.OUTBOX_DRAIN = "sync"
    with django_capture_on_commit_callbacks(execute=True):
        record(7, 202610)
        assert calls == []  # not inside the writer's transaction
    assert calls == [1]
    assert drainer.drain() == 0 and calls == [1, 1]


def test_with_draining_off_only_an_explicit_drain_runs(db, settings, calls, django_capture_on_commit_callbacks):
    settings.OUTBOX_DRAIN = "off"
    with django_capture_on_commit_callbacks(execute=True):
        record(7, 202610)
    assert calls == []
    drainer.drain()
    assert calls == [1]


def test_the_outbox_imports_only_django_lib_and_itself():
    """It sits low in the layers: its reader (monitoring) registers itself, never the other way."""
    allowed = ("django", "lib", "outbox", "__future__", "collections", "contextlib", "contextvars", "logging",
               "os", "signal", "threading", "time", "typing", "ast", "pathlib", "pytest")
    root = Path(__file__).resolve().parents[1]
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
