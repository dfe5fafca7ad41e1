"""``cryptex-sandbox`` as scripts use it: serve in the background, operate on the same data dir."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from cryptex_desktop.api.signing import sign

CLI = [sys.executable, "-m", "cryptex_desktop.sandbox.cli"]


class ServeProcess:
    """``cryptex-sandbox serve`` running as a child process, and its one line of JSON."""

    def __init__(self, data_dir: Path, *extra: str, env: dict[str, str] | None = None) -> None:
        self.stderr_path = data_dir.parent / f"{data_dir.name}-serve-stderr.txt"
        self.stderr = open(self.stderr_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [*CLI, "serve", "--port", "0", "--data-dir", str(data_dir), *extra],
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env={**os.environ, **(env or {})},
        )
        self.login = json.loads(self._first_line(timeout=30))

    def _first_line(self, timeout: float) -> str:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            self.process.kill()
            pytest.fail(f"serve printed nothing in {timeout} s: {self.stderr_path.read_text()}")
        return self.process.stdout.readline().decode()

    def post(self, method: str, nonce: int, **params: str) -> requests.Response:
        login = self.login
        return requests.post(
            login["url"],
            data={"method": method, "nonce": nonce, **params},
            headers={
                "Key": login["key"],
                "Sign": sign(login["secret"], nonce, login["username"], login["key"]),
            },
            timeout=10,
        )

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        """Send ``signum``; the exit code and whatever else went to stdout."""
        self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        assert self.process.stdout is not None
        rest = self.process.stdout.read().decode()
        self.process.stdout.close()
        self.stderr.close()
        return code, rest


@pytest.fixture
def serve(tmp_path: Path):
    """Start ``serve`` processes that are stopped after the test whatever happens."""
    started: list[ServeProcess] = []

    def start(*extra: str, data_dir: Path | None = None, env=None) -> ServeProcess:
        started.append(ServeProcess(data_dir or tmp_path / "data", *extra, env=env))
        return started[-1]

    yield start
    for each in started:
        if each.process.poll() is None:
            each.process.kill()
            each.process.wait(timeout=30)
        if not each.stderr.closed:
            each.stderr.close()
        if each.process.stdout and not each.process.stdout.closed:
            each.process.stdout.close()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60)


def test_serve_prints_the_demo_login_answers_signed_requests_and_stops_on_sigterm(serve):
    server = serve("--block-seconds", "0", "--no-market-maker")
    assert set(server.login) == {"url", "username", "key", "secret"}
    assert server.login["url"].startswith("http://127.0.0.1:")
    assert server.login["url"].endswith("/api/v1")
    assert server.login["username"] == "demo"
    info = server.post("Info", 1).json()
    assert info["data"]["balances"]["BTC"] == "2"
    assert server.stop(signal.SIGTERM) == (0, "")
    assert "Traceback" not in server.stderr_path.read_text()


def test_serve_stops_cleanly_on_sigint_and_reads_its_rate_limit_from_the_environment(serve):
    server = serve("--block-seconds", "0", env={"CRYPTEX_SANDBOX_RATE_LIMIT": "0.5"})
    assert server.post("Info", 1).status_code == 200
    limited = server.post("Info", 2)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert server.stop(signal.SIGINT) == (0, "")
    assert "Traceback" not in server.stderr_path.read_text()


def test_operator_commands_work_on_the_data_dir_of_a_running_server(serve, tmp_path: Path):
    server = serve("--block-seconds", "0", "--no-market-maker")
    data_dir = str(tmp_path / "data")

    added = run_cli("user", "add", "carol", "--fund", "USD=100", "BTC=0.5", "--data-dir", data_dir)
    assert added.returncode == 0, added.stderr
    carol = json.loads(added.stdout)
    assert carol["url"] == server.login["url"] and carol["username"] == "carol"
    assert added.stdout.count("\n") == 1

    def call(method: str, nonce: int, **params: str) -> dict:
        signature = sign(carol["secret"], nonce, "carol", carol["key"])
        return requests.post(
            carol["url"],
            data={"method": method, "nonce": nonce, **params},
            headers={"Key": carol["key"], "Sign": signature},
            timeout=10,
        ).json()["data"]

    assert call("Info", 1)["balances"]["USD"] == "100"
    address = call("GetNewAddress", 2, currency="BTC")["address"]

    deposited = run_cli("deposit", address, "0.3", "--data-dir", data_dir)
    assert deposited.returncode == 0, deposited.stderr
    receipt = json.loads(deposited.stdout)
    assert receipt == {
        "txid": receipt["txid"], "address": address, "amount": "0.3", "confirmations": 0
    }
    assert call("DepositInfo", 3, address=address)["confirmations"] == 0

    mined = run_cli("mine", "--blocks", "3", "--data-dir", data_dir)
    assert mined.returncode == 0, mined.stderr
    result = json.loads(mined.stdout)
    assert result["credited"] == [receipt["txid"]] and result["height"] == 3
    assert Decimal(call("Info", 4)["balances"]["BTC"]) == Decimal("0.8")
    assert server.stop() == (0, "")


def test_the_demo_login_is_the_same_on_every_start_of_a_data_dir(serve, tmp_path: Path):
    first = serve("--block-seconds", "0")
    login = first.login
    assert first.stop()[0] == 0
    second = serve("--block-seconds", "0")
    assert {k: second.login[k] for k in ("username", "key", "secret")} == {
        k: login[k] for k in ("username", "key", "secret")
    }
    assert second.stop()[0] == 0


def test_serving_on_a_taken_port_fails_with_a_sentence(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["deposit", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "1"], "There is no sandbox in "),
        (["mine"], "There is no sandbox in "),
        (["deposit", "anything", "-1"], "The amount must be a plain decimal number"),
        (["mine", "--blocks", "0"], "--blocks must be 1 or more"),
        (["user", "add", "demo!"], "A user name has 1 to 32 letters"),
        (["user", "add", "dave", "--fund", "DOGE=1"], "Unknown currency: DOGE"),
        (["user", "add", "dave", "--fund", "USD"], "--fund takes CUR=AMOUNT"),
        (["user", "add", "dave", "--fund", "USD=0.001"], "Too many decimals: USD amounts"),
        (["coupon", "list"], "There is no sandbox in "),
        (["coupon", "approve", "1"], "There is no sandbox in "),
        (["coupon", "reject", "1"], "There is no sandbox in "),
    ],
)
def test_operator_mistakes_end_with_one_sentence_and_exit_code_2(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    result = run_cli(*args, "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(expected), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_adding_a_user_twice_is_refused(tmp_path: Path) -> None:
    assert run_cli("user", "add", "erin", "--data-dir", str(tmp_path)).returncode == 0
    again = run_cli("user", "add", "erin", "--data-dir", str(tmp_path))
    assert (again.returncode, again.stderr) == (2, "The user erin already exists.\n")


def test_a_deposit_to_an_address_the_sandbox_never_issued_is_refused(tmp_path: Path) -> None:
    assert run_cli("user", "add", "erin", "--data-dir", str(tmp_path)).returncode == 0
    result = run_cli(
        "deposit", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "1", "--data-dir", str(tmp_path)
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Unknown address: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    assert "Traceback" not in result.stderr


def test_a_bad_fee_in_the_environment_stops_serve_with_a_sentence(tmp_path: Path) -> None:
    result = subprocess.run(
        [*CLI, "serve", "--port", "0", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CRYPTEX_SANDBOX_FEE": "2"},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("CRYPTEX_SANDBOX_FEE must be a fraction")


def test_the_help_names_the_default_data_dir() -> None:
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    assert "cryptex-sandbox" in result.stdout and "--no-market-maker" in result.stdout
    assert ".local/share/cryptex-sandbox" in result.stdout.replace("\n", "").replace(" ", "")


def test_the_help_lists_the_coupon_commands() -> None:
    top = run_cli("--help")
    assert top.returncode == 0 and "coupon" in top.stdout
    listed = run_cli("coupon", "--help")
    assert listed.returncode == 0
    assert all(word in listed.stdout for word in ("list", "approve", "reject"))
    for command in ("list", "approve", "reject"):
        result = run_cli("coupon", command, "--help")
        assert result.returncode == 0 and "--data-dir" in result.stdout


def test_a_held_coupon_is_listed_approved_with_its_code_printed_once_and_redeemed(
    serve, tmp_path: Path
) -> None:
    server = serve("--block-seconds", "0", "--no-market-maker")
    data_dir = str(tmp_path / "data")
    assert server.post("CouponCreate", 1, currency="BTC", amount="1.5").json()["data"] == (
        "send_to_moderation"
    )
    assert "code" in server.post("CouponCreate", 2, currency="BTC", amount="0.25").json()["data"]

    listed = run_cli("coupon", "list", "--data-dir", data_dir)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("\n") == 1
    everything = json.loads(listed.stdout)
    assert [(c["creator"], c["currency"], c["amount"], c["recipient"], c["status"])
            for c in everything] == [
        ("demo", "BTC", "1.5", None, "moderation"),
        ("demo", "BTC", "0.25", None, "active"),
    ]
    assert all(c["created"].endswith("Z") and "code" not in c for c in everything)
    held = json.loads(run_cli("coupon", "list", "--held", "--data-dir", data_dir).stdout)
    assert held == everything[:1]

    coupon_id = str(held[0]["id"])
    approved = run_cli("coupon", "approve", coupon_id, "--data-dir", data_dir)
    assert approved.returncode == 0, approved.stderr
    answer = json.loads(approved.stdout)
    assert answer["status"] == "active" and answer["amount"] == "1.5"
    assert re.fullmatch(r"CTX-BTC(-[A-Za-z0-9]{8}){4}", answer["code"])
    assert json.loads(run_cli("coupon", "list", "--held", "--data-dir", data_dir).stdout) == []

    again = run_cli("coupon", "approve", coupon_id, "--data-dir", data_dir)
    assert (again.returncode, again.stdout) == (2, "")
    assert again.stderr == (
        f"Cannot approve coupon {coupon_id}: it is not held for moderation "
        "(already redeemable).\n"
    )
    assert answer["code"] not in again.stderr

    redeemed = server.post("CouponRedeem", 3, code=answer["code"]).json()
    assert redeemed == {"status": "ok", "data": {"amount": "1.5"}}
    assert server.post("Info", 4).json()["data"]["balances"]["BTC"] == "1.75"
    assert server.stop() == (0, "")


def test_a_rejected_coupon_returns_its_amount_and_cannot_be_rejected_twice(
    serve, tmp_path: Path
) -> None:
    server = serve("--block-seconds", "0", "--no-market-maker")
    data_dir = str(tmp_path / "data")
    server.post("CouponCreate", 1, currency="USD", amount="9000")  # below the threshold
    assert server.post("CouponCreate", 2, currency="BTC", amount="1.2").json()["data"] == (
        "send_to_moderation"
    )
    assert server.post("Info", 3).json()["data"]["balances"]["BTC"] == "0.8"
    [held] = json.loads(run_cli("coupon", "list", "--held", "--data-dir", data_dir).stdout)

    rejected = run_cli("coupon", "reject", str(held["id"]), "--data-dir", data_dir)
    assert rejected.returncode == 0, rejected.stderr
    assert json.loads(rejected.stdout) == {**held, "status": "rejected"}
    assert server.post("Info", 4).json()["data"]["balances"]["BTC"] == "2"

    again = run_cli("coupon", "reject", str(held["id"]), "--data-dir", data_dir)
    assert (again.returncode, again.stdout) == (2, "")
    assert again.stderr.startswith(f"There is no coupon {held['id']}")
    active = json.loads(run_cli("coupon", "list", "--data-dir", data_dir).stdout)[0]
    refused = run_cli("coupon", "reject", str(active["id"]), "--data-dir", data_dir)
    assert refused.returncode == 2
    assert "not held for moderation" in refused.stderr and "Traceback" not in refused.stderr
    assert server.stop() == (0, "")


def test_the_installed_command_runs(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "cryptex-sandbox"
    if not command.exists():
        pytest.skip("the cryptex-sandbox script is not installed next to this Python")
    result = subprocess.run(
        [str(command), "user", "add", "frank", "--fund", "LTC=2", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["username"] == "frank"
