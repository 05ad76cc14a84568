-- Removes revision 1 of the ledger guards (SQLite). Frozen with it.

DROP TRIGGER IF EXISTS books_line_append_only_update;
DROP TRIGGER IF EXISTS books_line_append_only_delete;
DROP TRIGGER IF EXISTS books_line_not_into_posted;
DROP TRIGGER IF EXISTS books_transaction_append_only_update;
DROP TRIGGER IF EXISTS books_transaction_append_only_delete;
DROP TRIGGER IF EXISTS books_transaction_balanced;
DROP TRIGGER IF EXISTS books_transaction_period;
