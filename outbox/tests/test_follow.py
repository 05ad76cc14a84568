"""The drainer process takes one pass per interval, also while rows keep coming: a pass right after
a pass refreshed a group's month after each of its postings (bench/RESULTS.md, 2026-12-03, CPU by
part: the drainer cost as much as the postings). Nothing is left behind: every pass runs, and a
failed pass is followed by the next."""

from __future__ import annotations

import time

import pytest

from outbox import drainer


@pytest.fixture
def steps(monkeypatch):
    """follow() with a registered pass that records when it ran, stopped after 0.6 s (its parent
    "gone"), at an interval of 0.05 s."""
    calls: list[float] = []
    monkeypatch.setattr(drainer.signal, "signal", lambda *_a: None)  # leave pytest's SIGINT/SIGTERM handlers alone

    def run(result) -> list[float]:
        def one_pass() -> int:
            calls.append(time.monotonic())
            return result(len(calls))

        monkeypatch.setattr(drainer, "_pass", one_pass)
        until = time.monotonic() + 0.6
        monkeypatch.setattr(drainer.os, "getppid", lambda: 4242 if time.monotonic() < until else 1)
        drainer.follow(poll=0.05, parent=4242)
        return calls

    return run


def test_rows_that_keep_coming_are_taken_once_an_interval(steps):
    calls = steps(lambda n: 3)  # every pass finds rows: under load, more arrive meanwhile
    assert 3 <= len(calls) <= 13, len(calls)  # never more than one an interval; a loaded machine may run fewer
    gaps = [calls[i + 1] - calls[i] for i in range(len(calls) - 1)]
    assert min(gaps) >= 0.045, gaps


def test_a_failed_pass_is_followed_by_the_next_one_interval_later(steps):
    def fails_once(n: int) -> int:
        if n == 2:
            raise RuntimeError("database is locked")
        return 0

    calls = steps(fails_once)
    assert 3 <= len(calls) <= 13, len(calls)  # never more than one an interval; a loaded machine may run fewer
