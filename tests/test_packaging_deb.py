"""The Debian package: built once per session by scripts/build_deb.sh, then inspected with dpkg-deb -c / -I."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed")


@pytest.fixture(scope="session")
def deb(tmp_path_factory) -> Path:
    """Build into a temporary dist/ (the wheel cache in build/ is shared: offline after the first build)."""
    work = tmp_path_factory.mktemp("deb")
    env = {**os.environ, "DIST_DIR": str(work / "dist"), "BUILD_DIR": str(work / "build")}
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "build_deb.sh")], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (package,) = (work / "dist").glob("sifee-kiosk_*_amd64.deb")
    return package


@pytest.fixture(scope="session")
def contents(deb) -> dict[str, tuple[str, str]]:
    """path -> (permissions, owner/group) from `dpkg-deb -c`."""
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    entries = {}
    for line in listing.splitlines():
        fields = line.split(None, 5)
        path = fields[5].split(" -> ")[0].removeprefix(".").rstrip("/") or "/"
        entries[path] = (fields[0], fields[1])
    return entries


def dpkg_field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True).stdout


def test_package_installs_unit_session_rules_config_and_wheels(contents):
    for path in (
        "/lib/systemd/system/sifee-kiosk.service",
        "/lib/udev/rules.d/70-sifee-kiosk.rules",
        "/usr/lib/tmpfiles.d/sifee-kiosk.conf",
        "/opt/sifee-kiosk/bin/kiosk-session",
        "/etc/sifee-kiosk/kiosk.toml",
        "/usr/bin/kiosk",
        "/usr/share/doc/sifee-kiosk/packaging.md",
    ):
        assert path in contents, path
    wheels = [path for path in contents if path.startswith("/opt/sifee-kiosk/wheels/")]
    names = {Path(path).name.split("-")[0].lower() for path in wheels}
    assert {"sifee_kiosk", "pyside6", "pyside6_essentials", "pyserial", "pyscard", "reportlab"} <= names
    assert not names & {"pytest", "hypothesis", "ruff"}, "dev tools do not ship"


def test_permissions_keep_the_config_to_the_kiosk_user(contents):
    assert contents["/etc/sifee-kiosk"][0] == "drwx------"
    assert contents["/etc/sifee-kiosk/kiosk.toml"][0] == "-rw-------"
    assert contents["/opt/sifee-kiosk/bin/kiosk-session"][0] == "-rwxr-xr-x"
    assert contents["/lib/systemd/system/sifee-kiosk.service"][0] == "-rw-r--r--"
    assert contents["/usr/bin/kiosk"][0].startswith("l")
    assert all(owner == "root/root" for _, owner in contents.values())


def test_control_declares_the_debian_dependencies(deb):
    depends = {item.strip().split(" ")[0] for item in dpkg_field(deb, "Depends").split(",")}
    assert {"pcscd", "libpcsclite1", "cups-client", "fonts-wqy-zenhei", "cage", "seatd", "python3-venv"} <= depends
    assert {"libegl1", "libxkbcommon0", "libwayland-client0", "libfontconfig1"} <= depends, "Qt's runtime"
    assert dpkg_field(deb, "Package").strip() == "sifee-kiosk"
    assert dpkg_field(deb, "Architecture").strip() == "amd64"


def test_conffiles_and_maintainer_scripts(deb, tmp_path):
    info = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "conffiles" in info and "postinst" in info and "postrm" in info
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", str(deb), str(control)], check=True)
    assert (control / "conffiles").read_text().split() == ["/etc/sifee-kiosk/kiosk.toml"]
    for script in ("postinst", "prerm", "postrm"):
        path = control / script
        assert os.access(path, os.X_OK), script
        assert subprocess.run(["sh", "-n", str(path)], capture_output=True).returncode == 0, script
        assert "@VERSION@" not in path.read_text()
    postinst = (control / "postinst").read_text()
    assert "adduser --system" in postinst and "--no-index" in postinst, "user created, venv built offline"
    postrm_code = [line for line in (control / "postrm").read_text().splitlines() if not line.lstrip().startswith("#")]
    assert not any("/var/lib/sifee-kiosk" in line for line in postrm_code), "the payment journal is never purged"


def test_shipped_wheels_resolve_offline(deb, tmp_path):
    """pip can install the kiosk from the package's wheels alone (what postinst does), without the network."""
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    version = dpkg_field(deb, "Version").strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")} | {"PIP_CONFIG_FILE": os.devnull}
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", "--no-index",
         "--find-links", str(root / "opt/sifee-kiosk/wheels"), "--report", "-", f"sifee-kiosk=={version}"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    installed = {item["metadata"]["name"].lower() for item in json.loads(done.stdout)["install"]}
    assert {"sifee-kiosk", "pyside6", "pyscard", "cryptography", "python-escpos"} <= installed


def test_our_wheel_holds_the_five_layers_and_the_kiosk_command(deb, tmp_path):
    """app/ (the kiosk command, the application, the harness) ships beside screens, kiosk, printers and drivers."""
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    (wheel,) = (root / "opt/sifee-kiosk/wheels").glob("sifee_kiosk-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (entry_points,) = [archive.read(name).decode() for name in names if name.endswith("/entry_points.txt")]
    packages = ("app", "app/cli", "app/harness", "screens", "kiosk", "kiosk/cli", "printers", "drivers")
    assert {f"{package}/__init__.py" for package in packages} <= names
    assert "kiosk = app.cli:main" in entry_points
