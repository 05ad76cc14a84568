"""Fixtures shared by the API sweeps."""

from __future__ import annotations

from typing import Any

import pytest

from testing.sweep import far_objects


@pytest.fixture
def far(cast: Any) -> dict[str, Any]:
    """Objects of kube_d (Kota Semarang), by the path parameter that names them."""
    return far_objects(cast)
