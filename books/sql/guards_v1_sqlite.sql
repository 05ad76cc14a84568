-- Ledger guards, revision 1, SQLite (books/triggers.py explains them).
-- Frozen: installed by migration books/0003. Never edit this file; write revision 2 and a migration.

CREATE TRIGGER IF NOT EXISTS books_line_append_only_update BEFORE UPDATE ON books_line
       BEGIN SELECT RAISE(ABORT, 'books: ledger lines cannot be changed; post a reversal'); END;

CREATE TRIGGER IF NOT EXISTS books_line_append_only_delete BEFORE DELETE ON books_line
       BEGIN SELECT RAISE(ABORT, 'books: ledger lines cannot be deleted; post a reversal'); END;

CREATE TRIGGER IF NOT EXISTS books_line_not_into_posted BEFORE INSERT ON books_line
       WHEN EXISTS (SELECT 1 FROM books_transaction WHERE id = NEW.transaction_id)
       BEGIN SELECT RAISE(ABORT, 'books: a posted transaction cannot receive more lines'); END;

CREATE TRIGGER IF NOT EXISTS books_transaction_append_only_update BEFORE UPDATE ON books_transaction
       BEGIN SELECT RAISE(ABORT, 'books: transactions cannot be changed; post a reversal'); END;

CREATE TRIGGER IF NOT EXISTS books_transaction_append_only_delete BEFORE DELETE ON books_transaction
       BEGIN SELECT RAISE(ABORT, 'books: transactions cannot be deleted; post a reversal'); END;

CREATE TRIGGER IF NOT EXISTS books_transaction_balanced BEFORE INSERT ON books_transaction
       WHEN (SELECT COUNT(*) FROM books_line WHERE transaction_id = NEW.id) < 2
         OR (SELECT SUM(debit) FROM books_line WHERE transaction_id = NEW.id) != NEW.amount
         OR (SELECT SUM(credit) FROM books_line WHERE transaction_id = NEW.id) != NEW.amount
         OR EXISTS (SELECT 1 FROM books_line WHERE transaction_id = NEW.id
                    AND (kube_id != NEW.kube_id OR date != NEW.date))
       BEGIN SELECT RAISE(ABORT, 'books: unbalanced transaction'); END;

CREATE TRIGGER IF NOT EXISTS books_transaction_period BEFORE INSERT ON books_transaction
       WHEN NEW.period != CAST(strftime('%Y%m', NEW.date) AS INTEGER)
         OR EXISTS (SELECT 1 FROM books_periodclose WHERE kube_id = NEW.kube_id AND period >= NEW.period)
       BEGIN SELECT RAISE(ABORT, 'books: the month is closed'); END;
