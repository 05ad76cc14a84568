"""Fixtures shared by the books' browser tests."""

from __future__ import annotations

from datetime import date

import pytest

from testing.browser import PASSWORD


@pytest.fixture
def treasurer(transactional_db):
    import testing
    from books.models import TxnKind
    from books.services import cash_entry_record

    cast = testing.build_cast()
    cast.ketua.set_password(PASSWORD)
    cast.ketua.save()
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 10, 1), description="Modal anggota")
    return cast
