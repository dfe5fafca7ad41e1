"""What the journal keeps, as frozen dataclasses with ``Decimal`` money and aware UTC datetimes.

Intents (:class:`WithdrawalIntent`, :class:`CouponIntent`) are what the app is about to
send; the other records are what the journal read back. None of them has a field for a
coupon code, an API key or a secret: there is nowhere to put one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from cryptex_desktop.api.types import Trade


class Outcome(enum.StrEnum):
    """How a money action ended, as far as the app knows.

    ``PENDING``: begun, no answer recorded yet (the app may have been killed while sending).
    ``UNKNOWN``: sent, but the answer was lost; it stays so until reconciled with the exchange.
    """

    PENDING = "pending"
    DONE = "done"
    REFUSED = "refused"
    UNKNOWN = "unknown"


class ActivityKind(enum.StrEnum):
    """One kind of row in the combined activity list."""

    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"
    TRADE = "trade"
    FEE = "fee"
    COUPON_MADE = "coupon_made"
    COUPON_REDEEMED = "coupon_redeemed"


class LabelKind(enum.StrEnum):
    """What a label is attached to, with BIP-329's names: an address or a transaction id."""

    ADDRESS = "addr"
    TRANSACTION = "tx"


@dataclass(frozen=True)
class WithdrawalIntent:
    """A withdrawal about to be sent: ``label`` names the destination in the address book."""

    currency: str
    amount: Decimal
    address: str
    label: str = ""


@dataclass(frozen=True)
class CouponIntent:
    """A coupon about to be made: ``recipient`` is who the person means it for (free text)."""

    currency: str
    amount: Decimal
    recipient: str = ""


@dataclass(frozen=True)
class DepositAddressRecord:
    """A deposit address the exchange gave, when, and the label the person gave it."""

    currency: str
    address: str
    got_at: datetime
    label: str = ""


@dataclass(frozen=True)
class DepositRecord:
    """A deposit seen on one address; ``credited_at`` is None while it waits for confirmations."""

    currency: str
    address: str
    txid: str
    amount: Decimal
    confirmations: int
    seen_at: datetime
    credited_at: datetime | None = None


@dataclass(frozen=True)
class WithdrawalRecord:
    """A withdrawal the app sent (or began to send), with its outcome and, later, its txid."""

    id: int
    begun_at: datetime
    currency: str
    amount: Decimal
    address: str
    label: str
    outcome: Outcome
    completed_at: datetime | None = None
    txid: str | None = None
    confirmations: int | None = None


@dataclass(frozen=True)
class CouponCreatedRecord:
    """A coupon the app made (or began to make). The code itself is never here.

    ``code_kept_in_keychain`` says whether "Show code" can find it again in the OS keychain;
    when false the code was shown once and only the person has it. ``held_for_review``: the
    exchange held the coupon for moderation, so no code was issued yet.
    """

    id: int
    begun_at: datetime
    currency: str
    amount: Decimal
    recipient: str
    outcome: Outcome
    held_for_review: bool = False
    code_kept_in_keychain: bool = False
    completed_at: datetime | None = None


@dataclass(frozen=True)
class CouponRedeemedRecord:
    """A coupon redeemed into this account: what it credited, and when."""

    id: int
    redeemed_at: datetime
    currency: str
    amount: Decimal


@dataclass(frozen=True)
class TradeRecord:
    """One fill of the trade history as the journal keeps it (see :class:`Trade`)."""

    transaction_id: int
    timestamp: datetime
    pair: str
    type: str
    price: Decimal
    amount: Decimal
    buy_order_id: int
    sell_order_id: int
    is_instant_buy: bool
    fee: Decimal | None = None
    fee_currency: str | None = None

    @classmethod
    def from_trade(cls, trade: Trade) -> TradeRecord:
        return cls(
            transaction_id=trade.transaction_id, timestamp=trade.timestamp, pair=trade.pair,
            type=trade.type, price=trade.price, amount=trade.amount,
            buy_order_id=trade.buy_order_id, sell_order_id=trade.sell_order_id,
            is_instant_buy=trade.is_instant_buy, fee=trade.fee, fee_currency=trade.fee_currency,
        )

    def to_trade(self) -> Trade:
        """The :class:`Trade` the History model shows, as if just fetched."""
        return Trade(
            transaction_id=self.transaction_id, buy_order_id=self.buy_order_id,
            sell_order_id=self.sell_order_id, timestamp=self.timestamp, pair=self.pair,
            type=self.type, price=self.price, amount=self.amount,
            is_instant_buy=self.is_instant_buy, fee=self.fee, fee_currency=self.fee_currency,
        )


@dataclass(frozen=True)
class AddressBookEntry:
    """A withdrawal destination used before: its label, how often, and when last."""

    address: str
    currency: str
    label: str
    times_used: int
    last_used_at: datetime


@dataclass(frozen=True)
class ActivityEntry:
    """One row of the combined activity list: everything that moved money, newest first.

    ``amount`` is signed: positive came in, negative went out. A trade is in the market's
    base currency (``description`` is the market, e.g. ``BTC_USD``, and ``price`` its price);
    its fee is also its own ``FEE`` row, so that "show me my fees" is a filter. For a
    deposit or withdrawal ``description`` is the address, for a coupon the recipient.
    ``description`` is data, not a sentence: the screen words it. ``record_id`` is the row
    of its own table (a withdrawal's or coupon's id, a trade's transaction id).
    """

    time: datetime
    kind: ActivityKind
    currency: str
    amount: Decimal
    fee: Decimal | None
    fee_currency: str | None
    description: str
    label: str
    status: str
    record_id: int
    address: str | None
    txid: str | None
    order_ids: tuple[int, ...]
    price: Decimal | None
