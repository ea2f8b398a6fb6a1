"""`kiosk sim --headless --scenario` as a subprocess: exit codes, the failure report, the state directory."""

from __future__ import annotations

import subprocess
import time
import tomllib

import pytest

from drivers.pcsc.private_pcscd import unavailable_reason
from harness_fixtures import SCENARIOS, kiosk_sim, kiosk_sim_process

FAILING = """
[scenario]
name = "A scenario that expects the wrong screen"
now = 2026-11-27T10:00:00
within = 1

[[step]]
tap = "resident"
[[step]]
wait_screen = "result"
note = "nobody paid anything"
"""


def test_a_passing_scenario_exits_0_and_leaves_its_state(tmp_path):
    state = tmp_path / "run"
    result = kiosk_sim("--headless", "--scenario", str(SCENARIOS / "resident_pension_alipay_receipt.toml"),
                       "--state", str(state))
    assert result.returncode == 0, result.stderr
    assert "PASSED" in result.stdout
    for name in ("kiosk.toml", "journal.sqlite3", "feesystem.sqlite3", "receipts", "certificates", "log"):
        assert (state / name).exists(), name
    assert list((state / "receipts").iterdir())  # the printed receipt, kept
    generated = tomllib.loads((state / "kiosk.toml").read_text(encoding="utf-8"))
    assert generated["paths"]["state_dir"] == str(state.resolve())
    assert generated["devices"]["idcard"]["mode"] == "real" and generated["devices"]["idcard"]["port"]
    # The gateway speaks mutual TLS (issue 20): an https URL and the terminal's own certificate.
    assert generated["fee_system"]["kind"] == "http" and generated["fee_system"]["url"].startswith("https://127.0.0.1")

    # Picked up again: the fee system remembers the year is paid, the journal keeps the first payment.
    again = kiosk_sim("--headless", "--scenario", str(SCENARIOS / "cancel_payment.toml"), "--state", str(state))
    assert again.returncode == 1
    assert "expect_journal" in again.stderr and "count" in again.stderr  # two entries now, not one


def test_a_failing_scenario_exits_1_with_the_step_and_the_screen(tmp_path):
    scenario = tmp_path / "failing.toml"
    scenario.write_text(FAILING, encoding="utf-8")
    result = kiosk_sim("--headless", "--scenario", str(scenario))
    assert result.returncode == 1
    report = result.stderr
    assert "FAILED A scenario that expects the wrong screen" in report
    assert f"step 2 of 2 ({scenario}:9): wait_screen = 'result'" in report
    assert "expected: the screen 'result' within 1 s" in report
    assert "screen:   menu" in report and "nobody paid anything" in report


def test_a_broken_scenario_file_exits_2(tmp_path):
    scenario = tmp_path / "broken.toml"
    scenario.write_text('[[step]]\nwait_for = "menu"\n', encoding="utf-8")
    result = kiosk_sim("--headless", "--scenario", str(scenario))
    assert result.returncode == 2 and "unknown key" in result.stderr


def test_headless_needs_a_scenario():
    result = kiosk_sim("--headless")
    assert result.returncode == 2 and "--scenario" in result.stderr


@pytest.mark.timeout(60)
def test_kiosk_sim_with_its_panel_starts_on_a_pcscd_of_its_own(tmp_path):
    """The interactive `kiosk sim` (offscreen here): up with its generated configuration naming the run's own
    card readers, and its own pcscd gone with it."""
    if reason := unavailable_reason():
        pytest.skip(f"needs a pcscd of our own: {reason}")  # CI runs as root: it runs there
    state = tmp_path / "state"
    process = kiosk_sim_process("--state", str(state), tmpdir=tmp_path / "tmp")
    try:
        deadline = time.monotonic() + 40
        while not (state / "kiosk.toml").exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        generated = tomllib.loads((state / "kiosk.toml").read_text(encoding="utf-8"))
        assert generated["devices"]["sscard"]["reader"] == "Kiosk Sim SSCard 00 00"
        assert generated["devices"]["bankcard"]["reader"] == "Kiosk Sim Bank Card 00 00"
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        ours = _private_pcscds(parent=process.pid)  # not another test process's pcscd (tests/worker_pcscd.py)
        assert ours, "no pcscd of its own is running"
    finally:
        process.kill()  # no clean exit: the pcscd must die with the process that started it
        process.wait(timeout=20)
    deadline = time.monotonic() + 5
    while ours & _private_pcscds() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not ours & _private_pcscds()  # PR_SET_PDEATHSIG


def _private_pcscds(parent: int | None = None) -> set[str]:
    """Process ids of the pcscds started as the simulator starts its own (foreground, a conf directory), those of
    ``parent`` only when given (unshare and sh exec into pcscd: the simulator is its parent)."""
    command = ["pgrep", *(["-P", str(parent)] if parent else []), "-f", "pcscd -f -c "]
    found = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    return set(found.split())
