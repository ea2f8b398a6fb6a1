"""The systemd unit, the kiosk session script, the udev rules and the tmpfiles entry in packaging/."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parent.parent / "packaging"
UNIT = PACKAGING / "sifee-kiosk.service"


def parse_unit(path: Path) -> configparser.ConfigParser:
    """systemd's ini dialect, as far as these checks need: repeated keys are joined, case kept."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",), comment_prefixes=("#",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze absent: see test_unit_settings")
def test_unit_passes_systemd_analyze_verify(tmp_path):
    copy = tmp_path / UNIT.name
    copy.write_text(UNIT.read_text())
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(copy)], capture_output=True, text=True, timeout=60, check=False
    )
    ours = [line for line in done.stderr.splitlines() if UNIT.name in line]
    assert done.returncode == 0, done.stderr
    assert not ours, ours


def test_unit_settings():
    """Parsed with configparser (always, and the only check where systemd-analyze is absent)."""
    service = parse_unit(UNIT)["Service"]
    assert service["Type"] == "notify" and service["NotifyAccess"] == "all"
    assert service["Restart"] == "always"
    assert int(service["WatchdogSec"]) > 0
    assert service["User"] == "sifee-kiosk" and service["User"] != "root"
    assert "PAMName" not in service, "a PAM session would move the kiosk out of the unit: pings lost"
    assert service["ExecStart"].startswith("/usr/bin/cage ") and " -s " not in service["ExecStart"]
    assert service["UMask"] == "0077" and service["StateDirectoryMode"] == "0700"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    for breaks_devices in ("PrivateDevices", "DevicePolicy", "ProtectClock", "MemoryDenyWriteExecute"):
        assert breaks_devices not in service, breaks_devices
    unit = parse_unit(UNIT)["Unit"]
    assert "pcscd" in unit["Wants"] and "cups" in unit["Wants"]
    assert unit["StartLimitIntervalSec"] == "0"


def test_session_script_runs_only_the_kiosk():
    script = (PACKAGING / "kiosk-session").read_text()
    assert subprocess.run(["sh", "-n", str(PACKAGING / "kiosk-session")]).returncode == 0
    assert "exec /opt/sifee-kiosk/venv/bin/kiosk run --config" in script
    assert "--blank 0" in script


def test_udev_rules_name_the_serial_devices_and_the_usb_printer():
    """Parsed: each rule matches by vendor and product id, gives /dev/sifee-* (and the older /dev/kiosk-* link of a
    tty), the kiosk group and 0660; the USB printer's rule matches the usb_device itself, with its serial."""
    rules = [
        line for line in (PACKAGING / "70-sifee-kiosk.rules").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    links = {rule: re.findall(r'SYMLINK\+="([^"]+)"', rule) for rule in rules}
    names = sorted(name for found in links.values() for name in found if name.startswith("sifee-"))
    assert names == ["sifee-idcard", "sifee-pinpad", "sifee-printer", "sifee-receipt-printer"]
    for rule, found in links.items():
        for attribute in ("idVendor", "idProduct"):
            assert re.search(r'ATTRS?\{' + attribute + r'\}=="[0-9a-f]{4}"', rule), (attribute, rule)
        assert 'GROUP="sifee-kiosk"' in rule and 'MODE="0660"' in rule
        if 'SUBSYSTEM=="tty"' in rule:
            assert [name.replace("sifee-", "kiosk-") for name in found if name.startswith("sifee-")] == found[1:]
        else:
            assert 'SUBSYSTEM=="usb"' in rule and 'ENV{DEVTYPE}=="usb_device"' in rule and "ATTR{serial}==" in rule


def test_tmpfiles_keep_config_and_state_private():
    entries = {
        fields[1]: (fields[0], fields[2], fields[3])
        for line in (PACKAGING / "sifee-kiosk.tmpfiles").read_text().splitlines()
        if line.strip() and not line.startswith("#") and (fields := line.split())
    }
    assert entries["/etc/sifee-kiosk"] == ("d", "0700", "sifee-kiosk")
    assert entries["/etc/sifee-kiosk/kiosk.toml"] == ("z", "0600", "sifee-kiosk")
    assert entries["/var/lib/sifee-kiosk"] == ("d", "0700", "sifee-kiosk")
