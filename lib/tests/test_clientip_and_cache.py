"""The client's address (lib/clientip.py) and the shared cache's counters (lib/cache.py)."""

from __future__ import annotations

import multiprocessing
import os

import pytest
from django.test import RequestFactory

from lib.cache import LockedFileBasedCache
from lib.clientip import client_ip


def request(remote="127.0.0.1", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.BEHIND_PROXY = False
    assert client_ip(request("198.51.100.1", "10.0.0.1")) == "198.51.100.1"


def test_behind_a_proxy_the_rightmost_untrusted_hop_is_the_client(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("127.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(request("127.0.0.1")) == "127.0.0.1"
    assert client_ip(request("127.0.0.1", "")) == "127.0.0.1"
    # A CDN in front of the balancer: its hop is skipped.
    settings.TRUSTED_PROXIES = ["192.0.2.0/24"]
    assert client_ip(request("127.0.0.1", "1.2.3.4, 203.0.113.9, 192.0.2.10")) == "203.0.113.9"
    # Something no proxy of ours wrote: stop believing the header there.
    assert client_ip(request("127.0.0.1", "203.0.113.9, nonsense")) == "127.0.0.1"
    assert client_ip(request("127.0.0.1", "2001:db8::1")) == "2001:db8::1"


def _count(location: str, times: int) -> None:
    cache = LockedFileBasedCache(location, {})
    for _ in range(times):
        cache.add("hits", 0, timeout=300)
        cache.incr("hits")


def test_counters_hold_when_several_processes_count_at_once(tmp_path):
    location = str(tmp_path / "cache")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_count, args=(location, 150)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert LockedFileBasedCache(location, {}).get("hits") == 600


def test_incr_keeps_the_counters_expiry(tmp_path):
    import time

    cache = LockedFileBasedCache(str(tmp_path / "c"), {})
    cache.add("k", 0, timeout=3600)
    cache.incr("k")
    name = cache._key_to_file("k")  # type: ignore[attr-defined]
    with open(name, "rb") as handle:
        import pickle

        expiry = pickle.load(handle)  # noqa: S301
    assert 3590 < expiry - time.time() <= 3600
    with pytest.raises(ValueError):
        cache.incr("missing")
    assert os.path.exists(name)
