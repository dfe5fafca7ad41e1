"""The twelve API methods: read and check each parameter strictly, then run the operation.

Each method is ``(tx, context, params) -> data``; a refusal is a :class:`Refusal` whose
message uses the contract's exact wording. Parameters arrive as strings; an empty string
counts as absent. Values are strict where the contract allows: amounts and prices are
plain decimals (``0.5``, never ``5e-1``), ``type`` is ``buy``/``sell``, ``order`` is
``ASC``/``DESC`` in capitals, pair and currency codes are exact.

Default sort orders: ActiveOrders oldest first (ASC, the book's time priority);
TradeHistory and UnconfirmedTransactions newest first (DESC).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from cryptex_desktop.api import addresses
from cryptex_desktop.api.currencies import CURRENCIES, PAIRS, Currency, Pair
from cryptex_desktop.api.money import decimals_of, money_context, to_decimal, to_wire

from . import accounts, chain, coupons, engine
from .accounts import Caller
from .markets import MarketPolicy
from .store import Refusal, Tx

PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1
MAX_COUNT = 1000
FLAG_VALUES = {"1": True, "TRUE": True, "YES": True, "0": False, "FALSE": False, "NO": False}
#: A request parameter longer than this is not worth reading.
MAX_PARAM_CHARS = 1000
#: Echoed user input is cut to this length in refusals.
MAX_ECHO_CHARS = 40
#: Unix seconds below this, YYYYMMDDhhmmss (14 digits) from it.
COMPACT_TIMESTAMP_FROM = 10**13


@dataclass(frozen=True)
class RequestContext:
    """Who asks, when, and under which market policy."""

    caller: Caller
    policy: MarketPolicy
    fee_account_id: int
    now: int


Method = Callable[[Tx, RequestContext, Mapping[str, str]], object]


def _echo(text: str) -> str:
    """User input shown back in a refusal: short and on one line."""
    shown = text.replace("\n", " ").replace("\r", " ")
    return shown if len(shown) <= MAX_ECHO_CHARS else shown[: MAX_ECHO_CHARS - 1] + "…"


def _param(params: Mapping[str, str], name: str, *, required: bool) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise Refusal(f"missing parameter: {name}")
        return None
    if len(value) > MAX_PARAM_CHARS:
        raise Refusal(f"malformed parameter: {name} (longer than {MAX_PARAM_CHARS} characters)")
    return value


def _required(params: Mapping[str, str], name: str) -> str:
    value = _param(params, name, required=True)
    assert value is not None
    return value


def _pair(params: Mapping[str, str], *, required: bool) -> Pair | None:
    code = _param(params, "pair", required=required)
    if code is None:
        return None
    pair = PAIRS.get(code)
    if pair is None:
        raise Refusal(f"unknown pair: {_echo(code)}")
    return pair


def _currency(params: Mapping[str, str], *, required: bool = True) -> Currency | None:
    code = _param(params, "currency", required=required)
    if code is None:
        return None
    currency = CURRENCIES.get(code)
    if currency is None:
        raise Refusal(f"unknown currency: {_echo(code)}")
    return currency


def _positive_number(params: Mapping[str, str], name: str) -> Decimal:
    text = _required(params, name)
    if not PLAIN_NUMBER.fullmatch(text):
        raise Refusal(f"malformed parameter: {name} (not a plain decimal number such as 0.5)")
    try:
        number = to_decimal(text)
    except ValueError:
        raise Refusal(f"malformed parameter: {name} (the number is too large)") from None
    if number <= 0:
        raise Refusal(f"malformed parameter: {name} (must be greater than 0)")
    return number


def _amount(params: Mapping[str, str], currency: Currency, name: str = "amount") -> Decimal:
    amount = _positive_number(params, name)
    if decimals_of(amount) > currency.decimals:
        raise Refusal(
            f"too many decimals: {currency.code} amounts have at most {currency.decimals} decimals"
        )
    if amount < currency.minimum:
        raise Refusal(
            f"amount below minimum: {to_wire(amount)} {currency.code} is less than "
            f"{to_wire(currency.minimum)} {currency.code}"
        )
    return amount


def _price(params: Mapping[str, str], pair: Pair) -> Decimal:
    price = _positive_number(params, "price")
    if decimals_of(price) > pair.price_decimals:
        raise Refusal(
            f"too many decimals: prices of {pair.code} have at most {pair.price_decimals} decimals"
        )
    return price


def _whole(params: Mapping[str, str], name: str, *, required: bool) -> int | None:
    text = _param(params, name, required=required)
    if text is None:
        return None
    if not WHOLE_NUMBER.fullmatch(text) or int(text) > MAX_ID:
        raise Refusal(f"malformed parameter: {name} (must be a whole number)")
    return int(text)


def _order_id(params: Mapping[str, str]) -> int:
    order_id = _whole(params, "order_id", required=True)
    assert order_id is not None
    return order_id


def _descending(params: Mapping[str, str], *, default: bool) -> bool:
    text = _param(params, "order", required=False)
    if text is None:
        return default
    if text not in ("ASC", "DESC"):
        raise Refusal("malformed parameter: order (must be ASC or DESC)")
    return text == "DESC"


def _flag(params: Mapping[str, str], name: str) -> bool:
    text = _param(params, name, required=False)
    if text is None:
        return False
    value = FLAG_VALUES.get(text.upper())
    if value is None:
        raise Refusal(f"malformed parameter: {name} (must be 0, 1, TRUE, FALSE, YES or NO)")
    return value


def _time(params: Mapping[str, str], name: str) -> int | None:
    """Unix seconds, or ``YYYYMMDDhhmmss`` (UTC) told apart by size."""
    value = _whole(params, name, required=False)
    if value is None or value < COMPACT_TIMESTAMP_FROM:
        return value
    try:
        moment = datetime.strptime(str(value), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        raise Refusal(
            f"malformed parameter: {name} (Unix seconds or a valid YYYYMMDDhhmmss time)"
        ) from None
    return int(moment.timestamp())


def _balances_to_wire(balances: Mapping[str, Decimal]) -> dict[str, str]:
    return {code: to_wire(amount) for code, amount in balances.items()}


# ----------------------------------------------------------------------------- the methods


def info(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """Balances (free, or with what orders and moderated coupons hold) and open orders."""
    with_reserves = _flag(params, "with_reserves")
    account_id = ctx.caller.account_id
    balances = accounts.free_balances(tx, account_id)
    if with_reserves:
        with money_context():
            held_by_orders = engine.reserved(tx, account_id)
            held_by_coupons = coupons.held_for_moderation(tx, account_id)
            for held in (held_by_orders, held_by_coupons):
                for code, amount in held.items():
                    balances[code] += amount
    return {
        "balances": _balances_to_wire(balances),
        "open_orders": engine.open_order_count(tx, account_id),
    }


def get_new_address(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """A fresh deposit address of a crypto currency."""
    currency = _currency(params)
    assert currency is not None
    return {"address": chain.issue_address(tx, ctx.caller.account_id, currency.code, ctx.now)}


def deposit_info(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """The latest deposit to one of the caller's addresses."""
    address = _required(params, "address")
    return chain.deposit_info(tx, ctx.caller.account_id, address)


def withdraw(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """Send crypto to an outside address; the amount leaves the free balance at once."""
    currency = _currency(params)
    assert currency is not None
    if not currency.is_crypto or not addresses.supports_addresses(currency.code):
        raise Refusal(f"no withdrawals for fiat currency {currency.code}")
    amount = _amount(params, currency)
    text = _required(params, "address")
    try:
        address = addresses.normalize_address(currency.code, text)
    except ValueError as error:
        raise Refusal(f"bad address: {error}") from None
    chain.withdraw(tx, ctx.caller.account_id, currency.code, amount, address, ctx.now)
    return "Opened"


def active_orders(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """The caller's orders that can still fill."""
    pair = _pair(params, required=False)
    descending = _descending(params, default=False)
    return engine.active_orders(
        tx, ctx.caller.account_id, None if pair is None else pair.code, descending
    )


def unconfirmed_transactions(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """Pending deposits (positive) and withdrawals (negative), per currency."""
    pair = _pair(params, required=False)
    currency = _currency(params, required=False)
    if pair is not None and currency is not None:
        raise Refusal("malformed parameter: currency (give a pair or a currency, not both)")
    descending = _descending(params, default=True)
    if pair is not None:
        wanted = [pair.base, pair.quote]
    elif currency is not None:
        wanted = [currency.code]
    else:
        wanted = list(CURRENCIES)
    return chain.unconfirmed(tx, ctx.caller.account_id, wanted, descending)


def order_info(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """One of the caller's orders, keyed by its id as a string."""
    order_id = _order_id(params)
    return {str(order_id): engine.order_info(tx, ctx.caller.account_id, order_id)}


def cancel_order(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """Cancel an active order of the caller; its reserve returns to the free balance."""
    order_id = _order_id(params)
    engine.cancel_order(tx, ctx.caller.account_id, order_id)
    return {
        "order_id": order_id,
        "balances": _balances_to_wire(accounts.free_balances(tx, ctx.caller.account_id)),
    }


def trade_history(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """The caller's fills, newest first by default."""
    pair = _pair(params, required=False)
    since = _time(params, "since")
    end = _time(params, "end")
    count = _whole(params, "count", required=False)
    if count is not None and not 1 <= count <= MAX_COUNT:
        raise Refusal(f"malformed parameter: count (must be from 1 to {MAX_COUNT})")
    descending = _descending(params, default=True)
    return engine.trade_history(
        tx,
        ctx.caller.account_id,
        pair=None if pair is None else pair.code,
        since=since,
        end=end,
        count=MAX_COUNT if count is None else count,
        descending=descending,
    )


def trade(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """Place a limit order; it may fill at once, in part or in whole."""
    pair = _pair(params, required=True)
    assert pair is not None
    side = _required(params, "type")
    if side not in ("buy", "sell"):
        raise Refusal("malformed parameter: type (must be buy or sell)")
    price = _price(params, pair)
    amount = _amount(params, CURRENCIES[pair.base])
    order_id = engine.place_order(
        tx,
        ctx.caller.account_id,
        pair,
        side,
        price,
        amount,
        fee_rate=ctx.policy.fee,
        fee_account_id=ctx.fee_account_id,
        now=ctx.now,
    )
    return {
        "balances": _balances_to_wire(accounts.free_balances(tx, ctx.caller.account_id)),
        "order": order_id,
    }


def coupon_create(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """Turn part of the free balance into a coupon code (or hold it for moderation)."""
    currency = _currency(params)
    assert currency is not None
    amount = _amount(params, currency)
    recipient = _param(params, "recipient", required=False)
    recipient_id = None
    if recipient is not None:
        recipient_id = accounts.find_user_id(tx, recipient)
        if recipient_id is None:
            raise Refusal(f"unknown recipient: {_echo(recipient)}")
    return coupons.create(
        tx, ctx.caller.account_id, currency.code, amount, recipient_id, ctx.policy, ctx.now
    )


def coupon_redeem(tx: Tx, ctx: RequestContext, params: Mapping[str, str]) -> object:
    """Credit a coupon to the caller, once."""
    code = _required(params, "code")
    return coupons.redeem(tx, ctx.caller.account_id, code, ctx.now)


METHODS: dict[str, Method] = {
    "Info": info,
    "GetNewAddress": get_new_address,
    "DepositInfo": deposit_info,
    "Withdraw": withdraw,
    "ActiveOrders": active_orders,
    "UnconfirmedTransactions": unconfirmed_transactions,
    "OrderInfo": order_info,
    "CancelOrder": cancel_order,
    "TradeHistory": trade_history,
    "Trade": trade,
    "CouponCreate": coupon_create,
    "CouponRedeem": coupon_redeem,
}


def call(tx: Tx, ctx: RequestContext, method: str, params: Mapping[str, str]) -> object:
    """Run one API method for an authenticated caller; refusals raise :class:`Refusal`."""
    if not method:
        raise Refusal("missing parameter: method")
    operation = METHODS.get(method)
    if operation is None:
        raise Refusal(f"unknown method: {_echo(method)}")
    return operation(tx, ctx, params)
