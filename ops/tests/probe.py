"""python -m ops.tests.probe: what a live installation's database holds, as JSON, for the crash tests."""

from __future__ import annotations

import json


def main() -> None:
    import django

    django.setup()
    from books.integrity import ledger_problems
    from books.models import Line, Transaction
    from registry.models import Kube, Member

    print(json.dumps({
        "transactions": list(Transaction.objects.values_list("id", flat=True)),
        "lines": Line.objects.count(),
        "imported_groups": Kube.objects.filter(name__startswith="KUBE Impor").count(),
        "imported_members": Member.objects.filter(kube__name__startswith="KUBE Impor").count(),
        "ledger_problems": ledger_problems(),
    }))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikube.settings")
    main()
