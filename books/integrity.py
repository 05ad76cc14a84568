"""The ledger's invariants, checked over the whole table (after a crash, a restore, an upgrade).

The database refuses a broken posting as it is written (books/triggers.py); this reads what is
stored and says what, if anything, is wrong: lines without their header (a half-written
transaction), headers whose lines do not balance or do not add up to the header's amount, a
transaction with fewer than two lines, a line with both or neither side, lines of another group or
date than their header, and a reversal that is not the mirror of what it reverses.
"""

from __future__ import annotations

from django.db import connection

CHECKS = [
    ("baris tanpa transaksi (setengah tercatat)",
     """SELECT l.transaction_id FROM books_line l LEFT JOIN books_transaction t ON t.id = l.transaction_id
        WHERE t.id IS NULL GROUP BY l.transaction_id"""),
    ("transaksi tidak seimbang atau jumlahnya berbeda dengan baris-barisnya",
     """SELECT t.id FROM books_transaction t JOIN books_line l ON l.transaction_id = t.id
        GROUP BY t.id, t.amount
        HAVING COUNT(*) < 2 OR SUM(l.debit) != SUM(l.credit) OR SUM(l.debit) != t.amount"""),
    ("transaksi tanpa baris",
     """SELECT t.id FROM books_transaction t LEFT JOIN books_line l ON l.transaction_id = t.id
        WHERE l.id IS NULL"""),
    ("baris dengan debit dan kredit sekaligus, atau tanpa keduanya",
     """SELECT id FROM books_line WHERE (debit > 0 AND credit > 0) OR (debit <= 0 AND credit <= 0)
        OR debit < 0 OR credit < 0"""),
    ("baris berbeda KUBE atau tanggal dengan transaksinya",
     """SELECT l.id FROM books_line l JOIN books_transaction t ON t.id = l.transaction_id
        WHERE l.kube_id != t.kube_id OR l.date != t.date"""),
    ("pembalikan yang bukan cermin transaksi aslinya",
     """SELECT r.id FROM books_transaction r JOIN books_transaction o ON o.id = r.reverses_id
        WHERE r.amount != o.amount OR r.kube_id != o.kube_id"""),
]


def ledger_problems(limit: int = 20) -> list[str]:
    """One line per broken invariant, naming up to `limit` of the ids; empty when all hold."""
    problems = []
    with connection.cursor() as cursor:
        for label, sql in CHECKS:
            cursor.execute(f"SELECT * FROM ({sql}) AS x LIMIT {int(limit) + 1}")  # noqa: S608 - fixed SQL
            ids = [row[0] for row in cursor.fetchall()]
            if ids:
                more = " …" if len(ids) > limit else ""
                problems.append(f"{label}: {', '.join(str(i) for i in ids[:limit])}{more}")
    return problems
