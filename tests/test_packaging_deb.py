"""The Debian package: built once per run with debhelper (scripts/build_deb.sh, tests/deb_fixtures.py), then
inspected with dpkg-deb -c / -I, checked by lintian, and its postinst run in a temporary root."""

# ruff: noqa: F811 (the deb fixture imported from deb_fixtures)
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from deb_fixtures import deb, needs_debhelper  # noqa: F401 (fixture)
from kiosk.single_instance import SingleInstanceLock
from kiosk.update_gate import MARKER_NAME

REPO = Path(__file__).resolve().parent.parent
pytestmark = needs_debhelper


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
        "/usr/share/doc/sifee-kiosk/copyright",
        "/usr/share/doc/sifee-kiosk/changelog.gz",
        "/usr/share/man/man1/kiosk.1.gz",
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
    assert contents["/usr/bin/kiosk"][0].startswith("l")  # dh_link: relative, to ../../opt/sifee-kiosk/venv
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
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--no-index",
            "--find-links",
            str(root / "opt/sifee-kiosk/wheels"),
            "--report",
            "-",
            f"sifee-kiosk=={version}",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
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


@pytest.mark.skipif(shutil.which("lintian") is None, reason="lintian is not installed (make setup)")
def test_lintian_finds_no_error(deb):
    """Errors fail; the overrides (packaging/debian/sifee-kiosk.lintian-overrides) each say why."""
    done = subprocess.run(
        ["lintian", "--fail-on", "error", "--tag-display-limit", "0", str(deb)],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    tags = [line for line in done.stdout.splitlines() if line[:2] in ("E:", "W:")]
    assert done.returncode == 0 and not [tag for tag in tags if tag.startswith("E:")], done.stdout + done.stderr
    assert not tags, f"a new lintian warning: justify it in docs/packaging.md or fix it: {tags}"


FAKE_COMMAND = """#!/bin/sh
echo "$(basename "$0") $*" >>"$FAKE_LOG"
"""
# `python3 -m venv DIR` makes DIR/bin/python, itself a fake: postinst then runs pip through it.
FAKE_PYTHON = (
    FAKE_COMMAND
    + """if [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin" && cp "$0" "$3/bin/python"
fi
"""
)


@pytest.fixture
def maintainer_root(deb, tmp_path):
    """The package's own postinst, a temporary root ($DPKG_ROOT) with the files it touches, and the system
    commands it calls replaced by fakes that log their arguments (no user is created, no systemd is asked)."""
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", str(deb), str(control)], check=True)
    root = tmp_path / "root"
    (root / "etc/sifee-kiosk").mkdir(parents=True)
    (root / "etc/sifee-kiosk/kiosk.toml").write_text("# the hall's config\n")
    (root / "opt/sifee-kiosk/wheels").mkdir(parents=True)
    (root / "var/lib/sifee-kiosk").mkdir(parents=True)
    fakes = tmp_path / "bin"
    fakes.mkdir()
    commands = (
        "adduser",
        "chown",
        "udevadm",
        "systemctl",
        "systemd-tmpfiles",
        "deb-systemd-helper",
        "deb-systemd-invoke",
    )
    for name in commands:
        (fakes / name).write_text(FAKE_COMMAND)
    (fakes / "python3").write_text(FAKE_PYTHON)
    for fake in fakes.iterdir():
        fake.chmod(0o755)
    log = tmp_path / "commands.log"
    env = {**os.environ, "DPKG_ROOT": str(root), "PATH": f"{fakes}:{os.environ['PATH']}", "FAKE_LOG": str(log)}

    def postinst(*args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
        log.write_text("")
        done = subprocess.run(
            ["sh", "-e", str(control / "postinst"), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        return done, log.read_text().splitlines()

    return root, postinst, dpkg_field(deb, "Version").strip()


def restarts(commands: list[str]) -> list[str]:
    return [c for c in commands if c.split()[0] in ("systemctl", "deb-systemd-invoke") and "restart" in c]


def test_an_upgrade_under_a_running_kiosk_is_marked_pending_not_restarted(maintainer_root):
    root, postinst, version = maintainer_root
    state = root / "var/lib/sifee-kiosk"
    with SingleInstanceLock(state):  # the kiosk holds its lock while it runs (a real flock)
        done, commands = postinst("configure", "0.0.9")
    assert done.returncode == 0, done.stderr
    assert (state / MARKER_NAME).read_text().strip() == version
    assert restarts(commands) == [], "a citizen may be at the kiosk: no restart by dpkg"
    assert "restarts into it once no citizen is using it" in done.stdout
    # The rest of configure still happened: venv built offline from the wheels, swapped in; the unit enabled.
    assert any(c.startswith("python3 -m venv") for c in commands)
    assert any("--no-index" in c and f"sifee-kiosk=={version}" in c for c in commands)
    venv = root / "opt/sifee-kiosk/venv"
    assert venv.is_symlink() and os.readlink(venv).startswith(f"venvs/{version}-") and (venv / "bin/python").exists()
    assert "deb-systemd-helper enable sifee-kiosk.service" in commands
    assert f"systemd-tmpfiles --root={root} --create sifee-kiosk.conf" in commands


def test_an_upgrade_with_no_kiosk_running_clears_the_marker_and_waits_for_nobody(maintainer_root):
    root, postinst, _version = maintainer_root
    state = root / "var/lib/sifee-kiosk"
    (state / MARKER_NAME).write_text("0.0.9\n")  # left from an earlier upgrade
    SingleInstanceLock(state).acquire().release()  # the lock file exists, nobody holds it
    done, commands = postinst("configure", "0.0.9")
    assert done.returncode == 0, done.stderr
    assert not (state / MARKER_NAME).exists()
    systemd = Path("/run/systemd/system").is_dir()
    assert restarts(commands) == (["deb-systemd-invoke try-restart sifee-kiosk.service"] if systemd else [])


def test_a_first_install_marks_nothing_and_asks_for_the_config_first(maintainer_root):
    root, postinst, _version = maintainer_root
    done, commands = postinst("configure", "")
    assert done.returncode == 0, done.stderr
    assert "edit /etc/sifee-kiosk/kiosk.toml" in done.stdout
    assert not (root / "var/lib/sifee-kiosk" / MARKER_NAME).exists() and restarts(commands) == []
    assert any(c.startswith("adduser --system") for c in commands) or "sifee-kiosk" in Path("/etc/passwd").read_text()


# A kiosk process as far as postinst can tell: it holds the lock (writing its pid there) and its command line names
# the venv it runs from, as the real one's interpreter path does.
HOLD_LOCK = """
import sys
from kiosk.single_instance import SingleInstanceLock
with SingleInstanceLock(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_the_running_kiosk_keeps_its_venv_until_no_kiosk_runs_from_it(maintainer_root):
    root, postinst, version = maintainer_root
    app, state = root / "opt/sifee-kiosk", root / "var/lib/sifee-kiosk"
    old = app / "venvs/0.0.9-20261101000000"
    (old / "bin").mkdir(parents=True)
    (app / "venv").symlink_to("venvs/0.0.9-20261101000000")
    kiosk = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(state), str(old / "bin/python")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert kiosk.stdout.readline().strip() == "held"
        done, _ = postinst("configure", "0.0.9")
        assert done.returncode == 0, done.stderr
        assert old.is_dir(), "the venv a running kiosk imports from stays"
        assert os.readlink(app / "venv").startswith(f"venvs/{version}-")
    finally:
        kiosk.communicate("", timeout=10)
    done, _ = postinst("configure", "0.0.9")  # again, with no kiosk running: only the current venv is left
    assert done.returncode == 0, done.stderr
    assert [entry.name for entry in (app / "venvs").iterdir()] == [os.readlink(app / "venv").removeprefix("venvs/")]
