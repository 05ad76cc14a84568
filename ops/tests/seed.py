"""python -m ops.tests.seed: the test cast in a live installation's database; prints ids and tokens as JSON."""

from __future__ import annotations

import json


def main() -> None:
    import django

    django.setup()
    from datetime import date

    from accounts.services import token_create
    from books.models import TxnKind
    from books.services import cash_entry_record
    from testing import build_cast, programme_fm

    cast = build_cast()
    programme_fm()
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 2, 2), description="Modal")
    _t, ketua = token_create(user=cast.ketua, name="hp ketua")
    _t, kab = token_create(user=cast.kab, name="sistem daerah")
    print(json.dumps({"kube": cast.kube_a.pk, "ketua": ketua, "kab": kab, "region": cast.kab.region_id}))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikube.settings")
    main()
