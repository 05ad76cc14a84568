"""The posting's fixed statements (books/services/ledger.py), in plain SQL built once from the models.

A cash entry runs about a dozen statements; built by the ORM they cost ~0.3–0.5 ms of Python each,
most of them inside SQLite's write lock, where the statements themselves run in a few hundredths
of a millisecond (bench/RESULTS.md, 2026-12-02). These are the statements the ORM wrote, with the
same values (lib/statements.py converts them field by field), so the ledger's guards see exactly
the same rows: the CHECK constraints, the unique receipt number, the deferred foreign keys and the
triggers of books/sql/ (lines first, header last) refuse what they refused before.

Two differences, both in what Python asks rather than in what the database checks:

- the header's INSERT says `ON CONFLICT (kube, receipt_year, receipt_no) DO NOTHING`: a receipt
  number already taken is learnt from the unique key itself (no row inserted) instead of an
  `EXISTS` before it, and the posting takes the next number or refuses the one typed by hand;
- the database's refusal of the header is answered after the write has rolled back, so no
  savepoint is needed around it.
"""

# ruff: noqa: S608  (the SQL is assembled from model metadata; every value is a parameter)
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.db import connection, connections, router

from books.models import Account, Line, PeriodClose, ReceiptCounter, Transaction
from lib.statements import Insert, Loader, sql
from registry.models import Kube

_LAST_CLOSED = sql("SELECT MAX({c.period}) FROM {c} WHERE {c.kube} = %s", c=PeriodClose)
_ACCOUNTS = Loader(Account)
_ACCOUNTS_SELECT = sql("SELECT ", a=Account) + _ACCOUNTS.columns() + sql(" FROM {a} WHERE ", a=Account)
_ROLE_SET, _ROLE_IN = sql("{a.role} IS NOT NULL", a=Account), sql("{a.role} IN (", a=Account)
_KUBE_LOCK = sql("SELECT {k.status}, {k.formed_on} FROM {k} WHERE {k.id} = %s", k=Kube)
_COUNTER_NEXT = sql("UPDATE {r} SET {r.last} = {r.last} + 1 WHERE {r.kube} = %s AND {r.year} = %s "
                    "RETURNING {r.last}", r=ReceiptCounter)
_COUNTER_SET = sql("UPDATE {r} SET {r.last} = %s WHERE {r.kube} = %s AND {r.year} = %s", r=ReceiptCounter)
LINES = Insert(Line, ["transaction", "kube", "date", "account", "debit", "credit", "member", "loan", "iks_fund"])
HEADER = Insert(Transaction, ["id", "kube", "date", "period", "receipt_year", "receipt_no", "kind", "description",
                              "amount", "reverses", "created_by", "created_at"],
                sql(" ON CONFLICT ({t.kube}, {t.receipt_year}, {t.receipt_no}) DO NOTHING", t=Transaction))


def last_closed_period(kube_id: int) -> int | None:
    with connections[router.db_for_read(PeriodClose)].cursor() as cursor:
        cursor.execute(_LAST_CLOSED, [kube_id])
        row = cursor.fetchone()
    return None if row is None or row[0] is None else int(row[0])


def accounts_with_roles(roles: list[str] | None) -> list[Account]:
    """The chart's accounts that carry one of `roles` (every role when None)."""
    where = _ROLE_SET if roles is None else _ROLE_IN + ", ".join(["%s"] * len(roles)) + ")"
    db = connections[router.db_for_read(Account)]
    with db.cursor() as cursor:
        cursor.execute(_ACCOUNTS_SELECT + where, roles or [])
        return [_ACCOUNTS.load(db, row) for row in cursor.fetchall()]


def kube_lock(kube_id: int) -> tuple[str, date]:
    """The group's status and founding date, its row locked until commit (on SQLite the write lock,
    taken at BEGIN IMMEDIATE, already serialises the writers)."""
    statement = _KUBE_LOCK + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    with connection.cursor() as cursor:
        cursor.execute(statement, [kube_id])
        status, formed_on = cursor.fetchone()
    return status, formed_on if isinstance(formed_on, date) else date.fromisoformat(formed_on)


def counter_next(kube_id: int, year: int) -> int | None:
    """The group's next receipt number of the year in one `UPDATE … RETURNING` (SQLite 3.35+ and
    PostgreSQL): the update itself locks the row until commit. None when the year has no counter yet."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNTER_NEXT, [kube_id, year])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def counter_set(kube_id: int, year: int, last: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_COUNTER_SET, [last, kube_id, year])


@lru_cache(maxsize=8)
def _bucket_statements(member: bool, loan: bool, iks_fund: bool) -> tuple[str, str]:
    """A subledger's sums up to a day and its lines after it: an account's lines, narrowed to a
    member, a loan or a fund where the bucket names one."""
    where = "{l.kube} = %s AND {l.account} = %s"
    for name, named in (("member", member), ("loan", loan), ("iks_fund", iks_fund)):
        if named:
            where += f" AND {{l.{name}}} = %s"
    return (sql("SELECT COALESCE(SUM({l.debit}), 0), COALESCE(SUM({l.credit}), 0) FROM {l} WHERE " + where
                + " AND {l.date} <= %s", l=Line),
            sql("SELECT {l.date}, {l.debit}, {l.credit} FROM {l} WHERE " + where
                + " AND {l.date} > %s ORDER BY {l.date}, {l.id}", l=Line))


class Bucket:
    """One subledger's lines (an account, with its member, loan or fund where given)."""

    def __init__(self, kube_id: int, account_id: int, member_id: int | None, loan_id: int | None,
                 iks_fund_id: int | None) -> None:
        self.statements = _bucket_statements(member_id is not None, loan_id is not None, iks_fund_id is not None)
        self.params: list[Any] = [kube_id, account_id,
                                  *(v for v in (member_id, loan_id, iks_fund_id) if v is not None)]

    def sums_until(self, day: date) -> tuple[int, int]:
        """The debits and credits up to and including `day`."""
        with connection.cursor() as cursor:
            cursor.execute(self.statements[0], [*self.params, day])
            debit, credit = cursor.fetchone()
        return int(debit), int(credit)

    def lines_after(self, day: date) -> list[tuple[date, int, int]]:
        """(date, debit, credit) of the lines after `day`, in the ledger's order."""
        with connection.cursor() as cursor:
            cursor.execute(self.statements[1], [*self.params, day])
            return [(d if isinstance(d, date) else date.fromisoformat(d), int(dr), int(cr))
                    for d, dr, cr in cursor.fetchall()]
