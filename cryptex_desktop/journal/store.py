"""The journal: one SQLite file per account remembering what the exchange cannot list again.

The exchange's API shows only pending transactions and the latest deposit of an address,
so the app writes down every deposit address it got, every deposit it saw, every
withdrawal and coupon it sent (as an intent before sending, completed with the outcome
after), every coupon it redeemed, and the trade history. A restart, or a kill at any
moment, loses nothing whose call returned.

Durability: WAL mode. What the person did (addresses, withdrawals, coupons, labels) is
committed with ``synchronous=FULL``: an intent must survive a power cut, or the next start
would not know that money may have left. What the exchange can tell again (trades,
deposits seen) is committed with ``synchronous=NORMAL``, which survives the app being
killed and costs no flush; a power cut can only lose the last few of those, and the next
refresh fetches them again.

Threads: one connection guarded by a lock, so any thread may call, one at a time. The UI
calls it on its own worker lane (ui/journal_keeper.py), never on the UI thread, as a flush can take
milliseconds. Every record is one transaction. A long read has SQLite make its texts ahead on
a helper thread with a read-only connection of its own, for that read only (see
``Journal._reads_at_once``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import operator
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

from cryptex_desktop.api.types import Deposit, Redemption, Trade

from . import labels as bip329
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
from .schema import migrate

log = logging.getLogger(__name__)

JOURNALS_DIR = "journals"
DEMO_NAME = "demo"
BUSY_TIMEOUT_MS = 10_000
# A long list's rows are decoded this many at a time (a few milliseconds each; see
# Journal._reads_at_once).
_JSON_ROWS_AT_A_TIME = 5_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(moment: datetime) -> int:
    """An aware datetime as integer microseconds since 1970 UTC (how the journal keeps time)."""
    if moment.tzinfo is None:
        raise ValueError("the journal keeps only aware datetimes")
    return (moment - _EPOCH) // timedelta(microseconds=1)


def moment(value: int) -> datetime:
    """Integer microseconds since 1970 UTC as an aware datetime."""
    return _EPOCH + timedelta(microseconds=value)


def _opt_moment(value: int | None) -> datetime | None:
    return None if value is None else moment(value)


def money_text(amount: Decimal) -> str:
    """The exact text the journal keeps an amount as: positional, trailing zeros kept."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError("the journal keeps money only as a finite Decimal")
    if amount.is_signed() and amount != 0:
        raise ValueError("the journal keeps amounts unsigned; the kind of record says the sign")
    return format(amount.copy_abs(), "f")


def _free_text(text: str) -> str:
    if bip329.looks_like_code(text):
        raise ValueError("a coupon code is never written to the journal")
    return text


def journal_name(exchange_url: str, username: str, is_demo: bool) -> str:
    """The file name (without suffix) of an account's journal: ``demo`` or a hash, never a key.

    A live account is named by a hash of its exchange and username, so the folder does
    not show who the person is; the same account always finds the same file.
    """
    if is_demo:
        return DEMO_NAME
    account = f"{exchange_url.strip().rstrip('/').lower()}\n{username.strip()}"
    return "live-" + hashlib.sha256(account.encode("utf-8")).hexdigest()[:24]


class JournalClosedError(RuntimeError):
    """A call on a journal that was closed."""


class Journal:
    """One account's journal file. Open it with :meth:`for_account`; close it when done."""

    def __init__(self, path: Path | str, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        self._synchronous = ""
        conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,  # the lock serialises callers; the thread may vary
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._set_synchronous(conn, durable=True)
            migrate(conn)
            self._has_json = _has_json_functions(conn)
        except BaseException:
            conn.close()
            raise
        self._conn: sqlite3.Connection | None = conn

    @classmethod
    def for_account(
        cls, data_dir: Path | str, exchange_url: str, username: str, is_demo: bool,
        *, clock: Callable[[], datetime] | None = None,
    ) -> Journal:
        """The journal of the demo account, or of ``username`` on ``exchange_url``."""
        name = journal_name(exchange_url, username, is_demo)
        return cls(Path(data_dir) / JOURNALS_DIR / f"{name}.sqlite3", clock=clock)

    @property
    def account_key(self) -> str:
        """The journal's name (``demo`` or ``live-<hash>``): the keychain entries use it."""
        return self.path.stem

    def coupon_keychain_name(self, coupon_id: int) -> str:
        """The keychain entry a made coupon's code is kept under (the code is never here)."""
        return f"coupon code {self.account_key} #{coupon_id}"

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise JournalClosedError("the journal is closed")
        return self._conn

    def _set_synchronous(self, conn: sqlite3.Connection, *, durable: bool) -> None:
        wanted = "FULL" if durable else "NORMAL"
        if wanted != self._synchronous:
            conn.execute(f"PRAGMA synchronous = {wanted}")
            self._synchronous = wanted

    @contextmanager
    def _write(self, *, durable: bool) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction, flushed to disk at COMMIT when ``durable``."""
        with self._lock:
            conn = self._connection()
            self._set_synchronous(conn, durable=durable)
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection().execute(sql, tuple(params)).fetchall()

    def _reads_at_once(
        self, statements: Sequence[tuple[str, Sequence[Any], int]]
    ) -> Iterator[list[Sequence[Any]]]:
        """The rows of each statement ``(sql, params, width)`` in turn (``width`` columns of
        text, integers or NULL, in any order), each read as one text SQLite makes (a JSON
        array per line), so a long list crosses in one step.

        A row at a time, the sqlite3 module lets other threads run between rows; with the UI
        thread awake, each of 100,000 rows waits for it, and the read takes far longer. Text,
        integers and NULL come back exactly (as str, int and None); each row is a list. The
        lines are decoded a few thousand at a time: one call decoding them all would keep
        the UI thread waiting for the interpreter as long.

        Several statements are read ahead: SQLite makes their texts on a helper thread while
        this one decodes the text before. SQLite works without holding the interpreter, so the
        two overlap on two cores, and a long list is read in little more than the time of its
        decoding. A SQLite without JSON functions is read row by row.
        """
        if not self._has_json:
            for sql, params, _width in statements:
                yield list(self._read(sql, params))
            return
        packed = [(_packed(sql, width), params) for sql, params, width in statements]
        texts = (self._texts_ahead(packed) if len(packed) > 1
                 else (self._read(sql, params)[0][0] for sql, params in packed))
        for text in texts:
            yield _decoded(text)

    def _texts_ahead(self, packed: list[tuple[str, Sequence[Any]]]) -> Iterator[str | None]:
        """The text of each packed statement, in turn, made on a helper thread.

        The helper has a read-only connection of its own and reads every statement in one
        transaction, so the texts show the journal at one moment. An error there is raised
        here; but when the helper cannot read at all (a folder SQLite cannot open by URI,
        such as a Windows network share), the statements are read here, one after another.
        """
        results: queue.SimpleQueue[tuple[str | None, BaseException | None]] = queue.SimpleQueue()
        uri = f"{self.path.resolve().as_uri()}?mode=ro"

        def make_texts() -> None:
            try:
                conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                       isolation_level=None, check_same_thread=False)
                try:
                    conn.execute("BEGIN")
                    for sql, params in packed:
                        results.put((conn.execute(sql, tuple(params)).fetchone()[0], None))
                finally:
                    conn.close()  # which ends the read
            except BaseException as error:  # handed to the reading thread, raised there
                results.put((None, error))

        threading.Thread(target=make_texts, name="journal read-ahead", daemon=True).start()
        for number in range(len(packed)):
            text, error = results.get()
            if error is not None and number == 0:
                log.warning("the journal's read-ahead could not start (%s): reading in turn",
                            type(error).__name__)
                for sql, params in packed:
                    yield self._read(sql, params)[0][0]
                return
            if error is not None:
                raise error
            yield text

    def _now(self, at: datetime | None) -> int:
        return micros(at or self._clock())

    # -- deposit addresses and deposits -------------------------------------------------------

    def record_address(
        self, currency: str, address: str, *, label: str = "", at: datetime | None = None,
    ) -> None:
        """An address the exchange gave for ``currency`` (kept once; a label replaces)."""
        with self._write(durable=True) as tx:
            tx.execute(
                "INSERT OR IGNORE INTO deposit_addresses (currency, address, got_at) "
                "VALUES (?, ?, ?)", (currency, address, self._now(at)),
            )
            if label:
                self._put_label(tx, LabelKind.ADDRESS, address, label)

    def addresses(self, currency: str | None = None) -> list[DepositAddressRecord]:
        """Deposit addresses got, newest first, with their labels."""
        rows = self._read(
            "SELECT a.currency, a.address, a.got_at, COALESCE(l.label, '') "
            "FROM deposit_addresses a LEFT JOIN labels l ON l.kind = 'addr' AND l.ref = a.address "
            "WHERE ?1 IS NULL OR a.currency = ?1 ORDER BY a.got_at DESC, a.id DESC", (currency,),
        )
        return [DepositAddressRecord(c, a, moment(t), lbl) for c, a, t, lbl in rows]

    def latest_address(self, currency: str) -> DepositAddressRecord | None:
        """The address got last for ``currency``, or None if none was ever got."""
        found = self.addresses(currency)
        return found[0] if found else None

    def record_deposit_seen(
        self, currency: str, deposit: Deposit, *, at: datetime | None = None,
    ) -> bool:
        """A deposit seen on one of the addresses; True when it is new or changed.

        The same (address, txid) seen again updates its confirmations, and the moment it is
        first seen credited. An answer without a txid (no deposit yet) records nothing.
        """
        if not deposit.txid:
            return False
        now = self._now(at)
        with self._write(durable=False) as tx:
            tx.execute(
                "INSERT OR IGNORE INTO deposit_addresses (currency, address, got_at) "
                "VALUES (?, ?, ?)", (currency, deposit.address, now),
            )
            before = tx.total_changes
            tx.execute(
                "INSERT INTO deposits (currency, address, txid, amount, confirmations, seen_at, "
                "credited_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (address, txid) DO UPDATE SET amount = excluded.amount, "
                "confirmations = excluded.confirmations, "
                "credited_at = COALESCE(deposits.credited_at, excluded.credited_at) "
                "WHERE deposits.confirmations <> excluded.confirmations "
                "OR deposits.amount <> excluded.amount "
                "OR (deposits.credited_at IS NULL AND excluded.credited_at IS NOT NULL)",
                (currency, deposit.address, deposit.txid, money_text(deposit.amount),
                 deposit.confirmations, now, now if deposit.is_credited else None),
            )
            return tx.total_changes > before

    def deposits(self, currency: str | None = None) -> list[DepositRecord]:
        """Deposits seen, newest first."""
        rows = self._read(
            "SELECT currency, address, txid, amount, confirmations, seen_at, credited_at "
            "FROM deposits WHERE ?1 IS NULL OR currency = ?1 ORDER BY seen_at DESC, id DESC",
            (currency,),
        )
        return [
            DepositRecord(c, a, t, Decimal(amt), conf, moment(seen), _opt_moment(credited))
            for c, a, t, amt, conf, seen, credited in rows
        ]

    # -- withdrawals --------------------------------------------------------------------------

    def begin_withdrawal(self, intent: WithdrawalIntent, *, at: datetime | None = None) -> int:
        """Write the intent before it is sent; the id completes it afterwards."""
        with self._write(durable=True) as tx:
            cursor = tx.execute(
                "INSERT INTO withdrawals (begun_at, currency, amount, address, outcome) "
                "VALUES (?, ?, ?, ?, 'pending')",
                (self._now(at), intent.currency, money_text(intent.amount),
                 _free_text(intent.address)),  # a code pasted as the address stays out
            )
            if intent.label:
                self._put_label(tx, LabelKind.ADDRESS, intent.address, intent.label)
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def complete_withdrawal(
        self, withdrawal_id: int, outcome: Outcome, txid: str | None = None,
        confirmations: int | None = None, *, at: datetime | None = None,
    ) -> None:
        """The outcome of a begun withdrawal, and later its txid and confirmations.

        Called again as reconciliation learns more: ``UNKNOWN`` may become anything; a txid
        or confirmations already known are kept when not given again. ``DONE`` and
        ``REFUSED`` are final: another outcome after them is a ``ValueError``.
        """
        if outcome is Outcome.PENDING:
            raise ValueError("a withdrawal is completed with an outcome, not pending")
        with self._write(durable=True) as tx:
            _check_outcome(tx, "withdrawals", withdrawal_id, outcome)
            cursor = tx.execute(
                "UPDATE withdrawals SET outcome = ?, "
                "completed_at = COALESCE(completed_at, ?), txid = COALESCE(?, txid), "
                "confirmations = COALESCE(?, confirmations) WHERE id = ?",
                (outcome.value, self._now(at), txid, confirmations, withdrawal_id),
            )
            if cursor.rowcount != 1:
                raise KeyError(f"no withdrawal {withdrawal_id} in the journal")

    def withdrawals(self, outcomes: Iterable[Outcome] | None = None) -> list[WithdrawalRecord]:
        """Withdrawals begun, oldest first, optionally only those with some outcomes."""
        where, params = _outcomes_clause("w.outcome", outcomes)
        return self._withdrawals(where, params)

    def withdrawal(self, withdrawal_id: int) -> WithdrawalRecord:
        """One withdrawal by the id :meth:`begin_withdrawal` gave; ``KeyError`` if none."""
        found = self._withdrawals("WHERE w.id = ?", [withdrawal_id])
        if not found:
            raise KeyError(f"no withdrawal {withdrawal_id} in the journal")
        return found[0]

    def _withdrawals(self, where: str, params: list[str | int]) -> list[WithdrawalRecord]:
        rows = self._read(
            "SELECT w.id, w.begun_at, w.currency, w.amount, w.address, COALESCE(l.label, ''), "  # noqa: S608
            "w.outcome, w.completed_at, w.txid, w.confirmations FROM withdrawals w "
            "LEFT JOIN labels l ON l.kind = 'addr' AND l.ref = w.address "
            f"{where} ORDER BY w.id", params,
        )
        return [
            WithdrawalRecord(i, moment(b), c, Decimal(a), addr, lbl, Outcome(o),
                             _opt_moment(done), txid, conf)
            for i, b, c, a, addr, lbl, o, done, txid, conf in rows
        ]

    # -- coupons ------------------------------------------------------------------------------

    def begin_coupon(self, intent: CouponIntent, *, at: datetime | None = None) -> int:
        """Write the intent to make a coupon before it is sent; the id completes it."""
        with self._write(durable=True) as tx:
            cursor = tx.execute(
                "INSERT INTO coupons_made (begun_at, currency, amount, recipient, outcome) "
                "VALUES (?, ?, ?, ?, 'pending')",
                (self._now(at), intent.currency, money_text(intent.amount),
                 _free_text(intent.recipient)),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def complete_coupon(
        self, coupon_id: int, outcome: Outcome, *, held_for_review: bool = False,
        code_kept_in_keychain: bool = False, at: datetime | None = None,
    ) -> None:
        """The outcome of a begun coupon; takes no code, by design.

        ``code_kept_in_keychain``: the UI put the code in the OS keychain (under
        :meth:`coupon_keychain_name`) and "Show code" can find it; false means it was shown
        once and only the person has it.
        """
        if outcome is Outcome.PENDING:
            raise ValueError("a coupon is completed with an outcome, not pending")
        with self._write(durable=True) as tx:
            _check_outcome(tx, "coupons_made", coupon_id, outcome)
            cursor = tx.execute(
                "UPDATE coupons_made SET outcome = ?, held_for_review = ?, "
                "code_kept_in_keychain = ?, completed_at = COALESCE(completed_at, ?) "
                "WHERE id = ?",
                (outcome.value, int(held_for_review), int(code_kept_in_keychain),
                 self._now(at), coupon_id),
            )
            if cursor.rowcount != 1:
                raise KeyError(f"no coupon {coupon_id} in the journal")

    def coupons_made(self, outcomes: Iterable[Outcome] | None = None) -> list[CouponCreatedRecord]:
        """Coupons begun, oldest first, optionally only those with some outcomes."""
        where, params = _outcomes_clause("outcome", outcomes)
        return self._coupons(where, params)

    def coupon(self, coupon_id: int) -> CouponCreatedRecord:
        """One made coupon by the id :meth:`begin_coupon` gave; ``KeyError`` if none."""
        found = self._coupons("WHERE id = ?", [coupon_id])
        if not found:
            raise KeyError(f"no coupon {coupon_id} in the journal")
        return found[0]

    def _coupons(self, where: str, params: list[str | int]) -> list[CouponCreatedRecord]:
        rows = self._read(
            "SELECT id, begun_at, currency, amount, recipient, outcome, held_for_review, "  # noqa: S608
            f"code_kept_in_keychain, completed_at FROM coupons_made {where} ORDER BY id",
            params,
        )
        return [
            CouponCreatedRecord(i, moment(b), c, Decimal(a), r, Outcome(o), bool(held),
                                bool(kept), _opt_moment(done))
            for i, b, c, a, r, o, held, kept, done in rows
        ]

    def record_coupon_redeemed(
        self, redemption: Redemption, *, at: datetime | None = None,
    ) -> int:
        """A coupon redeemed into this account (what it credited; never its code)."""
        with self._write(durable=True) as tx:
            cursor = tx.execute(
                "INSERT INTO coupons_redeemed (redeemed_at, currency, amount) VALUES (?, ?, ?)",
                (self._now(at), redemption.currency, money_text(redemption.amount)),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def coupons_redeemed(self) -> list[CouponRedeemedRecord]:
        rows = self._read(
            "SELECT id, redeemed_at, currency, amount FROM coupons_redeemed ORDER BY id"
        )
        return [CouponRedeemedRecord(i, moment(t), c, Decimal(a)) for i, t, c, a in rows]

    # -- reconciliation -----------------------------------------------------------------------

    def pending_intents(self) -> list[WithdrawalRecord | CouponCreatedRecord]:
        """Money actions begun but never completed (the app stopped in between), oldest first.

        At start the app says their outcome is being checked and reconciles each with
        the exchange, then completes it.
        """
        return self._by_time(
            [*self.withdrawals([Outcome.PENDING]), *self.coupons_made([Outcome.PENDING])]
        )

    def unreconciled(self) -> list[WithdrawalRecord | CouponCreatedRecord]:
        """Pending intents and those whose answer was lost (``UNKNOWN``), oldest first."""
        outcomes = (Outcome.PENDING, Outcome.UNKNOWN)
        return self._by_time([*self.withdrawals(outcomes), *self.coupons_made(outcomes)])

    @staticmethod
    def _by_time(
        records: list[WithdrawalRecord | CouponCreatedRecord],
    ) -> list[WithdrawalRecord | CouponCreatedRecord]:
        return sorted(records, key=lambda record: (record.begun_at, record.id))

    # -- trades -------------------------------------------------------------------------------

    def merge_trades(self, trades: Iterable[Trade]) -> int:
        """Add the fills not yet kept (by transaction id); return how many were new."""
        rows = [
            (t.transaction_id, micros(t.timestamp), t.pair, t.type, money_text(t.price),
             money_text(t.amount), t.buy_order_id, t.sell_order_id, int(t.is_instant_buy),
             None if t.fee is None else money_text(t.fee),
             None if t.fee is None else t.fee_currency)
            for t in trades
        ]
        with self._write(durable=False) as tx:
            before = tx.total_changes
            tx.executemany(
                "INSERT OR IGNORE INTO trades (transaction_id, at, pair, type, price, amount, "
                "buy_order_id, sell_order_id, is_instant_buy, fee, fee_currency) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows,
            )
            return tx.total_changes - before

    def latest_trade_time(self) -> datetime | None:
        """When the newest kept fill happened: History fetches only from there on."""
        value = self._read("SELECT MAX(at) FROM trades")[0][0]
        return _opt_moment(value)

    def trades(self, pair: str | None = None, limit: int | None = None) -> list[TradeRecord]:
        """Kept fills, newest first (History opens with these before asking the exchange)."""
        rows = self._read(
            "SELECT transaction_id, at, pair, type, price, amount, buy_order_id, sell_order_id, "
            "is_instant_buy, fee, fee_currency FROM trades WHERE ?1 IS NULL OR pair = ?1 "
            "ORDER BY at DESC, transaction_id DESC LIMIT ?2",
            (pair, -1 if limit is None else limit),
        )
        return [
            TradeRecord(tid, moment(at), p, kind, Decimal(price), Decimal(amount), buy, sell,
                        bool(instant), None if fee is None else Decimal(fee), fee_cur)
            for tid, at, p, kind, price, amount, buy, sell, instant, fee, fee_cur in rows
        ]

    # -- the combined activity list -----------------------------------------------------------

    def activity(
        self, kind: ActivityKind | None = None, currency: str | None = None,
        since: datetime | None = None, until: datetime | None = None,
        search: str | None = None, limit: int | None = None, offset: int = 0,
        after: ActivityEntry | None = None,
    ) -> list[ActivityEntry]:
        """Everything that moved money, newest first, filtered.

        ``since`` is inclusive and ``until`` exclusive. ``search`` finds text (any case) in
        the label, address, txid, order numbers, market or recipient. ``after``: only the
        entries that come after this one in the list, so a screen reads page after page
        (``limit``) in the time of one, where ``offset`` would read every page before.
        """
        rows = self.activity_rows(kind=kind, currency=currency, since=since, until=until,
                                  search=search, limit=limit, offset=offset, after=after)
        return [activity_entry(row) for row in rows]

    def activity_rows(
        self, kind: ActivityKind | None = None, currency: str | None = None,
        since: datetime | None = None, until: datetime | None = None,
        search: str | None = None, limit: int | None = None, offset: int = 0,
        after: ActivityEntry | None = None, *, fee_last: bool = False,
    ) -> list[ActivityRow]:
        """:meth:`activity` as the plain rows SQLite gives, for :func:`activity_entry` later.

        A 100,000-entry list is read in a fraction of the time its entries take to build, so
        a table keeps these and builds an entry only for a row someone looks at. The columns
        are listed at :data:`ACTIVITY_COLUMNS`. ``fee_last``: entries of one moment and record
        come in the order the Activity table shows them (the fee after its trade, the others
        Z to A) instead of A to Z; ``after`` still takes an entry of the A-to-Z order.
        """
        kinds = list(_ARMS) if kind is None else [ActivityKind(kind)]
        needle = search.strip().lower() if search and search.strip() else None
        arms: list[str] = []
        wheres: list[str] = []
        arm_params: list[list[str | int]] = []
        for arm in (_ARMS[k] for k in kinds):
            values: list[str | int] = []
            arm_params.append(values)
            conditions = [arm.condition] if arm.condition else []
            if currency:
                conditions.append(f"{arm.currency} = ?")
                values.append(currency)
            if since is not None:
                conditions.append(f"{arm.time} >= ?")
                values.append(micros(since))
            if until is not None:
                conditions.append(f"{arm.time} < ?")
                values.append(micros(until))
            if needle is not None:
                conditions.append(f"instr(lower({arm.haystack}), ?) > 0")
                values.append(needle)
            if after is not None:
                # The list's order is (time, record) newest first, then kind A to Z; this
                # arm's kind is one constant, so "after" is a row-value comparison.
                below = "<=" if arm.kind > after.kind.value else "<"
                conditions.append(f"({arm.time}, {arm.record}) {below} (?, ?)")
                values.extend((micros(after.time), after.record_id))
            where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
            wheres.append(where)
            arms.append(f"{arm.select}{where}")
        if limit is None and not offset:
            # The whole list (or all of it after one entry): reading the tables straight and
            # sorting here is faster than SQLite's merge. The arms are in order of kind and
            # the sort is stable, so rows of the same moment and record keep the order the
            # merge gives them.
            order = list(range(len(kinds)))
            if fee_last:  # then the arms in the table's order of ties
                order.sort(key=lambda n: _TABLE_TIE_RANK[kinds[n]], reverse=True)
            # A trade and its fee are one row of one table: read it once for both, unless a
            # filter tells them apart (the fee's currency, the fee being above zero).
            both = (ActivityKind.TRADE in kinds and ActivityKind.FEE in kinds and not currency
                    and needle is None and (after is None or after.kind.value >= "trade"))
            with self._lock:
                # The other arms first: SQLite makes their short texts at once, and the
                # trades' parts while this thread decodes them (see _reads_at_once).
                alone = [n for n in order if not (both and kinds[n] in _TRADE_KINDS)]
                statements: list[tuple[str, Sequence[Any], int]] = [
                    (arms[n], arm_params[n], len(ACTIVITY_COLUMNS)) for n in alone]
                if both:
                    trade = kinds.index(ActivityKind.TRADE)
                    statements += self._trade_statements(wheres[trade], arm_params[trade])
                read = self._reads_at_once(statements)
                by_kind: dict[ActivityKind, list[ActivityRow]] = {kind: [] for kind in kinds}
                for n in alone:
                    by_kind[kinds[n]] = _with_keys(list(map(tuple, next(read))))
                for kept in read:  # the trades' parts
                    trades, fees = _trade_and_fee_rows(kept)
                    by_kind[ActivityKind.TRADE] += trades
                    by_kind[ActivityKind.FEE] += fees
                rows = []
                for n in order:
                    rows += by_kind[kinds[n]]
            # Two stable sorts on ints (record, then moment) take half the time of one on
            # (moment, record) tuples, and give the same order.
            rows.sort(key=_RECORD_OF, reverse=True)
            rows.sort(key=_MOMENT_OF, reverse=True)
        else:
            params = [value for one_arm in arm_params for value in one_arm]
            # Each arm comes in index order and SQLite merges them, so the newest
            # screenful is read without sorting the whole list.
            sql = " UNION ALL ".join(arms) + " ORDER BY 1 DESC, 10 DESC, 2 LIMIT ? OFFSET ?"
            rows = _with_keys(self._read(sql, [*params, -1 if limit is None else limit, offset]))
            if fee_last:
                rows.sort(key=_table_order_key, reverse=True)
        return rows

    def _trade_statements(
        self, where: str, params: list[str | int]
    ) -> list[tuple[str, Sequence[Any], int]]:
        """The reads of the trades table that give the activity list's trade and fee rows,
        a long table in parts of about as many trades each, so one part is decoded while
        SQLite reads the next (see :meth:`_reads_at_once`). ``where`` and ``params`` are the
        trade arm's.

        A trade and its fee are one row of the trades table: read once for both, in half the
        time of their two arms in ``_ARMS`` (most of a read is making Python objects, and
        here the two rows share them). A part's bounds are the ids at its places in the
        table, found by the reading SQLite, so the parts of one read cover every trade once.
        """
        count = self._read("SELECT count(*) FROM trades")[0][0]
        parts = _TRADE_READ_PARTS if count >= _TRADE_READ_PARTS * _TRADE_PART_LEAST else 1
        # The amount signed, as the trade arm has it; last, whether the fee moved anything
        # (the fee arm's condition): 1, 0 or NULL.
        sql = ("SELECT t.at, t.transaction_id, t.pair, t.type, "  # noqa: S608
               "CASE t.type WHEN 'sell' THEN '-' || t.amount ELSE t.amount END, t.fee, "
               "t.fee_currency, t.price, t.buy_order_id, t.sell_order_id, "
               f"{_ARMS[ActivityKind.FEE].condition} FROM trades t{where}")
        statements: list[tuple[str, Sequence[Any], int]] = []
        for part in range(parts):
            bounds, places = [], []
            if part > 0:
                bounds.append(f"t.rowid >= {_TRADE_AT_PLACE}")
                places.append(count * part // parts)
            if part < parts - 1:
                bounds.append(f"t.rowid < {_TRADE_AT_PLACE}")
                places.append(count * (part + 1) // parts)
            joined = " AND ".join(bounds)
            bounded = f"{sql}{' AND ' if where else ' WHERE '}{joined}" if bounds else sql
            statements.append((bounded, [*params, *places], 11))
        return statements

    # -- labels and the address book ----------------------------------------------------------

    def set_label(self, kind: LabelKind, ref: str, label: str) -> None:
        """Name an address or a transaction id; an empty label removes the name."""
        with self._write(durable=True) as tx:
            self._put_label(tx, LabelKind(kind), ref, label)

    def label(self, kind: LabelKind, ref: str) -> str:
        rows = self._read("SELECT label FROM labels WHERE kind = ? AND ref = ?",
                          (LabelKind(kind).value, ref))
        return rows[0][0] if rows else ""

    def _put_label(self, tx: sqlite3.Connection, kind: LabelKind, ref: str, label: str,
                   origin: str | None = None, spendable: bool | None = None) -> None:
        _free_text(ref), _free_text(label), _free_text(origin or "")
        if not label and origin is None and spendable is None:
            tx.execute("DELETE FROM labels WHERE kind = ? AND ref = ?", (kind.value, ref))
            return
        tx.execute(
            "INSERT INTO labels (kind, ref, label, origin, spendable) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, ref) DO UPDATE SET label = excluded.label, "
            "origin = COALESCE(excluded.origin, labels.origin), "
            "spendable = COALESCE(excluded.spendable, labels.spendable)",
            (kind.value, ref, label, origin, None if spendable is None else int(spendable)),
        )

    def address_book(self, currency: str | None = None) -> list[AddressBookEntry]:
        """Addresses money was withdrawn to, with their labels, the most recently used first."""
        rows = self._read(
            "SELECT w.address, w.currency, COALESCE(l.label, ''), COUNT(*), MAX(w.begun_at) "
            "FROM withdrawals w LEFT JOIN labels l ON l.kind = 'addr' AND l.ref = w.address "
            "WHERE w.outcome = 'done' AND (?1 IS NULL OR w.currency = ?1) "
            "GROUP BY w.address, w.currency ORDER BY MAX(w.begun_at) DESC", (currency,),
        )
        return [AddressBookEntry(a, c, lbl, n, moment(t)) for a, c, lbl, n, t in rows]

    def is_known_destination(self, address: str) -> bool:
        """Whether money was withdrawn to ``address`` before (the confirm step can say so)."""
        return bool(self._read(
            "SELECT 1 FROM withdrawals WHERE address = ? AND outcome = 'done' LIMIT 1", (address,)
        ))

    def export_labels(self) -> str:
        """Every label as BIP-329 JSON lines (addresses first, then transactions)."""
        rows = self._read(
            "SELECT kind, ref, label, origin, spendable FROM labels ORDER BY kind, ref"
        )
        return bip329.export_lines(
            Label(LabelKind(k), r, lbl, o, None if s is None else bool(s))
            for k, r, lbl, o, s in rows
        )

    def import_labels(self, text: str) -> LabelImport:
        """Merge BIP-329 JSON lines into the labels: a line's label replaces the one kept.

        Never raises on bad input: lines it cannot read are reported with their number.
        All readable lines are written in one transaction.
        """
        found, problems = bip329.read_lines(text)
        kept = 0
        with self._write(durable=True) as tx:
            for item in found:
                try:
                    self._put_label(tx, item.kind, item.ref, item.label, item.origin,
                                    item.spendable)
                except (ValueError, sqlite3.IntegrityError):
                    problems.append(LabelProblem(_line_of(text, item),
                                                 LabelProblemReason.LOOKS_LIKE_CODE))
                    continue
                kept += 1
        return LabelImport(kept, tuple(sorted(problems, key=lambda p: p.line)))


def _outcomes_clause(
    column: str, outcomes: Iterable[Outcome] | None,
) -> tuple[str, list[str | int]]:
    """``WHERE column IN (?, ...)`` for some outcomes (none given: no clause, all rows)."""
    if outcomes is None:
        return "", []
    wanted: list[str | int] = [Outcome(outcome).value for outcome in outcomes]
    if not wanted:
        return "WHERE 0", []
    return f"WHERE {column} IN ({', '.join('?' * len(wanted))})", wanted


_FINAL = (Outcome.DONE.value, Outcome.REFUSED.value)


def _check_outcome(tx: sqlite3.Connection, table: str, record_id: int, outcome: Outcome) -> None:
    """Refuse to change a final outcome: what was done or refused stays so."""
    row = tx.execute(f"SELECT outcome FROM {table} WHERE id = ?", (record_id,)).fetchone()  # noqa: S608
    if row is None:
        raise KeyError(f"no record {record_id} in the journal's {table}")
    if row[0] in _FINAL and row[0] != outcome.value:
        raise ValueError(f"record {record_id} of {table} is already {row[0]}")


def _line_of(text: str, item: Label) -> int:
    """The number of the first line that reads as ``item`` (for a problem found on writing)."""
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if bip329.read_line(line) == item:
            return number
    return 0


_LABEL_OF = (
    "COALESCE((SELECT label FROM labels WHERE kind = 'tx' AND ref = {txid}), "
    "(SELECT label FROM labels WHERE kind = 'addr' AND ref = {address}), '')"
)
_DEPOSIT_LABEL = _LABEL_OF.format(txid="d.txid", address="d.address")
_WITHDRAWAL_LABEL = _LABEL_OF.format(txid="w.txid", address="w.address")


#: The kinds in their place A to Z, which an entry's key holds in its low bits.
_KIND_PLACES = {kind: place for place, kind in enumerate(sorted(ActivityKind))}
_KIND_BITS = 3
assert len(_KIND_PLACES) <= 1 << _KIND_BITS


# SQLite's integers have 64 bits: a bigger key (an exchange's transaction id near 2**63) is
# left NULL there and made in Python (see _with_keys).
_SQL_KEY_MAX_RECORD = (1 << (63 - _KIND_BITS)) - 1


def _key_sql(kind: ActivityKind, record: str) -> str:
    """The SQL of an entry's key (see :data:`ACTIVITY_COLUMNS`): NULL when it would not fit."""
    return (f"CASE WHEN {record} BETWEEN 0 AND {_SQL_KEY_MAX_RECORD} "
            f"THEN ({record} << {_KIND_BITS}) + {_KIND_PLACES[kind]} END")


def _with_keys(rows: list[ActivityRow]) -> list[ActivityRow]:
    """``rows``, each with its key: the few SQLite left NULL are made here."""
    if None not in map(_KEY_OF, rows):
        return rows
    return [row if row[-1] is not None else (*row[:-1], _entry_key(row[9], _KINDS[row[1]]))
            for row in rows]


def _entry_key(record_id: int, kind: ActivityKind) -> int:
    return (record_id << _KIND_BITS) + _KIND_PLACES[kind]


_TRADE_KINDS = frozenset({ActivityKind.TRADE, ActivityKind.FEE})
# A trades table of at least this many parts of this many trades is read in parts (see
# Journal._trade_statements); the id of the trade at a place (0: the lowest id).
_TRADE_READ_PARTS = 4
_TRADE_PART_LEAST = 2_000
_TRADE_AT_PLACE = "(SELECT rowid FROM trades ORDER BY rowid LIMIT 1 OFFSET ?)"


def _trade_and_fee_rows(
    kept: list[Sequence[Any]],
) -> tuple[list[ActivityRow], list[ActivityRow]]:
    """The trade and fee rows of the activity list from rows of the trades table read by
    ``Journal._trade_statements``: the same as their arms in ``_ARMS`` would give."""
    base = _BaseOfPair()
    # The keys as _entry_key makes them, written out: a call per row would cost more here.
    trade, fee_kind = _KIND_PLACES[ActivityKind.TRADE], _KIND_PLACES[ActivityKind.FEE]
    trades = [
        (at, "trade", base[pair], amount, fee, fee_cur, pair, "", side, tid, None, None, buy,
         sell, price, (tid << _KIND_BITS) + trade)
        for at, tid, pair, side, amount, fee, fee_cur, price, buy, sell, _moved in kept
    ]
    # A fee of zero moved nothing: no row.
    fees = [
        (at, "fee", fee_cur, "-" + fee, None, None, pair, "", side, tid, None, None, buy,
         sell, None, (tid << _KIND_BITS) + fee_kind)
        for at, tid, pair, side, _amount, fee, fee_cur, _price, buy, sell, moved in kept
        if moved
    ]
    return trades, fees


def _packed(sql: str, width: int) -> str:
    """``sql`` (``width`` columns) as one text: a JSON array per row, a line each.

    JSON text has no raw line break (json_array escapes it), so one ends each row.
    """
    names = ", ".join(f"c{n}" for n in range(width))
    return (f"WITH r({names}) AS ({sql}) "  # noqa: S608
            f"SELECT group_concat(json_array({names}), char(10)) FROM r")


def _decoded(text: str | None) -> list[Sequence[Any]]:
    """The rows of a text :func:`_packed` made, decoded a few thousand at a time."""
    if text is None:
        return []
    lines = text.split("\n")
    rows: list[Sequence[Any]] = []
    for start in range(0, len(lines), _JSON_ROWS_AT_A_TIME):
        rows += json.loads(f"[{','.join(lines[start:start + _JSON_ROWS_AT_A_TIME])}]")
    return rows


def _has_json_functions(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has ``json_array`` (built in since 3.38; an option before)."""
    try:
        conn.execute("SELECT json_array(1)")
    except sqlite3.OperationalError:
        return False
    return True


@dataclass(frozen=True)
class _ActivityArm:
    """How one table gives rows of the activity list: its SELECT and what filters read."""

    kind: str
    select: str
    time: str
    record: str
    currency: str
    haystack: str
    condition: str = ""


#: The columns of an activity row, in order (``at`` in microseconds since 1970 UTC, money
#: as exact text, the amount signed). Last, the entry's key: one int naming the entry in
#: every read, its record id times 8 plus its kind's place A to Z (a trade and its fee share
#: a record, not a kind), so a table needs no key of its own for 100,000 rows.
ACTIVITY_COLUMNS = (
    "at", "kind", "currency", "amount", "fee", "fee_currency", "description", "label",
    "status", "record_id", "address", "txid", "buy_order_id", "sell_order_id", "price", "key",
)
#: One row of :meth:`Journal.activity_rows`, in the order of :data:`ACTIVITY_COLUMNS`.
ActivityRow = tuple[Any, ...]
_ARMS = {
    ActivityKind.COUPON_MADE: _ActivityArm(
        "coupon_made",
        "SELECT c.begun_at, 'coupon_made', c.currency, '-' || c.amount, NULL, NULL, c.recipient, "  # noqa: S608
        "'', CASE WHEN c.held_for_review THEN 'held_for_review' ELSE c.outcome END, c.id, NULL, "
        "NULL, NULL, NULL, NULL, "
        f"{_key_sql(ActivityKind.COUPON_MADE, 'c.id')} FROM coupons_made c",
        "c.begun_at", "c.id", "c.currency", "c.recipient",
    ),
    ActivityKind.COUPON_REDEEMED: _ActivityArm(
        "coupon_redeemed",
        "SELECT r.redeemed_at, 'coupon_redeemed', r.currency, r.amount, NULL, NULL, '', '', "  # noqa: S608
        "'done', r.id, NULL, NULL, NULL, NULL, NULL, "
        f"{_key_sql(ActivityKind.COUPON_REDEEMED, 'r.id')} FROM coupons_redeemed r",
        "r.redeemed_at", "r.id", "r.currency", "''",
    ),
    ActivityKind.DEPOSIT: _ActivityArm(
        "deposit",
        "SELECT d.seen_at, 'deposit', d.currency, d.amount, NULL, NULL, d.address, "  # noqa: S608
        f"{_DEPOSIT_LABEL}, "
        "CASE WHEN d.credited_at IS NULL THEN 'waiting' ELSE 'credited' END, d.id, d.address, "
        f"d.txid, NULL, NULL, NULL, {_key_sql(ActivityKind.DEPOSIT, 'd.id')} FROM deposits d",
        "d.seen_at", "d.id", "d.currency",
        f"d.address || ' ' || d.txid || ' ' || {_DEPOSIT_LABEL}",
    ),
    ActivityKind.FEE: _ActivityArm(
        "fee",
        "SELECT t.at, 'fee', t.fee_currency, '-' || t.fee, NULL, NULL, t.pair, '', t.type, "  # noqa: S608
        "t.transaction_id, NULL, NULL, t.buy_order_id, t.sell_order_id, NULL, "
        f"{_key_sql(ActivityKind.FEE, 't.transaction_id')} FROM trades t",
        "t.at", "t.transaction_id", "t.fee_currency",
        "t.pair || ' ' || t.transaction_id || ' ' || t.buy_order_id || ' ' || t.sell_order_id",
        "t.fee GLOB '*[1-9]*'",  # a fee of zero moved nothing
    ),
    ActivityKind.TRADE: _ActivityArm(
        "trade",
        "SELECT t.at, 'trade', substr(t.pair, 1, instr(t.pair, '_') - 1), "  # noqa: S608
        "CASE t.type WHEN 'sell' THEN '-' || t.amount ELSE t.amount END, t.fee, t.fee_currency, "
        "t.pair, '', t.type, t.transaction_id, NULL, NULL, t.buy_order_id, t.sell_order_id, "
        f"t.price, {_key_sql(ActivityKind.TRADE, 't.transaction_id')} FROM trades t",
        "t.at", "t.transaction_id", "substr(t.pair, 1, instr(t.pair, '_') - 1)",
        "t.pair || ' ' || t.transaction_id || ' ' || t.buy_order_id || ' ' || t.sell_order_id",
    ),
    ActivityKind.WITHDRAWAL: _ActivityArm(
        "withdrawal",
        "SELECT w.begun_at, 'withdrawal', w.currency, '-' || w.amount, NULL, NULL, "  # noqa: S608
        f"w.address, {_WITHDRAWAL_LABEL}, w.outcome, w.id, w.address, "
        f"w.txid, NULL, NULL, NULL, {_key_sql(ActivityKind.WITHDRAWAL, 'w.id')} "
        "FROM withdrawals w",
        "w.begun_at", "w.id", "w.currency",
        f"w.address || ' ' || COALESCE(w.txid, '') || ' ' || {_WITHDRAWAL_LABEL}",
    ),
}

assert list(_ARMS) == sorted(_ARMS, key=lambda kind: kind.value), "arms in order of kind"
assert all(kind.value == arm.kind for kind, arm in _ARMS.items())
_MOMENT_OF = operator.itemgetter(0)  # at
_RECORD_OF = operator.itemgetter(9)  # record_id
_KEY_OF = operator.itemgetter(len(ACTIVITY_COLUMNS) - 1)
_KINDS = {kind.value: kind for kind in ActivityKind}
_NEW_ENTRY = object.__new__
_SET = object.__setattr__


class _BaseOfPair(dict[str, str]):
    """``BTC`` for ``BTC_USD``, worked out once per market."""

    def __missing__(self, pair: str) -> str:
        base = self[pair] = pair[: pair.index("_")]
        return base


# The Activity table's order of entries sharing a moment and record, last to first.
_TABLE_TIE_RANK = {kind: (kind is not ActivityKind.FEE, kind.value) for kind in ActivityKind}


def _table_order_key(row: ActivityRow) -> tuple[int, int, bool, str]:
    return (row[0], row[9], row[1] != "fee", row[1])


def activity_entry(row: ActivityRow) -> ActivityEntry:
    """One row of :meth:`Journal.activity_rows` as an :class:`ActivityEntry`.

    Built without the dataclass's per-field setattr.

    The frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``;
    filling its ``__dict__`` at once is several times faster, which a 100,000-row list needs.
    """
    (at, kind, currency, amount, fee, fee_currency, description, label, status, record_id,
     address, txid, buy_order, sell_order, price, _key) = row
    entry = _NEW_ENTRY(ActivityEntry)
    _SET(entry, "__dict__", {
        "time": _EPOCH + timedelta(microseconds=at),
        "kind": _KINDS[kind],
        "currency": currency,
        "amount": Decimal(amount),
        "fee": None if fee is None else Decimal(fee),
        "fee_currency": fee_currency,
        "description": description,
        "label": label,
        "status": status,
        "record_id": record_id,
        "address": address,
        "txid": txid,
        "order_ids": () if buy_order is None else (buy_order, sell_order),
        "price": None if price is None else Decimal(price),
    })
    return entry
