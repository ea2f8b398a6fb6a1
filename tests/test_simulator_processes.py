"""The simulators a technician runs alone (`python -m ...`) say where they listen and stop cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest


@pytest.mark.parametrize(("module", "keys"), [("drivers.pinpad.simulator", {"port"}),
                                              ("parties.bankhost.simulator", {"host", "port"})])
def test_a_simulator_process_prints_its_address_and_ends_on_sigterm(module: str, keys: set[str]) -> None:
    process = subprocess.Popen([sys.executable, "-m", module], stdout=subprocess.PIPE, text=True)
    try:
        assert set(json.loads(process.stdout.readline())) == keys  # type: ignore[union-attr]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.wait(timeout=10)
