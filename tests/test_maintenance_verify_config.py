"""`kiosk verify --config config/kiosk.toml` on a machine without the kiosk's serial ports (an office PC): verify
loads the configuration without the device checks, since it needs only [verification] hmac_key."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.verification import make_code

REPO = Path(__file__).resolve().parent.parent
HALL_KEY = "9b1f0e7c5a3d28e4c6b0a9f1d7e35c2b8a4f6d0e1c9b7a5f3e2d1c0b9a8f7e6d"
PLACEHOLDER = "REPLACE-WITH-THE-HALL-SECRET"


def hall_config(tmp_path: Path, key: str = HALL_KEY, extra: str = "") -> Path:
    """config/kiosk.toml with the hall's key, its serial ports pointing where nothing is."""
    text = (REPO / "config" / "kiosk.toml").read_text(encoding="utf-8")
    assert PLACEHOLDER in text and '"/dev/sifee-idcard"' in text
    text = text.replace(PLACEHOLDER, key).replace('"/dev/sifee-', f'"{tmp_path}/no-such-port-') + extra
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def verify(code: str, config: Path) -> subprocess.CompletedProcess[str]:
    run = "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", run, "verify", code, "--config", str(config)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=REPO)


def a_code(key: str) -> str:
    return make_code(key, "(2026)鲁税证 00099999", "370102199002140625", "赵敏", 99_999_900)


def test_the_loader_can_skip_the_device_checks_and_still_validates_the_rest(tmp_path: Path) -> None:
    path = hall_config(tmp_path)
    with pytest.raises(ConfigError) as refused:
        load_config(path)  # the kiosk itself still refuses to start without its ports
    assert "devices.idcard.port" in str(refused.value) and "does not exist" in str(refused.value)
    assert load_config(path, check_devices=False)["verification.hmac_key"] == HALL_KEY
    with pytest.raises(ConfigError) as unknown:
        load_config(hall_config(tmp_path, extra="\n[verification_typo]\nkey = 1\n"), check_devices=False)
    assert "verification_typo" in str(unknown.value)


def test_verify_with_the_kiosk_configuration_on_a_machine_without_its_ports(tmp_path: Path) -> None:
    config = hall_config(tmp_path)
    genuine = verify(a_code(HALL_KEY), config)
    assert genuine.returncode == 0, genuine.stdout + genuine.stderr
    assert json.loads(genuine.stdout)["genuine"] is True
    placeholder = verify(a_code(HALL_KEY), hall_config(tmp_path, key=PLACEHOLDER))
    assert placeholder.returncode == 3 and json.loads(placeholder.stdout)["error"] == "no_key"
