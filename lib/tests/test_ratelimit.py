"""The limiter's windows slide (lib/ratelimit.py): a burst is not forgiven when the clock turns over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.core.cache import cache

from lib.env import Window
from lib.ratelimit import hit

FIVE_A_MINUTE = (Window(5, 60),)


def attempts(at: datetime, n: int, ident: str = "198.51.100.7") -> list[int | None]:
    with time_machine.travel(at, tick=False):
        return [hit("test", ident, FIVE_A_MINUTE) for _ in range(n)]


def test_five_just_before_the_minute_turns_still_count_just_after():
    cache.clear()
    turn = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert attempts(turn - timedelta(milliseconds=500), 5) == [None] * 5
    refused = attempts(turn + timedelta(milliseconds=100), 1)
    assert refused[0] is not None and refused[0] >= 1


def test_the_previous_minute_weighs_less_as_it_slides_out():
    cache.clear()
    turn = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert attempts(turn - timedelta(seconds=30), 4) == [None] * 4
    # 45 s into the next minute a quarter of the previous one is still inside: 4 x 0.25 = 1,
    # so four more fit and the fifth does not.
    later = attempts(turn + timedelta(seconds=45), 5)
    assert later[:4] == [None] * 4
    assert later[4] is not None


def test_a_minute_after_the_burst_the_door_is_open_again():
    cache.clear()
    turn = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert attempts(turn - timedelta(seconds=1), 6)[-1] is not None
    assert attempts(turn + timedelta(seconds=60), 1) == [None]
    assert attempts(turn + timedelta(seconds=60), 1, ident="203.0.113.9") == [None]
