"""The year of testing/shareout.py as a fixture."""

from __future__ import annotations

import pytest

from testing.shareout import Year, build_year


@pytest.fixture
def year(cast) -> Year:
    return build_year(cast)
