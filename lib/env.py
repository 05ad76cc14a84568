"""Typed readers for settings that come from the environment.

Each helper fails loudly (ImproperlyConfigured) on a value it cannot read, so a
typo in a deployment's environment stops the process at start instead of
silently falling back to a default.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ya"}
_FALSE = {"0", "false", "no", "off", "tidak", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value}: must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key_file(path: Path) -> str:
    """The signing key kept in `path`, created on first use (owner-only, 0600).

    For the embedded install only: `manage.py backup` on the machine that runs `make run`
    signs with the same key as the server without anyone exporting it. The file is written
    under a temporary name and linked into place, so two processes starting at once agree on
    one key and none reads a half-written file."""
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(60) + "\n")
    try:
        os.link(temporary, path)  # fails if another process got there first: theirs is kept
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it, or set SECRET_KEY")
    return key


@dataclass(frozen=True)
class Window:
    """At most `limit` attempts in any `seconds` (lib/ratelimit.py)."""

    limit: int
    seconds: int


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def env_rate(name: str, default: str) -> tuple[Window, ...]:
    """A rate such as '30/m,100/h' (units s, m, h, d): 30 a minute and 100 an hour."""
    raw = os.environ.get(name) or default
    windows = []
    for part in raw.split(","):
        count, _slash, unit = part.strip().partition("/")
        if not count.isdigit() or int(count) < 1 or unit not in _PERIODS:
            raise ImproperlyConfigured(f"{name}={raw!r}: expected e.g. '30/m,100/h' (units s, m, h, d)")
        windows.append(Window(int(count), _PERIODS[unit]))
    return tuple(windows)
