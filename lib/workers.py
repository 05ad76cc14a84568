"""What an app server's worker does once the app is loaded, before its first request."""

from __future__ import annotations

import gc


def freeze_loaded_app() -> int:
    """Load the views behind every URL, then put everything loaded so far out of the garbage
    collector's reach (`gc.freeze`); the number of objects frozen.

    The app is some 190,000 objects that live as long as the worker. Python's full collection walks
    every one of them: 74 ms, about once every hundred requests, which landed on whichever request
    was running (bench/RESULTS.md, 2026-12-03). Frozen, they are never walked again; what requests
    make is collected as before. The benchmarks that serve pages in their own process call this
    too, after their warm-up, so that they measure what a worker does."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
