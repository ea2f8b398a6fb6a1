"""Every scenario in tests/scenarios/ against the whole kiosk (real drivers on the simulators): in this process,
or, for those that unplug a card reader, `kiosk sim --headless` on a pcscd of its own."""

from __future__ import annotations

import pytest

from app.harness.runner import run_scenario_file
from app.harness.scenario import load_scenario
from drivers.pcsc.private_pcscd import unavailable_reason
from harness_fixtures import IN_PROCESS_FILES, OWN_PCSCD_FILES, kiosk_sim


@pytest.mark.timeout(60)
@pytest.mark.parametrize("path", IN_PROCESS_FILES, ids=[path.stem for path in IN_PROCESS_FILES])
def test_scenario_passes(path, qapp, tmp_path):
    report = run_scenario_file(path, state_dir=tmp_path / "state", app=qapp)
    assert report.passed, report.text()
    assert report.steps_passed == len(report.scenario.steps)


@pytest.mark.timeout(90)
@pytest.mark.parametrize("path", OWN_PCSCD_FILES, ids=[path.stem for path in OWN_PCSCD_FILES])
def test_scenario_on_its_own_pcscd_passes(path, tmp_path):
    if reason := unavailable_reason():
        pytest.skip(f"needs the simulator's own pcscd: {reason}")  # CI runs as root: it runs there
    result = kiosk_sim("--headless", "--scenario", str(path), "--state", str(tmp_path / "state"), timeout=80)
    assert result.returncode == 0, result.stdout + result.stderr
    steps = len(load_scenario(path).steps)
    assert f"PASSED {load_scenario(path).name}" in result.stdout and f"{steps} steps" in result.stdout


def test_the_reader_unplug_scenarios_ask_for_their_own_pcscd():
    names = {path.stem for path in OWN_PCSCD_FILES}
    assert names >= {"fault_sscard_reader_unplugged", "fault_bankcard_reader_unplugged"}
    assert all(load_scenario(path).pcscd == "own" for path in OWN_PCSCD_FILES)
