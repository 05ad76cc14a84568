"""The demo accounts' password: one hash of it, shared by all of them."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.hashers import make_password


@cache
def shared_hash(password: str) -> str:
    """One hash of the demo's public password, stored on every demo account (through the services'
    `password_hash`): an Argon2 hash costs 0.2-0.5 s of CPU by design, and ~80 of them were a sixth
    of the demo load (bench/RESULTS.md, 2026-12-02). Sharing a salt costs these accounts nothing:
    their password is printed on every start."""
    return make_password(password)
