"""Ledger invariants held by the database itself, on SQLite and on PostgreSQL.

The services write a transaction's lines first and its header last (its id is chosen in
Python, and foreign keys are checked at commit). So, at the moment a header is inserted,
all its lines are there and the database can check them:

- the header's `amount` equals the sum of its debits and the sum of its credits, over at
  least two lines, all of the same group and date;
- lines cannot be added to a header that already exists, nor updated, nor deleted;
- headers cannot be updated or deleted;
- no header in a month the group has closed (or before it);
- `period` is the header date's YYYYMM.

Non-positive and two-sided lines are refused by a CHECK constraint on the table.
PostgreSQL also gets the deferred constraint trigger django-hordak uses: at commit, every
transaction touched must balance and have a header, whatever order rows were written in.
TRUNCATE (what Django's test flush uses on PostgreSQL) fires none of these.
"""

from __future__ import annotations

from typing import Any

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS books_line_append_only_update BEFORE UPDATE ON books_line
       BEGIN SELECT RAISE(ABORT, 'books: ledger lines cannot be changed; post a reversal'); END""",
    """CREATE TRIGGER IF NOT EXISTS books_line_append_only_delete BEFORE DELETE ON books_line
       BEGIN SELECT RAISE(ABORT, 'books: ledger lines cannot be deleted; post a reversal'); END""",
    """CREATE TRIGGER IF NOT EXISTS books_line_not_into_posted BEFORE INSERT ON books_line
       WHEN EXISTS (SELECT 1 FROM books_transaction WHERE id = NEW.transaction_id)
       BEGIN SELECT RAISE(ABORT, 'books: a posted transaction cannot receive more lines'); END""",
    """CREATE TRIGGER IF NOT EXISTS books_transaction_append_only_update BEFORE UPDATE ON books_transaction
       BEGIN SELECT RAISE(ABORT, 'books: transactions cannot be changed; post a reversal'); END""",
    """CREATE TRIGGER IF NOT EXISTS books_transaction_append_only_delete BEFORE DELETE ON books_transaction
       BEGIN SELECT RAISE(ABORT, 'books: transactions cannot be deleted; post a reversal'); END""",
    """CREATE TRIGGER IF NOT EXISTS books_transaction_balanced BEFORE INSERT ON books_transaction
       WHEN (SELECT COUNT(*) FROM books_line WHERE transaction_id = NEW.id) < 2
         OR (SELECT SUM(debit) FROM books_line WHERE transaction_id = NEW.id) != NEW.amount
         OR (SELECT SUM(credit) FROM books_line WHERE transaction_id = NEW.id) != NEW.amount
         OR EXISTS (SELECT 1 FROM books_line WHERE transaction_id = NEW.id
                    AND (kube_id != NEW.kube_id OR date != NEW.date))
       BEGIN SELECT RAISE(ABORT, 'books: unbalanced transaction'); END""",
    """CREATE TRIGGER IF NOT EXISTS books_transaction_period BEFORE INSERT ON books_transaction
       WHEN NEW.period != CAST(strftime('%Y%m', NEW.date) AS INTEGER)
         OR EXISTS (SELECT 1 FROM books_periodclose WHERE kube_id = NEW.kube_id AND period >= NEW.period)
       BEGIN SELECT RAISE(ABORT, 'books: the month is closed'); END""",
]

SQLITE_NAMES = [
    "books_line_append_only_update", "books_line_append_only_delete", "books_line_not_into_posted",
    "books_transaction_append_only_update", "books_transaction_append_only_delete",
    "books_transaction_balanced", "books_transaction_period",
]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION books_refuse_change() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'books: % of % refused; the ledger is append-only', TG_OP, TG_TABLE_NAME
           USING ERRCODE = '23514';
       END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION books_line_not_into_posted() RETURNS trigger AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM books_transaction WHERE id = NEW.transaction_id) THEN
           RAISE EXCEPTION 'books: a posted transaction cannot receive more lines' USING ERRCODE = '23514';
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION books_transaction_check() RETURNS trigger AS $$
       DECLARE n integer; d bigint; c bigint; foreign_rows integer;
       BEGIN
         SELECT COUNT(*), COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) INTO n, d, c
           FROM books_line WHERE transaction_id = NEW.id;
         SELECT COUNT(*) INTO foreign_rows FROM books_line
           WHERE transaction_id = NEW.id AND (kube_id <> NEW.kube_id OR date <> NEW.date);
         IF n < 2 OR d <> NEW.amount OR c <> NEW.amount OR foreign_rows > 0 THEN
           RAISE EXCEPTION 'books: unbalanced transaction % (debit %, credit %, amount %)', NEW.id, d, c, NEW.amount
             USING ERRCODE = '23514';
         END IF;
         IF NEW.period <> to_char(NEW.date, 'YYYYMM')::integer
            OR EXISTS (SELECT 1 FROM books_periodclose WHERE kube_id = NEW.kube_id AND period >= NEW.period) THEN
           RAISE EXCEPTION 'books: the month is closed' USING ERRCODE = '23514';
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION books_balanced_at_commit() RETURNS trigger AS $$
       DECLARE tid bigint; n integer; diff bigint;
       BEGIN
         tid := COALESCE(NEW.transaction_id, OLD.transaction_id);
         SELECT COUNT(*), COALESCE(SUM(debit), 0) - COALESCE(SUM(credit), 0) INTO n, diff
           FROM books_line WHERE transaction_id = tid;
         IF n > 0 AND (n < 2 OR diff <> 0) THEN
           RAISE EXCEPTION 'books: transaction % does not balance (difference %)', tid, diff
             USING ERRCODE = '23514';
         END IF;
         IF n > 0 AND NOT EXISTS (SELECT 1 FROM books_transaction WHERE id = tid) THEN
           RAISE EXCEPTION 'books: lines of transaction % have no header', tid USING ERRCODE = '23514';
         END IF;
         RETURN NULL;
       END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS books_line_append_only ON books_line",
    """CREATE TRIGGER books_line_append_only BEFORE UPDATE OR DELETE ON books_line
       FOR EACH ROW EXECUTE FUNCTION books_refuse_change()""",
    "DROP TRIGGER IF EXISTS books_transaction_append_only ON books_transaction",
    """CREATE TRIGGER books_transaction_append_only BEFORE UPDATE OR DELETE ON books_transaction
       FOR EACH ROW EXECUTE FUNCTION books_refuse_change()""",
    "DROP TRIGGER IF EXISTS books_line_not_into_posted ON books_line",
    """CREATE TRIGGER books_line_not_into_posted BEFORE INSERT ON books_line
       FOR EACH ROW EXECUTE FUNCTION books_line_not_into_posted()""",
    "DROP TRIGGER IF EXISTS books_transaction_check ON books_transaction",
    """CREATE TRIGGER books_transaction_check BEFORE INSERT ON books_transaction
       FOR EACH ROW EXECUTE FUNCTION books_transaction_check()""",
    "DROP TRIGGER IF EXISTS books_line_balanced_at_commit ON books_line",
    """CREATE CONSTRAINT TRIGGER books_line_balanced_at_commit AFTER INSERT OR UPDATE OR DELETE ON books_line
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION books_balanced_at_commit()""",
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS books_line_append_only ON books_line",
    "DROP TRIGGER IF EXISTS books_transaction_append_only ON books_transaction",
    "DROP TRIGGER IF EXISTS books_line_not_into_posted ON books_line",
    "DROP TRIGGER IF EXISTS books_transaction_check ON books_transaction",
    "DROP TRIGGER IF EXISTS books_line_balanced_at_commit ON books_line",
]


def install(connection: Any) -> None:
    statements = POSTGRES if connection.vendor == "postgresql" else SQLITE
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(connection: Any) -> None:
    statements = (POSTGRES_DROP if connection.vendor == "postgresql"
                  else [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_NAMES])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def wipe_for_tests(connection: Any) -> None:
    """Empty the ledger tables, bypassing the triggers (tests that commit, on SQLite, need
    this before Django's flush, which deletes row by row)."""
    uninstall(connection)
    with connection.cursor() as cursor:
        for table in ("grants_onwardrecipient", "grants_onwardtransfer", "grants_spend", "grants_planline",
                      "books_inventoryevent", "books_inventoryitem", "grants_grant",
                      "books_iksallocation", "books_line", "books_transaction"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    install(connection)
