"""The chain of testing/approval.py as a fixture."""

from __future__ import annotations

import pytest

from testing.approval import Chain, build_chain


@pytest.fixture
def chain(cast) -> Chain:
    return build_chain(cast)
