"""`kiosk diag printer status|test` as subprocesses against the simulator (the acceptance contract)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from printers.escpos.simulator import EscPosPrinterSimulator
from tests.printer_fixtures import simulator_fixture  # noqa: F401 - fixture

KIOSK = Path(sys.executable).parent / "kiosk"  # the installed console script


def where(sim: EscPosPrinterSimulator) -> list[str]:
    if sim.transport == "pty":
        return ["--port", str(sim.port)]
    host, port = sim.address or ("", 0)
    return ["--tcp", f"{host}:{port}"]


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KIOSK), "diag", "printer", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({}, {"online": True, "paper": "ok", "cover_open": False}),
        ({"paper": "low"}, {"online": True, "paper": "low", "cover_open": False}),
        ({"cover_open": True}, {"online": False, "paper": "ok", "cover_open": True}),
    ],
)
def test_status_prints_the_state_and_exits_0(simulator: EscPosPrinterSimulator, state, expected):
    simulator.set_state(**state)
    result = kiosk("status", *where(simulator))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_status_exits_2_when_the_printer_does_not_answer(simulator: EscPosPrinterSimulator):
    simulator.unplug()
    result = kiosk("status", *where(simulator), "--timeout", "0.3")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"] == "no_answer"


def test_test_receipt_prints_chinese_terminal_date_and_qr(simulator: EscPosPrinterSimulator):
    result = kiosk("test", *where(simulator), "--terminal-id", "SD370102-007")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["printed"] is True
    (receipt,) = simulator.wait_for_receipts(1)
    text = "\n".join(receipt.lines)
    assert "打印测试" in text and "SD370102-007" in text and date.today().isoformat() in text
    assert len(receipt.qr_payloads) == 1 and "SD370102-007" in receipt.qr_payloads[0]
    assert "?" not in text


def test_test_receipt_has_a_default_terminal_id(simulator: EscPosPrinterSimulator):
    assert kiosk("test", *where(simulator)).returncode == 0
    (receipt,) = simulator.wait_for_receipts(1)
    assert any(line.endswith("TEST") for line in receipt.lines)


@pytest.mark.parametrize(
    ("state", "code"),
    [({"paper": "out"}, "paper_out"), ({"cover_open": True}, "cover_open"), ({"online": False}, "offline")],
)
def test_test_receipt_refused_sends_nothing(simulator: EscPosPrinterSimulator, state, code):
    simulator.set_state(**state)
    result = kiosk("test", *where(simulator))
    assert result.returncode != 0
    answer = json.loads(result.stdout)
    assert answer["error"] == code and answer["sent"] is False
    assert simulator.data_bytes == 0 and simulator.receipts == []


def test_port_and_tcp_are_mutually_exclusive_and_one_is_required():
    assert kiosk("status").returncode == 2
    assert kiosk("status", "--port", "/dev/null", "--tcp", "127.0.0.1:9100").returncode == 2
