"""Fuzzing every API method: any request gets ``ok`` or a refusal in the contract's shape.

Hypothesis throws valid-looking and hostile parameters at all twelve methods (missing,
empty, huge, negative, exponents, unicode, NaN, many decimals, wrong pairs, SQL-ish
text...), and hostile authentication, through :meth:`Exchange.handle` in process and, for
a sample, over HTTP. The answer is always ``{"status": "ok", "data": ...}`` or
``{"status": "error", "error": "<a reason>"}``, HTTP is never 500, and a refusal changes
no balance: neither the account's (free and reserved) nor the exchange's audit.
"""

from __future__ import annotations

import itertools
import json
import os
import string
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryptex_desktop.api.addresses import new_address
from cryptex_desktop.api.currencies import CURRENCIES, PAIRS
from cryptex_desktop.api.signing import sign
from cryptex_desktop.sandbox import Account, SandboxServer
from cryptex_desktop.sandbox.coupons import new_code
from tests.plugins.trust_figures import add_figure

#: How many cases each test tries; CRYPTEX_FUZZ_SCALE=10 tries ten times as many.
SCALE = max(1, int(os.environ.get("CRYPTEX_FUZZ_SCALE", "1") or 1))
IN_PROCESS_EXAMPLES = 1000 * SCALE
HTTP_EXAMPLES = 150 * SCALE

METHOD_PARAMS: dict[str, tuple[str, ...]] = {
    "Info": ("with_reserves",),
    "GetNewAddress": ("currency",),
    "DepositInfo": ("address",),
    "Withdraw": ("amount", "address", "currency"),
    "ActiveOrders": ("pair", "order"),
    "UnconfirmedTransactions": ("pair", "currency", "order"),
    "OrderInfo": ("order_id",),
    "CancelOrder": ("order_id",),
    "TradeHistory": ("pair", "since", "end", "count", "order"),
    "Trade": ("pair", "type", "price", "amount"),
    "CouponCreate": ("currency", "amount", "recipient"),
    "CouponRedeem": ("code",),
}
READ_ONLY = {"Info", "DepositInfo", "ActiveOrders", "UnconfirmedTransactions", "OrderInfo",
             "TradeHistory"}
RICH = {"BTC": Decimal("1000"), "LTC": Decimal("100000"), "USD": Decimal("100000000"),
        "EUR": Decimal("100000000"), "RUR": Decimal("10000000000")}
SQLISH = ["' OR '1'='1", "1; DROP TABLE balances; --", "\" OR 1=1 --", "1) UNION SELECT * "
          "FROM api_keys --", "%' --", "'; UPDATE balances SET free='999999999'; --"]


@dataclass
class FuzzTarget:
    """The exchange under fuzzing, the account it acts as, and what that account owns."""

    server: SandboxServer
    account: Account
    other_user: str
    order_ids: list[int]
    addresses: list[str]
    codes: list[str]

    def __post_init__(self) -> None:
        self._nonces = itertools.count(1)
        self._lock = threading.Lock()
        self.last_nonce = 0

    def fresh_nonce(self) -> int:
        with self._lock:
            self.last_nonce = next(self._nonces)
            return self.last_nonce

    def signed(self, method: str, params: dict[str, str]) -> tuple[int, dict]:
        """A correctly signed in-process call with a fresh nonce."""
        nonce = self.fresh_nonce()
        params = {**params, "nonce": str(nonce)}
        account = self.account
        return self.server.exchange.handle(
            method, params, account.key, sign(account.secret, nonce, account.username,
                                              account.key)
        )

    def balances(self) -> tuple[object, object]:
        """The account's free balances and its balances with reserves, with open orders."""
        states = []
        for flag in ("0", "1"):
            status, body = self.signed("Info", {"with_reserves": flag})
            assert (status, body["status"]) == (200, "ok"), body
            states.append(body["data"])
        return states[0], states[1]

    def audit(self) -> dict:
        audit = self.server.exchange.audit()
        for code, sums in audit.items():
            assert sums["held"] == sums["expected"], (code, sums)
        return audit


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    server = SandboxServer(
        tmp_path_factory.mktemp("fuzz-sandbox"),
        port=0, block_seconds=0, market_maker=True, rate_limit=None,
    )
    server.start()
    try:
        exchange = server.exchange
        account = exchange.create_user("fuzzer", dict(RICH))
        exchange.create_user("friend", {"USD": Decimal("1")})
        fuzz = FuzzTarget(server, account, "friend", [], [], [])

        def ok(method: str, params: dict[str, str]) -> object:
            status, body = fuzz.signed(method, params)
            assert (status, body["status"]) == (200, "ok"), body
            return body["data"]

        for price in ("60000", "61000"):
            placed = ok("Trade", {"pair": "BTC_USD", "type": "buy", "price": price,
                                  "amount": "0.01"})
            fuzz.order_ids.append(int(placed["order"]))
        for currency in ("BTC", "LTC"):
            fuzz.addresses.append(ok("GetNewAddress", {"currency": currency})["address"])
        exchange.deposit(fuzz.addresses[0], Decimal("0.5"))
        for amount in ("1", "2", "3"):
            fuzz.codes.append(ok("CouponCreate", {"currency": "USD", "amount": amount})["code"])
        yield fuzz
    finally:
        server.stop()


# -- what hostile and valid-looking values look like ---------------------------------------

HOSTILE_TEXT = st.sampled_from([
    "", " ", "\t", "\n", "\x00", "0", "-0", "-1", "-0.5", "1e3", "5e-1", "1E+2", "NaN", "nan",
    "sNaN", "Infinity", "-inf", "0x10", "1_000", "1,5", "１２３", "٣", "½", "+1", ".5", "5.",
    "0." + "0" * 30 + "1", "9" * 40, "9" * 1001, "1" * 5000, "1.123456789123456789",
    "null", "None", "true", "[]", "{}", "😀", "Ω", "ＢＴＣ", "btc", "usd", "BTC_XYZ", "USD_BTC",
    "btc_usd", "BTC-USD", "BTC USD", " BTC_USD", "BTC_USD ", "ASC ", "asc", "desc", "BUY",
    "Sell", *SQLISH,
]) | st.text(max_size=40) | st.text(alphabet=string.printable, max_size=12)

NUMBERS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(repr),
    st.from_regex(r"-?[0-9]{0,22}(\.[0-9]{0,20})?", fullmatch=True),
    st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal("100"), places=8).map(str),
)


def valid_looking(name: str, target: FuzzTarget) -> st.SearchStrategy[str]:
    """Values a well-meaning client might send for one parameter."""
    choices: dict[str, st.SearchStrategy[str]] = {
        "with_reserves": st.sampled_from(["0", "1", "TRUE", "false", "Yes", "no", "2"]),
        "currency": st.sampled_from([*CURRENCIES, "XRP"]),
        "pair": st.sampled_from([*PAIRS, "BTC_LTC"]),
        "order": st.sampled_from(["ASC", "DESC"]),
        "type": st.sampled_from(["buy", "sell"]),
        "address": st.sampled_from(target.addresses) | st.builds(
            new_address, st.sampled_from(["BTC", "LTC"])),
        "amount": NUMBERS | st.sampled_from(["0.01", "1", "0.0001", "0.001", "100000000000"]),
        "price": NUMBERS | st.sampled_from(["65000", "60000.5", "85.1234", "0.00130000"]),
        "order_id": st.sampled_from([str(i) for i in target.order_ids]) | st.integers(
            min_value=0, max_value=2**64).map(str),
        "since": st.integers(min_value=0, max_value=10**15).map(str) | st.sampled_from(
            ["20240101000000", "20241399000000", "99999999999999"]),
        "end": st.integers(min_value=0, max_value=10**15).map(str),
        "count": st.integers(min_value=-5, max_value=2000).map(str),
        "recipient": st.sampled_from([target.other_user, "fuzzer", "nobody", "~fees",
                                      "~market-maker"]),
        "code": st.sampled_from(target.codes) | st.builds(
            new_code, st.sampled_from(["USD", "BTC", "XXX"])),
    }
    return choices[name]


def valid(name: str, target: FuzzTarget) -> st.SearchStrategy[str]:
    """Values the exchange should accept for one parameter (so that ``ok`` paths run too)."""
    small = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("2"), places=3)
    choices: dict[str, st.SearchStrategy[str]] = {
        "with_reserves": st.sampled_from(["0", "1", "TRUE", "false", "Yes", "no"]),
        "currency": st.sampled_from(["BTC", "LTC", "USD", "EUR"]),
        "pair": st.sampled_from(sorted(PAIRS)),
        "order": st.sampled_from(["ASC", "DESC"]),
        "type": st.sampled_from(["buy", "sell"]),
        "address": st.sampled_from(target.addresses),
        "amount": small.map(str),
        "price": st.decimals(min_value=Decimal("0.01"), max_value=Decimal("70000"),
                             places=2).map(str),
        "order_id": st.sampled_from([str(i) for i in target.order_ids]),
        "since": st.integers(min_value=0, max_value=2_000_000_000).map(str),
        "end": st.integers(min_value=0, max_value=2_000_000_000).map(str),
        "count": st.integers(min_value=1, max_value=1000).map(str),
        "recipient": st.just(target.other_user),
        "code": st.sampled_from(target.codes),
    }
    return choices[name]


@st.composite
def requests_to(draw: st.DrawFn, target: FuzzTarget) -> tuple[str, dict[str, str]]:
    """A method and its parameters: all valid, valid but one, or each anything at all."""
    method = draw(st.sampled_from(sorted(METHOD_PARAMS) * 4 + [
        "", "info", "INFO", "AcriveOrders", "Trade ", "__init__", "call", *SQLISH]))
    names = METHOD_PARAMS.get(method, ("pair", "amount"))
    mode = draw(st.sampled_from(["valid", "valid but one", "anything"]))
    params: dict[str, str] = {}
    for name in names:
        if mode == "anything":
            value = draw(st.none() | valid_looking(name, target) | HOSTILE_TEXT)
        else:
            value = draw(valid(name, target))
        if value is not None:
            params[name] = value
    if mode == "valid but one":
        name = draw(st.sampled_from(names))
        value = draw(st.none() | valid_looking(name, target) | HOSTILE_TEXT)
        params.pop(name, None)
        if value is not None:
            params[name] = value
    if method == "UnconfirmedTransactions" and mode != "anything":
        params.pop(draw(st.sampled_from(["pair", "currency"])), None)  # one or the other
    extras = draw(st.dictionaries(
        st.sampled_from(["foo", "pair", "currency", "amount", "data", "status", "key", "sign"]),
        HOSTILE_TEXT, max_size=2 if mode == "anything" else 0))
    for name, value in extras.items():
        params.setdefault(name, value)
    return method, params


#: How a request is signed: mostly correctly, sometimes not at all.
AUTHENTICATION = st.sampled_from(
    ["valid"] * 12 + ["stale nonce", "malformed nonce", "no nonce", "bad sign", "no key",
                      "no sign", "unknown key", "another user's signature"])


Signed = tuple[str | None, str | None, str | None]


def sign_as(target: FuzzTarget, how: str, draw: st.DrawFn) -> Signed:
    """(key, sign, nonce) for a request authenticated ``how``; only "valid" may be accepted."""
    account = target.account
    nonce = target.fresh_nonce()
    good = sign(account.secret, nonce, account.username, account.key)
    if how == "valid":
        return account.key, good, str(nonce)
    if how == "stale nonce":
        stale = max(0, target.last_nonce - draw(st.integers(min_value=1, max_value=10**6)))
        return account.key, sign(account.secret, stale, account.username, account.key), str(stale)
    if how == "malformed nonce":
        text = draw(st.sampled_from(["-1", "abc", "1e5", str(2**63), "1.0", " 5", "０"]))
        return account.key, good, text
    if how == "no nonce":
        return account.key, good, None
    if how == "bad sign":
        return account.key, draw(st.text(alphabet="0123456789ABCDEF", min_size=64,
                                         max_size=64)), str(nonce)
    if how == "no key":
        return None, good, str(nonce)
    if how == "no sign":
        return account.key, None, str(nonce)
    if how == "unknown key":
        return "0" * 32, good, str(nonce)
    return account.key, sign("not the secret", nonce, account.username, account.key), str(nonce)


def check_contract_shape(status: int, body: object, target: FuzzTarget) -> bool:
    """Assert the answer is ``ok`` or a refusal as the contract says; True when refused."""
    assert status != 500, body
    assert isinstance(body, dict), body
    if body.get("status") == "ok":
        assert status == 200
        assert set(body) == {"status", "data"}
        return False
    assert set(body) == {"status", "error"}, body
    assert body["status"] == "error"
    assert isinstance(body["error"], str) and body["error"].strip(), body
    # A refusal never repeats a secret or a coupon code.
    for secret in (target.account.secret, target.account.key, *target.codes):
        assert secret not in body["error"]
    return True


def check_call(target: FuzzTarget, method: str, status: int, body: object, before) -> None:
    """The answer's shape; a refusal (or a read) left the balances and the audit as they were."""
    balances_before, audit_before = before
    refused = check_contract_shape(status, body, target)
    add_figure("fuzz answers that were refusals" if refused else "fuzz answers that were ok")
    audit_after = target.audit()
    if refused or method in READ_ONLY:
        assert target.balances() == balances_before
        assert audit_after == audit_before


@settings(max_examples=IN_PROCESS_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_method_answers_any_parameters_with_ok_or_a_refusal_that_changes_nothing(
    target, data
):
    add_figure("fuzz cases tried in process (Exchange.handle)")
    method, params = data.draw(requests_to(target))
    how = data.draw(AUTHENTICATION)
    before = (target.balances(), target.audit())
    key, signature, nonce = sign_as(target, how, data.draw)
    if nonce is not None:
        params = {**params, "nonce": nonce}
    status, body = target.server.exchange.handle(method, params, key, signature)
    assert status == 200, body  # the contract: a refusal of the API is an HTTP 200 too
    if how != "valid":
        assert body["status"] == "error", (how, body)
    check_call(target, method, status, json.loads(json.dumps(body)), before)


@settings(max_examples=HTTP_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_over_http_any_request_gets_the_contracts_shape_and_never_a_server_error(target, data):
    add_figure("fuzz cases tried over HTTP")
    method, params = data.draw(requests_to(target))
    how = data.draw(AUTHENTICATION)
    before = (target.balances(), target.audit())
    key, signature, nonce = sign_as(target, how, data.draw)
    headers = {name: value for name, value in (("Key", key), ("Sign", signature)) if value}
    if data.draw(st.integers(min_value=0, max_value=3)):
        form = {"method": method, **params}
        if nonce is not None:
            form["nonce"] = nonce
        response = requests.post(target.server.url, data=form, headers=headers, timeout=30)
    else:  # a body that is not what a client would send: raw bytes as a form
        raw = data.draw(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
        response = requests.post(
            target.server.url, data=raw, timeout=30,
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code != 500, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    if how != "valid":
        assert body["status"] == "error", (how, body)
    check_call(target, method, response.status_code, body, before)
