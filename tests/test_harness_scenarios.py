"""Every scenario in tests/scenarios/ against the whole kiosk (real drivers on the simulators), in this process."""

from __future__ import annotations

import pytest

from harness_fixtures import SCENARIO_FILES
from kiosk.harness.runner import run_scenario_file


@pytest.mark.timeout(60)
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[path.stem for path in SCENARIO_FILES])
def test_scenario_passes(path, qapp, tmp_path):
    report = run_scenario_file(path, state_dir=tmp_path / "state", app=qapp)
    assert report.passed, report.text()
    assert report.steps_passed == len(report.scenario.steps)
