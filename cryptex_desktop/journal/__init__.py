"""The journal: what the app saw and did, per account, in a local SQLite file (no Qt).

:class:`Journal` (``store.py``) records deposit addresses, deposits, withdrawals and
coupons (as intents, then outcomes), redeemed coupons and trades; ``schema.py`` has its
versioned tables, ``records.py`` what it hands back, ``labels.py`` BIP-329 label files.
"""

from __future__ import annotations

from .labels import Label, LabelImport, LabelProblem, LabelProblemReason
from .records import (
    ActivityEntry,
    ActivityKind,
    AddressBookEntry,
    CouponCreatedRecord,
    CouponIntent,
    CouponRedeemedRecord,
    DepositAddressRecord,
    DepositRecord,
    LabelKind,
    Outcome,
    TradeRecord,
    WithdrawalIntent,
    WithdrawalRecord,
)
from .schema import SCHEMA_VERSION, NewerJournalError
from .store import (
    ACTIVITY_COLUMNS,
    ActivityRow,
    Journal,
    JournalClosedError,
    activity_entry,
    journal_name,
)

__all__ = [
    "ACTIVITY_COLUMNS",
    "SCHEMA_VERSION",
    "ActivityEntry",
    "ActivityKind",
    "ActivityRow",
    "AddressBookEntry",
    "CouponCreatedRecord",
    "CouponIntent",
    "CouponRedeemedRecord",
    "DepositAddressRecord",
    "DepositRecord",
    "Journal",
    "JournalClosedError",
    "Label",
    "LabelImport",
    "LabelKind",
    "LabelProblem",
    "LabelProblemReason",
    "NewerJournalError",
    "Outcome",
    "TradeRecord",
    "WithdrawalIntent",
    "WithdrawalRecord",
    "activity_entry",
    "journal_name",
]
