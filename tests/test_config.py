"""Configuration: the shipped files load; every kind of bad file stops with one clear message, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config

REPO = Path(__file__).resolve().parent.parent
SIMULATED = (REPO / "config" / "simulated.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_simulated_config_loads():
    config = load_config(REPO / "config" / "simulated.toml")
    assert config["terminal.language"] == "zh_CN"
    assert config["devices.idcard.mode"] == "simulated"
    assert config["timeouts.still_there_seconds"] == 20
    assert config["devices.receipt_printer.paper_width_mm"] == 80
    assert config.config_path("policy.toml") == REPO / "config" / "policy.toml"


def test_example_real_config_names_ports_that_do_not_exist_here():
    with pytest.raises(ConfigError) as error:
        load_config(REPO / "config" / "kiosk.toml")
    assert error.value.key == "devices.idcard.port"
    assert "/dev/sifee-idcard does not exist" in str(error.value)


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (lambda t: t + '\n[terminal2]\nid = "x"\n', "terminal2", "unknown table"),
        (
            lambda t: t.replace('language = "zh_CN"', 'language = "zh_CN"\ncolour = "red"'),
            "terminal.colour",
            "unknown key",
        ),
        (
            lambda t: t.replace("screen_seconds = 90", 'screen_seconds = "ninety"'),
            "timeouts.screen_seconds",
            "expected a number",
        ),
        (
            lambda t: t.replace("screen_seconds = 90", "screen_seconds = -5"),
            "timeouts.screen_seconds",
            "greater than zero",
        ),
        (lambda t: t.replace("fullscreen = false", "fullscreen = 1"), "display.fullscreen", "expected true or false"),
        (lambda t: t.replace("width = 1280", "width = true"), "display.width", "expected an integer"),
        (lambda t: t.replace('id = "SD370102-ZZ01"\n', ""), "terminal.id", "missing value"),
        (lambda t: t.replace('kind = "embedded"', 'kind = "cloud"'), "fee_system.kind", "expected one of"),
        (
            lambda t: t.replace("paper_width_mm = 80", "paper_width_mm = 76"),
            "devices.receipt_printer.paper_width_mm",
            "58 or 80",
        ),
        (
            lambda t: t.replace(
                '[devices.idcard]\nmode = "simulated"', '[devices.idcard]\nmode = "real"\nport = "/dev/ttyNOPE9"'
            ),
            "devices.idcard.port",
            "does not exist",
        ),
        (
            lambda t: t.replace('[devices.pinpad]\nmode = "simulated"', '[devices.pinpad]\nmode = "real"'),
            "devices.pinpad.port",
            "needs its serial port",
        ),
    ],
)
def test_bad_files_name_file_key_and_expectation(tmp_path, change, key, words):
    path = write(tmp_path, change(SIMULATED))
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert error.value.key == key
    assert words in error.value.problem
    assert str(path) in str(error.value)


def test_not_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[terminal\nid="))
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "absent.toml")


def test_real_device_with_existing_port_is_accepted(tmp_path):
    port = tmp_path / "ttyFAKE"
    port.touch()
    text = SIMULATED.replace(
        '[devices.idcard]\nmode = "simulated"', f'[devices.idcard]\nmode = "real"\nport = "{port}"'
    )
    assert load_config(write(tmp_path, text))["devices.idcard.port"] == str(port)


def test_kiosk_run_with_a_bad_file_prints_one_line_and_no_traceback(tmp_path):
    path = write(tmp_path, SIMULATED.replace("screen_seconds = 90", "screen_seconds = -1"))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "kiosk"), "run", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "timeouts.screen_seconds" in result.stderr and "must be greater than zero" in result.stderr


def test_cli_help_lists_the_subcommands():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "kiosk"), "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for command in ("run", "sim", "diag"):
        assert command in result.stdout
