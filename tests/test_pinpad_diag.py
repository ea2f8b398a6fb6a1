"""`kiosk diag pinpad status|kcv --port PATH` as subprocesses against the simulator."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from drivers.pinpad import SerialPinPad, crypto
from drivers.pinpad.crypto import Algorithm
from drivers.pinpad.simulator import PinPadSimulator
from pinpad_fixtures import MAC_KEYS, PIN_KEYS, load_all_keys, master_key

KIOSK = [str(Path(sys.executable).parent / "kiosk")]  # the installed entry point, as a technician runs it
ROOT = Path(__file__).resolve().parent.parent


def _diag(*args: str) -> tuple[int, dict]:
    done = subprocess.run(
        [*KIOSK, "diag", "pinpad", *args], capture_output=True, text=True, timeout=30, cwd=ROOT
    )
    return done.returncode, json.loads(done.stdout)


def test_status_and_kcv_of_a_keyed_pad() -> None:
    with PinPadSimulator() as sim:
        with SerialPinPad(sim.port) as pad:
            load_all_keys(pad, Algorithm.TDES)
        code, status = _diag("status", "--port", sim.port)
        assert code == 0
        assert status["online"] is True and status["status"] == "online" and status["algorithm"] == "tdes"
        assert status["master_key"] and status["pin_key"] and status["mac_key"] and not status["tampered"]
        code, kcv = _diag("kcv", "--port", sim.port)
        assert code == 0
        assert kcv == {
            "algorithm": "tdes",
            "check_values": {
                "master": crypto.check_value(Algorithm.TDES, master_key(Algorithm.TDES)).hex().upper(),
                "pin": crypto.check_value(Algorithm.TDES, PIN_KEYS[Algorithm.TDES]).hex().upper(),
                "mac": crypto.check_value(Algorithm.TDES, MAC_KEYS[Algorithm.TDES]).hex().upper(),
            },
        }


def test_silent_pad_is_an_error_with_exit_2() -> None:
    with PinPadSimulator() as sim:
        sim.set_offline(True)
        code, output = _diag("status", "--port", sim.port, "--timeout", "0.5")
    assert code == 2 and output["error"] == "pinpad_no_response" and output["message"]


def test_missing_port_is_an_error() -> None:
    code, output = _diag("kcv", "--port", "/dev/no-such-pinpad")
    assert code == 2 and output["error"] == "pinpad_no_device"


def test_tampered_pad_kcv_fails_with_exit_1() -> None:
    with PinPadSimulator() as sim:
        sim.set_tampered(True)
        code, status = _diag("status", "--port", sim.port)
        assert code == 0 and status["tampered"] is True and status["status"] == "hardware_error"
        code, output = _diag("kcv", "--port", sim.port)
    assert code == 1 and output["error"] == "pinpad_tampered"
