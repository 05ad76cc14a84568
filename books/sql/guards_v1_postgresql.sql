-- Ledger guards, revision 1, PostgreSQL (books/triggers.py explains them).
-- Frozen: installed by migration books/0003. Never edit this file; write revision 2 and a migration.

CREATE OR REPLACE FUNCTION books_refuse_change() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'books: % of % refused; the ledger is append-only', TG_OP, TG_TABLE_NAME
           USING ERRCODE = '23514';
       END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION books_line_not_into_posted() RETURNS trigger AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM books_transaction WHERE id = NEW.transaction_id) THEN
           RAISE EXCEPTION 'books: a posted transaction cannot receive more lines' USING ERRCODE = '23514';
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION books_transaction_check() RETURNS trigger AS $$
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
       END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION books_balanced_at_commit() RETURNS trigger AS $$
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
       END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS books_line_append_only ON books_line;

CREATE TRIGGER books_line_append_only BEFORE UPDATE OR DELETE ON books_line
       FOR EACH ROW EXECUTE FUNCTION books_refuse_change();

DROP TRIGGER IF EXISTS books_transaction_append_only ON books_transaction;

CREATE TRIGGER books_transaction_append_only BEFORE UPDATE OR DELETE ON books_transaction
       FOR EACH ROW EXECUTE FUNCTION books_refuse_change();

DROP TRIGGER IF EXISTS books_line_not_into_posted ON books_line;

CREATE TRIGGER books_line_not_into_posted BEFORE INSERT ON books_line
       FOR EACH ROW EXECUTE FUNCTION books_line_not_into_posted();

DROP TRIGGER IF EXISTS books_transaction_check ON books_transaction;

CREATE TRIGGER books_transaction_check BEFORE INSERT ON books_transaction
       FOR EACH ROW EXECUTE FUNCTION books_transaction_check();

DROP TRIGGER IF EXISTS books_line_balanced_at_commit ON books_line;

CREATE CONSTRAINT TRIGGER books_line_balanced_at_commit AFTER INSERT OR UPDATE OR DELETE ON books_line
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION books_balanced_at_commit();
