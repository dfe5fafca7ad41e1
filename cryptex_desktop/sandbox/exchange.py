"""The sandbox exchange as one object: what the WSGI app, the CLI and tests talk to.

:meth:`Exchange.handle` is the whole API in process: authentication, the nonce, one
method, as one transaction. The other methods are the operator's side (create users,
simulate deposits, mine blocks, audit that no money appeared or vanished).
"""

from __future__ import annotations

import logging
import sqlite3
import time
import traceback
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.api.money import decimals_of, money_context, to_decimal

from . import accounts, api_methods, chain, coupons, engine, market_data, market_maker
from .accounts import Account
from .markets import (
    DEFAULT_FEE,
    DEMO_FUNDING,
    DEMO_USERNAME,
    FEE_ACCOUNT_USERNAME,
    MarketPolicy,
)
from .store import Refusal, Store, amount_of, get_meta, savepoint, set_meta

log = logging.getLogger(__name__)

INTERNAL_ERROR = "internal error"
BUSY_ERROR = "the sandbox exchange is busy: try again in a moment"


def log_internal_error(where: str, error: BaseException) -> None:
    """Log where an unexpected error happened and its traceback, but not its message.

    The message of an arbitrary exception could quote a parameter or a header; the
    type and the code path are enough to find the bug.
    """
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("internal error in %s: %s\n%s", where, type(error).__name__, frames)


def _refusal(message: str) -> dict[str, object]:
    return {"status": "error", "error": message}


def _is_busy(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


class Exchange:
    """A complete local exchange in one data dir; safe to share between threads."""

    def __init__(
        self,
        data_dir: Path | str,
        *,
        fee: Decimal = DEFAULT_FEE,
        moderation_thresholds: dict[str, Decimal] | None = None,
        seed: int | str | None = None,
    ) -> None:
        self.policy = MarketPolicy.with_overrides(fee, moderation_thresholds)
        self.data_dir = Path(data_dir)
        self._store = Store(self.data_dir)
        # The market maker's dice: the same seed replays the same walk and self-trades.
        self.price_walk = market_maker.PriceWalk(
            seed if seed is not None else market_maker.seed_from_environment()
        )
        with self._store.transaction() as tx:
            found = accounts.find_account(tx, FEE_ACCOUNT_USERNAME, kind="fees")
            if found is None:
                found = accounts.create_account(tx, FEE_ACCOUNT_USERNAME, "fees", _now())
            self._fee_account_id = found[0]

    def __repr__(self) -> str:
        return f"Exchange({str(self.data_dir)!r})"

    # -- the operator's side ----------------------------------------------------------------

    def create_user(self, username: str, fund: dict[str, Decimal] | None = None) -> Account:
        """A new user with an API key, funded with ``fund``; ``ValueError`` with a sentence."""
        accounts.check_username(username)
        amounts = _check_funding(fund or {})
        now = _now()
        with self._store.transaction() as tx:
            account_id, account = accounts.create_account(tx, username, "user", now)
            accounts.fund(tx, account_id, amounts, "funded by the operator", now)
        return account

    def demo_account(self) -> Account:
        """The demo user: created and funded on the first call, the same one afterwards."""
        now = _now()
        with self._store.transaction() as tx:
            found = accounts.find_account(tx, DEMO_USERNAME, kind="user")
            if found is not None:
                return found[1]
            account_id, account = accounts.create_account(tx, DEMO_USERNAME, "user", now)
            accounts.fund(tx, account_id, DEMO_FUNDING, "demo funding", now)
            return account

    def deposit(self, address: str, amount: Decimal) -> str:
        """Simulate an incoming transaction to an issued address, at 0 confirmations; its txid.

        ``ValueError`` with a sentence for an unknown address or an impossible amount.
        """
        value = to_decimal(amount)
        with self._store.transaction() as tx:
            return chain.deposit(tx, address, value, _now())

    def mine(self, blocks: int = 1) -> dict[str, object]:
        """Mine blocks: ``{"height", "blocks", "credited": [txid...], "confirmed_withdrawals"}``."""
        with self._store.transaction() as tx:
            return chain.mine(tx, int(blocks), _now())

    def coupons(self, *, held_only: bool = False) -> list[dict[str, object]]:
        """Every coupon (or only those held for moderation), oldest first; no codes."""
        with self._store.snapshot() as tx:
            return coupons.list_coupons(tx, held_only=held_only)

    def approve_coupon(self, coupon_id: int) -> dict[str, object]:
        """Release a held coupon; the result carries its new code, shown this once.

        ``ValueError`` with a sentence when there is no such coupon or it is not held.
        """
        with self._store.transaction() as tx:
            return coupons.approve(tx, int(coupon_id))

    def reject_coupon(self, coupon_id: int) -> dict[str, object]:
        """Turn a held coupon down: its amount returns to its creator's free balance.

        ``ValueError`` with a sentence when there is no such coupon or it is not held.
        """
        with self._store.transaction() as tx:
            return coupons.reject(tx, int(coupon_id))

    def height(self) -> int:
        """How many blocks have been mined in this data dir (by any process)."""
        with self._store.snapshot() as tx:
            return chain.height(tx)

    def best_prices(self, pair: str) -> tuple[Decimal | None, Decimal | None]:
        """(best bid, best ask) of a pair's book right now; ``None`` for an empty side."""
        with self._store.snapshot() as tx:
            return engine.best_prices(tx, pair)

    def refresh_market_maker(self, now: int | None = None) -> None:
        """Walk the market maker's prices, let it trade a little, top its orders up.

        ``now`` (Unix seconds) is for tests that step the walk without waiting for it.
        """
        with self._store.transaction() as tx:
            market_maker.refresh(
                tx, fee_rate=self.policy.fee, fee_account_id=self._fee_account_id,
                now=_now() if now is None else now, walk=self.price_walk,
            )

    def reference_prices(self) -> dict[str, Decimal]:
        """Where the market maker centres its quotes now, per pair."""
        with self._store.snapshot() as tx:
            return market_maker.reference_prices(tx)

    def record_url(self, url: str) -> None:
        """Remember where a server serves this data dir, for ``cryptex-sandbox user add``."""
        with self._store.transaction() as tx:
            set_meta(tx, "server_url", url)

    def recorded_url(self) -> str | None:
        """The url the last server of this data dir recorded, if any."""
        with self._store.snapshot() as tx:
            return get_meta(tx, "server_url")

    def audit(self) -> dict[str, dict[str, Decimal]]:
        """Per currency, what all accounts hold against what came in minus what went out.

        ``held`` = free balances + order reserves + outstanding coupons, over every account
        (users, market maker, fee account); ``expected`` = fundings + credited deposits -
        withdrawals. The exchange conserves money when they are equal for every currency.
        """
        with self._store.snapshot() as tx:
            held = {code: Decimal(0) for code in CURRENCIES}
            expected = {code: Decimal(0) for code in CURRENCIES}
            free_rows = tx.execute("SELECT currency, free FROM balances").fetchall()
            funding_rows = tx.execute("SELECT currency, amount FROM fundings").fetchall()
            reserves = engine.reserved(tx)
            outstanding = coupons.outstanding(tx)
            deposited = chain.credited_deposits(tx)
            withdrawn = chain.withdrawn(tx)
        with money_context():
            for row in free_rows:
                held[row["currency"]] += amount_of(row["free"])
            for row in funding_rows:
                expected[row["currency"]] += amount_of(row["amount"])
            for code in CURRENCIES:
                held[code] += reserves[code] + outstanding.get(code, Decimal(0))
                expected[code] += deposited[code] - withdrawn[code]
        return {code: {"held": held[code], "expected": expected[code]} for code in CURRENCIES}

    def close(self) -> None:
        """Close the database connections of every thread."""
        self._store.close()

    # -- the API ----------------------------------------------------------------------------

    def handle(
        self, method: str, params: dict[str, str], key: str | None, sign: str | None
    ) -> tuple[int, dict[str, object]]:
        """Answer one API request: ``(http_status, {"status": "ok", "data": ...})`` or a refusal.

        ``params`` holds the form fields but ``method`` (the nonce among them). A refused
        signature or nonce changes nothing; any other refusal still uses up the nonce.
        """
        try:
            return self._handle(method, params, key, sign)
        except sqlite3.OperationalError as error:
            if _is_busy(error):
                log.warning("the database stayed locked; answered %s with 503", method)
                return 503, _refusal(BUSY_ERROR)
            log_internal_error(f"API method {str(method)[:40]!r}", error)
            return 500, _refusal(INTERNAL_ERROR)
        except Exception as error:
            log_internal_error(f"API method {str(method)[:40]!r}", error)
            return 500, _refusal(INTERNAL_ERROR)

    def public_market_data(
        self, request: str, pair: str = "", now: int | None = None
    ) -> tuple[int, dict[str, object]]:
        """Answer one public GET: ``request`` is ``tickers``, ``ticker``, ``orderbook`` or
        ``trades`` (of ``pair``, any case). No key, no nonce; an unknown pair is a 404 refusal.
        ``now`` (Unix seconds) is for tests that look at the 24 h window from another day.
        """
        try:
            with self._store.snapshot() as tx:
                now = _now() if now is None else now
                if request == "tickers":
                    data: object = market_data.tickers(tx, now)
                elif request == "ticker":
                    data = market_data.ticker(tx, pair, now)
                elif request == "orderbook":
                    data = market_data.order_book(tx, pair)
                elif request == "trades":
                    data = market_data.trades(tx, pair)
                else:
                    raise Refusal(f"not found: {request[:40]}", http_status=404)
        except Refusal as refused:
            return refused.http_status, _refusal(refused.message)
        except sqlite3.OperationalError as error:
            if _is_busy(error):
                return 503, _refusal(BUSY_ERROR)
            log_internal_error(f"market data {request[:40]!r}", error)
            return 500, _refusal(INTERNAL_ERROR)
        except Exception as error:
            log_internal_error(f"market data {request[:40]!r}", error)
            return 500, _refusal(INTERNAL_ERROR)
        return 200, {"status": "ok", "data": data}

    def _handle(
        self, method: str, params: Mapping[str, str], key: str | None, sign: str | None
    ) -> tuple[int, dict[str, object]]:
        if not key:
            return 200, _refusal("missing key header")
        if not sign:
            return 200, _refusal("missing sign header")
        refusal: Refusal | None = None
        try:
            with self._store.transaction() as tx:
                caller = accounts.authenticate(tx, key, sign, params.get("nonce"))
                context = api_methods.RequestContext(
                    caller, self.policy, self._fee_account_id, _now()
                )
                try:
                    with savepoint(tx):
                        data = api_methods.call(tx, context, method, params)
                except Refusal as refused:
                    refusal = refused  # the operation is undone; the nonce stays used
        except Refusal as refused:
            refusal = refused  # nothing was written
        if refusal is not None:
            return refusal.http_status, _refusal(refusal.message)
        return 200, {"status": "ok", "data": data}


def _now() -> int:
    return int(time.time())


def _check_funding(fund: Mapping[str, object]) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = {}
    for code, value in fund.items():
        currency = CURRENCIES.get(code)
        if currency is None:
            raise ValueError(f"unknown currency: {code}")
        try:
            amount = to_decimal(value)
        except ValueError:
            raise ValueError(f"the {code} funding is not an amount of money") from None
        if amount < 0:
            raise ValueError(f"the {code} funding must not be negative")
        if decimals_of(amount) > currency.decimals:
            raise ValueError(
                f"too many decimals: {code} amounts have at most {currency.decimals} decimals"
            )
        amounts[code] = amount
    return amounts
