"""The simulator panel on the harness bench: its fault controls reach the simulators, its log shows the wire."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QPlainTextEdit

from conftest import CONFIG_DIR
from kiosk.config import load_config
from kiosk.harness.supervisor import SimulatorSupervisor
from kiosk_driving import Driver


@pytest.fixture
def sim(qapp, tmp_path, clock):
    from screens.app import KioskApp
    from screens.sim_panel import SimulatorPanel

    supervisor = SimulatorSupervisor(load_config(CONFIG_DIR / "simulated.toml"), tmp_path / "state", clock=clock)
    supervisor.start()
    kiosk = KioskApp(supervisor.config, qapp, clock=clock)
    kiosk.show(with_panel=False)
    panel = SimulatorPanel(kiosk.ctx, supervisor.bench, supervisor.traffic)
    yield supervisor, kiosk, panel
    panel.close()
    kiosk.close()
    supervisor.stop()


def test_panel_faults_reach_the_simulators_and_the_log_shows_traffic(sim, qtbot):
    supervisor, kiosk, panel = sim
    panel.findChild(QCheckBox, "sim_unplug_printer").setChecked(True)
    assert supervisor.simulators["printer"]._unplugged
    panel.findChild(QCheckBox, "sim_unplug_printer").setChecked(False)
    assert not supervisor.simulators["printer"]._unplugged
    faults = panel.findChild(QComboBox, "sim_idcard_fault")
    faults.setCurrentIndex(faults.findData("checksum_always"))
    assert supervisor.simulators["idcard"].faults.corrupt_checksum == "always"
    fee = panel.findChild(QComboBox, "sim_fee_system")
    assert fee.isEnabled()
    fee.setCurrentIndex(fee.findData("unreachable"))
    fee.setCurrentIndex(fee.findData("ok"))
    faults.setCurrentIndex(faults.findData("none"))
    driver = Driver(kiosk, qtbot)
    driver.tap("resident")
    driver.tap("pay")  # the login screen polls the ID card reader
    log = panel.findChild(QPlainTextEdit, "sim_traffic_log")
    qtbot.waitUntil(lambda: "idcard →" in log.toPlainText(), timeout=5000)  # the watcher polls the reader
    assert "AA AA AA 96 69" in log.toPlainText()
