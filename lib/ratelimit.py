"""Counting attempts in a shared store, so that a limit holds across workers and machines.

A limit is a list of windows, e.g. "30/m,100/h": at most 30 attempts in any minute and 100 in
any hour. Counters live in Django's default cache (lib/cache.py on the embedded install, Redis
where deployed), keyed by a hash of what is counted (an address, a user id), never the value
itself. Each window is counted per clock window and judged as a sliding one: the previous clock
window's count weighs by the part of it still inside the last `seconds` (the approximation
Cloudflare and nginx-style limiters use). A plain fixed window would let twice the limit through
across a boundary and forget a burst the moment the clock turns over. Each attempt costs one
`add`, one `incr` and one `get` per window.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache

from lib.env import Window


def hit(scope: str, ident: str, windows: tuple[Window, ...]) -> int | None:
    """Count one attempt by `ident` in `scope`. None while within every window; otherwise the
    seconds until the fullest window ends (for Retry-After). A refused attempt counts too, so
    that hammering a closed door keeps it closed."""
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    now = time.time()
    wait: int | None = None
    for window in windows:
        start = int(now // window.seconds) * window.seconds
        key = f"rl:{scope}:{window.seconds}:{start}:{digest}"
        cache.add(key, 0, timeout=2 * window.seconds + 1)  # read again as the previous window
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=2 * window.seconds + 1)
            count = 1
        previous = cache.get(f"rl:{scope}:{window.seconds}:{start - window.seconds}:{digest}") or 0
        still_inside = 1 - (now - start) / window.seconds
        if count + previous * still_inside > window.limit:
            wait = max(wait or 0, math.ceil(start + window.seconds - now), 1)
    return wait
