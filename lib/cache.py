"""The shared cache of the embedded install: Django's file-based cache, with counters that
hold when several gunicorn workers count at once.

Why files and not the database cache: on SQLite every counter update would be a write
transaction under the one database write lock, so a burst of guessed passwords would make every
officer's cash entry wait behind it; files cost no database lock. Django's FileBasedCache writes
each value atomically (a temporary file renamed into place) but its `add` and `incr` read and then
write, so two workers can both read 4 and both write 5. Here they take an exclusive lock on one
file around the read and the write, and `incr` keeps the counter's expiry (Django's generic
`incr` would write it again with the default timeout). Deployments with several machines use Redis (`REDIS_URL`),
whose INCR is atomic by itself.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache


class LockedFileBasedCache(FileBasedCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(location, params)
        self._lock_path = os.path.join(os.path.abspath(location), ".lock")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        os.makedirs(os.path.dirname(self._lock_path), exist_ok=True)
        with open(self._lock_path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def add(self, key: str, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        with self._locked():
            try:
                # Django's own file for the key (FileBasedCache._key_to_file, not in the stubs)
                with open(self._key_to_file(key, version), "rb") as handle:  # type: ignore[attr-defined]
                    expiry = pickle.load(handle)  # noqa: S301 - our own cache files, as Django reads them
                    value = pickle.loads(zlib.decompress(handle.read()))  # noqa: S301
            except FileNotFoundError:
                raise ValueError(f"Key '{key}' not found") from None
            remaining = None if expiry is None else expiry - time.time()
            if remaining is not None and remaining <= 0:
                raise ValueError(f"Key '{key}' not found")
            self.set(key, value + delta, timeout=remaining, version=version)
            return int(value + delta)
