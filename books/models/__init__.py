"""The group's books.

Design (after django-hordak):
- Underneath every money book is one double-entry ledger per group: `Transaction`
  headers and their `Line`s against a small, shared chart of `Account`s. Subledgers
  (a member's savings, one loan, one IKS fund) are dimensions on the line, not extra
  accounts, so 100,000 groups share one chart.
- Lines are whole Rupiah in positive debit/credit columns. The database refuses a
  non-positive or two-sided line (CHECK), an unbalanced transaction, a line added to a
  posted transaction, any UPDATE or DELETE of lines and headers, and a transaction in a
  closed month (triggers, books/triggers.py; on PostgreSQL also a deferred constraint
  trigger that re-checks the balance at commit). A mistake is corrected by a reversing
  transaction that points at the one it reverses.
- Balances are derived (sums of lines); the service that posts checks, under a lock on
  the group, that cash, bank, IKS funds, savings and loans never go below zero.
- The other books (inventory, guests, agenda, work plan, rules) are registers whose
  every change goes through books/services and the audit trail.
"""

from books.models.funds import IksAllocation, IksFund, Loan, LoanStatus
from books.models.ledger import (
    Account,
    AccountRole,
    AccountType,
    Line,
    PeriodClose,
    ReceiptCounter,
    Transaction,
    TxnKind,
)
from books.models.registers import (
    Activity,
    ActivityAttendance,
    ActivityKind,
    Condition,
    GuestEntry,
    InventoryEvent,
    InventoryItem,
    ItemSource,
    RuleVersion,
    WorkPlanItem,
    WorkPlanStatus,
)

__all__ = [
    "Account", "AccountRole", "AccountType", "Activity", "ActivityAttendance", "ActivityKind",
    "Condition", "GuestEntry", "IksAllocation", "IksFund", "InventoryEvent", "InventoryItem",
    "ItemSource", "Line", "Loan", "LoanStatus", "PeriodClose", "ReceiptCounter", "RuleVersion",
    "Transaction", "TxnKind", "WorkPlanItem", "WorkPlanStatus",
]
