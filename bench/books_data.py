"""Ledger lines at national scale: ~20 million lines (10 million transactions) over 100,000 groups.

Written with raw multi-row inserts, the SQLite ledger triggers dropped during the load and
reinstalled after it (this generator writes balanced transactions by construction; the
triggers are the guard for everything else). Every group starts with members' capital, then
sells, buys and pays expenses month by month, so cash never goes below zero.
Run: .venv/bin/python -m bench.books_data
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from bench.common import setup_django

SEED = 11
PER_GROUP = 100  # transactions; two lines each


def generate() -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from books import triggers
    from books.chart import ensure_chart
    from books.models import Account, Line, Transaction
    from registry.models import Kube

    call_command("migrate", verbosity=0)
    ensure_chart()
    have = Line.objects.count()
    if have >= 19_000_000:
        print(f"bench ledger already has {have:,} lines")
        return
    if have:
        raise SystemExit("a partial ledger is in the bench database; delete bench/data/ and start again")
    rng = random.Random(SEED)
    acc = {a.role: a.pk for a in Account.objects.filter(role__isnull=False)}
    kubes = list(Kube.objects.values_list("id", "formed_on"))
    started = time.monotonic()
    triggers.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA cache_size=-400000")
    txn_id = 1
    line_rows: list[tuple] = []
    txn_rows: list[tuple] = []
    total_lines = 0

    def flush() -> None:
        nonlocal line_rows, txn_rows, total_lines
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO books_line (transaction_id, kube_id, date, account_id, debit, credit) VALUES (?, ?, ?, ?, ?, ?)"
                .replace("?", "%s"), line_rows)
            cursor.executemany(
                "INSERT INTO books_transaction (id, kube_id, date, period, receipt_year, receipt_no, kind, description, "
                "amount, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, '2026-11-01 00:00:00')", txn_rows)
        total_lines += len(line_rows)
        line_rows, txn_rows = [], []

    for n, (kube_id, formed) in enumerate(kubes):
        day = max(formed, date(2025, 1, 1))
        cash = 0
        receipt = {}
        for i in range(PER_GROUP):
            if i == 0:
                kind, amount, debit, credit, text = "capital_in", 5_000_000, acc["cash"], acc["own_capital"], "Modal"
            else:
                day = day + timedelta(days=rng.randint(0, 6))
                if day > date(2026, 10, 31):
                    day = date(2026, 10, 31)
                roll = rng.random()
                if roll < 0.5:
                    kind, amount, debit, credit, text = ("sale", rng.randint(20, 300) * 1000, acc["cash"], acc["sales"],
                                                         "Penjualan")
                elif roll < 0.85 and cash > 500_000:
                    kind, amount, debit, credit, text = ("purchase", rng.randint(20, 250) * 1000, acc["purchases"],
                                                         acc["cash"], "Belanja stok")
                else:
                    kind, amount, debit, credit, text = ("income", rng.randint(5, 50) * 1000, acc["cash"],
                                                         acc["other_income"], "Pemasukan lain")
            cash += amount if debit == acc["cash"] else -amount
            year = day.year
            receipt[year] = receipt.get(year, 0) + 1
            iso = day.isoformat()
            line_rows.append((txn_id, kube_id, iso, debit, amount, 0))
            line_rows.append((txn_id, kube_id, iso, credit, 0, amount))
            txn_rows.append((txn_id, kube_id, iso, year * 100 + day.month, year, f"{receipt[year]:04d}", kind, text, amount))
            txn_id += 1
        if len(line_rows) >= 400_000:
            flush()
            if n % 10_000 < PER_GROUP * 2:
                print(f"{total_lines:,} lines in {time.monotonic() - started:.0f} s")
    flush()
    triggers.install(connection)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"done: {total_lines:,} lines, {Transaction.objects.count():,} transactions in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    setup_django()
    generate()
