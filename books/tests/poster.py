"""Helper process for the concurrency test: post many entries to one group and report.

python -m books.tests.poster <kube_id> <user_id> <count> <amount>
Prints one line: "<ok> <refused>" (refused = overdraft, as expected when cash runs out).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikube.settings")
    import django

    django.setup()
    from datetime import date

    from accounts.models import User
    from books.errors import OverdraftError
    from books.services import cash_entry_record
    from registry.models import Kube

    kube_id, user_id, count, amount = (int(x) for x in sys.argv[1:5])
    kube, user = Kube.objects.get(pk=kube_id), User.objects.get(pk=user_id)
    ok = refused = 0
    for i in range(count):
        try:
            cash_entry_record(actor=user, kube=kube, kind="purchase", amount=amount, date=date(2026, 6, 15),
                              description=f"Belanja paralel {os.getpid()} #{i}")
            ok += 1
        except OverdraftError:
            refused += 1
    print(ok, refused)


if __name__ == "__main__":
    main()
