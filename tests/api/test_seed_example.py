"""The exchange document's own Python example works against the sandbox, nearly verbatim.

Only the URL, the credentials and the username are changed, as the document tells a reader to.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "shared" / "cryptex-api-v1.txt"

# The example exactly as printed in cryptex-api-v1.txt (the function body's indentation, which
# the document's web page lost, put back), with YOUR_KEY, YOUR_SECRET, 'username' and the URL
# still to fill in.
SEED_EXAMPLE = """
import requests
import hmac
import hashlib

auth = {
'key': YOUR_KEY,
'secret': YOUR_SECRET,
'nonce': 109,
}

def get_sign():
    message = str(auth['nonce']) + 'username' + auth['key']
    return hmac.new(auth['secret'].encode(), msg=message.encode(),
    digestmod=hashlib.sha256).hexdigest().upper()

res = requests.post(
  url='https://cryptex.net/api/v1',
  data={
    'method': 'Info',
    'nonce': auth['nonce'],
  },
  headers={
    'Key': auth['key'],
    'Sign': get_sign(),
  },
)

print(res.json())
"""


@pytest.mark.skipif(not DOC.exists(),
                    reason=f"the exchange's API document is not beside the project ({DOC})")
def test_the_example_is_the_documents_own():
    text = DOC.read_text(encoding="utf-8")
    for line in ("'nonce': 109,", "message = str(auth['nonce']) + 'username' + auth['key']",
                 "digestmod=hashlib.sha256).hexdigest().upper()", "'Sign': get_sign(),"):
        assert line in text


def test_seed_example_gets_status_ok_from_a_running_sandbox(tmp_path):
    server = subprocess.Popen(
        [sys.executable, "-m", "cryptex_desktop.sandbox.cli", "serve", "--port", "0",
         "--data-dir", str(tmp_path), "--block-seconds", "0", "--no-market-maker"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        account = json.loads(server.stdout.readline())
        script = (
            SEED_EXAMPLE.replace("YOUR_KEY", repr(account["key"]))
            .replace("YOUR_SECRET", repr(account["secret"]))
            .replace("'username'", repr(account["username"]))
            .replace("https://cryptex.net/api/v1", account["url"])
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
            env={**os.environ, "NO_PROXY": "*"},
        )
        assert result.returncode == 0, result.stderr
        answer = ast.literal_eval(result.stdout.strip())
        assert answer["status"] == "ok"
        assert set(answer["data"]) >= {"balances", "open_orders"}
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
