"""Writes on the books. See ledger.py for the posting rules every money book shares."""

from books.services.closing import period_close, period_lock, period_reopen
from books.services.funds import (
    MeetingSaving,
    MeetingSavings,
    iks_allocate,
    iks_policy_set,
    iks_use,
    loan_disburse,
    loan_repay,
    meeting_savings_record,
    savings_deposit,
    savings_from_coop,
    savings_to_coop,
    savings_withdraw,
)
from books.services.ledger import (
    Leg,
    account_add,
    cash_entry_record,
    cash_transfer,
    check_amount,
    transaction_post,
    transaction_reverse,
)

__all__ = [
    "Leg",
    "MeetingSaving",
    "MeetingSavings",
    "account_add",
    "cash_entry_record",
    "cash_transfer",
    "check_amount",
    "iks_allocate",
    "iks_policy_set",
    "iks_use",
    "loan_disburse",
    "loan_repay",
    "meeting_savings_record",
    "period_close",
    "period_lock",
    "period_reopen",
    "savings_deposit",
    "savings_from_coop",
    "savings_to_coop",
    "savings_withdraw",
    "transaction_post",
    "transaction_reverse",
]
