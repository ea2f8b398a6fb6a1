"""The kill sweep's kiosk (scripts/kill_sweep.py): a `kiosk sim` kiosk is a simulated one whatever parts its
scenario makes "real" (the sweep makes the A4 printer real so that no private cupsd outlives a SIGKILLed kiosk);
and the sweep's cases cover the chip payment's journal steps and the day-end settlement."""

from __future__ import annotations

import importlib.util
import sys

from app.harness.supervisor import SimulatorSupervisor, SupervisorOptions
from conftest import CONFIG_DIR
from kiosk.config import load_config
from kiosk.simulated import SIMULATED_PARTS
from kiosk.verification import serves_for_real, signing_key_problem


def test_a_kiosk_sim_configuration_with_every_part_real_is_still_not_real_mode(tmp_path):
    base = load_config(CONFIG_DIR / "simulated.toml")
    options = SupervisorOptions(config_overrides={"devices.a4_printer.mode": "real"})
    supervisor = SimulatorSupervisor(base, tmp_path / "state", options=options)
    supervisor.state_dir.mkdir(parents=True)
    every_part_real = {f"{part}.mode": "real" for part in SIMULATED_PARTS} | {
        "fee_system.kind": "http",
        "fee_system.url": "http://127.0.0.1:1",
        "fee_system.insecure_loopback": True,
        "bank.port": 5000,
        **{f"devices.{device}.port": "/dev/null" for device in ("idcard", "pinpad", "receipt_printer")},
        "devices.receipt_printer.transport": "serial",
    }
    config = supervisor._write_config(every_part_real)
    assert config["terminal.simulator_harness"] is True
    assert not serves_for_real(config) and signing_key_problem(config) is None  # the demo key is fine here
    # The same configuration outside the harness is real mode, and the demo key puts it out of service.
    real = config.with_overrides({"terminal.simulator_harness": False})
    assert serves_for_real(real) and signing_key_problem(real) is not None


def _sweep():
    spec = importlib.util.spec_from_file_location("kill_sweep", CONFIG_DIR.parent / "scripts" / "kill_sweep.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["kill_sweep"] = module
    spec.loader.exec_module(module)
    return module
