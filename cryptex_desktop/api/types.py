"""What the exchange answers, as frozen dataclasses with ``Decimal`` money and aware datetimes.

Each type has a ``from_wire`` that reads the exchange's JSON leniently (numbers as JSON
numbers or strings, both timestamp shapes, unknown fields ignored) and raises
``ValueError``/``KeyError``/``TypeError`` on anything it cannot read; the client turns
those into :class:`~cryptex_desktop.api.errors.BadResponse`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from cryptex_desktop.i18n import N_, _

from .currencies import CURRENCY_CODE, split_pair
from .money import money_context, to_decimal

#: ``CTX-USD-AnrNiDs1-YuXvcE31-GfurFFvt-I5f1QnQE``: currency, then four groups of eight.
COUPON_CODE = re.compile(r"^CTX-([A-Z]{3,})(?:-[A-Za-z0-9]{8}){4}$")

# YYYYMMDDhhmmss for 1970-01-01 is 19700101000000; Unix seconds stay far below that until
# the year 2600, so the size of the number tells the two shapes apart.
_COMPACT_TIMESTAMP_MIN = 19_000_101_000_000


def parse_timestamp(value: object) -> datetime:
    """An aware UTC datetime from ``YYYYMMDDhhmmss`` or Unix seconds (int or digit string)."""
    if isinstance(value, bool):
        raise ValueError("timestamp is a boolean")
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise ValueError("timestamp is not a whole number")
    if value >= _COMPACT_TIMESTAMP_MIN:
        return datetime.strptime(f"{value:014d}", "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    if value < 0:
        raise ValueError("timestamp is negative")
    return datetime.fromtimestamp(value, tz=UTC)


def compact_timestamp(moment: datetime) -> int:
    """``moment`` as the exchange's ``YYYYMMDDhhmmss`` integer, in UTC."""
    return int(moment.astimezone(UTC).strftime("%Y%m%d%H%M%S"))


def _int(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError("expected a whole number, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError("expected a whole number")


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    raise ValueError("expected text")


def _mapping(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError("expected an object")
    return value


def parse_balances(value: object) -> Mapping[str, Decimal]:
    """``{"BTC": "1.5", ...}`` -> a read-only mapping of currency to Decimal."""
    balances = {str(code).upper(): to_decimal(amount) for code, amount in _mapping(value).items()}
    return MappingProxyType(balances)


class OrderStatus(enum.IntEnum):
    """Where an order stands. Codes the exchange adds later are kept as plain ints."""

    ACTIVE = 0
    PARTLY_FILLED = 1
    FILLED = 2
    CANCELLED = 3


#: Each status in words, marked only: ``_()`` them where they are shown.
ORDER_STATUS_WORDS = {
    OrderStatus.ACTIVE: N_("Open"),
    OrderStatus.PARTLY_FILLED: N_("Partly filled"),
    OrderStatus.FILLED: N_("Filled"),
    OrderStatus.CANCELLED: N_("Cancelled"),
}


@dataclass(frozen=True)
class BalanceSheet:
    """The answer to Info: an amount per currency and how many orders are open."""

    balances: Mapping[str, Decimal]
    open_orders: int

    @classmethod
    def from_wire(cls, data: object) -> BalanceSheet:
        data = _mapping(data)
        return cls(parse_balances(data["balances"]), _int(data.get("open_orders", 0)))


@dataclass(frozen=True)
class Order:
    """One order of this user: ``amount`` asked, ``filled`` so far, at ``price``."""

    order_id: int
    timestamp: datetime
    pair: str
    type: str
    price: Decimal
    amount: Decimal
    filled: Decimal
    status: int

    @classmethod
    def from_wire(cls, data: object) -> Order:
        data = _mapping(data)
        pair = _text(data["pair"]).upper()
        split_pair(pair)
        kind = _text(data["type"]).lower()
        if kind not in ("buy", "sell"):
            raise ValueError("order type is neither buy nor sell")
        status = _int(data.get("status", 0))
        return cls(
            order_id=_int(data["order_id"]),
            timestamp=parse_timestamp(data["timestamp"]),
            pair=pair,
            type=kind,
            price=to_decimal(data["price"]),
            amount=to_decimal(data["amount"]),
            filled=to_decimal(data.get("filled", 0)),
            status=OrderStatus(status) if status in OrderStatus._value2member_map_ else status,
        )

    @property
    def base(self) -> str:
        """The currency bought or sold (BTC in BTC_USD)."""
        return split_pair(self.pair)[0]

    @property
    def quote(self) -> str:
        """The currency the price is in (USD in BTC_USD)."""
        return split_pair(self.pair)[1]

    @property
    def remaining(self) -> Decimal:
        """How much of the order is still waiting to fill."""
        with money_context():
            return max(self.amount - self.filled, Decimal(0))

    @property
    def is_active(self) -> bool:
        """Whether the order can still fill (and be cancelled)."""
        return self.status in (OrderStatus.ACTIVE, OrderStatus.PARTLY_FILLED)

    @property
    def status_text(self) -> str:
        """The status in words; an unknown code is shown, not hidden."""
        word = ORDER_STATUS_WORDS.get(self.status)  # type: ignore[call-overload]
        if word is None:
            return _("Status {code}").format(code=int(self.status))
        return _(word)


@dataclass(frozen=True)
class PlacedOrder:
    """The answer to Trade: the new order's id and the free balances after it."""

    order_id: int
    balances: Mapping[str, Decimal]

    @classmethod
    def from_wire(cls, data: object) -> PlacedOrder:
        data = _mapping(data)
        return cls(_int(data["order"]), parse_balances(data.get("balances", {})))


@dataclass(frozen=True)
class Cancellation:
    """The answer to CancelOrder: which order, and the free balances after it."""

    order_id: int
    balances: Mapping[str, Decimal]

    @classmethod
    def from_wire(cls, data: object) -> Cancellation:
        data = _mapping(data)
        return cls(_int(data["order_id"]), parse_balances(data.get("balances", {})))


@dataclass(frozen=True)
class Trade:
    """One fill from TradeHistory, seen from this user's side.

    ``fee`` is what this user paid on the fill, in ``fee_currency`` (the currency the fill
    paid out to them). The sandbox always says; the live exchange may not, and then both
    are ``None``: unknown, not zero.
    """

    transaction_id: int
    buy_order_id: int
    sell_order_id: int
    timestamp: datetime
    pair: str
    type: str
    price: Decimal
    amount: Decimal
    is_instant_buy: bool
    fee: Decimal | None = None
    fee_currency: str | None = None

    @classmethod
    def from_wire(cls, data: object) -> Trade:
        data = _mapping(data)
        kind = _text(data["type"]).lower()
        if kind not in ("buy", "sell"):
            raise ValueError("trade type is neither buy nor sell")
        pair = _text(data["pair"]).upper()
        split_pair(pair)
        return cls(
            transaction_id=_int(data["transaction_id"]),
            buy_order_id=_int(data.get("buy_order_id", 0)),
            sell_order_id=_int(data.get("sell_order_id", 0)),
            timestamp=parse_timestamp(data["timestamp"]),
            pair=pair,
            type=kind,
            price=to_decimal(data["price"]),
            amount=to_decimal(data["amount"]),
            is_instant_buy=bool(_int(data.get("is_instant_buy", 0))),
            **_fee(data),
        )

    @property
    def total(self) -> Decimal:
        """Price times amount, in the quote currency."""
        with money_context():
            return self.price * self.amount


def _fee(data: Mapping[str, Any]) -> dict[str, Any]:
    """``fee`` and ``fee_currency`` of a fill when both are readable, else both ``None``.

    Optional extras (the live exchange may omit them): a fill with an unreadable fee is
    still a fill, so a bad value makes the fee unknown instead of failing the answer.
    """
    fee, currency = data.get("fee"), data.get("fee_currency")
    if fee is None or fee == "" or not isinstance(currency, str) or not currency.strip():
        return {}
    try:
        amount = to_decimal(fee)
    except ValueError:
        return {}
    code = currency.strip().upper()
    if amount < 0 or not CURRENCY_CODE.match(code):
        return {}
    return {"fee": amount, "fee_currency": code}


@dataclass(frozen=True)
class DepositAddress:
    """A fresh address to deposit ``currency`` to."""

    currency: str
    address: str

    @classmethod
    def from_wire(cls, data: object, currency: str) -> DepositAddress:
        address = _text(_mapping(data)["address"]).strip()
        if not address:
            raise ValueError("empty address")
        return cls(currency, address)


class DepositStatus(enum.IntEnum):
    """A deposit is waiting for confirmations, or credited to the balance."""

    WAITING = 0
    CREDITED = 1


@dataclass(frozen=True)
class Deposit:
    """The latest deposit to one address (DepositInfo)."""

    address: str
    status: int
    amount: Decimal
    confirmations: int
    txid: str

    @classmethod
    def from_wire(cls, data: object, address: str) -> Deposit:
        data = _mapping(data)
        status = _int(data["status"])
        return cls(
            address=address,
            status=DepositStatus(status) if status in DepositStatus._value2member_map_ else status,
            amount=to_decimal(data["amount"]),
            confirmations=_int(data.get("confirmations", 0)),
            txid=_text(data.get("txid", "")),
        )

    @property
    def is_credited(self) -> bool:
        """Whether the amount is in the balance now."""
        return self.status == DepositStatus.CREDITED


@dataclass(frozen=True)
class Transaction:
    """An unconfirmed transaction: deposits have positive, withdrawals negative amounts."""

    id: int
    currency: str
    address: str
    txid: str
    amount: Decimal
    confirmations: int
    timestamp: datetime

    @classmethod
    def from_wire(cls, data: object, currency: str) -> Transaction:
        data = _mapping(data)
        return cls(
            id=_int(data["id"]),
            currency=currency,
            address=_text(data.get("address", "")),
            txid=_text(data.get("txid", "")),
            amount=to_decimal(data["amount"]),
            confirmations=_int(data.get("confirmations", 0)),
            timestamp=parse_timestamp(data["timestamp"]),
        )

    @property
    def is_incoming(self) -> bool:
        """A deposit on its way in (a withdrawal is outgoing)."""
        return self.amount > 0


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawal the exchange accepted; ``status`` is its word for it ("Opened")."""

    currency: str
    amount: Decimal
    address: str
    status: str


@dataclass(frozen=True)
class Coupon:
    """A coupon made by CouponCreate.

    ``code`` is bearer money: it never shows in a repr. When the exchange holds the coupon
    for review, ``held_for_moderation`` is true and there is no code yet.
    """

    currency: str
    amount: Decimal
    code: str | None = field(default=None, repr=False)
    held_for_moderation: bool = False

    @classmethod
    def from_wire(cls, data: object, currency: str, amount: Decimal) -> Coupon:
        if isinstance(data, str):
            if data.strip().lower() == "send_to_moderation":
                return cls(currency, amount, None, True)
            raise ValueError("unexpected coupon answer")
        data = _mapping(data)
        code = _text(data["code"]).strip()
        if not COUPON_CODE.match(code):
            raise ValueError("the coupon code has an unexpected shape")
        return cls(coupon_currency(code) or currency, to_decimal(data.get("amount", amount)), code)


@dataclass(frozen=True)
class Redemption:
    """A redeemed coupon: ``amount`` of ``currency`` credited to this account."""

    currency: str
    amount: Decimal

    @classmethod
    def from_wire(cls, data: object, currency: str) -> Redemption:
        return cls(currency, to_decimal(_mapping(data)["amount"]))


def coupon_currency(code: str) -> str | None:
    """The currency a coupon code is for (``CTX-USD-...`` -> ``USD``), None if malformed."""
    match = COUPON_CODE.match(code.strip())
    return match.group(1) if match else None
