"""python -m api.tests.page_seed [count]: the test cast in a live installation, the treasurer able to
sign in (prints ids as JSON); with `count`, the postings per description (for the browser tests)."""

from __future__ import annotations

import json
import sys


def main() -> None:
    import django

    django.setup()
    from datetime import date

    from books.models import Transaction, TxnKind
    from books.services import cash_entry_record
    from testing import build_cast
    from testing.browser import PASSWORD

    if sys.argv[1:] == ["count"]:
        counts: dict[str, int] = {}
        for description in Transaction.objects.values_list("description", flat=True):
            counts[description] = counts.get(description, 0) + 1
        print(json.dumps(counts))
        return
    cast = build_cast()
    cast.ketua.set_password(PASSWORD)
    cast.ketua.save()
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 2, 2), description="Modal")
    print(json.dumps({"kube": cast.kube_a.pk, "ketua": cast.ketua.username}))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikube.settings")
    main()
