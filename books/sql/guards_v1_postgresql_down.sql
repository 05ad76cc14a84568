-- Removes revision 1 of the ledger guards (PostgreSQL). Frozen with it.

DROP TRIGGER IF EXISTS books_line_append_only ON books_line;
DROP TRIGGER IF EXISTS books_transaction_append_only ON books_transaction;
DROP TRIGGER IF EXISTS books_line_not_into_posted ON books_line;
DROP TRIGGER IF EXISTS books_transaction_check ON books_transaction;
DROP TRIGGER IF EXISTS books_line_balanced_at_commit ON books_line;
