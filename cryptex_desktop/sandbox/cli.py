"""``cryptex-sandbox``: run the local exchange and act as its operator from a shell.

The command line is a stable interface (scripts and tests outside the project use it):
``serve``, ``user add``, ``deposit``, ``mine`` and ``coupon list|approve|reject``, each
printing one line of JSON on stdout. Errors are one sentence on stderr and exit code 2.
The operator commands work while a server runs on the same data dir: they share its
SQLite database.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import re
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import FrameType

from cryptex_desktop.api.money import to_decimal, to_wire

from .accounts import DEFAULT_URL
from .exchange import Exchange
from .markets import DEFAULT_FEE
from .server import SandboxServer
from .store import DATABASE_NAME

RATE_LIMIT_ENV = "CRYPTEX_SANDBOX_RATE_LIMIT"
FEE_ENV = "CRYPTEX_SANDBOX_FEE"
DEFAULT_RATE_LIMIT = 50.0
PLAIN_AMOUNT = re.compile(r"[0-9]+(\.[0-9]+)?")

log = logging.getLogger(__name__)


class UsageError(Exception):
    """A command that cannot run as given; the message is the sentence to show."""


def default_data_dir() -> Path:
    """Where the sandbox keeps its database when ``--data-dir`` is not given."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "cryptex-sandbox"


def _amount(text: str, what: str) -> Decimal:
    if not PLAIN_AMOUNT.fullmatch(text):
        raise UsageError(f"{what} must be a plain decimal number such as 0.5, not {text!r}")
    try:
        return to_decimal(text)
    except ValueError:
        raise UsageError(f"{what} is too large: {text}") from None


def _funding(items: list[str]) -> dict[str, Decimal]:
    fund: dict[str, Decimal] = {}
    for item in items:
        code, sep, amount = item.partition("=")
        if not sep or not code:
            raise UsageError(f"--fund takes CUR=AMOUNT, for example BTC=1.5, not {item!r}")
        if code in fund:
            raise UsageError(f"--fund names {code} twice")
        fund[code] = _amount(amount, f"the {code} funding")
    return fund


def _rate_limit_from_env() -> float | None:
    text = os.environ.get(RATE_LIMIT_ENV, "").strip()
    if not text:
        return DEFAULT_RATE_LIMIT
    try:
        rate = float(text)  # requests per second: a rate, not money
    except ValueError:
        rate = -1.0
    if not (math.isfinite(rate) and rate >= 0):
        raise UsageError(
            f"{RATE_LIMIT_ENV} must be a number of requests per second per key "
            f"(0 turns the limit off), not {text!r}"
        )
    return None if rate == 0 else rate


def _fee_from_env() -> Decimal:
    text = os.environ.get(FEE_ENV, "").strip()
    if not text:
        return DEFAULT_FEE
    fee = _amount(text, FEE_ENV) if PLAIN_AMOUNT.fullmatch(text) else Decimal(-1)
    if not 0 <= fee < 1:
        raise UsageError(f"{FEE_ENV} must be a fraction from 0 up to 1 such as 0.002, not {text!r}")
    return fee


def _serve(args: argparse.Namespace) -> int:
    rate_limit = _rate_limit_from_env()
    fee = _fee_from_env()
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server = SandboxServer(
            args.data_dir,
            host=args.host,
            port=args.port,
            block_seconds=args.block_seconds,
            market_maker=not args.no_market_maker,
            rate_limit=rate_limit,
            fee=fee,
        )
        try:
            server.start()
        except OSError as error:
            server.exchange.close()
            reason = (error.strerror or str(error)).lower()
            raise UsageError(f"cannot listen on {args.host}:{args.port}: {reason}") from None
        except BaseException:
            server.exchange.close()
            raise
        try:
            print(server.demo_account.as_json(server.url), flush=True)
            while not stop.wait(0.5):
                pass
            log.info("stopping the sandbox exchange")
        finally:
            server.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _with_exchange(
    args: argparse.Namespace, work: Callable[[Exchange], object], *, must_exist: bool = False
) -> int:
    if must_exist and not (Path(args.data_dir) / DATABASE_NAME).exists():
        raise UsageError(
            f"there is no sandbox in {args.data_dir} yet; start one with: "
            f"cryptex-sandbox serve --data-dir {args.data_dir}"
        )
    exchange = Exchange(args.data_dir)
    try:
        result = work(exchange)
    finally:
        exchange.close()
    print(result if isinstance(result, str) else json.dumps(result), flush=True)
    return 0


def _user_add(args: argparse.Namespace) -> int:
    fund = _funding(args.fund or [])

    def add(exchange: Exchange) -> str:
        account = exchange.create_user(args.name, fund)
        return account.as_json(exchange.recorded_url() or DEFAULT_URL)

    return _with_exchange(args, add)


def _deposit(args: argparse.Namespace) -> int:
    amount = _amount(args.amount, "the amount")

    def deposit(exchange: Exchange) -> dict[str, object]:
        txid = exchange.deposit(args.address, amount)
        return {
            "txid": txid,
            "address": args.address.strip(),
            "amount": to_wire(amount),
            "confirmations": 0,
        }

    return _with_exchange(args, deposit, must_exist=True)


def _mine(args: argparse.Namespace) -> int:
    if args.blocks < 1:
        raise UsageError("--blocks must be 1 or more")
    return _with_exchange(args, lambda exchange: exchange.mine(args.blocks), must_exist=True)


def _coupon_list(args: argparse.Namespace) -> int:
    return _with_exchange(
        args, lambda exchange: exchange.coupons(held_only=args.held), must_exist=True
    )


def _coupon_approve(args: argparse.Namespace) -> int:
    return _with_exchange(args, lambda exchange: exchange.approve_coupon(args.id), must_exist=True)


def _coupon_reject(args: argparse.Namespace) -> int:
    return _with_exchange(args, lambda exchange: exchange.reject_coupon(args.id), must_exist=True)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``cryptex-sandbox`` (its help is the command's manual)."""
    data_dir_help = (
        "the directory of the sandbox's database (default: %(default)s, a per-user data "
        "dir: $XDG_DATA_HOME/cryptex-sandbox or ~/.local/share/cryptex-sandbox on Linux, "
        "~/Library/Application Support/cryptex-sandbox on macOS, "
        "%%LOCALAPPDATA%%\\cryptex-sandbox on Windows)"
    )
    parser = argparse.ArgumentParser(
        prog="cryptex-sandbox",
        description="A local Cryptex exchange for demos and tests: real HTTP API, simulated "
        "blockchain, fake money.",
        epilog=f"Environment for serve: {RATE_LIMIT_ENV} (requests/s per API key, 0 = off, "
        f"default {DEFAULT_RATE_LIMIT:g}), {FEE_ENV} (fee per fill side, default {DEFAULT_FEE}).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="run the exchange until SIGINT/SIGTERM",
        description="Serve the exchange. When ready, print one line of JSON (url, username, "
        "key, secret of the demo account) and serve until SIGINT or SIGTERM.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    serve.add_argument(
        "--port", type=int, default=8765, help="port to bind, 0 for any free one (default 8765)"
    )
    serve.add_argument("--data-dir", type=Path, default=default_data_dir(), help=data_dir_help)
    serve.add_argument(
        "--block-seconds",
        type=float,
        default=10.0,
        help="mine a block every this many seconds, 0 for never (default %(default)s)",
    )
    serve.add_argument(
        "--no-market-maker",
        action="store_true",
        help="no account but the ones people create places orders",
    )
    serve.set_defaults(run=_serve)

    user = commands.add_parser("user", help="manage users", description="Manage users.")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="COMMAND")
    add = user_commands.add_parser(
        "add",
        help="create a user and print its login as JSON",
        description="Create a user with an API key and print the same JSON as serve.",
    )
    add.add_argument("name", metavar="NAME", help="the user name")
    add.add_argument(
        "--fund",
        action="extend",
        nargs="+",
        metavar="CUR=AMOUNT",
        help="give the user money to start with, e.g. --fund BTC=1 USD=500",
    )
    add.add_argument("--data-dir", type=Path, default=default_data_dir(), help=data_dir_help)
    add.set_defaults(run=_user_add)

    deposit = commands.add_parser(
        "deposit",
        help="simulate an incoming transaction to a deposit address",
        description="An incoming transaction to an address GetNewAddress issued, at 0 "
        "confirmations; mine blocks to confirm it.",
    )
    deposit.add_argument("address", metavar="ADDRESS")
    deposit.add_argument("amount", metavar="AMOUNT")
    deposit.add_argument("--data-dir", type=Path, default=default_data_dir(), help=data_dir_help)
    deposit.set_defaults(run=_deposit)

    mine = commands.add_parser(
        "mine",
        help="mine blocks: confirm transactions, credit deposits",
        description="Mine blocks: pending deposits and withdrawals gain confirmations, and "
        "deposits that reach their currency's threshold are credited.",
    )
    mine.add_argument("--blocks", type=int, default=1, help="how many (default %(default)s)")
    mine.add_argument("--data-dir", type=Path, default=default_data_dir(), help=data_dir_help)
    mine.set_defaults(run=_mine)

    coupon = commands.add_parser(
        "coupon",
        help="moderate coupons: list them, approve or reject held ones",
        description="Act as the exchange's staff for coupons held for moderation.",
    )
    coupon_commands = coupon.add_subparsers(
        dest="coupon_command", required=True, metavar="COMMAND"
    )
    listing = coupon_commands.add_parser(
        "list",
        help="print every coupon as JSON (no codes)",
        description="Print every coupon, oldest first, as one line of JSON: id, creator, "
        "currency, amount, recipient, created (UTC) and status (moderation, active or "
        "redeemed). Codes are not kept, so none is shown.",
    )
    listing.add_argument(
        "--held", action="store_true", help="only the coupons held for moderation"
    )
    listing.add_argument("--data-dir", type=Path, default=default_data_dir(), help=data_dir_help)
    listing.set_defaults(run=_coupon_list)
    approve = coupon_commands.add_parser(
        "approve",
        help="release a held coupon and print its code, once",
        description="Release a coupon held for moderation: it becomes redeemable and its "
        "code is printed this once (only a digest is kept), for you to hand to its creator.",
    )
    approve.add_argument("id", metavar="ID", type=int, help="the coupon's id (see coupon list)")
    approve.add_argument("--data-dir", type=Path, default=default_data_dir(), help=data_dir_help)
    approve.set_defaults(run=_coupon_approve)
    reject = coupon_commands.add_parser(
        "reject",
        help="turn a held coupon down: its amount returns to its creator",
        description="Reject a coupon held for moderation: its amount returns to its "
        "creator's free balance and the coupon is deleted.",
    )
    reject.add_argument("id", metavar="ID", type=int, help="the coupon's id (see coupon list)")
    reject.add_argument("--data-dir", type=Path, default=default_data_dir(), help=data_dir_help)
    reject.set_defaults(run=_coupon_reject)
    return parser


def _sentence(text: str) -> str:
    text = text.strip() or "something went wrong"
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def main(argv: list[str] | None = None) -> int:
    """Run ``cryptex-sandbox``; returns the exit code (0 done, 2 refused)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="cryptex-sandbox: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # its queue-depth notes are noise
    try:
        return int(args.run(args))
    except (UsageError, ValueError, OSError, RuntimeError, sqlite3.Error) as error:
        print(_sentence(str(error)), file=sys.stderr, flush=True)
        return 2
    except KeyboardInterrupt:  # Ctrl-C during an operator command (serve handles SIGINT itself)
        print("Interrupted.", file=sys.stderr, flush=True)
        return 2
    except Exception as error:
        print(
            _sentence(f"the sandbox failed unexpectedly ({type(error).__name__})"),
            file=sys.stderr,
            flush=True,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
