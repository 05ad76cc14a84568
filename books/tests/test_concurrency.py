"""Two processes posting to the same group at once lose nothing and never overdraw cash."""

import os
import subprocess
import sys
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum

import testing
from books.models import Line, Transaction, TxnKind
from books.selectors import cash_balance
from books.services import cash_entry_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks; SQLite serialises writers")
def test_two_processes_posting_at_once_lose_nothing_and_never_overdraw():
    cast = testing.build_cast()
    kube = cast.kube_a
    cash_entry_record(actor=cast.ketua, kube=kube, kind=TxnKind.CAPITAL_IN, amount=1_000_000,
                      date=date(2026, 6, 1), description="Modal awal")
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    args = [sys.executable, "-m", "books.tests.poster", str(kube.pk), str(cast.ketua.pk), "25", "30000"]
    procs = [subprocess.Popen(args, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-3000:]
        results.append([int(x) for x in out.split()])
    ok = sum(r[0] for r in results)
    refused = sum(r[1] for r in results)
    assert ok + refused == 50
    assert ok == 33  # 33 × 30,000 = 990,000 fits in 1,000,000; the 34th would not
    purchases = Line.objects.filter(kube=kube, account__role="purchases").aggregate(s=Sum("debit"))["s"]
    assert purchases == ok * 30_000  # every acknowledged posting is there, none twice
    assert cash_balance(kube) == 1_000_000 - ok * 30_000 >= 0
    assert all(r[0] > 0 for r in results)  # both processes got through, interleaved
    # The receipt counter (one UPDATE … RETURNING, taken under the group's lock) gave every
    # acknowledged posting its own number, none twice and none skipped: 0001 is the capital.
    numbers = sorted(Transaction.objects.filter(kube=kube).values_list("receipt_no", flat=True))
    assert numbers == [f"{n:04d}" for n in range(1, ok + 2)]
