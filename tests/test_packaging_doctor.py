"""`kiosk doctor` against the simulated devices (passes) and against a real device whose port is missing (fails)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w

REPO = Path(__file__).resolve().parent.parent
CONFIG_DIR = REPO / "config"


def write_config(tmp_path: Path, **device_overrides: dict) -> Path:
    """config/simulated.toml with a tmp state dir (and absolute policy/people paths), plus device changes."""
    data = tomllib.loads((CONFIG_DIR / "simulated.toml").read_text())
    data["paths"]["state_dir"] = str(tmp_path / "state")
    data["fee_system"]["policy"] = str(CONFIG_DIR / "policy.toml")
    data["fee_system"]["people"] = str(CONFIG_DIR / "demo_people.toml")
    for device, values in device_overrides.items():
        data["devices"][device].update(values)
    path = tmp_path / "kiosk.toml"
    path.write_text(tomli_w.dumps(data))
    path.chmod(0o600)
    return path


def run_doctor(config: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "doctor", "--config", str(config), *extra],
        cwd=REPO, capture_output=True, text=True, timeout=90, check=False,
    )


@pytest.mark.pcsc
def test_doctor_passes_on_simulated_devices(tmp_path):
    done = run_doctor(write_config(tmp_path), "--json")
    report = json.loads(done.stdout)
    failed = [check for check in report["checks"] if check["result"] == "fail"]
    assert done.returncode == 0 and report["ok"], failed
    results = {check["name"]: check["result"] for check in report["checks"]}
    for name in ("config", "idcard", "pinpad", "receipt printer", "sscard", "pcscd", "cjk font", "clock"):
        assert results[name] == "ok", (name, report)


def test_doctor_fails_with_a_clear_row_when_a_real_port_is_missing(tmp_path):
    missing = "/dev/kiosk-idcard-not-plugged-in"
    done = run_doctor(write_config(tmp_path, idcard={"mode": "real", "port": missing}))
    assert done.returncode == 1
    rows = {line.split()[0]: line for line in done.stdout.splitlines()[1:] if line.strip()}
    assert "FAIL" in rows["idcard"] and f"serial port {missing} does not exist" in rows["idcard"]
    assert "FAIL" in rows["config"] and "devices.idcard.port" in rows["config"]
    assert "OK" in rows["pinpad"], "the other devices are still checked"
    assert done.stdout.rstrip().endswith("kiosk doctor: FAILED")


def test_doctor_refuses_a_broken_config(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[terminal]\nid = 7\n")
    done = run_doctor(path, "--json")
    report = json.loads(done.stdout)
    assert done.returncode == 1 and not report["ok"]
    assert report["checks"][0]["name"] == "config" and report["checks"][0]["result"] == "fail"


def test_placeholder_secret_and_insane_clock_fail():
    import datetime as dt

    from kiosk.cli.doctor import check_clock, check_secrets
    from kiosk.config import load_config

    assert check_secrets(load_config(CONFIG_DIR / "simulated.toml"))[0] == "warn"
    example = load_config(CONFIG_DIR / "simulated.toml").with_overrides({"verification.hmac_key": "REPLACE-ME"})
    assert check_secrets(example)[0] == "fail"
    assert check_clock(dt.datetime(2000, 1, 1))[0] == "fail"
