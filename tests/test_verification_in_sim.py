"""Issue 20 joined up: the QR code a `kiosk sim` kiosk prints (also `make run`, which is `kiosk sim --state var`)
leads to the fee-system gateway's public verification page, over a run of the real command.

`kiosk sim --headless` runs tests/scenarios/verification_page_receipt.toml in its own process: mutual TLS to the
gateway, payment by Alipay, the receipt printed on the ESC/POS printer simulator, whose parser takes the QR code's
payload from the printed bytes (GS ( k); the scenario opens that URL in headless Chromium (genuine) and the same URL
with one character of the code changed (not genuine). Here, besides the run passing: what it left behind agrees.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from urllib.parse import unquote, urlsplit

import pytest

from harness_fixtures import REPO, SCENARIOS, kiosk_sim

SCENARIO = SCENARIOS / "verification_page_receipt.toml"


@pytest.mark.timeout(120)
def test_a_sim_runs_receipt_qr_opens_the_genuine_page_of_its_gateway(tmp_path):
    state = tmp_path / "state"
    run = kiosk_sim("--headless", "--scenario", str(SCENARIO), "--state", str(state), timeout=110)
    assert run.returncode == 0, run.stdout + run.stderr  # both verify_receipt steps passed in Chromium
    assert "PASSED" in run.stdout
    generated = tomllib.loads((state / "kiosk.toml").read_text(encoding="utf-8"))
    # The kiosk spoke mutual TLS to the gateway, and its page URL is the gateway's public (plain) listener.
    fee_system, page_url = generated["fee_system"], generated["verification"]["page_url"]
    assert fee_system["kind"] == "http" and fee_system["url"].startswith("https://127.0.0.1:")
    assert fee_system["cert_file"] and fee_system["key_file"] and not fee_system.get("insecure_loopback")
    api, public = urlsplit(fee_system["url"]), urlsplit(page_url)
    assert public.scheme == "http" and public.hostname == api.hostname and public.port != api.port
    # The receipt's QR code, as the printer simulator decoded it from the printed bytes.
    [receipt] = sorted((state / "receipts").glob("receipt-*.txt"))
    [qr] = [line.removeprefix("[QR] ") for line in receipt.read_text(encoding="utf-8").splitlines() if "[QR]" in line]
    assert qr.startswith(page_url + "/verify/")
    code = unquote(qr.rsplit("/", 1)[1])
    # The same code checks offline with the bureau's public key alone.
    verify = subprocess.run(
        [sys.executable, "-m", "kiosk", "verify", code, "--config", str(state / "kiosk.toml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    shown = json.loads(verify.stdout)
    assert verify.returncode == 0 and shown["genuine"] is True and shown["kind"] == "receipt"
    assert shown["total_fen"] == 30000
